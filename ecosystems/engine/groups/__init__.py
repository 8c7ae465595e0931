"""Group dynamics over the whole society, each pass linear in characters or relationships:

- ``alliances``: alliances that form between people who trust each other, share values or
  interests and gain from standing together, and break when trust collapses or one
  betrays another;
- ``escalation``: conflict up a ladder (disagree -> argue -> insult -> threaten), which
  raises the next rung for the aggrieved party, and de-escalation by apology or
  reconciliation;
- ``gossip``: secrets travelling along the social graph, one hop per teller per tick;
- ``contagion``: emotional contagion between close characters beyond the pair that
  interacted.
"""

from __future__ import annotations

from ecosystems.engine.groups.alliances import (
    ALLIANCE_BREAK_TRUST,
    ALLIANCE_FORM_SCORE,
    ALLIANCE_MAX_SIZE,
    ALLIANCE_MIN_SHARED,
    ALLIANCE_MIN_STRENGTH,
    ALLIANCE_MIN_TRUST,
    ALLIANCE_NOUNS,
    ALLIANCE_WORDS,
    BETRAYAL_KINDS,
    BROKEN,
    COMMON_FOE_BENEFIT,
    COMPLEMENTARY_GOAL_BENEFIT,
    COMPLEMENTARY_INTENTS,
    FORMED,
    HOSTILE_KINDS,
    VALUE_ADJECTIVES,
    AllianceChange,
    alliance_changes,
    alliance_key,
    alliance_name,
    alliance_relationship_kinds,
    shared_interest,
)
from ecosystems.engine.groups.contagion import (
    CONTAGION_MIN_CLOSENESS,
    CONTAGION_PASS_SHARE,
    contagion_pass,
)
from ecosystems.engine.groups.escalation import (
    DEESCALATED,
    DEESCALATING,
    DEESCALATION_BONUS,
    ESCALATED,
    ESCALATION_BONUS,
    ESCALATION_MIN_ACTS,
    EXTRA_RUNG,
    LADDER,
    RUNG,
    WARMING,
    Escalation,
    EscalationEvent,
    escalation_bonus,
    escalation_changes,
    escalations,
)
from ecosystems.engine.groups.gossip import (
    GOSSIP_FACTS_TRIED,
    GOSSIP_LISTENERS,
    GOSSIP_MIN_CLOSENESS,
    GOSSIP_MIN_JUICE,
    TELL_BASE,
    TELLING_KINDS,
    GossipHop,
    hops_as_learned,
    spread_gossip,
    telling_propensity,
    told_hop,
    told_in_scenes,
)

__all__ = [
    "ALLIANCE_BREAK_TRUST",
    "ALLIANCE_FORM_SCORE",
    "ALLIANCE_MAX_SIZE",
    "ALLIANCE_MIN_SHARED",
    "ALLIANCE_MIN_STRENGTH",
    "ALLIANCE_MIN_TRUST",
    "ALLIANCE_NOUNS",
    "ALLIANCE_WORDS",
    "BETRAYAL_KINDS",
    "BROKEN",
    "COMMON_FOE_BENEFIT",
    "COMPLEMENTARY_GOAL_BENEFIT",
    "COMPLEMENTARY_INTENTS",
    "CONTAGION_MIN_CLOSENESS",
    "CONTAGION_PASS_SHARE",
    "DEESCALATED",
    "DEESCALATING",
    "DEESCALATION_BONUS",
    "ESCALATED",
    "ESCALATION_BONUS",
    "ESCALATION_MIN_ACTS",
    "EXTRA_RUNG",
    "FORMED",
    "GOSSIP_FACTS_TRIED",
    "GOSSIP_LISTENERS",
    "GOSSIP_MIN_CLOSENESS",
    "GOSSIP_MIN_JUICE",
    "HOSTILE_KINDS",
    "LADDER",
    "RUNG",
    "TELLING_KINDS",
    "TELL_BASE",
    "VALUE_ADJECTIVES",
    "WARMING",
    "AllianceChange",
    "Escalation",
    "EscalationEvent",
    "GossipHop",
    "alliance_changes",
    "alliance_key",
    "alliance_name",
    "alliance_relationship_kinds",
    "contagion_pass",
    "escalation_bonus",
    "escalation_changes",
    "escalations",
    "hops_as_learned",
    "shared_interest",
    "spread_gossip",
    "telling_propensity",
    "told_hop",
    "told_in_scenes",
]
