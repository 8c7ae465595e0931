"""Gossip: secrets and juicy facts travelling along the social graph, one hop per teller
per tick, told by the open, outgoing and careless to those they are close to."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, replace

from characters.engine.interaction import closeness
from characters.engine.types import (
    Personality,
    clamp,
)
from ecosystems.engine.knowledge import OWN, SECRET, TOLD, KnowledgeItem
from ecosystems.engine.world import (
    REST_BELOW,
    World,
)

TELL_BASE = 0.6  # chance per tick a maximal teller passes on a maximal secret
GOSSIP_MIN_CLOSENESS = 0.4  # ``interaction.closeness`` of the teller to a listener, at least
GOSSIP_LISTENERS = 5  # the closest this many eligible listeners are considered
GOSSIP_MIN_JUICE = 0.5  # witnessed events below this are not worth passing on
GOSSIP_FACTS_TRIED = 3  # a teller tries its juiciest few facts for someone to tell


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
        facts = [
            it
            for it in world.knowledge.of(cid).values()
            if it.source != OWN
            and it.tick < tick
            and not it.concerns(cid)
            and (it.kind == SECRET or it.juice >= GOSSIP_MIN_JUICE)
        ]
        if not facts:
            continue
        facts.sort(key=lambda it: (-it.juice, -it.tick, it.key))
        chance = TELL_BASE * telling_propensity(agent.snapshot.personality)
        for fact in facts[:GOSSIP_FACTS_TRIED]:
            listeners = [
                (closeness(view), other)
                for other, view in world.out.get(cid, {}).items()
                if other in world.agents
                and not fact.concerns(other)
                and not world.knowledge.knows(other, fact.key)
            ]
            listeners = [(c, o) for c, o in listeners if c >= GOSSIP_MIN_CLOSENESS]
            if not listeners:
                continue
            if rng.random() >= chance * fact.juice:
                break
            listeners.sort(key=lambda x: (-x[0], x[1]))
            listeners = listeners[:GOSSIP_LISTENERS]
            listener = rng.choices([o for _, o in listeners], [c for c, _ in listeners])[0]
            subject = fact.subject_for(cid, listener)
            teller, heard = world.name(cid), world.name(listener)
            item = replace(
                fact,
                source=TOLD,
                source_id=cid,
                tick=tick,
                how=f"{teller} whispered it at tick {tick}",
            )
            about = f" about {world.name(subject)}" if subject else ""
            hops.append(
                GossipHop(
                    cid, listener, subject, item,
                    f"{teller} whispered to {heard}{about}: \"{fact.content}\"",
                )
            )  # fmt: skip
            break
    return tuple(hops)


def hops_as_learned(hops: Iterable[GossipHop]) -> dict[str, tuple[KnowledgeItem, ...]]:
    """New knowledge per listener from ``spread_gossip``."""
    out: dict[str, list[KnowledgeItem]] = {}
    for hop in hops:
        out.setdefault(hop.listener_id, []).append(hop.item)
    return {cid: tuple(items) for cid, items in out.items()}
