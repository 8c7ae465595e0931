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
        self.avoid: int | None = None  # the quote's addressee: never its speaker

    # --- who a subject phrase names ----------------------------------------------------------
    def _antecedent(
        self, offset: int, gender: str | None, exclude: set[int], para: int, quoted: bool = False
    ) -> int | None:
        floor = self.spans[max(0, para - 6)][0]
        for m in self.index.before(offset, floor):
            if (m.start in self.in_quote and not quoted) or m.person in exclude:
                continue
            if m.person == self.avoid:
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
        if owner is None:  # the owner of "his wife" may well be the one spoken to
            saved, self.avoid = self.avoid, None
            owner = self._antecedent(offset, owner_gender, set(), para)
            self.avoid = saved
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
                if m.start in self.in_quote or m.person == self.avoid:
                    continue
                if self.people[m.person].gender == _PRONOUN[first]:
                    return m.person
            for pid in self.recent:
                if pid == self.avoid:
                    continue  # a conversation's pronoun: one of its recent speakers
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
        """A speech verb next to a quote: right after one, or ending the narration before one."""
        span = self.spans[turn.para]
        chunks = _narration(self.text, span, turn.segments)
        seg_ends = {e + 1 for _, e in turn.segments}
        seg_starts = {s - 1 for s, _ in turn.segments}
        for c_start, c_end in chunks:  # after a quote: '," said Elizabeth', '," she replied'
            if c_start in seg_ends:
                found = self._after_quote(c_start, self.text[c_start:c_end], turn.para)
                if found[0] is not None:
                    return found
        for c_start, c_end in chunks:  # before a quote: 'Mrs. Bennet answered instantly, "'
            if c_end in seg_starts:
                found = self._before_quote(c_start, self.text[c_start:c_end], turn.para)
                if found[0] is not None:
                    return found
        if turn.segments[0][0] - 1 == span[0] and turn.para > 0:  # 'and called out to her:'
            a, b = self.spans[turn.para - 1]
            prev = self.text[a:b]
            if '"' not in prev and prev.rstrip().endswith(":"):
                return self._before_quote(a, prev, turn.para - 1)
        return None, None

    def _after_quote(self, c_start: int, chunk: str, para: int) -> tuple[int | None, int | None]:
        lead = len(chunk) - len(chunk.lstrip(_STRIP))
        body, base = chunk[lead:], c_start + lead
        verb_first = re.match(r"([A-Za-z]+)(?:\s+\w+ly)?\s+", body)
        if verb_first and verb_first.group(1).lower() in lx.SPEECH_VERBS:
            at = verb_first.end()
            subject = self._subject(base + at, body[at : at + 40], para)
            if subject is not None:
                return subject, self._to_whom(body[at:], base + at, subject)
        subject = self._subject(base, body[:40], para)
        if subject is not None:
            sentence = re.split(r"[.!?;]", body, maxsplit=1)[0]
            for k, w in enumerate(re.finditer(r"[A-Za-z]+", sentence)):
                if k > 8:
                    break
                if w.group().lower() in lx.SPEECH_VERBS:
                    return subject, self._to_whom(sentence[w.end() :], base + w.end(), subject)
        return None, None

    def _before_quote(self, c_start: int, chunk: str, para: int) -> tuple[int | None, int | None]:
        stripped = chunk.rstrip(" \u2014-")
        if not stripped or stripped[-1] not in ",:":
            return None, None
        cut = max(
            stripped.rfind(". "), stripped.rfind("! "), stripped.rfind("? "), stripped.rfind("; ")
        )
        sentence_at = cut + 2 if cut >= 0 else 0
        sentence = stripped[sentence_at:]
        words = list(re.finditer(r"[A-Za-z'.]+", sentence))
        verbs = [i for i, w in enumerate(words) if w.group().lower().strip(".") in lx.SPEECH_VERBS]
        if not verbs:
            return None, None
        verb = verbs[-1]
        for i in range(verb - 1, -1, -1):
            w = words[i]
            at = c_start + sentence_at + w.start()
            subject = self._subject(at, sentence[w.start() : w.start() + 40], para)
            if subject is not None:
                after = sentence[words[verb].end() :]
                return subject, self._to_whom(
                    after, c_start + sentence_at + words[verb].end(), subject
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

    # --- addressees ----------------------------------------------------------------------------
    def vocative(self, turn: Turn, speaker: int | None) -> int | None:
        """A name said to someone: '"My dear Mr. Bennet, ..."', '"..., Lizzy."'."""
        for s, e in turn.segments:
            for m in self.index.between(s, e):
                before = self.text[max(s, m.start - 8) : m.start]
                after = self.text[m.end : m.end + 2]
                opens = m.start == s or re.search(r"(?:[,!?]\s|dear\s|Oh,?\s|my\s)$", before)
                closes = re.match(r"^(?:[,!?.;]|$)", after) or m.end == e
                if opens and closes and len(self.text[s:e].strip(" ,.!?")) > m.end - m.start + 2:
                    pid = self._in_scene(m, turn.para)
                    if pid != speaker:
                        return pid
            ladyship = re.search(r"\byour (ladyship|lordship)\b", self.text[s:e], re.I)
            if ladyship:
                titles = ("Lady",) if ladyship.group(1).lower() == "ladyship" else ("Lord", "Sir")
                floor = self.spans[max(0, turn.para - 10)][0]
                for m in self.index.before(s, floor):
                    if m.title in titles and m.person != speaker:
                        return m.person
        return None

    def kin_vocative(self, turn: Turn) -> int | None:
        """'"..., papa?"': the speaker's father."""
        if turn.speaker is None:
            return None
        for s, e in turn.segments:
            match = re.search(
                r"(?:^|[,!?]\s)(papa|mamma|mama|father|mother)(?=[,!?.;]|$)", self.text[s:e], re.I
            )
            if match:
                pid = self._relation(s, None, match.group(1).lower(), turn.para, owner=turn.speaker)
                if pid is not None and pid != turn.speaker:
                    return pid
        return None

    def _in_scene(self, m: Mention, para: int) -> int:
        """ "Miss Bennet" said to a daughter: the one of the family in the scene."""
        if m.title != "Miss" or len(m.tokens) != 1:
            return m.person
        family = {
            p.pid
            for p in self.people
            if p.surname == m.tokens[0] and p.gender == "female" and not p.married
        }
        if len(family) < 2:
            return m.person
        floor = self.spans[max(0, para - 8)][0]
        for near in self.index.before(m.start, floor):
            if near.start in self.in_quote:
                continue
            if near.person in family:
                return near.person
        return m.person

    # --- narration around the quote --------------------------------------------------------------
    def _clause_subjects(self, start: int, end: int) -> list[Mention]:
        found = []
        for m in self.index.between(start, end):
            if m.start in self.in_quote:
                continue
            before = self.text[max(start, m.start - 8) : m.start]
            if m.start == start or _CLAUSE_START.search(before):
                found.append(m)
        return found

    def adjacency(self, turn: Turn, avoid: int | None, first_of_run: bool) -> int | None:
        span = self.spans[turn.para]
        for c_start, c_end in _narration(self.text, span, turn.segments):
            for m in self._clause_subjects(c_start, c_end):
                if m.person != avoid:
                    return m.person
        if first_of_run and turn.segments[0][0] - 1 == span[0] and turn.para > 0:
            a, b = self.spans[turn.para - 1]
            if '"' not in self.text[a:b]:
                for m in reversed(self._clause_subjects(a, b)):
                    if m.person != avoid:
                        return m.person
        return None

    def attribute(self, turns: list[Turn]) -> None:
        for t in turns:
            for s, e in t.segments:
                for m in self.index.between(s, e):
                    self.in_quote.add(m.start)
        runs: list[list[Turn]] = []
        context: list[list[int]] = []
        for t in turns:
            first = not (runs and t.para == runs[-1][-1].para + 1)
            if first:
                runs.append([t])
                self.recent = []
                a, b = self.spans[t.para - 1] if t.para > 0 else (0, 0)
                named = [m.person for m in self.index.between(a, b) if '"' not in self.text[a:b]]
                context.append(list(dict.fromkeys(reversed(named))))  # most recent first
            else:
                runs[-1].append(t)
            t.addressee = self.vocative(t, None)
            self.avoid = t.addressee
            t.speaker, said_to = self.said_verb(t)
            self.avoid = None
            t.method = "said-verb" if t.speaker is not None else "unknown"
            if t.speaker is None:
                t.speaker = self.adjacency(t, t.addressee, first)
                if t.speaker is not None:
                    t.method = "adjacency"
            if said_to is not None:
                t.addressee = said_to
            if t.addressee == t.speaker:
                t.addressee = self.vocative(t, t.speaker)
            if t.addressee is None:
                t.addressee = self.kin_vocative(t)
            if t.speaker is not None:
                self.recent = [t.speaker, *[p for p in self.recent if p != t.speaker][:3]]
        for run, named in zip(runs, context, strict=True):
            _alternate(run, named)
            for t in run:
                if t.addressee is None:
                    t.addressee = self.kin_vocative(t)
            _fill_addressees(run)


_STRIP = " ,;:.!?-\u2014'"
_CLAUSE_START = re.compile(r"(?:[.!?;]\s+|,\s+(?:but|and|while|when|as)\s+|\b(?:but|and|then)\s+)$")


def _alternate(run: list[Turn], named: list[int]) -> None:
    """Fill unknown speakers of a conversation from its turn order, forward then backward."""
    for _ in range(2):
        for i, t in enumerate(run):
            if t.speaker is not None:
                continue
            prev = run[i - 1] if i >= 1 else None
            nxt = run[i + 1] if i + 1 < len(run) else None
            guess = None
            if prev is not None and prev.addressee is not None and prev.addressee != prev.speaker:
                guess = prev.addressee
            for k in (2, 4, 6):  # conversations alternate: the speaker two turns back
                if guess is not None:
                    break
                for j in (i - k, i + k):
                    if 0 <= j < len(run) and run[j].speaker is not None:
                        between = run[i - 1] if j < i else run[i + 1]
                        if run[j].speaker != between.speaker and run[j].speaker != t.addressee:
                            guess = run[j].speaker
                            break
            if guess is None and nxt is not None and nxt.addressee not in (None, nxt.speaker):
                guess = nxt.addressee
            if guess is None and prev is not None and prev.speaker is not None:
                others = [p for p in named if p != prev.speaker and p != t.addressee]
                if len(others) == 1:  # the other one named as the conversation began
                    guess = others[0]
            if guess is not None and guess != t.addressee:
                t.speaker, t.method = guess, "turn-order"


def _fill_addressees(run: list[Turn]) -> None:
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
