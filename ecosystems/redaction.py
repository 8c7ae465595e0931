"""What a visitor of a public world is shown: everything but its secrets.

A world's secrets are its characters' ``secrets``, its scenarios' hidden objectives and the text
of its secret lore (``LoreEntry`` with visibility "secret", known only to named characters). Once
play shares a secret, its words travel: into gossip, memories, knowledge, goal progress, story
beats and the lines characters say. Rather than remember every place a secret can land, the
reader's view is filtered in one place: the ``Redactor`` of the reader's audience
(``ecosystems.access``) replaces every passage of a secret with ``[a secret]`` in whatever is
shown (API bodies, pages, the WebSocket stream and its replay, exports), and drops hidden
goals. The owner's redactor changes nothing.

A passage is the whole secret or any clause of it long enough to give it away (a clause is cut
at , ; : . ! ? and dashes), matched case-insensitively across whitespace, so "…the locket,
hidden in the lining of my parasol…" quoted inside a line is hidden too. A secret retold in
other words (a model server paraphrasing it) is not recognised: that is the limit of matching
words, said here so nobody relies on more.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick
from django.db.models import F, Func, JSONField, Value
from django.utils.html import escape

from characters.models import Character
from ecosystems.access import Audience, audience
from ecosystems.models import Ecosystem, LoreEntry, Scenario

REDACTED = "[a secret]"
# Clauses shorter than this are too common to hide ("I took it", "my brother") without
# blanking ordinary talk; the demo cast's secrets split into clauses of 25 to 80 characters.
MIN_CLAUSE_CHARS = 16
_CLAUSE_CUT = re.compile(r"[,;:.!?\u2013\u2014]+|\s-\s")


def _passages(texts: Iterable[str]) -> list[str]:
    """Every passage to hide, longest first (so a whole secret wins over its clauses)."""
    found: set[str] = set()
    for text in texts:
        text = " ".join(text.split())
        if len(text) >= MIN_CLAUSE_CHARS:
            found.update({text, text.rstrip(".!? ")})  # with its full stop, or quoted without
        for clause in _CLAUSE_CUT.split(text):
            clause = clause.strip()
            if len(clause) >= MIN_CLAUSE_CHARS:
                found.add(clause)
    return sorted(found, key=len, reverse=True)


# What Django's ``escape`` (and typographic quotes) may turn a character into in a page.
_HTML_FORMS = {
    "&": ("&", "&amp;"),
    "<": ("<", "&lt;"),
    ">": (">", "&gt;"),
    '"': ('"', "&quot;", "&#34;", "\u201c", "\u201d"),
    "'": ("'", "&#x27;", "&#39;", "\u2019", "\u2018"),
}


def _escaped_word(word: str) -> str:
    return "".join(
        "(?:" + "|".join(map(re.escape, _HTML_FORMS[c])) + ")" if c in _HTML_FORMS else re.escape(c)
        for c in word
    )


def _normal(text: str) -> str:
    """What matching compares: case folded, runs of whitespace as one space."""
    return " ".join(text.split()).casefold()


class _Finder:
    """Finds and replaces passages: one Aho-Corasick pass over the normalised text says which
    passages it holds (almost always none: the text is returned untouched), then a regex of
    only those passages replaces them in the original text. A regex of every passage of a big
    world would cost a millisecond per string; the automaton costs microseconds."""

    def __init__(self, passages: list[str], *, html: bool) -> None:
        self.passages = passages
        self.html = html
        self.automaton = ahocorasick.Automaton()
        for index, passage in enumerate(passages):
            forms = {_normal(passage)}
            if html:  # as Django's escape writes it, and with typographic apostrophes
                forms |= {_normal(escape(passage)), _normal(passage.replace("'", "\u2019"))}
            for form in forms:
                self.automaton.add_word(form, index)
        self.automaton.make_automaton()
        self._regexes: dict[frozenset[int], re.Pattern[str]] = {}

    def holds(self, text: str) -> bool:
        return next(self.automaton.iter(_normal(text)), None) is not None

    def sub(self, text: str) -> str:
        found = frozenset(index for _, index in self.automaton.iter(_normal(text)))
        if not found:
            return text
        regex = self._regexes.get(found)
        if regex is None:
            word = _escaped_word if self.html else re.escape
            chosen = sorted((self.passages[i] for i in found), key=len, reverse=True)
            regex = re.compile(
                "|".join(r"\s+".join(map(word, p.split())) for p in chosen), re.IGNORECASE
            )
            self._regexes[found] = regex
        return regex.sub(REDACTED, text)


@dataclass(frozen=True)
class Redactor:
    """Filters what one audience of one world is shown. ``Redactor.none()`` is the owner's."""

    finder: _Finder | None
    html_finder: _Finder | None = None  # the same passages as a page prints them
    hidden_goals: frozenset[str] = frozenset()
    visitor: bool = True  # a visitor never sees the ``secrets`` lists themselves

    @classmethod
    def none(cls) -> Redactor:
        """The owner's view: nothing hidden."""
        return cls(finder=None, visitor=False)

    @classmethod
    def of(cls, *, secrets: Iterable[str], hidden_goals: Iterable[str] = ()) -> Redactor:
        hidden = [g for g in hidden_goals if g.strip()]
        passages = _passages([*secrets, *hidden])
        if not passages:
            return cls(finder=None)  # a visitor of a world without secrets
        return cls(
            finder=_Finder(passages, html=False),
            html_finder=_Finder(passages, html=True),
            hidden_goals=frozenset(_normal(g) for g in hidden),
        )

    @property
    def hides_anything(self) -> bool:
        return self.finder is not None

    def text(self, text: str) -> str:
        if self.finder is None or not text:
            return text
        return self.finder.sub(text)

    def hides(self, text: str) -> bool:
        """``text`` holds a passage this redactor hides."""
        return self.finder is not None and bool(text) and self.finder.holds(text)

    def search_results(self, memories: list[Any]) -> list[Any]:
        """Search results without the memories that hold a secret: a visitor who guesses a
        secret's words must not learn from the ranking that a hidden memory matches them."""
        if self.finder is None:
            return memories
        return [m for m in memories if not self.hides(m.content)]

    def html(self, html: str) -> str:
        """A rendered page with every passage redacted, whether the template escaped it or
        not: pages are redacted as a whole, so no template can forget."""
        if self.html_finder is None or not html:
            return html
        return self.html_finder.sub(html)

    def value(self, value: Any) -> Any:
        """``value`` (a JSON-like tree: an event's data, a frame; or frozen dataclasses such
        as a story document) with every string redacted. The same object when nothing is
        hidden, a copy otherwise."""
        if self.finder is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {
                f.name: self.value(getattr(value, f.name)) for f in dataclasses.fields(value)
            }
            return dataclasses.replace(value, **changes)
        return value

    def lore_text(self, text: str, *, secret: bool) -> str:
        """A lore entry's text: a secret entry's words are the owner's only."""
        if secret and self.visitor:
            return REDACTED
        return self.text(text)

    def secrets(self, secrets: list[str]) -> list[str]:
        """A character's own ``secrets`` list: the owner's only."""
        return [] if self.visitor else secrets

    def goals(self, goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Goals without the hidden ones (a scenario's hidden objectives), the rest redacted."""
        if self.finder is None:
            return goals
        return [
            self.value(g)
            for g in goals
            if not g.get("hidden")
            and _normal(str(g.get("description", ""))) not in self.hidden_goals
        ]


OWNER_VIEW: dict[str, Redactor] = {"redactor": Redactor.none()}  # serializer context: all shown


def visitor_redactor(*, ecosystem_id: Any) -> Redactor:
    """The visitors' redactor of one world: one small query (its characters' secrets, its
    secret lore and its scenarios' objectives, as one list); building it again is skipped while
    none changed (a publish in a big public world would otherwise rebuild the same automaton
    every time)."""
    secrets: list[str] = []
    hidden: list[str] = []
    scenarios = (
        Scenario.objects.filter(ecosystem_id=ecosystem_id)
        .annotate(source=Value(_SCENARIO))
        .values_list("objectives", "source")
    )
    characters = (
        Character.objects.filter(ecosystem_id=ecosystem_id)
        .annotate(source=Value(_CHARACTER))
        .values_list("secrets", "source")
    )
    lore = (
        LoreEntry.objects.filter(ecosystem_id=ecosystem_id, visibility=LoreEntry.Visibility.SECRET)
        .annotate(text_json=Func(F("text"), function="to_jsonb", output_field=JSONField()))
        .annotate(source=Value(_LORE))
        .values_list("text_json", "source")
    )
    for listed, source in characters.union(scenarios, lore, all=True):
        if source == _CHARACTER and isinstance(listed, list):
            secrets.extend(s for s in listed if isinstance(s, str))
        elif source == _LORE and isinstance(listed, str):
            secrets.append(listed)
        elif source == _SCENARIO and isinstance(listed, dict):
            hidden.extend(h for h in listed.get("hidden", []) or [] if isinstance(h, str))
    return _redactor_of(tuple(sorted(secrets)), tuple(sorted(hidden)))


_CHARACTER, _SCENARIO, _LORE = 0, 1, 2  # which table a row of the redactor's query came from


@functools.lru_cache(maxsize=64)  # worlds being published to at once, per process
def _redactor_of(secrets: tuple[str, ...], hidden: tuple[str, ...]) -> Redactor:
    return Redactor.of(secrets=secrets, hidden_goals=hidden)


def redactor_for(*, user: Any, world: Ecosystem) -> Redactor:
    """What ``user``, who may see ``world``, is shown of it: everything if they may edit it,
    no secrets if they visit."""
    if audience(user, world) is Audience.OWNER:
        return Redactor.none()
    return visitor_redactor(ecosystem_id=world.pk)
