"""Quotes and who says them to whom.

A *turn* is the speech in one paragraph (its quoted segments joined). Its speaker is found, in
order of trust:

1. **said-verb**: a speech verb next to a subject in the paragraph's narration, after or
   before a quote (``"...," said Elizabeth``, ``Elizabeth replied``, ``"...," said he``,
   ``cried her mother``). A pronoun is the nearest named person of its gender in the narration
   before it (the paragraph, then the previous ones); a relation ("her mother", "his wife")
   is the person of the antecedent's family with that role (same surname: a married woman for
   mother/wife, a man for father/husband, another daughter for sister), else the nearest other
   person of that gender;
2. **adjacency**: the paragraph's narration names exactly one person (the first named when
   several);
3. **turn-order**: in a run of consecutive dialogue paragraphs, the previous turn's addressee,
   else the speaker of the turn before it (conversations alternate).

The addressee is a vocative inside the quote (``"My dear Mr. Bennet,"``, ``", Lizzy,"``), a
"to X" after the said-verb, else the other party of the alternation.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

import ecosystems.engine.book.lexicon as lx
from ecosystems.engine.book.people import Mention, Person

_QUOTE = re.compile(r'"([^"]*)"|"([^"]*)$')
_WORD = re.compile(r"[A-Za-z']+")
_ADVERB = r"(?:\s+\w+ly)?"
_PRONOUN = {"he": "male", "she": "female"}
_POSSESSIVE = {"his": "male", "her": "female"}


@dataclass
class Turn:
    para: int
    start: int  # offset of the first quote segment
    text: str
    segments: list[tuple[int, int]]
    speaker: int | None = None
    addressee: int | None = None
    method: str = "unknown"


class _Index:
    """Resolved mentions sorted by offset, for "who is named here" and "who was named before"."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]

    def at(self, offset: int) -> Mention | None:
        i = bisect_left(self.starts, offset)
        if i < len(self.starts) and self.starts[i] == offset:
            return self.mentions[i]
        return None

    def between(self, start: int, end: int) -> list[Mention]:
        i = bisect_left(self.starts, start)
        j = bisect_left(self.starts, end)
        return self.mentions[i:j]

    def before(self, offset: int, floor: int) -> list[Mention]:
        """Mentions before offset (nearest first) back to floor."""
        i = bisect_left(self.starts, offset)
        j = bisect_left(self.starts, floor)
        return self.mentions[j:i][::-1]


def find_turns(text: str, spans: tuple[tuple[int, int], ...]) -> list[Turn]:
    turns: list[Turn] = []
    for p, (a, b) in enumerate(spans):
        para = text[a:b]
        if '"' not in para:
            continue
        segments = []
        pieces = []
        for match in _QUOTE.finditer(para):
            body = match.group(1) if match.group(1) is not None else match.group(2)
            inner = match.start() + 1
            if body and body.strip():
                segments.append((a + inner, a + inner + len(body)))
                pieces.append(body.strip())
        if segments:
            turns.append(
                Turn(para=p, start=segments[0][0], text=" ".join(pieces), segments=segments)
            )
    return turns


def _narration(
    text: str, para_span: tuple[int, int], segments: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    chunks = []
    pos = para_span[0]
    for s, e in segments:
        if s - 1 > pos:
            chunks.append((pos, s - 1))
        pos = e + 1
    if pos < para_span[1]:
        chunks.append((pos, para_span[1]))
    return chunks


_SUBJ_AFTER = re.compile(r"^[\s,;:.!?\-—]*(?:(\w+)\s+)?(\w+)" + _ADVERB + r"\s+(.{0,60})", re.S)


class Attributor:
    def __init__(
        self,
        text: str,
        spans: tuple[tuple[int, int], ...],
        people: list[Person],
        mentions: list[Mention],
    ):
        self.text = text
        self.spans = spans
        self.people = people
        self.index = _Index(mentions)
        self.in_quote: set[int] = set()
        self.recent: list[int] = []  # speakers of the current conversation, latest first

    # --- who a subject phrase names ----------------------------------------------------------
    def _antecedent(
        self, offset: int, gender: str | None, exclude: set[int], para: int, quoted: bool = False
    ) -> int | None:
        floor = self.spans[max(0, para - 6)][0]
        for m in self.index.before(offset, floor):
            if (m.start in self.in_quote and not quoted) or m.person in exclude:
                continue
            if gender is None or self.people[m.person].gender == gender:
                return m.person
        if not quoted:
            return self._antecedent(offset, gender, exclude, para, quoted=True)
        return None

    def _relation(
        self, offset: int, owner_gender: str | None, noun: str, para: int, owner: int | None = None
    ) -> int | None:
        """Who "his/her <noun>" names; ``owner`` when known (the speaker of "my father")."""
        gender, role = lx.RELATION_NOUNS[noun]
        if noun == "lady" and owner_gender == "male":
            gender, role = "female", "spouse"
        if owner is None:
            owner = self._antecedent(offset, owner_gender, set(), para)
        if owner is None:
            return self._antecedent(offset, gender, set(), para)
        surname = self.people[owner].surname
        if role in ("parent", "spouse", "sibling", "child") and surname:
            options = [
                p
                for p in self.people
                if p.pid != owner
                and p.surname == surname
                and (gender is None or p.gender == gender)
                and (role != "sibling" or not p.married)
                and (role not in ("parent", "spouse") or gender != "female" or p.married)
                and (role != "parent" or p.given is None or p.married)
            ]
            if options:
                near = self._antecedent(offset, gender, {owner}, para)
                if near is not None and any(o.pid == near for o in options):
                    return near
                return max(options, key=lambda o: o.mentions).pid
        return self._antecedent(offset, gender, {owner}, para)

    def _subject(self, offset: int, words: str, para: int) -> int | None:
        """The person named by the words at ``offset`` ("Elizabeth", "he", "her mother")."""
        m = self.index.at(offset)
        if m is not None:
            return m.person
        tokens = words.split()
        if not tokens:
            return None
        first = tokens[0].lower().strip(",;:.!?")
        if first in _PRONOUN:
            para_start = self.spans[para][0]
            for m in self.index.before(offset, para_start):  # named earlier in this paragraph
                if m.start not in self.in_quote and self.people[m.person].gender == _PRONOUN[first]:
                    return m.person
            for pid in self.recent:  # a conversation's pronoun: one of its recent speakers
                if self.people[pid].gender == _PRONOUN[first]:
                    near = self._antecedent(offset, _PRONOUN[first], set(), para, quoted=True)
                    if near is not None and near in self.recent[:2]:
                        return near
                    return pid
            return self._antecedent(offset, _PRONOUN[first], set(), para)
        if first in _POSSESSIVE and len(tokens) > 1:
            noun = tokens[1].lower().strip(",;:.!?")
            if noun in lx.RELATION_NOUNS:
                return self._relation(offset, _POSSESSIVE[first], noun, para)
        if (
            first == "the"
            and len(tokens) > 1
            and tokens[1].lower().strip(",;:.!?") in ("lady", "gentleman")
        ):
            g = "female" if tokens[1].lower().startswith("lady") else "male"
            return self._antecedent(offset, g, set(), para)
        return None

    # --- said-verbs -------------------------------------------------------------------------------
    def said_verb(self, turn: Turn) -> tuple[int | None, int | None]:
        span = self.spans[turn.para]
        chunks = _narration(self.text, span, turn.segments)
        for c_start, c_end in chunks:
            chunk = self.text[c_start:c_end]
            for match in re.finditer(r"[A-Za-z']+", chunk):
                word = match.group().lower()
                if word not in lx.SPEECH_VERBS:
                    continue
                # VERB SUBJ: "said Elizabeth", "cried her mother", "said he"
                after_at = c_start + match.end()
                rest = chunk[match.end() :]
                gap = len(rest) - len(rest.lstrip())
                subject = self._subject(after_at + gap, rest.lstrip()[:40], turn.para)
                if subject is None:
                    # SUBJ [adverb] VERB: "Elizabeth replied", "he said", "her sister cried"
                    head = chunk[: match.start()]
                    words = list(re.finditer(r"[A-Za-z'.]+", head))
                    for back in range(1, min(5, len(words)) + 1):
                        w = words[-back]
                        if (
                            back > 1
                            and words[-back + 1].group().lower().endswith("ly") is False
                            and back > 2
                        ):
                            break
                        candidate = self._subject(c_start + w.start(), head[w.start() :], turn.para)
                        if candidate is not None:
                            subject = candidate
                            break
                if subject is not None:
                    return subject, self._to_whom(
                        chunk[match.end() :], c_start + match.end(), subject
                    )
        return None, None

    def _to_whom(self, rest: str, offset: int, speaker: int) -> int | None:
        match = re.search(r"\bto\s+", rest[:60])
        if not match:
            return None
        m = self.index.at(offset + match.end())
        if m is not None and m.person != speaker:
            return m.person
        return None

    def vocative(self, turn: Turn, speaker: int | None) -> int | None:
        for s, e in turn.segments:
            for m in self.index.between(s, e):
                if m.person == speaker:
                    continue
                before = self.text[max(s, m.start - 8) : m.start]
                after = self.text[m.end : m.end + 2]
                opens = m.start == s or re.search(r"(?:[,!?]\s|dear\s|Oh,?\s|my\s)$", before)
                closes = re.match(r"^(?:[,!?.;]|$)", after) or m.end == e
                if opens and closes and len(self.text[s:e].strip(" ,.!?")) > m.end - m.start + 2:
                    return m.person
        return None

    def adjacency(self, turn: Turn) -> int | None:
        span = self.spans[turn.para]
        for c_start, c_end in _narration(self.text, span, turn.segments):
            for m in self.index.between(c_start, c_end):
                return m.person
        return None

    def attribute(self, turns: list[Turn]) -> None:
        for t in turns:
            for s, e in t.segments:
                for m in self.index.between(s, e):
                    self.in_quote.add(m.start)
        runs: list[list[Turn]] = []
        for t in turns:
            if runs and t.para == runs[-1][-1].para + 1:
                runs[-1].append(t)
            else:
                runs.append([t])
                self.recent = []
            t.speaker, t.addressee = self.said_verb(t)
            t.method = "said-verb" if t.speaker is not None else "unknown"
            if t.speaker is None:
                t.speaker = self.adjacency(t)
                if t.speaker is not None:
                    t.method = "adjacency"
            if t.addressee is None:
                t.addressee = self.vocative(t, t.speaker)
            if t.speaker is not None:
                self.recent = [t.speaker, *[p for p in self.recent if p != t.speaker][:3]]
        for run in runs:
            _alternate(run)


def _alternate(run: list[Turn]) -> None:
    """Fill unknown speakers of a conversation from its turn order, forward then backward."""
    for _ in range(2):
        for i, t in enumerate(run):
            if t.speaker is not None:
                continue
            prev = run[i - 1] if i >= 1 else None
            prev2 = run[i - 2] if i >= 2 else None
            nxt = run[i + 1] if i + 1 < len(run) else None
            nxt2 = run[i + 2] if i + 2 < len(run) else None
            guess = None
            if prev is not None and prev.addressee is not None and prev.addressee != prev.speaker:
                guess = prev.addressee
            elif (
                prev2 is not None
                and prev2.speaker is not None
                and prev2.speaker != (prev and prev.speaker)
            ):
                guess = prev2.speaker
            elif (
                nxt2 is not None
                and nxt2.speaker is not None
                and nxt2.speaker != (nxt and nxt.speaker)
            ):
                guess = nxt2.speaker
            elif nxt is not None and nxt.addressee is not None and nxt.addressee != nxt.speaker:
                guess = nxt.addressee
            if guess is not None and guess != t.addressee:
                t.speaker, t.method = guess, "turn-order"
    for i, t in enumerate(run):
        if t.addressee is not None:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(run) and run[j].speaker not in (None, t.speaker):
                t.addressee = run[j].speaker
                break


_KIN = re.compile(
    r"\b(his|her|my|your)\s+(father|mother|husband|wife|papa|mamma|ladyship|lordship)\b", re.I
)


def kin_references(attributor: Attributor, turns: list[Turn]) -> dict[int, int]:
    """How often each person is named by kinship alone ("her father", "my mother" in speech):
    resolved like a said-verb's relation; counted with the person's mentions."""
    text = attributor.text
    quote_owner: list[tuple[int, int, int | None]] = sorted(
        (s, e, t.speaker) for t in turns for s, e in t.segments
    )
    starts = [q[0] for q in quote_owner]
    para_starts = [a for a, _ in attributor.spans]
    counts: dict[int, int] = {}
    for match in _KIN.finditer(text):
        offset = match.start()
        i = bisect_left(starts, offset + 1) - 1
        inside = i >= 0 and quote_owner[i][0] <= offset < quote_owner[i][1]
        word, noun = match.group(1).lower(), match.group(2).lower()
        para = bisect_left(para_starts, offset + 1) - 1
        if noun in ("ladyship", "lordship"):  # the titled person last named nearby
            title = ("Lady",) if noun == "ladyship" else ("Lord", "Sir")
            floor = attributor.spans[max(0, para - 6)][0]
            for m in attributor.index.before(offset, floor):
                if m.title in title or (
                    m.title is None and attributor.people[m.person].name.startswith(title)
                ):
                    counts[m.person] = counts.get(m.person, 0) + 1
                    break
            continue
        if word == "your":
            continue
        if word == "my":
            if not inside or quote_owner[i][2] is None:
                continue
            pid = attributor._relation(offset, None, noun, para, owner=quote_owner[i][2])
        else:
            if inside:
                continue
            pid = attributor._relation(offset, _POSSESSIVE[word], noun, para)
        if pid is not None:
            counts[pid] = counts.get(pid, 0) + 1
    return counts
