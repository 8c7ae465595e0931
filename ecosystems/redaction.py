"""What a visitor of a public world is shown: everything but its secrets.

A world's secrets are its characters' ``secrets`` and its scenarios' hidden objectives. Once
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
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from characters.models import Character
from ecosystems.access import Audience, audience
from ecosystems.models import Ecosystem, Scenario

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


@dataclass(frozen=True)
class Redactor:
    """Filters what one audience of one world is shown. ``Redactor.none()`` is the owner's."""

    pattern: re.Pattern[str] | None
    html_pattern: re.Pattern[str] | None = None  # the same passages as Django escapes them
    hidden_goals: frozenset[str] = frozenset()
    visitor: bool = True  # a visitor never sees the ``secrets`` lists themselves

    @classmethod
    def none(cls) -> Redactor:
        """The owner's view: nothing hidden."""
        return cls(pattern=None, visitor=False)

    @classmethod
    def of(cls, *, secrets: Iterable[str], hidden_goals: Iterable[str] = ()) -> Redactor:
        hidden = [g for g in hidden_goals if g.strip()]
        passages = _passages([*secrets, *hidden])
        if not passages:
            return cls(pattern=None)  # a visitor of a world without secrets
        plain = "|".join(r"\s+".join(map(re.escape, p.split())) for p in passages)
        escaped = "|".join(r"\s+".join(map(_escaped_word, p.split())) for p in passages)
        return cls(
            pattern=re.compile(plain, re.IGNORECASE),
            html_pattern=re.compile(escaped, re.IGNORECASE),
            hidden_goals=frozenset(" ".join(g.split()).casefold() for g in hidden),
        )

    @property
    def hides_anything(self) -> bool:
        return self.pattern is not None

    def text(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        return self.pattern.sub(REDACTED, text)

    def html(self, html: str) -> str:
        """A rendered page with every passage redacted, whether the template escaped it or
        not: pages are redacted as a whole, so no template can forget."""
        if self.html_pattern is None or not html:
            return html
        return self.html_pattern.sub(REDACTED, html)

    def value(self, value: Any) -> Any:
        """``value`` (a JSON-like tree: an event's data, a frame; or frozen dataclasses such
        as a story document) with every string redacted. The same object when nothing is
        hidden, a copy otherwise."""
        if self.pattern is None:
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

    def secrets(self, secrets: list[str]) -> list[str]:
        """A character's own ``secrets`` list: the owner's only."""
        return [] if self.visitor else secrets

    def goals(self, goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Goals without the hidden ones (a scenario's hidden objectives), the rest redacted."""
        if self.pattern is None:
            return goals
        return [
            self.value(g)
            for g in goals
            if not g.get("hidden")
            and " ".join(str(g.get("description", "")).split()).casefold() not in self.hidden_goals
        ]


OWNER_VIEW: dict[str, Redactor] = {"redactor": Redactor.none()}  # serializer context: all shown


def visitor_redactor(*, ecosystem_id: Any) -> Redactor:
    """The visitors' redactor of one world: two small queries (secrets, hidden objectives)."""
    secrets: list[str] = []
    for listed in Character.objects.filter(ecosystem_id=ecosystem_id).values_list(
        "secrets", flat=True
    ):
        secrets.extend(s for s in listed or [] if isinstance(s, str))
    hidden: list[str] = []
    for objectives in Scenario.objects.filter(ecosystem_id=ecosystem_id).values_list(
        "objectives", flat=True
    ):
        if isinstance(objectives, dict):
            hidden.extend(h for h in objectives.get("hidden", []) or [] if isinstance(h, str))
    return Redactor.of(secrets=secrets, hidden_goals=hidden)


def redactor_for(*, user: Any, world: Ecosystem) -> Redactor:
    """What ``user``, who may see ``world``, is shown of it: everything if they may edit it,
    no secrets if they visit."""
    if audience(user, world) is Audience.OWNER:
        return Redactor.none()
    return visitor_redactor(ecosystem_id=world.pk)
