"""The pure engine of the world: goals, action choice, scenes, knowledge and group dynamics.

No Django and nothing from the project outside ``characters.engine`` and this package:
dataclasses in, dataclasses out, randomness only from a seeded ``random.Random`` passed
in, so the same world and seed give the same tick. Every per-tick pass is linear in
characters and relationships (bounded candidates per character, no all-pairs loops).
A tick of 10,000 characters with ~10 relationships each plans in about a second.

Modules, in import order (each imports only the ones above it, ``TYPE_CHECKING`` included;
``tests/ecosystems/engine/test_engine_is_pure.py`` checks it):

- ``events``: the event contract (kinds and payload types of the log), read by every reader
  of the log, the story sifter included; imports nothing.
- ``names``: find characters named in free text; content words.
- ``knowledge``: who knows which secret or fact (the facts as data).
- ``lore``: the world's lore entries as knowledge (who knows which, which one a line cites).
- ``goals.model`` (re-exported by ``goals``): goal parsing (intent + target).
- ``world``: the indexed ``World`` and the plan/result dataclasses, the types the passes
  below share.
- ``learning``: what a played scene teaches its witnesses.
- ``goals.progress``: progress, new short-term goals, expiry.
- ``groups`` (package: ``alliances``, ``escalation``, ``gossip``, ``contagion``).
- ``agency`` (package: ``tuning``, ``choice``, ``reasons``, ``scenes``): ``plan_tick``
  (who rests, who acts, what, the scenes).
- ``simulate``: ``simulate_tick``, the whole tick in memory (the reference order).
- ``games`` (package: ``features``, ``vocabulary``, ``ab``, ``bandit``, ``decide``): the
  learning engine of game NPCs, independent of the rest (NumPy; its own doc lists
  ``decide(``, ``learn(`` and the rest).
- ``book`` (package, apart from the world's modules: ``types``, ``lexicon``, ``clean``,
  ``nlp``, ``people``, ``traits``, ``quotes``, ``relations``, ``analyse``):
  ``analyse(text, progress=...) -> BookAnalysis``, a novel's cast, voices and relationships
  (issue 17; spaCy NER + rules, offline).

Public API (``ecosystems.engine.<module>``)
-------------------------------------------

Building the world for a tick (``names``, ``goals``, ``knowledge``, ``world``)::

    NameIndex(names: Mapping[str, str])                    # {character_id: name}
        .find(text: str, exclude: Iterable[str] = ()) -> list[str]
    goals_from_character(character_id: str, names: NameIndex, *,
                         long_term=(), short_term=(), core_motivations=(),
                         tick: int = 0) -> tuple[Goal, ...]
        # model JSON shapes in: Character.long_term_goals / short_term_goals
        # ({"description", "progress", ...}) and core_motivations (strings)
    goals_to_json(goals: Iterable[Goal]) -> tuple[list[dict], list[dict]]
        # (long_term_goals, short_term_goals) to save; core goals are not stored
    parse_goal(description: str, names: NameIndex, *, self_id: str | None = None)
        -> ParsedGoal(intent, target_id, topic)
    Goal(key, description, progress=0.0, horizon="long", intent="other",
         target_id=None, created_tick=0, expires_tick=None, adversary_id=None,
         topic=(), auto=False)       .is_active(tick) -> bool, .as_dict() -> dict
    KnowledgeItem(key, content, kind="secret"|"event", about_id=None, mentions=(),
                  source="own"|"witnessed"|"told", source_id=None, tick=0,
                  juice=1.0, how="")  .as_dict() / KnowledgeItem.from_dict(data)
    KnowledgeItem.from_fact(key, content, *, source="own", source_id=None, tick=0,
                            names: NameIndex | None = None) -> KnowledgeItem
        # from a stored (fact_key, content, source, told_by, tick) row; the rest follows
        # from the key's shape ("secret:<owner>:<crc>", "event:<tick>:<a>:<b>:<kind>")
    Knowledge(by_character: Mapping[str, Iterable[KnowledgeItem]] | None = None)
        .knows(cid, key) -> bool  .item(cid, key)  .of(cid) -> Mapping[str, KnowledgeItem]
        .items(cid) -> tuple  .merged(learned: Mapping[str, Iterable[KnowledgeItem]])
    prune_knowledge(items, *, tick: int, event_ttl=144, max_events=30)
        -> tuple[KnowledgeItem, ...]                     # what to keep storing
    Agent(snapshot: CharacterSnapshot, autonomy: float = 0.5, goals: tuple[Goal, ...] = ())
    PastInteraction(tick, initiator_id, target_id, kind, subject_id=None, felt_valence=0.0)
    Alliance(key, name, members: tuple[str, ...], formed_tick=0)
        # key: any stable id of a standing alliance (a row's id will do); new ones get
        # alliance_key(members) = "alliance:<sorted member ids>"
    World.build(agents: Iterable[Agent],
                relationships: Iterable[tuple[str, str, RelationshipState]], *,
                knowledge: Knowledge | Mapping[str, Iterable[KnowledgeItem]] | None = None,
                history: Iterable[PastInteraction] = (),   # last HISTORY_TICKS ticks, oldest first
                alliances: Iterable[Alliance] = (),
                names: NameIndex | None = None) -> World
        .agents: dict[str, Agent]  .out[a][b] -> RelationshipState  .knowledge  .history
        .alliances  .view(a, b) -> RelationshipState  .name(cid) -> str  .ref(cid)
        .evolve(*, agents=None, out=None, knowledge=None, history=None, alliances=None)
    HISTORY_TICKS = 12; REST_BELOW = 0.2  (world)

Planning (``agency``)::

    plan_tick(world: World, *, tick: int, minutes: float, rng: random.Random) -> TickPlan
    TickPlan(tick, scenes: tuple[Scene, ...], resting: tuple[Rest, ...], idle: tuple[Rest, ...])
        .actions  .participants  .tellers
    Scene(id: str, participants: tuple[str, ...], actions: tuple[PlannedAction, ...])
    PlannedAction(initiator_id, target_id, kind, subject_id: str | None, utility: float,
                  reason: str, intent: str | None, goal_key: str | None,
                  fact: KnowledgeItem | None, recent_conflict: bool)
    Rest(character_id, before, after, reason="resting"|"idle")  .gain
    action_context(action: PlannedAction, world: World, *, tick: int) -> InteractionContext
    acting_chance(agent: Agent, tick: int = 0) -> float
    rest_gain(agent: Agent, minutes: float, *, idle: bool = False) -> float

After resolving each action with ``characters.engine.interaction.resolve_interaction``
(in scene order, each reading the snapshots/relationships earlier actions left)::

    Executed(action: PlannedAction, outcome: InteractionOutcome)
    SceneResult(scene: Scene, executed: tuple[Executed, ...])
    knowledge_after_scene(result: SceneResult, world: World, *, tick: int,
                          rng: random.Random) -> dict[str, tuple[KnowledgeItem, ...]]
    spread_gossip(world: World, *, tick: int, rng: random.Random,
                  exclude: Iterable[str] = ()) -> tuple[GossipHop, ...]   # exclude=plan.tellers
    hops_as_learned(hops) -> dict[str, tuple[KnowledgeItem, ...]]
    GossipHop(teller_id, listener_id, subject_id, item: KnowledgeItem, text)
    goals_after_tick(world: World, results: Iterable[SceneResult], *, tick: int,
                     learned: Mapping[str, Iterable[KnowledgeItem]] | None = None)
        -> GoalsAfterTick(goals: dict[str, tuple[Goal, ...]], events: tuple[GoalEvent, ...])
    GoalEvent(character_id, goal_key, description, kind, intent, target_id,
              progress_before, progress_after, text)   .as_dict()
              # kind: created | progress | setback | completed | expired
    alliance_changes(world: World, results: Iterable[SceneResult], *, tick: int)
        -> tuple[AllianceChange, ...]
    AllianceChange(change="formed"|"broken", key, name, members, reason, tick)  .alliance()
    alliance_relationship_kinds(change: AllianceChange, world: World)
        -> dict[tuple[str, str], str]       # "ally" on formed; derive_kind on broken
    escalation_changes(world: World, results: Iterable[SceneResult], *, tick: int)
        -> tuple[EscalationEvent, ...]
    EscalationEvent(kind="escalated"|"deescalated", pair, initiator_id, target_id,
                    rung_before, rung_after, text)
    escalations(history, *, since_tick: int | None = None) -> dict[tuple[str, str], Escalation]
    contagion_pass(world: World, *, emotions: Mapping[str, EmotionState] | None = None,
                   skip_pairs: Iterable[tuple[str, str]] = ()) -> dict[str, EmotionState]

The whole tick in memory, in the order the service should follow (``simulate``)::

    simulate_tick(world: World, *, tick: int, minutes: float, rng: random.Random)
        -> tuple[World, TickReport]
    play_scenes(world, plan, *, tick, rng) -> (results, changed snapshots, changed views)
    TickReport(tick, plan, results, learned, gossip, goal_events, alliance_changes,
               escalation_events)
"""
