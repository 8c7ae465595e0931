"""Gossip: secrets and juicy facts travelling along the social graph, one hop per teller
per tick, told by the open, outgoing and careless to those they are close to."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from characters.engine.interaction import closeness
from characters.engine.types import (
    Personality,
    clamp,
)
from ecosystems.engine.knowledge import LORE, OWN, SECRET, TOLD, KnowledgeItem
from ecosystems.engine.world import (
    REST_BELOW,
    SceneResult,
    World,
)

TELL_BASE = 0.6  # chance per tick a maximal teller passes on a maximal secret
GOSSIP_MIN_CLOSENESS = 0.4  # ``interaction.closeness`` of the teller to a listener, at least
GOSSIP_LISTENERS = 5  # the closest this many eligible listeners are considered
GOSSIP_MIN_JUICE = 0.5  # witnessed events below this are not worth passing on
GOSSIP_FACTS_TRIED = 3  # a teller tries its juiciest few facts for someone to tell
# Interactions that pass a fact on to the listener (the catalogue's kinds).
TELLING_KINDS = ("gossip", "share_secret")


@dataclass(frozen=True, slots=True)
class GossipHop:
    """``teller_id`` passed ``item`` (the listener's copy) to ``listener_id``."""

    teller_id: str
    listener_id: str
    subject_id: str | None
    item: KnowledgeItem
    text: str


def telling_propensity(p: Personality) -> float:
    """0..1: how readily someone passes on what they know (open, outgoing, careless, a
    little unkind people tell more)."""
    return clamp(
        0.2 * p.openness + 0.3 * p.extraversion + 0.4 * (1.0 - p.conscientiousness)
        + 0.1 * (1.0 - p.agreeableness)
    )  # fmt: skip


def spread_gossip(
    world: World, *, tick: int, rng: random.Random, exclude: Iterable[str] = ()
) -> tuple[GossipHop, ...]:
    """Whispers this tick: each awake character not in ``exclude`` (say, those who already
    told something in a scene, ``TickPlan.tellers``) may pass one fact it learned before
    this tick (someone else's secret, or a juicy act it saw) to one close listener who
    does not know it and whom it does not concern. Chance: ``TELL_BASE`` x
    ``telling_propensity`` x the fact's juice; the listener is drawn among the
    ``GOSSIP_LISTENERS`` closest, weighted by closeness. A fact travels at most one hop
    per teller per tick (facts learned this tick are not passed on until the next)."""
    skip = set(exclude)
    hops: list[GossipHop] = []
    for cid, agent in world.agents.items():
        if cid in skip or agent.snapshot.social_energy < REST_BELOW:
            continue
        facts = _facts_to_pass_on(world, cid, tick)
        if not facts:
            continue
        chance = TELL_BASE * telling_propensity(agent.snapshot.personality)
        for fact in facts[:GOSSIP_FACTS_TRIED]:
            listeners = _listeners(world, cid, fact)
            if not listeners:
                continue
            if rng.random() >= chance * fact.juice:
                break
            listener = rng.choices([o for _, o in listeners], [c for c, _ in listeners])[0]
            hops.append(_whisper(world, cid, listener, fact, tick))
            break
    return tuple(hops)


def _facts_to_pass_on(world: World, cid: str, tick: int) -> list[KnowledgeItem]:
    """What ``cid`` learned from others before ``tick`` and may tell: secrets, and acts juicy
    enough, that do not concern ``cid`` itself; juiciest, then freshest first. Lore it knows
    (its group's, or a secret it was let in on) is told like something learned, since it is
    the world's knowledge, not the character's own."""
    facts = [
        it
        for it in world.knowledge.of(cid).values()
        if (it.source != OWN or (it.kind == LORE and it.juice > 0))
        and it.tick < tick
        and not it.concerns(cid)
        and (it.kind in (SECRET, LORE) or it.juice >= GOSSIP_MIN_JUICE)
    ]
    # content before key: keys carry character ids, which differ between copies of a world
    facts.sort(key=lambda it: (-it.juice, -it.tick, it.content, it.key))
    return facts


def _listeners(world: World, cid: str, fact: KnowledgeItem) -> list[tuple[float, str]]:
    """(closeness, id) of the ``GOSSIP_LISTENERS`` closest who may hear ``fact`` from ``cid``:
    close enough, not concerned by it, not knowing it yet."""
    listeners = [
        (closeness(view), other)
        for other, view in world.out.get(cid, {}).items()
        if other in world.agents
        and not fact.concerns(other)
        and not world.knowledge.knows(other, fact.key)
    ]
    listeners = [(c, o) for c, o in listeners if c >= GOSSIP_MIN_CLOSENESS]
    listeners.sort(key=lambda x: (-x[0], world.authored(x[1])))
    return listeners[:GOSSIP_LISTENERS]


def _whisper(world: World, cid: str, listener: str, fact: KnowledgeItem, tick: int) -> GossipHop:
    """The hop of ``fact`` from ``cid`` to ``listener``, as the listener now knows it."""
    subject = fact.subject_for(cid, listener)
    teller, heard = world.name(cid), world.name(listener)
    item = replace(fact, source=TOLD, source_id=cid, tick=tick, how=f"{teller} whispered it")
    about = f" about {world.name(subject)}" if subject else ""
    line = f'{teller} whispered to {heard}{about}: "{fact.content}"'
    return GossipHop(cid, listener, subject, item, line)


def _juiciest(facts: Iterable[KnowledgeItem]) -> KnowledgeItem | None:
    ranked = sorted(facts, key=lambda it: (-it.juice, -it.tick, it.content, it.key))
    return ranked[0] if ranked else None


def told_hop(
    *,
    kind: str,
    teller_id: str,
    listener_id: str,
    subject_id: str | None,
    teller_knows: Mapping[str, KnowledgeItem],
    listener_knows: Mapping[str, KnowledgeItem],
    secret: KnowledgeItem | None,
    tick: int,
    name: Callable[[str], str],
) -> GossipHop | None:
    """What one telling interaction passes on, the same for an API call and a scene.

    ``share_secret`` passes ``secret`` (the teller's own, or one it was told); ``gossip``
    about ``subject_id`` passes the juiciest fact the teller knows that concerns the subject.
    None when there is nothing to pass or the listener knows it already (nothing travelled).
    """
    if kind == "share_secret":
        fact = secret
    elif kind == "gossip" and subject_id is not None:
        fact = _juiciest(
            it for it in teller_knows.values() if it.concerns(subject_id) and it.source != OWN
        )
    else:
        fact = None
    if fact is None or fact.key in listener_knows:
        return None
    return _hop(teller_id, listener_id, fact, tick, name)


def told_in_scenes(
    results: Iterable[SceneResult], world: World, *, tick: int
) -> tuple[GossipHop, ...]:
    """The facts passed on by the gossip and secrets told in this tick's scenes (the fact
    the planner chose for the act), one hop each, as ``told_hop`` gives them for an API
    interaction; a fact the listener already knew travelled nowhere."""
    hops = []
    for result in results:
        for done in result.executed:
            action = done.action
            if not done.outcome.ok or action.kind not in TELLING_KINDS or action.fact is None:
                continue
            if world.knowledge.knows(action.target_id, action.fact.key):
                continue
            hops.append(_hop(action.initiator_id, action.target_id, action.fact, tick, world.name))
    return tuple(hops)


def _hop(
    teller_id: str, listener_id: str, fact: KnowledgeItem, tick: int, name: Callable[[str], str]
) -> GossipHop:
    subject = fact.subject_for(teller_id, listener_id)
    teller, heard = name(teller_id), name(listener_id)
    item = replace(fact, source=TOLD, source_id=teller_id, tick=tick,
                   how=f"{teller} told them")  # fmt: skip
    about = f" about {name(subject)}" if subject else ""
    return GossipHop(teller_id, listener_id, subject, item,
                     f'{teller} told {heard}{about}: "{fact.content}"')  # fmt: skip


def hops_as_learned(hops: Iterable[GossipHop]) -> dict[str, tuple[KnowledgeItem, ...]]:
    """New knowledge per listener from ``spread_gossip``."""
    out: dict[str, list[KnowledgeItem]] = {}
    for hop in hops:
        out.setdefault(hop.listener_id, []).append(hop.item)
    return {cid: tuple(items) for cid, items in out.items()}
