"""The world as the engine sees it for one tick, and the dataclasses a tick passes along:
the plan (scenes of planned actions, resting characters) and the scenes as played.

``World.build`` indexes everything once per tick (relationships by source, knowledge by
character, names), so every later step looks things up in O(1) and the whole tick stays
linear in characters and relationships.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from characters.engine.interaction import InteractionOutcome
from characters.engine.types import CharacterRef, CharacterSnapshot, RelationshipState
from ecosystems.engine.goals.model import Goal
from ecosystems.engine.knowledge import Knowledge, KnowledgeItem, own_secret_items
from ecosystems.engine.names import NameIndex

# Interactions older than this many ticks no longer shape choices (repetition, rifts,
# escalation): the caller passes the interactions of the last HISTORY_TICKS ticks.
HISTORY_TICKS = 12
# Lines the world remembers having heard, so nobody repeats a sentence anyone said lately
# (the demo world says about 4 lines a tick: 400 lines is a 100-tick afternoon).
SAID_MEMORY = 400
# Social energy (0..1) below which a character rests: it neither acts nor is approached.
REST_BELOW = 0.2
STRANGERS = RelationshipState()


@dataclass(frozen=True, slots=True)
class Agent:
    """One character for the tick: its snapshot, autonomy (0..1, how freely it acts on its
    own) and its goals (``goals.goals_from_character``). Pass only active characters."""

    snapshot: CharacterSnapshot
    autonomy: float = 0.5
    goals: tuple[Goal, ...] = ()

    @property
    def id(self) -> str:
        return self.snapshot.id

    @property
    def name(self) -> str:
        return self.snapshot.name


@dataclass(frozen=True, slots=True)
class PastInteraction:
    """One interaction that happened (from the ``Interaction`` table)."""

    tick: int
    initiator_id: str
    target_id: str
    kind: str
    subject_id: str | None = None
    felt_valence: float = 0.0


@dataclass(frozen=True, slots=True)
class Alliance:
    """A standing alliance: ``key`` is stable ("alliance:<sorted member ids>")."""

    key: str
    name: str
    members: tuple[str, ...]
    formed_tick: int = 0


@dataclass(frozen=True, slots=True)
class PlannedAction:
    """One act the planner chose: ``initiator_id`` does ``kind`` to ``target_id``.

    - ``subject_id``: for gossip, whom it is about; ``fact``: what is told (gossip) or
      confided (share_secret), else None.
    - ``utility``: the score it won with; ``reason``: readable why ("Bob wants revenge on
      Eve; Bob is angry").
    - ``intent`` / ``goal_key``: the goal it serves most, if any.
    - ``recent_conflict``: the two fought within ``HISTORY_TICKS`` (for the context).
    """

    initiator_id: str
    target_id: str
    kind: str
    subject_id: str | None
    utility: float
    reason: str
    intent: str | None = None
    goal_key: str | None = None
    fact: KnowledgeItem | None = None
    recent_conflict: bool = False


@dataclass(frozen=True, slots=True)
class Scene:
    """Characters together this tick; all of them witness every action, played in order.
    A participant with no action of its own is a bystander."""

    id: str
    participants: tuple[str, ...]
    actions: tuple[PlannedAction, ...]


@dataclass(frozen=True, slots=True)
class Rest:
    """Energy restored to a character that was not in any scene: ``reason`` is
    "resting" (too tired to socialise) or "idle" (awake, but nobody to be with)."""

    character_id: str
    before: float
    after: float
    reason: str

    @property
    def gain(self) -> float:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class TickPlan:
    """What happens this tick: every character is in at most one scene, or rests, or idles."""

    tick: int
    scenes: tuple[Scene, ...]
    resting: tuple[Rest, ...]
    idle: tuple[Rest, ...]

    @property
    def actions(self) -> tuple[PlannedAction, ...]:
        return tuple(a for scene in self.scenes for a in scene.actions)

    @property
    def participants(self) -> frozenset[str]:
        return frozenset(c for scene in self.scenes for c in scene.participants)

    @property
    def tellers(self) -> frozenset[str]:
        """Who told something in a scene (pass as ``spread_gossip(exclude=...)``)."""
        return frozenset(
            a.initiator_id for a in self.actions if a.kind in ("gossip", "share_secret")
        )


@dataclass(frozen=True, slots=True)
class Executed:
    """A planned action and what ``resolve_interaction`` made of it."""

    action: PlannedAction
    outcome: InteractionOutcome


@dataclass(frozen=True, slots=True)
class SceneResult:
    """A scene as played: its executed actions in order."""

    scene: Scene
    executed: tuple[Executed, ...]


class World:
    """Everything the engine reads in one tick, indexed. Treat as immutable.

    - ``agents``: by id, in a stable order (the caller's order).
    - ``out``: ``out[a][b]`` is how ``a`` regards ``b``; ``view(a, b)`` defaults to a
      stranger's view.
    - ``knowledge``: every character's facts (own secrets are added by ``build``).
    - ``history``: recent interactions, oldest first (see ``HISTORY_TICKS``).
    - ``alliances``: the alliances standing now.
    - ``said``: the last ``SAID_MEMORY`` lines spoken anywhere, oldest first.
    """

    __slots__ = ("agents", "alliances", "history", "knowledge", "names", "out", "said")

    def __init__(
        self,
        agents: dict[str, Agent],
        out: dict[str, dict[str, RelationshipState]],
        knowledge: Knowledge,
        history: tuple[PastInteraction, ...],
        alliances: tuple[Alliance, ...],
        names: NameIndex,
        said: tuple[str, ...] = (),
    ) -> None:
        self.said = said
        self.agents = agents
        self.out = out
        self.knowledge = knowledge
        self.history = history
        self.alliances = alliances
        self.names = names

    @classmethod
    def build(
        cls,
        agents: Iterable[Agent],
        relationships: Iterable[tuple[str, str, RelationshipState]],
        *,
        knowledge: Knowledge | Mapping[str, Iterable[KnowledgeItem]] | None = None,
        history: Iterable[PastInteraction] = (),
        alliances: Iterable[Alliance] = (),
        names: NameIndex | None = None,
        said: Iterable[str] = (),
    ) -> World:
        """Index a world: ``relationships`` as ``(source_id, target_id, state)``; rows
        naming a character not in ``agents`` are dropped. ``knowledge`` per character
        (stored items); each agent's own secrets are added if missing."""
        by_id = {agent.id: agent for agent in agents}
        out: dict[str, dict[str, RelationshipState]] = {cid: {} for cid in by_id}
        for source, target, state in relationships:
            if source in out and target in by_id and source != target:
                out[source][target] = state
        names = names or NameIndex({cid: a.name for cid, a in by_id.items()})
        if not isinstance(knowledge, Knowledge):
            knowledge = Knowledge(knowledge or {})
        own: dict[str, list[KnowledgeItem]] = {}
        for cid, agent in by_id.items():
            for item in own_secret_items(agent.snapshot, names):
                if not knowledge.knows(cid, item.key):
                    own.setdefault(cid, []).append(item)
        if own:
            knowledge = knowledge.merged(own)
        return cls(
            by_id, out, knowledge, tuple(history), tuple(alliances), names,
            tuple(said)[-SAID_MEMORY:],
        )  # fmt: skip

    def view(self, source_id: str, target_id: str) -> RelationshipState:
        """How ``source_id`` regards ``target_id`` (a stranger's view if no row)."""
        table = self.out.get(source_id)
        if table is None:
            return STRANGERS
        return table.get(target_id, STRANGERS)

    def name(self, character_id: str) -> str:
        agent = self.agents.get(character_id)
        return agent.name if agent is not None else "someone"

    def authored(self, character_id: str) -> tuple[str, str]:
        """The tie-break between characters: their name, then their id. Ids are fresh UUIDs
        in every copy of a world, so breaking ties by id alone would make one seed tell
        different stories in two copies."""
        return (self.name(character_id), character_id)

    def ref(self, character_id: str) -> CharacterRef:
        return CharacterRef(character_id, self.name(character_id))

    def relationships(self) -> Iterator[tuple[str, str, RelationshipState]]:
        for source, table in self.out.items():
            for target, state in table.items():
                yield source, target, state

    def evolve(
        self,
        *,
        agents: dict[str, Agent] | None = None,
        out: dict[str, dict[str, RelationshipState]] | None = None,
        knowledge: Knowledge | None = None,
        history: tuple[PastInteraction, ...] | None = None,
        alliances: tuple[Alliance, ...] | None = None,
        said: tuple[str, ...] | None = None,
    ) -> World:
        """A new world with the given parts replaced (the rest shared)."""
        return World(
            self.agents if agents is None else agents,
            self.out if out is None else out,
            self.knowledge if knowledge is None else knowledge,
            self.history if history is None else history,
            self.alliances if alliances is None else alliances,
            self.names,
            self.said if said is None else said[-SAID_MEMORY:],
        )
