"""Story sifting: a small declarative pattern language and an incremental matcher over the log.

In the spirit of Kreminski's Felt and Winnow: a ``Pattern`` is an ordered tuple of ``Step``s,
each an event predicate over shared variables (roles such as ``a`` and ``b`` bound to
character ids, topics such as a secret's ``fact`` or an alliance id), with a time window to
the previous step and ``unless`` predicates that kill a partial match when they occur
between two steps. ``Sifter.feed`` advances partial matches as events arrive, so a story is
visible while it is still brewing.

Contracts of the matcher:

- Incremental: each event costs a few dictionary lookups plus the work on the partial
  matches it touches. Partial matches waiting for a step are indexed by (fine event kind such
  as "character_interaction/insult", the one or two bound values the step mentions), so an
  event only meets the partial matches about the very characters (or alliance, or fact) it
  involves, and small talk nobody waits for is dropped after one set lookup. Old events are
  never re-scanned; an event whose ``seq`` was already fed is skipped (feeding is idempotent).
- Felt-style branching without explosion: an event may advance any number of partial
  matches *and* start new ones. A step that binds a new role (the rival in a triangle, the
  next listener of a secret) forks: the partial match stays to wait for other candidates.
  A step that binds nothing new advances in place. Identical bindings at the same step are
  deduplicated, and partial matches are capped per pattern and per first role.
- Expiry: a partial match dies when its next step's window or the pattern's span runs out
  (checked against the tick of each incoming event).
- Updates: ``MatchUpdate``s are emitted only for matches that have reached the pattern's
  ``min_steps``; earlier partial matches are the sifter's private business.
- Determinism: the same events give the same updates and the same ``state()``; a sifter
  resumed from ``state()`` behaves exactly like the one that wrote it.
- ``story_detected`` / ``story_updated`` events are never matched: stories must not feed on
  themselves.

The package: ``types`` (event kinds as logged, ``LogEvent``, what a match reports), ``predicates``
(which events a step matches and what they bind), ``pattern`` (``Step`` and ``Pattern``),
``rendering`` (titles, predictions, beat text) and ``matcher`` (``Sifter``). Import from the
package; the modules are its layout, not its interface.
"""

from stories.engine.sifting.matcher import Sifter
from stories.engine.sifting.pattern import Pattern, Step
from stories.engine.sifting.predicates import (
    Predicate,
    alliance,
    any_of,
    arc_swing,
    director,
    escalation,
    goal,
    gossip,
    interaction,
    relationship,
    talk,
    talk_goal,
)
from stories.engine.sifting.rendering import event_text, render
from stories.engine.sifting.types import (
    COMPLETE,
    EXPIRED,
    KILLED,
    PROGRESS,
    Beat,
    LogEvent,
    MatchStatus,
    MatchUpdate,
    RoleBinding,
)

__all__ = [
    "COMPLETE", "EXPIRED", "KILLED", "PROGRESS", "Beat", "LogEvent", "MatchStatus", "MatchUpdate",
    "Pattern", "Predicate", "RoleBinding", "Sifter", "Step", "alliance", "any_of", "arc_swing",
    "director", "escalation", "event_text", "goal", "gossip", "interaction", "relationship",
    "render", "talk", "talk_goal",
]  # fmt: skip
