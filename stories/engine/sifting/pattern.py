"""A pattern: ordered steps over shared roles, with windows and the events that kill it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stories.engine.sifting.predicates import Predicate


@dataclass(frozen=True, slots=True)
class Step:
    """One beat of a pattern.

    ``text`` renders the beat once matched ("{a} insulted {b}"; None: the event's own
    summary), ``prediction`` renders it while it is the NEXT step ("{b} may threaten {a}").
    ``tension`` is its contribution (-1..1) to a story's tension. ``within``: at most this many
    ticks after the previous step. ``unless``: an event matching one of these while this step
    is awaited kills the partial match. ``outcome``: what the beat tells about the people its
    predicate names ("enmity", "couple"), shared by steps of different patterns that tell the
    same thing, so a prediction another pattern's match already told is retired.
    """

    when: Predicate
    label: str
    prediction: str
    text: str | None = None
    tension: float = 0.1
    within: int | None = None
    unless: tuple[Predicate, ...] = ()
    outcome: str = ""

    def people(self, roles: Mapping[str, str], bindings: Mapping[str, str]) -> tuple[str, ...]:
        """The bound characters this step is about (its predicate's role variables), sorted."""
        return tuple(sorted({bindings[v] for v in self.when.refs if v in roles and v in bindings}))


@dataclass(frozen=True, slots=True)
class Pattern:
    """A story shape. ``roles`` maps role variables to readable role names, in display order;
    other variables are topics. A match is shown once ``min_steps`` steps matched; step
    ``climax`` (1-based) is its climax; when ``resolves`` its last step resolves the story.
    ``max_span``: ticks from first to last step. ``unless`` applies between every two steps.
    ``titles`` are templates; one whose variables are all bound is chosen per match.
    ``symmetric``: two roles that every step treats alike (``between``), so a match with
    them swapped is the same match and is deduplicated. ``aftermath``: what may follow the
    last step of a story that it does not resolve (the prediction of a story at its climax);
    ``aftermath_outcome`` the outcome it foretells about all the roles (see ``Step.outcome``)."""

    key: str
    genre: str
    roles: Mapping[str, str]
    steps: tuple[Step, ...]
    titles: tuple[str, ...]
    min_steps: int = 2
    climax: int = 0
    resolves: bool = False
    max_span: int = 240
    unless: tuple[Predicate, ...] = ()
    symmetric: tuple[str, ...] = ()
    aftermath: str = ""
    aftermath_outcome: str = ""

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError(f"Pattern {self.key!r} has no steps; give it at least one.")
        if not 1 <= self.min_steps <= len(self.steps):
            raise ValueError(f"Pattern {self.key!r}: min_steps must be 1..{len(self.steps)}.")
        if self.symmetric and len(self.symmetric) != 2:
            raise ValueError(f"Pattern {self.key!r}: symmetric names exactly two roles.")
        if self.climax == 0:
            object.__setattr__(self, "climax", len(self.steps))
        if not 1 <= self.climax <= len(self.steps):
            raise ValueError(f"Pattern {self.key!r}: climax must be 1..{len(self.steps)}.")
        bound = set(self.steps[0].when.refs)
        for number, step in enumerate(self.steps[1:], start=2):
            # Every later step (and unless) must mention a variable already bound: that is
            # what the matcher indexes on, and what keeps the pattern about the same people.
            for part in (*step.when.alternatives(), *step.unless, *self.unless):
                for alt in part.alternatives():
                    if not any(r in bound for r in alt.refs):
                        raise ValueError(
                            f"Pattern {self.key!r} step {number}: {alt.describe!r} mentions no "
                            f"variable bound by earlier steps ({sorted(bound)}); name one."
                        )
            bound |= set(step.when.refs)
