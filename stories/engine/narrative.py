"""Turn a story's beats into prose chapters: a template narrator, and an LLM prompt + parser.

``narrate`` is offline and deterministic: every choice (openings, verbs, transitions) comes
from a ``random.Random`` seeded with the story id and the beat's seq, so the same document
always reads the same, and adding a beat at the end never rewrites the chapters before it
(except the closing line, which follows the status). Dialogue is only ever the characters'
own lines, quoted verbatim.

``narrative_prompt`` asks a language model for the same chapters; ``chapters_from_llm_text``
parses its answer, or returns None so the caller falls back to ``narrate``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from stories.engine.document import Chapter, DocBeat, StoryDocument

NARRATIVE_VERSION = "1"

# A quiet stretch of at least this many ticks between two beats starts a new chapter (if the
# current one already holds MIN_CHAPTER_BEATS): about a scene change at the demo's pace.
CHAPTER_GAP_TICKS = 6
MIN_CHAPTER_BEATS = 2
# Phrases (openers, speech verbs, replies) among the last this-many used are not picked again:
# no "Later, ... Later, ..." nor "answered softly" twice running.
RECENT_PHRASES = 8
# Tension (0..1) change between two chapters' ends that earns a remark on the mood.
MOOD_SHIFT = 0.15

OPEN_QUOTE, CLOSE_QUOTE = "\u201c", "\u201d"

# --- genre --------------------------------------------------------------------------------

GENRE_KEYS = (
    ("triangle", "love_triangle"),
    ("reconcil", "reconciliation"),
    ("betray", "betrayal"),
    ("allian", "alliance"),
    ("rival", "rivalry"),
    ("roman", "romance"),
    ("love", "romance"),
    ("conflict", "conflict"),
    ("feud", "conflict"),
    ("secret", "mystery"),
    ("myster", "mystery"),
)

STORY_OPENINGS: Mapping[str, tuple[str, ...]] = {
    "conflict": (
        "It began, as quarrels often do, with something small.",
        "Nobody could later say exactly when the trouble started.",
        "There had been friction for a while; now it began to show.",
    ),
    "rivalry": (
        "Some people are simply fated to measure themselves against each other.",
        "Neither of them would have called it a rivalry. Not yet.",
        "It is hard to share a small world with someone who wants what you want.",
    ),
    "romance": (
        "Something was beginning, though neither of them would have named it yet.",
        "It started the way these things do: with a look that lasted a moment too long.",
        "Nobody noticed it at first, least of all the two of them.",
    ),
    "love_triangle": (
        "Three hearts, and room for only two.",
        "Affection is simple until a third person steps into it.",
        "It was never going to be easy, with the three of them so close.",
    ),
    "betrayal": (
        "Trust is built slowly and spent all at once.",
        "There was trust between them once. That was where it started.",
        "Every betrayal begins with somebody who believed.",
    ),
    "alliance": (
        "In a world of shifting loyalties, some people find each other.",
        "Nobody gets far alone, and some of them were beginning to see it.",
        "It started with a common cause, as these things do.",
    ),
    "reconciliation": (
        "Old wounds do not close on their own.",
        "Between them lay something broken, and both of them knew it.",
        "There is a long road back from hard words, and it starts with a step.",
    ),
    "mystery": (
        "Some things are said in whispers, and some are never said at all.",
        "Everyone had something to hide. Some had more than others.",
        "It began with something that was not supposed to be known.",
    ),
    "drama": (
        "It began quietly, the way most things do.",
        "Nothing about the day suggested what was coming.",
        "At first, it seemed like any other day.",
    ),
}

CLOSINGS: Mapping[str, tuple[str, ...]] = {
    "resolved": (
        "And there, at last, the matter came to rest.",
        "When it was over, nothing was quite as it had been, and everyone knew it.",
        "So it ended: not neatly, but for good.",
    ),
    "climax": (
        "Everything now hung on what would happen next.",
        "It had come to a head, and there was no turning back.",
        "The moment had arrived; someone would have to give way.",
    ),
    "developing": (
        "Whatever this was, it was still growing.",
        "The story was far from over.",
        "More was coming; anyone paying attention could feel it.",
    ),
    "brewing": (
        "Nobody yet knew how it would end.",
        "For now it was only a feeling in the air, but feelings have a way of growing.",
        "It was only the beginning, though nobody had noticed yet.",
    ),
}

# --- transitions between beats, by ticks elapsed --------------------------------------------

SAME_TICK = ("At the same moment,", "Meanwhile,", "Even as that happened,", "Almost at once,")
SOON = ("Soon after,", "A little later,", "Moments later,", "Before long,", "Not long after,")
LATER = ("Later that day,", "Some hours later,", "When the talk had cooled,", "In time,")
MUCH_LATER = ("Much later,", "After a long quiet,", "Days seemed to pass before", "Eventually,")
TIMED = ("At {t},", "By {t},", "When {t} came,", "Around {t},")
CHAPTER_TRANSITIONS = (
    "For a while, nothing seemed to happen.",
    "Time passed, as it does, though nothing was forgotten.",
    "The world went on about its business, but not everyone had moved on.",
    "Days went by. Things had a way of coming back around.",
)
NEXT_CHAPTER = (
    "Things did not stay quiet for long.",
    "It was not over, not by any measure.",
    "The next turn came soon enough.",
)

# --- dialogue ------------------------------------------------------------------------------

HOSTILE = frozenset({"insult", "threaten", "argue", "disagree", "betray", "deceive", "tease"})
TENDER = frozenset({"flirt", "compliment", "confide", "apologise", "reconcile", "gift", "help"})
HUSHED = frozenset({"gossip", "share_secret", "confide", "deceive"})
# Kinds whose speech verbs say what was done ("Bob sneered"), so the summary can go.
TELLING_VERBS = HOSTILE | HUSHED | {"flirt", "joke"}

SAY_VERBS: Mapping[str, tuple[str, ...]] = {
    "insult": ("sneered", "spat", "said coldly"),
    "threaten": ("said quietly", "warned", "said, very evenly"),
    "argue": ("snapped", "insisted", "said hotly"),
    "disagree": ("objected", "said flatly", "countered"),
    "tease": ("said with a grin", "teased", "said lightly"),
    "betray": ("said, without looking up", "said", "admitted coldly"),
    "deceive": ("said smoothly", "said, all innocence", "lied"),
    "flirt": ("murmured", "said softly", "said with a half smile"),
    "compliment": ("said warmly", "said", "offered"),
    "confide": ("said in a low voice", "admitted", "confessed"),
    "apologise": ("said softly", "began", "said, haltingly"),
    "reconcile": ("said", "offered", "said gently"),
    "gossip": ("whispered", "said under their breath", "confided"),
    "share_secret": ("whispered", "said in a low voice", "breathed"),
    "joke": ("grinned", "laughed", "said, deadpan"),
    "gift": ("said", "said warmly", "smiled"),
    "help": ("said", "offered", "said kindly"),
    "ask_for_help": ("asked", "said, hesitantly", "ventured"),
}
DEFAULT_SAY = ("said", "remarked", "told them")
REPLY_HOSTILE = (
    "{b} shot back: {q}",
    "{b} did not miss a beat. {q}",
    "{b} only laughed. {q}",
    "{q} was all {b} gave in return.",
    "{b} stiffened. {q}",
)
REPLY_TENDER = (
    "{b} smiled. {q}",
    "{b} answered softly: {q}",
    "{q} {b} said, and meant it.",
    "{b} took a moment before answering. {q}",
)
REPLY_NEUTRAL = (
    "{b} answered: {q}",
    "{q} came the reply from {b}.",
    "{b} considered that. {q}",
    "{b} shrugged. {q}",
)

# --- beat flourishes and chapter titles ------------------------------------------------------

AFTERMATH: Mapping[str, tuple[str, ...]] = {
    "relationship_changed": (
        "Something between them had shifted.",
        "Neither of them would look at the other quite the same way again.",
    ),
    "emotion_changed": ("It showed on their face.", "It was not easily hidden."),
    "gossip_spread": ("Words, once loose, do not go back.", "And so the story travelled."),
    "conflict_escalated": ("It was getting worse.", "There was heat in it now."),
    "alliance_formed": ("It felt, for a moment, like safety.", "They were stronger together."),
    "alliance_broken": (
        "What had held them together was gone.",
        "Loyalty, it turned out, ran out.",
    ),
    "memory_reflection": ("Some thoughts will not leave you alone.",),
    "goal_progress": ("One step closer.",),
}
AFTERMATH_CHANCE = 0.35

TITLES: Mapping[str, tuple[str, ...]] = {
    "insult": ("Harsh Words", "An Insult", "Words That Cut"),
    "threaten": ("A Threat", "A Warning", "Lines Drawn"),
    "argue": ("The Argument", "Raised Voices", "No Backing Down"),
    "disagree": ("A Difference of Opinion", "Disagreement", "Crossed Purposes"),
    "tease": ("Teasing", "A Joke Too Far", "Needling"),
    "betray": ("The Betrayal", "A Knife in the Back", "Broken Faith"),
    "deceive": ("A Lie Told", "Smoke and Mirrors", "Half-Truths"),
    "flirt": ("A Glance Too Long", "Sparks", "Something in the Air"),
    "compliment": ("Kind Words", "Flattery", "A Warm Word"),
    "confide": ("A Confidence", "Between Two", "Heart to Heart"),
    "apologise": ("An Apology", "Sorry", "Humble Pie"),
    "reconcile": ("Making Amends", "Mending Fences", "Peace"),
    "gossip": ("Whispers", "Idle Talk", "Behind Closed Doors"),
    "share_secret": ("A Secret Shared", "What Was Hidden", "In Confidence"),
    "joke": ("Laughter", "A Light Moment", "Jest"),
    "gift": ("A Gift", "Tokens", "Something Given"),
    "help": ("A Helping Hand", "Kindness", "Shoulder to Shoulder"),
    "ask_for_help": ("A Favour Asked", "Asking", "In Need"),
    "greeting": ("First Words", "Introductions", "Hello"),
    "small_talk": ("Small Talk", "Passing the Time", "Idle Hours"),
    "conflict_escalated": ("Things Escalate", "The Breaking Point", "Over the Edge"),
    "alliance_formed": ("An Alliance", "Common Cause", "Side by Side"),
    "alliance_broken": ("The Alliance Breaks", "Parting Ways", "Every Man for Himself"),
    "gossip_spread": ("Word Gets Around", "Rumours", "The Talk of the Town"),
    "relationship_changed": ("Something Shifts", "Turning Points", "Changes"),
    "emotion_changed": ("A Change of Heart", "Feelings", "Stirrings"),
    "goal_progress": ("Plans in Motion", "Ambitions", "Steps Forward"),
    "memory_reflection": ("Second Thoughts", "Remembering", "Looking Back"),
    "director_intervention": ("An Unexpected Turn", "Fate Steps In", "A Twist"),
    "scenario_started": ("A New Beginning", "The Stage Is Set", "Curtain Up"),
}
WEIGHT: Mapping[str, int] = {
    "betray": 9, "conflict_escalated": 8, "alliance_broken": 8, "threaten": 7,
    "share_secret": 7, "reconcile": 7, "deceive": 6, "director_intervention": 6,
    "alliance_formed": 6, "insult": 6, "flirt": 5, "argue": 5, "apologise": 5,
    "gossip_spread": 4, "gossip": 4, "confide": 4, "scenario_started": 4,
    "relationship_changed": 3, "help": 3, "gift": 3, "disagree": 3, "tease": 3,
    "compliment": 3, "emotion_changed": 2, "memory_reflection": 2, "goal_progress": 2,
}  # fmt: skip
ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth")

# Sentence-initial words that read wrong capitalised after an opener ("Later, The rumour").
_COMMON_STARTS = frozenset({
    "the", "a", "an", "there", "it", "this", "that", "these", "those", "word", "news", "rumour",
    "rumours", "rumor", "rumors", "someone", "somebody", "everyone", "everybody", "nobody",
    "something", "talk", "whispers", "sparks", "tempers", "trust", "words", "things",
})  # fmt: skip
_AT_TICK = re.compile(r"\s+(?:at|on|during) tick \d+", re.IGNORECASE)


def genre_key(genre: str) -> str:
    """The narrator's family for a genre name ("love triangle" -> "love_triangle"); unknown
    genres read as "drama"."""
    g = genre.lower().replace("-", "_").replace(" ", "_")
    return next((key for needle, key in GENRE_KEYS if needle in g), "drama")


def status_key(status: str) -> str:
    """The closing family for a status; unknown statuses close like "developing"."""
    s = status.lower().strip()
    return s if s in CLOSINGS else "developing"


# --- the template narrator -------------------------------------------------------------------


@dataclass
class _Voice:
    """What the narrator remembers while telling one story, to avoid repeating itself."""

    recent: list[str] = field(default_factory=list)
    used_flourishes: set[str] = field(default_factory=set)
    used_titles: set[str] = field(default_factory=set)

    def pick(self, pool: Sequence[str], rng: random.Random) -> str:
        """A phrase from ``pool`` not among the last ``RECENT_PHRASES`` used, if it can."""
        fresh = [p for p in pool if p not in self.recent] or list(pool)
        choice = rng.choice(fresh)
        self.recent = [*self.recent, choice][-RECENT_PHRASES:]
        return choice


def narrate(doc: StoryDocument, *, beats_per_chapter: int = 6) -> tuple[Chapter, ...]:
    """Prose chapters for ``doc``: beats in (tick, seq) order, grouped into chapters of at most
    ``beats_per_chapter`` beats and split at quiet stretches (``CHAPTER_GAP_TICKS``).

    Deterministic for the same document. Every quote's line and reply appear verbatim. The
    last paragraph of the last chapter is a closing line chosen by status (``CLOSINGS``). A
    story with no beats gets one chapter made of its summary and the closing line.
    """
    if beats_per_chapter < 1:
        raise ValueError(f"beats_per_chapter must be at least 1, got {beats_per_chapter}.")
    beats = sorted(doc.beats, key=lambda b: (b.tick, b.seq))
    genre = genre_key(doc.genre)
    story_rng = random.Random(f"{doc.id}:story")
    closing = story_rng.choice(CLOSINGS[status_key(doc.status)])
    if not beats:
        opening = story_rng.choice(STORY_OPENINGS[genre])
        body = tuple(p for p in (opening, _sentence(doc.summary)) if p)
        return (Chapter(1, doc.title.strip() or "The Beginning", (*body, closing)),)

    voice = _Voice()
    groups = group_beats(beats, beats_per_chapter=beats_per_chapter)
    chapters: list[Chapter] = []
    previous: DocBeat | None = None
    previous_tension: float | None = None
    for number, group in enumerate(groups, start=1):
        rng = random.Random(f"{doc.id}:chapter:{group[0].seq}")
        paragraphs: list[str] = []
        lead = _chapter_lead(number, genre, group[0], previous, voice, rng)
        for i, beat in enumerate(group):
            # A wordless beat in the same tick as the one before is its consequence ("Alice's
            # regard for Bob soured"): it joins that paragraph, without a time phrase.
            joined = (
                i > 0
                and beat.quote is None
                and previous is not None
                and (beat.tick == previous.tick)
            )
            # The chapter's lead sentence already says when: no time phrase after it.
            plain = joined or i == 0
            text = _beat_paragraph(doc.id, beat, previous, voice, plain=plain)
            if joined:
                paragraphs[-1] = f"{paragraphs[-1]} {text}".strip()
            elif i == 0 and lead:
                paragraphs.append(f"{lead} {text}".strip())
            else:
                paragraphs.append(text)
            previous = beat
        tension = tension_at(doc.tension_curve, group[-1].tick)
        mood = _mood(previous_tension, tension, rng)
        if mood:
            paragraphs[-1] = f"{paragraphs[-1]} {mood}"
        previous_tension = tension if tension is not None else previous_tension
        title = _chapter_title(group, number, voice)
        chapters.append(Chapter(number, title, tuple(paragraphs)))
    last = chapters[-1]
    chapters[-1] = Chapter(last.number, last.title, (*last.paragraphs, closing))
    return tuple(chapters)


def group_beats(
    beats: Sequence[DocBeat], *, beats_per_chapter: int = 6
) -> tuple[tuple[DocBeat, ...], ...]:
    """``beats`` (already in order) cut into chapters: a new chapter when the current one is
    full, or after a quiet stretch of ``CHAPTER_GAP_TICKS`` once it holds ``MIN_CHAPTER_BEATS``.
    """
    groups: list[list[DocBeat]] = []
    current: list[DocBeat] = []
    for beat in beats:
        if current:
            full = len(current) >= beats_per_chapter
            quiet = beat.tick - current[-1].tick >= CHAPTER_GAP_TICKS
            if full or (quiet and len(current) >= MIN_CHAPTER_BEATS):
                groups.append(current)
                current = []
        current.append(beat)
    if current:
        groups.append(current)
    return tuple(tuple(g) for g in groups)


def tension_at(curve: Sequence[tuple[int, float]], tick: int) -> float | None:
    """The tension of the latest curve point at or before ``tick`` (None before the curve)."""
    value = None
    for point_tick, tension in sorted(curve):
        if point_tick > tick:
            break
        value = tension
    return value


def _chapter_lead(
    number: int,
    genre: str,
    first: DocBeat,
    previous: DocBeat | None,
    voice: _Voice,
    rng: random.Random,
) -> str:
    """The sentence that opens a chapter: the story's opening line, then transitions."""
    if number == 1:
        return voice.pick(STORY_OPENINGS[genre], rng)
    if previous is not None and first.tick - previous.tick >= CHAPTER_GAP_TICKS:
        return voice.pick(CHAPTER_TRANSITIONS, rng)
    return voice.pick(NEXT_CHAPTER, rng)


def _mood(before: float | None, after: float | None, rng: random.Random) -> str:
    if before is None or after is None:
        return ""
    if after - before >= MOOD_SHIFT:
        return rng.choice(
            ("Tempers were rising.", "The air grew heavier.", "Something had to give.")
        )
    if before - after >= MOOD_SHIFT:
        return rng.choice(
            ("For a while, things seemed calmer.", "The worst, it seemed, had passed.")
        )
    return ""


def _interaction_type(beat: DocBeat) -> str:
    kind = beat.data.get("interaction_type") if beat.data else None
    return str(kind) if kind else ""


def _opener(beat: DocBeat, previous: DocBeat | None, voice: _Voice, rng: random.Random) -> str:
    """A time phrase for the beat ("Later that day,"), or "" to start with the action."""
    if previous is None:
        return ""
    if beat.world_time and rng.random() < 0.5:
        return rng.choice(TIMED).format(t=beat.world_time)
    gap = beat.tick - previous.tick
    pool = SAME_TICK if gap <= 0 else SOON if gap <= 2 else LATER if gap <= 8 else MUCH_LATER
    fresh = [p for p in pool if p not in voice.recent]
    # A third of the time (and whenever the pool is used up) no opener: plain action reads well.
    if not fresh or rng.random() < 0.3:
        return ""
    return voice.pick(fresh, rng)


def _beat_paragraph(
    story_id: str,
    beat: DocBeat,
    previous: DocBeat | None,
    voice: _Voice,
    *,
    plain: bool,
) -> str:
    """One paragraph for one beat: an opener, what happened, the dialogue, perhaps an
    aftermath sentence. ``plain``: no opener (the story's first beat, or a consequence
    joined to the paragraph before)."""
    rng = random.Random(f"{story_id}:beat:{beat.seq}")
    narration = tidy_sentence(beat.text) or tidy_sentence(beat.label)
    opener = "" if plain else _opener(beat, previous, voice, rng)
    q = beat.quote
    if q is not None and (_unquote(q.line) or _unquote(q.reply)):
        parts = _scene(beat, narration, opener, voice, rng)
    else:
        parts = [_join_opener(opener, narration)] if narration else []
    flourishes = [f for f in AFTERMATH.get(beat.kind, ()) if f not in voice.used_flourishes]
    if flourishes and rng.random() < AFTERMATH_CHANCE:
        flourish = rng.choice(flourishes)
        voice.used_flourishes.add(flourish)
        parts.append(flourish)
    return " ".join(p for p in parts if p)


def _scene(
    beat: DocBeat, narration: str, opener: str, voice: _Voice, rng: random.Random
) -> list[str]:
    """Narration woven with the quote: "Bob insulted Alice: “…” Alice only laughed. “…”"."""
    assert beat.quote is not None
    q = beat.quote
    kind = _interaction_type(beat)
    speaker, listener = q.speaker.strip() or "Someone", q.listener.strip() or "the other"
    line, reply = _unquote(q.line), _unquote(q.reply)
    out: list[str] = []
    form = rng.randrange(3)
    if line:
        quoted = f"{OPEN_QUOTE}{line}{CLOSE_QUOTE}"
        verb = voice.pick(SAY_VERBS.get(kind, DEFAULT_SAY), rng)
        telling = kind in TELLING_VERBS and not verb.startswith("said")
        if not narration or (form == 0 and telling and _is_summary(narration, speaker, listener)):
            # The verb carries the act ("Bob sneered"): the summary would only repeat it.
            out.append(_join_opener(opener, f"{speaker} {verb}: {quoted}"))
        elif form == 1 and narration.endswith("."):
            out.append(_join_opener(opener, f"{narration[:-1]}: {quoted}"))
        else:
            out.append(_join_opener(opener, narration))
            if form == 2 and kind in HUSHED:
                out.append(f"{speaker} leaned closer.")
            out.append(quoted)
    elif narration:
        out.append(_join_opener(opener, narration))
    if reply:
        pool = (
            REPLY_HOSTILE
            if kind in HOSTILE
            else REPLY_TENDER
            if kind in TENDER
            else (REPLY_NEUTRAL)
        )
        if not reply.endswith(("?", "!")):
            # "“Fine.” came the reply" is wrong; keep the templates that name the speaker first.
            pool = tuple(t for t in pool if not t.startswith("{q}"))
        text = voice.pick(pool, rng).format(b=listener, q=f"{OPEN_QUOTE}{reply}{CLOSE_QUOTE}")
        out.append(text[0].upper() + text[1:])
    return out


def _is_summary(narration: str, speaker: str, listener: str) -> bool:
    """Whether the narration is only the engine's summary ("Bob insulted Alice.")."""
    return len(narration.split()) <= 8 and speaker in narration and listener in narration


def _chapter_title(group: Sequence[DocBeat], number: int, voice: _Voice) -> str:
    """The title of the chapter's weightiest beat not used yet ("The Betrayal")."""
    keyed = [(_interaction_type(b) or b.kind, i) for i, b in enumerate(group)]
    ranked = sorted(keyed, key=lambda k: (-WEIGHT.get(k[0], 1), k[1]))
    for key, _ in ranked:
        for title in TITLES.get(key, ()):
            if title not in voice.used_titles:
                voice.used_titles.add(title)
                return title
    ordinal = ORDINALS[number - 1] if number <= len(ORDINALS) else f"{number}th"
    return f"The {ordinal} Turn"


# --- text helpers ----------------------------------------------------------------------------


def tidy_sentence(text: str) -> str:
    """One tidy sentence: no engine tick references, ends with punctuation."""
    return _sentence(_AT_TICK.sub("", " ".join(text.split())))


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    if text[-1] in ".!?\u2026":
        return text
    if text[-1] in "\"'\u201d":  # a quotation closes it: the sentence still needs its stop
        return text if len(text) > 1 and text[-2] in ".!?\u2026," else f"{text}."
    return f"{text}."


def _join_opener(opener: str, text: str) -> str:
    if not opener:
        return text
    first = text.split(" ", 1)[0]
    if first.lower().removesuffix("'s") in _COMMON_STARTS:
        text = text[0].lower() + text[1:]
    return f"{opener} {text}"


def _unquote(text: str) -> str:
    """The line without surrounding whitespace or a pair of wrapping quote marks."""
    text = text.strip()
    pairs = (('"', '"'), ("'", "'"), (OPEN_QUOTE, CLOSE_QUOTE))
    for left, right in pairs:
        if len(text) >= 2 and text.startswith(left) and text.endswith(right):
            inner = text[1:-1].strip()
            if left not in inner and right not in inner:
                return inner
    return text


# --- the LLM narrator ------------------------------------------------------------------------

SYSTEM_PROMPT = (
    "You are a novelist turning the record of a living character simulation into a short, "
    "readable story. Write in English, past tense, third person, in plain prose a reader "
    "will enjoy: vary sentence openings, show feelings through action, keep it grounded in "
    "the events given. Rules:\n"
    "1. Every event must come from the beats you are given; invent no new events, characters "
    "or outcomes.\n"
    "2. Quoted dialogue may ONLY use the exact lines given in the beats, word for word. Do not "
    "invent or alter dialogue; you may describe things without quotes.\n"
    "3. Output only the chapters. Start each chapter with a line beginning with '## ' followed "
    "by the chapter title (no number). Separate paragraphs with a blank line. No other "
    "headings, lists or commentary."
)

STATUS_GUIDANCE: Mapping[str, str] = {
    "resolved": "The story is resolved: end with a sense of closure.",
    "climax": "The story is at its climax: end at the height of the tension, unresolved.",
    "developing": "The story is still developing: end looking ahead, unresolved.",
    "brewing": "The story is only brewing: end with the sense that nobody knows how it will end.",
}


def narrative_prompt(doc: StoryDocument) -> list[dict[str, str]]:
    """Chat messages (system, user) asking a model to write ``doc``'s chapters. The answer
    goes to ``chapters_from_llm_text``."""
    beats = sorted(doc.beats, key=lambda b: (b.tick, b.seq))
    chapters = max(1, len(group_beats(beats))) if beats else 1
    people = "; ".join(f"{p.name} ({p.role})" for p in doc.participants) or "unknown"
    lines = [
        f"Title: {doc.title}",
        f"Genre: {doc.genre}",
        f"World: {doc.world_name}",
        f"Characters: {people}",
        f"Summary: {doc.summary}",
        "",
        "Beats, in order:",
    ]
    for beat in beats:
        # The world's clock, never a tick number: a model echoes what it is given.
        when = f"[{beat.world_time}] " if beat.world_time else ""
        lines.append(f"- {when}{tidy_sentence(beat.text) or tidy_sentence(beat.label)}")
        if beat.quote is not None:
            q = beat.quote
            if q.line.strip():
                lines.append(f'    {q.speaker} said to {q.listener}: "{_unquote(q.line)}"')
            if q.reply.strip():
                lines.append(f'    {q.listener} replied: "{_unquote(q.reply)}"')
    lines += [
        "",
        STATUS_GUIDANCE.get(status_key(doc.status), STATUS_GUIDANCE["developing"]),
        f"Write {chapters} chapter{'s' if chapters != 1 else ''}, each 2 to 5 paragraphs.",
    ]
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n".join(lines)},
    ]


_CHAPTER_PREFIX = re.compile(r"^(?:chapter\s+[\w-]+\s*[:.\-\u2013\u2014]?\s*)", re.IGNORECASE)


def chapters_from_llm_text(text: str) -> tuple[Chapter, ...] | None:
    """Chapters from a model's answer to ``narrative_prompt``: each "## " line starts a
    chapter, blank lines separate paragraphs, text before the first heading is ignored.
    None when nothing usable came back (no heading, or no chapter with a paragraph)."""
    if not text or not text.strip():
        return None
    sections: list[tuple[str, list[str]]] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections and not line.startswith("```"):
            sections[-1][1].append(line)
    chapters: list[Chapter] = []
    for title, body in sections:
        paragraphs = _paragraphs(body)
        if not paragraphs:
            continue
        number = len(chapters) + 1
        title = _CHAPTER_PREFIX.sub("", title.strip("#* ")).strip() or f"Chapter {number}"
        chapters.append(Chapter(number, title, paragraphs))
    return tuple(chapters) or None


def _paragraphs(lines: Sequence[str]) -> tuple[str, ...]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line and not line.startswith("#"):
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return tuple(paragraphs)
