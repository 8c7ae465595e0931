"""The Director's writes: scenarios, interventions in a running world, directed scenes.

A person (the owner in the Director or the Observatory, or a subscriber through the API) and
the drama manager (``stories``) steer a world through these services only. Every one of them is
logged as an event (``scenario_started`` or ``director_intervention``) with its reason, in the
same transaction as the change, so the stream and the story sifter see what the director did.

What an intervention changes, so that the world reacts to it rather than merely reading it:

- ``whisper``: a thought in one character's head — a memory, and, when the thought is an aim
  ("Find out who took the ledger"), a short-term goal that the character then pursues.
- ``meet``: two characters are brought together and greet each other now (an interaction).
- ``rumour``: a teller comes to know a juicy rumour about someone; gossip spreads it.
- ``lost_object``: a finder holds something an owner lost — a memory and a goal to return it.
- ``invitation``: a host invites a guest; the host wants the guest's company (a goal) and
  both meet now.
- ``storm``: everyone stays inside; all remember it and the most distant pairs are thrown
  together (interactions now).
- ``custom``: any event the director describes; every character remembers it.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from billing.limits import plan_within_check
from characters.engine.interactions import CATALOGUE
from characters.models import Character, Memory
from characters.services import character_goals_save
from core.errors import InvalidInput, InvalidTransition, NotFeasible
from ecosystems.engine.events import Ref, ref
from ecosystems.engine.knowledge import SECRET, KnowledgeItem
from ecosystems.events import builders, publish
from ecosystems.models import Ecosystem, Event, Knowledge, Relationship, Scenario
from ecosystems.services.interactions import interaction_process
from ecosystems.services.memory import _embed_after_commit, _vectors_now

WHISPER = "whisper"
MEET = "meet"
RUMOUR = "rumour"
LOST_OBJECT = "lost_object"
INVITATION = "invitation"
STORM = "storm"
CUSTOM = "custom"
INTERVENTION_KINDS: tuple[str, ...] = (
    WHISPER, MEET, RUMOUR, LOST_OBJECT, INVITATION, STORM, CUSTOM,
)  # fmt: skip
# How many characters each kind needs (min, max); None = any number.
INTERVENTION_CAST: dict[str, tuple[int, int | None]] = {
    WHISPER: (1, 1),
    MEET: (2, 2),
    RUMOUR: (2, 3),  # teller, subject, and whom the teller gossips to at once (optional)
    LOST_OBJECT: (2, 2),  # finder, owner
    INVITATION: (2, 2),  # host, guest
    STORM: (0, None),
    CUSTOM: (0, None),
}
TEXT_MAX_LENGTH = 500
DIRECTOR_MEMORY_IMPORTANCE = 6  # a director's event stands out from small talk (1..10 scale)
STORM_MEETINGS = 3  # pairs thrown together by a storm: enough to stir a world, not flood it
RUMOUR_JUICE = 0.9  # rumours are retold almost as eagerly as secrets (knowledge juice 0..1)
SHORT_GOAL_TTL_TICKS = 24  # a director's nudge fades after a simulated day at 15 min/tick


Meeting = tuple[Character, Character, str, str, dict[str, Any]]  # who, whom, act, line, context


@dataclass(frozen=True)
class InterventionResult:
    event: Event
    interactions: list[Any] = field(default_factory=list)  # InteractionResult of meetings
    skipped: list[str] = field(default_factory=list)  # meetings that did not happen, and why


def _cast(ecosystem: Ecosystem, kind: str, character_ids: Sequence[str]) -> list[Character]:
    """The named characters of this world, in the given order, checked against the kind."""
    low, high = INTERVENTION_CAST[kind]
    ids = list(dict.fromkeys(str(c) for c in character_ids))
    if len(ids) < low or (high is not None and len(ids) > high):
        wanted = f"exactly {low}" if low == high else f"at least {low}"
        raise InvalidInput(
            f"A {kind} intervention needs {wanted} different character(s); got {len(ids)}.",
            details={"character_ids": [f"Give {wanted} character ids of this world."]},
        )
    try:
        found = {str(c.pk): c for c in Character.objects.filter(ecosystem=ecosystem, pk__in=ids)}
    except Exception as exc:  # a malformed UUID
        raise InvalidInput("Character ids must be UUIDs.") from exc
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(
            f"No character {', '.join(missing)} in world {ecosystem.name!r}.",
            details={"character_ids": ["Use ids of characters of this world."]},
        )
    return [found[i] for i in ids]


def _remember(world: Ecosystem, people: Sequence[Character], texts: Sequence[str]) -> None:
    """One memory per (character, text), embedded now when embedding is local."""
    vectors = _vectors_now(list(texts))
    Memory.objects.bulk_create(
        Memory(character=c, kind=Memory.Kind.OBSERVATION, content=t, embedding=v,
               importance=DIRECTOR_MEMORY_IMPORTANCE, tick=world.current_tick)
        for c, t, v in zip(people, texts, vectors, strict=True)
    )  # fmt: skip
    _embed_after_commit(world)


def _add_short_goal(
    world: Ecosystem, character: Character, description: str, **engine: Any
) -> None:
    """A short-term goal the engine will pursue; ``engine`` fields (intent, target_id) make it
    an engine goal (``auto``) whose intent is kept, not re-parsed."""
    goal: dict[str, Any] = {
        "description": description[:300],
        "progress": 0.0,
        "key": f"short:director:{uuid.uuid4().hex[:8]}",
        "created_tick": world.current_tick,
        "expires_tick": world.current_tick + SHORT_GOAL_TTL_TICKS,
    }
    if engine:
        goal |= {"auto": True, **engine}
    character_goals_save(character=character, short_term_goals=[*character.short_term_goals, goal])


def _ref(character: Character) -> Ref:
    return ref(str(character.pk), character.name)


def director_intervene(
    *,
    ecosystem: Ecosystem,
    kind: str,
    text: str = "",
    character_ids: Sequence[str] = (),
    reason: str = "",
    source: str = "user",
    narration: str = "",
) -> InterventionResult:
    """Apply one intervention (see the module docstring) and log it as a
    ``director_intervention`` event with ``reason``. ``text`` is the whisper's thought, the
    rumour, the lost object, the invitation's occasion, or what happens (storm, custom);
    ``narration`` replaces the logged sentence made from it. ``source`` is "user" or
    "drama_manager".

    The intervention commits first; the meetings it causes then run as interactions of their
    own (outside the world's row lock, so model servers are never waited on while holding it).
    A meeting the characters would not have (say, one of them is exhausted) is skipped and
    its reason kept in ``skipped``. Raises ``InvalidInput`` for an unknown kind, a wrong cast
    or an archived world; ``PlanLimitReached`` for the owner's own direction while they hold
    more than their plan allows (the drama manager only runs in ticking worlds)."""
    if kind not in INTERVENTION_KINDS:
        raise InvalidInput(
            f"Unknown intervention {kind!r}; choose one of {', '.join(INTERVENTION_KINDS)}.",
            details={"kind": [f"One of: {', '.join(INTERVENTION_KINDS)}."]},
        )
    text = (text or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise InvalidInput(
            f"The text is {len(text)} characters; keep it under {TEXT_MAX_LENGTH}.",
            details={"text": [f"At most {TEXT_MAX_LENGTH} characters."]},
        )
    if kind in (WHISPER, CUSTOM) and not text:
        raise InvalidInput(
            f"A {kind} needs a text: what the character hears, or what happens.",
            details={"text": ["This field is required for this kind."]},
        )
    with transaction.atomic():
        world = Ecosystem.objects.select_for_update().get(pk=ecosystem.pk)
        if world.status == Ecosystem.Status.ARCHIVED:
            raise InvalidInput(f"World {world.name!r} is archived; unarchive it to direct it.")
        if source == "user":
            plan_within_check(owner=world.owner)
        cast = _cast(world, kind, character_ids)
        meetings: list[Meeting] = []
        told = _apply(world, kind, text, cast, meetings)  # always: the world changes first
        text = narration.strip()[:TEXT_MAX_LENGTH] or told
        (event,) = publish(ecosystem=world, events=[builders.director_intervention(
            kind=kind, text=text, reason=reason or "Directed by the world's owner.",
            source=source, characters=[_ref(c) for c in cast],
        )])  # fmt: skip
    ecosystem.last_event_seq = world.last_event_seq
    results, skipped = [], []
    for a, b, itype, line, context in meetings:
        try:
            results.append(interaction_process(
                initiator=a, target=b, interaction_type=itype, content=line, context=context,
                plan_checked=True,
            ))  # fmt: skip
        except NotFeasible as why:
            skipped.append(f"{a.name} and {b.name} did not {itype.replace('_', ' ')}: {why}")
    return InterventionResult(event=event, interactions=results, skipped=skipped)


def _apply(
    world: Ecosystem,
    kind: str,
    text: str,
    cast: list[Character],
    meetings: list[Meeting],
) -> str:
    """The world-side effect of an intervention; returns the text to log."""
    if kind == WHISPER:
        (who,) = cast
        _remember(world, [who], [f"A thought came to me: {text}"])
        if not text.lower().startswith(("i ", "i'm", "what ")):
            _add_short_goal(world, who, text)
        return f"{who.name} had a thought: {text}"
    if kind == MEET:
        a, b = cast
        meetings.append((a, b, "greeting", "", {}))
        return text or f"{a.name} and {b.name} were brought together."
    if kind == RUMOUR:
        teller, subject = cast[:2]
        fact = text or f"People say {subject.name} is hiding something."
        item = KnowledgeItem(
            key=f"rumour:{uuid.uuid4().hex[:12]}", content=fact, kind=SECRET,
            about_id=str(subject.pk), source="told", tick=world.current_tick,
            juice=RUMOUR_JUICE, how="overheard it",
        )  # fmt: skip
        Knowledge.objects.create(
            character=teller, fact_key=item.key, content=fact, source=Knowledge.Source.TOLD,
            tick=world.current_tick, data=item.as_dict(),
        )  # fmt: skip
        _remember(world, [teller], [f"I overheard a rumour: {fact}"])
        if len(cast) == 3:  # told on at once: a gossip scene that spreads it one hop
            meetings.append((teller, cast[2], "gossip", "", {"subject_id": str(subject.pk)}))
        return f"A rumour about {subject.name} reached {teller.name}: {fact}"
    if kind == LOST_OBJECT:
        finder, owner = cast
        thing = re.sub(r"^(a|an|the|my|his|her|their)\s+", "", text or "silver locket", flags=re.I)
        _remember(world, [finder, owner], [f"I found {owner.name}'s lost {thing}.",
                                            f"I lost my {thing}."])  # fmt: skip
        _add_short_goal(world, finder, f"Return the {thing} to {owner.name}",
                        intent="befriend", target_id=str(owner.pk))  # fmt: skip
        return f"{finder.name} found {owner.name}'s lost {thing}."
    if kind == INVITATION:
        host, guest = cast
        occasion = text or "to supper"
        if not re.match(r"(to|for|on|at|into)\b", occasion, flags=re.I):
            occasion = f"to {occasion}"
        _remember(world, [host, guest], [f"I invited {guest.name} {occasion}.",
                                         f"{host.name} invited me {occasion}."])  # fmt: skip
        _add_short_goal(world, host, f"Spend time with {guest.name} ({occasion})",
                        intent="befriend", target_id=str(guest.pk))  # fmt: skip
        meetings.append((host, guest, "small_talk", "", {}))
        return f"{host.name} invited {guest.name} {occasion}."
    people = list(
        Character.objects.filter(ecosystem=world, is_active=True, persona_of=None).order_by("name")
    )
    what = text or "A storm rolls in and keeps everyone inside."
    _remember(world, people, [what] * len(people))
    if kind == STORM:
        meetings += [(a, b, "small_talk", "", {}) for a, b in _distant_pairs(world, people)]
    return what


def _distant_pairs(world: Ecosystem, people: list[Character]) -> list[tuple[Character, ...]]:
    """Up to ``STORM_MEETINGS`` pairs who like each other least (strangers count as 0), each
    character in one pair at most: a storm shuts in people who would otherwise avoid each
    other. Deterministic for the world's seed and tick."""
    if len(people) < 2:
        return []
    regard = {
        (str(s), str(t)): v
        for s, t, v in Relationship.objects.filter(ecosystem=world).values_list(
            "source_id", "target_id", "strength"
        )
    }
    rng = random.Random(f"{world.seed}:storm:{world.current_tick}")
    pairs = [(a, b) for i, a in enumerate(people) for b in people[i + 1 :]]
    rng.shuffle(pairs)
    pairs.sort(key=lambda p: regard.get((str(p[0].pk), str(p[1].pk)), 0.0))
    chosen: list[tuple[Character, ...]] = []
    used: set[Any] = set()
    for a, b in pairs:
        if a.pk in used or b.pk in used:
            continue
        chosen.append((a, b))
        used |= {a.pk, b.pk}
        if len(chosen) == STORM_MEETINGS:
            break
    return chosen


def scene_direct(
    *,
    ecosystem: Ecosystem,
    initiator_id: str,
    target_id: str,
    interaction_type: str,
    content: str = "",
) -> InterventionResult:
    """Force one interaction between two characters with the director's content ("direct
    scene"), logged as an intervention first and then as the interaction itself.

    The intervention commits before the interaction runs, as in ``director_intervene``: the
    interaction may wait on model servers, and must not do so holding the world's row. A scene
    the characters would not play raises ``NotFeasible``; its intervention stays logged.
    ``PlanLimitReached`` while the owner holds more than their plan allows."""
    if interaction_type not in CATALOGUE:  # checked again by interaction_process, too late
        raise InvalidInput(
            f"Unknown interaction type {interaction_type!r}; choose one of: "
            f"{', '.join(sorted(CATALOGUE))}."
        )
    with transaction.atomic():
        world = Ecosystem.objects.select_for_update().get(pk=ecosystem.pk)
        plan_within_check(owner=world.owner)
        a, b = _cast(world, MEET, [initiator_id, target_id])
        act = interaction_type.replace("_", " ")
        (event,) = publish(ecosystem=world, events=[builders.director_intervention(
            kind="scene", text=f"The director set a scene: {a.name} will {act} {b.name}.",
            reason="Directed by the world's owner.", source="user",
            characters=[_ref(a), _ref(b)],
        )])  # fmt: skip
    result = interaction_process(
        initiator=a, target=b, interaction_type=interaction_type, content=content,
        plan_checked=True,
    )  # fmt: skip
    return InterventionResult(event=event, interactions=[result])


# --- scenarios --------------------------------------------------------------------------------

OBJECTIVE_KEYS = ("primary", "subplots", "hidden")


def _clean_objectives(objectives: dict[str, Any] | None) -> dict[str, Any]:
    objectives = dict(objectives or {})
    unknown = set(objectives) - set(OBJECTIVE_KEYS)
    if unknown:
        raise InvalidInput(
            f"Unknown objective field(s) {', '.join(sorted(unknown))}; use primary, subplots "
            "and hidden.",
            details={"objectives": ["Only primary (text), subplots and hidden (lists)."]},
        )
    primary = str(objectives.get("primary") or "").strip()
    lists = {}
    for key in ("subplots", "hidden"):
        value = objectives.get(key) or []
        if isinstance(value, str):
            value = value.splitlines()
        lists[key] = [str(v).strip() for v in value if str(v).strip()]
    return {"primary": primary, **lists}


@transaction.atomic
def scenario_create(
    *,
    ecosystem: Ecosystem,
    title: str,
    setting: str = "",
    mood: str = "",
    character_ids: Sequence[str] = (),
    objectives: dict[str, Any] | None = None,
    is_template: bool = False,
) -> Scenario:
    """A draft scenario (or a reusable template) of this world; ``PlanLimitReached`` while
    the owner holds more than their plan allows."""
    plan_within_check(owner=ecosystem.owner)
    cast = Character.objects.filter(ecosystem=ecosystem, pk__in=list(character_ids))
    if len(set(map(str, character_ids))) != cast.count():
        raise InvalidInput(
            "Some characters are not in this world.",
            details={"character_ids": ["Use ids of characters of this world."]},
        )
    scenario = Scenario(ecosystem=ecosystem, title=(title or "").strip(), setting=setting,
                        mood=mood, objectives=_clean_objectives(objectives),
                        is_template=is_template)  # fmt: skip
    scenario.full_clean()
    scenario.save()
    scenario.characters.set(cast)
    return scenario


@transaction.atomic
def scenario_from_template(*, template: Scenario) -> Scenario:
    """A new draft scenario copied from a template (the template stays as it is)."""
    return scenario_create(
        ecosystem=template.ecosystem, title=template.title, setting=template.setting,
        mood=template.mood, character_ids=[str(c) for c in
                                           template.characters.values_list("pk", flat=True)],
        objectives=template.objectives,
    )  # fmt: skip


@transaction.atomic
def scenario_start(*, scenario: Scenario) -> Scenario:
    """Start a draft scenario: its objectives become the short-term goals of its characters
    (the primary and subplots for all of them, hidden ones each to one character), any other
    active scenario of the world completes, and ``scenario_started`` is announced. Hidden
    objectives are not announced on the stream. Starting it again raises
    ``InvalidTransition``; ``PlanLimitReached`` while the owner holds more than their plan
    allows."""
    world = Ecosystem.objects.select_for_update().get(pk=scenario.ecosystem_id)
    plan_within_check(owner=world.owner)
    locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if locked.is_template:
        raise InvalidTransition(
            f"{locked.title!r} is a template; make a scenario from it and start that."
        )
    if locked.status != Scenario.Status.DRAFT:
        raise InvalidTransition(
            f"Scenario {locked.title!r} is {locked.status}; only a draft can be started. "
            "Make a new one from it to run it again."
        )
    Scenario.objects.filter(ecosystem=world, status=Scenario.Status.ACTIVE).update(
        status=Scenario.Status.COMPLETED
    )
    cast = list(locked.characters.order_by("name"))
    objectives = locked.objectives or {}
    shared = [t for t in [objectives.get("primary", ""), *objectives.get("subplots", [])] if t]
    hidden = list(objectives.get("hidden", []))
    for i, character in enumerate(cast):
        mine = shared + hidden[i :: len(cast)]
        goals = [{
            "description": text[:300], "progress": 0.0,
            "key": f"short:scenario:{str(locked.pk)[:8]}:{n}",
            "created_tick": world.current_tick,
        } for n, text in enumerate(mine)]  # fmt: skip
        kept = [
            g
            for g in character.short_term_goals
            if not str(g.get("key", "")).startswith("short:scenario:")
        ]
        character_goals_save(character=character, short_term_goals=kept + goals)
    locked.status, locked.started_at = Scenario.Status.ACTIVE, timezone.now()
    locked.save(update_fields=["status", "started_at"])
    publish(ecosystem=world, events=[builders.scenario_started(
        scenario_id=str(locked.pk), title=locked.title, setting=locked.setting,
        mood=locked.mood, characters=[_ref(c) for c in cast],
        primary=objectives.get("primary", ""), subplots=objectives.get("subplots", []),
        hidden_count=len(hidden),
    )])  # fmt: skip
    scenario.status, scenario.started_at = locked.status, locked.started_at
    return scenario
