"""Conversations: a person talks with characters through a persona.

A persona is a ``Character`` of the world with ``persona_of`` set to the person, so the
characters know it like anyone else: relationships in both directions, memories of what it
said, gossip about it, a node in the graph. It never acts on its own (ticks, storms and plan
counts leave it out); it acts only when its person speaks here.

One message (``message_send``) is one interaction per character (``interaction_process``:
the words are read for intent, the act they make lands, relationships, feelings, memories and
events follow, the character replies), unless the character now trusts the person enough to
tell a secret the words ask about (``characters.engine.talk.revealable``): then it confides.
After each reply come three things to say next (``answer_options``), the goal's progress
(``goal_progress``, a ``conversation_goal_completed`` event once at 1.0) and the emotional arc
(``arc_swing``, a ``conversation_arc_swing`` event on a sharp swing, which stories can read).

With model servers for the world the reply comes from them, prompted with who the person is,
the turns so far and the intent read (``characters.llm.prompts.TalkContext``) and sampled by
the character's closeness to the persona (``sampling_for_closeness``); the options too
(``characters.llm.options``), the engine's whenever the servers' answer does not hold up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import transaction
from django.db.models import F, Q, Value
from django.utils import timezone
from pgvector.django import CosineDistance

from billing.limits import plan_limit_check, plan_within_check
from characters.embeddings import embed_texts, embeddings_remote, intent_prototypes
from characters.engine.emotions import mood_name
from characters.engine.intent import Intent, read_intent
from characters.engine.talk import (
    AnswerOption,
    ArcPoint,
    TalkGoal,
    anchor_goal,
    answer_options,
    arc_swing,
    goal_progress,
    parse_goal,
    revealable,
)
from characters.llm.options import OptionsRequest, options_generate
from characters.llm.prompts import MAX_TALK_TURNS, TalkContext
from characters.llm.providers import Provider
from characters.models import Character
from characters.selectors import memories_retrieve
from core.errors import InvalidInput, InvalidTransition, NotFeasible
from core.live import group_notify
from ecosystems.engine.events import ref
from ecosystems.events import NewEvent, builders, publish
from ecosystems.models import (
    Conversation,
    ConversationMessage,
    ConversationParticipant,
    Ecosystem,
    Relationship,
)
from ecosystems.queues import tick_queue_of_plan
from ecosystems.selectors import providers_for_world
from ecosystems.services.interactions import InteractionResult, interaction_process

MAX_MESSAGE_CHARS = 2000  # as an interaction's content (services/interactions.py)
MAX_CONVERSATION_CHARACTERS = 6  # a group larger than a dinner table is a room (issue 15)
PERSONA_NAME_MAX = Character._meta.get_field("name").max_length
ARCHIVE_AFTER = dt.timedelta(days=7)  # a conversation nobody spoke in for a week is archived
AXES = ("strength", "trust", "familiarity", "attraction")
# A memory of the persona is brought up again when what it said is at least this close in
# meaning (WordLlama cosine) to the person's new words: "Do you like growing flowers?" is 0.38
# from "I grew roses in Kent", unrelated small talk ("Have you eaten?") 0.0-0.12.
RECALL_MIN_SIMILARITY = 0.3
HISTORY_TURNS = 60  # recent turns a message reads back (a knowledge goal's asking credit caps
# well before 30 questions; older recalls may be brought up again)
# What the arc, the recall, the goal and the secrets read of a past turn, no more (60 rows a
# message: their other columns cost more to load than the rest of the read); the
# conversation's id too, which the related manager reads on each row.
HISTORY_FIELDS = ("conversation", "seq", "speaker_kind", "character", "persona", "text", "intent",
                  "sentiment", "emotions")  # fmt: skip
SEARCH_CONFIG = "english"
SEARCH_LIMIT = 20
# Semantic search keeps messages at least this close in meaning to the query (WordLlama
# cosine): "flowers I cultivated" is 0.52 from "I grew roses in my garden in Kent", an
# unrelated line ("The train was late") 0.07.
SEARCH_MIN_SIMILARITY = 0.35


@dataclass(frozen=True)
class Reply:
    """One character's answer to one message."""

    character: Character
    message: ConversationMessage
    relationship_change: dict[str, float]  # the character's axes deltas toward the persona
    axes: dict[str, float]  # the character's axes toward the persona after it


# --- starting -----------------------------------------------------------------------------------


@transaction.atomic
def conversation_start(
    *,
    user: AbstractBaseUser,
    ecosystem: Ecosystem,
    character_ids: Sequence[Any],
    persona_name: str,
    persona_description: str = "",
    goal: str = "",
) -> Conversation:
    """Start a conversation of ``user``'s persona ``persona_name`` (reused if the person has
    one of that name in the world, created otherwise) with the characters. The caller has
    checked that ``user`` may talk in ``ecosystem``."""
    ids = _character_ids(character_ids)
    cast = list(Character.objects.filter(ecosystem=ecosystem, pk__in=ids, persona_of=None))
    if len(cast) != len(ids):
        raise InvalidInput(
            "character_ids names someone who is not a character of this world.",
            details={"character_ids": ["Use ids of this world's characters."]},
        )
    _check_present(cast)
    persona = _persona_for(
        user=user, ecosystem=ecosystem, name=persona_name, description=persona_description
    )
    parsed = _goal_parsed(goal)
    conversation = Conversation.objects.create(
        ecosystem=ecosystem,
        user=user,
        persona=persona,
        goal=goal.strip(),
        goal_parsed=parsed,
        goal_start=_goal_start(persona, cast) if parsed else {},
    )
    conversation.characters.set(cast)
    return conversation


def _character_ids(character_ids: Sequence[Any]) -> list[UUID]:
    if not isinstance(character_ids, list | tuple) or not character_ids:
        raise InvalidInput(
            "Name at least one character to talk with.",
            details={"character_ids": ['A list of character ids, e.g. ["<uuid>"].']},
        )
    try:
        ids = list(dict.fromkeys(UUID(str(i)) for i in character_ids))
    except ValueError:
        raise InvalidInput(
            "character_ids must be character ids (UUIDs).",
            details={"character_ids": ["Each must be a UUID."]},
        ) from None
    if len(ids) > MAX_CONVERSATION_CHARACTERS:
        raise InvalidInput(
            f"A conversation has at most {MAX_CONVERSATION_CHARACTERS} characters; "
            f"you named {len(ids)}.",
            details={"character_ids": [f"At most {MAX_CONVERSATION_CHARACTERS}."]},
        )
    return ids


def _check_present(cast: Sequence[Character]) -> None:
    absent = [c.name for c in cast if not c.is_active]
    if absent:
        who = " and ".join(absent)
        raise NotFeasible(
            f"{who} is not present (inactive) and cannot talk; the world's owner can make "
            f"{'them' if len(absent) > 1 else 'the character'} active again.",
            code="character_inactive",
        )


def _persona_for(
    *, user: AbstractBaseUser, ecosystem: Ecosystem, name: str, description: str
) -> Character:
    name = " ".join(str(name or "").split())
    if not name:
        raise InvalidInput(
            "Give your persona a name, the one the characters will know you by.",
            details={"persona": ["name is required."]},
        )
    if len(name) > PERSONA_NAME_MAX:
        raise InvalidInput(
            f"A persona's name has at most {PERSONA_NAME_MAX} characters.",
            details={"persona": [f"name: at most {PERSONA_NAME_MAX} characters."]},
        )
    description = str(description or "").strip()
    found = Character.objects.filter(ecosystem=ecosystem, name=name).first()
    if found is not None:
        if found.persona_of_id != user.pk:
            raise InvalidInput(
                f"Someone in this world is already called {name!r}; choose another name.",
                details={"persona": ["name is taken in this world."]},
            )
        if description and description != found.persona_description:
            found.persona_description = description
            found.save(update_fields=["persona_description", "updated_at"])
        return found
    persona = Character(
        ecosystem=ecosystem,
        name=name,
        persona_of=user,
        persona_description=description,
        backstory=description,
        autonomy_level=0.0,  # a persona does nothing by itself
    )
    persona.full_clean()
    persona.save(force_insert=True)
    return persona


def _goal_start(persona: Character, cast: Sequence[Character]) -> dict[str, dict[str, float]]:
    """Where a goal's progress counts from: each character's axes toward the persona and its
    emotions now (a calming goal counts down from them)."""
    axes = _axes_toward(persona, cast)
    # The axes win a shared name: "trust" is both an axis and one of Plutchik's emotions.
    return {str(c.pk): {**{k: float(v) for k, v in c.emotions.items()}, **axes[str(c.pk)]}
            for c in cast}  # fmt: skip


def _goal_parsed(goal: str) -> dict[str, Any]:
    if not str(goal or "").strip():
        return {}
    try:
        parsed = parse_goal(str(goal))
    except ValueError as error:
        raise InvalidInput(str(error), details={"goal": [str(error)]}) from None
    return _goal_json(parsed)


def _goal_json(goal: TalkGoal) -> dict[str, Any]:
    data = dataclasses.asdict(goal)
    data["topic"] = list(goal.topic)
    return data


def _goal_of(conversation: Conversation) -> TalkGoal | None:
    if not conversation.goal_parsed:
        return None
    data = dict(conversation.goal_parsed)
    data["topic"] = tuple(data.get("topic") or ())
    return TalkGoal(**data)


def _axes_toward(persona: Character, cast: Sequence[Character]) -> dict[str, dict[str, float]]:
    """Each character's relationship axes toward the persona (0s for a stranger)."""
    views = {
        r.source_id: r
        for r in Relationship.objects.filter(target=persona, source__in=[c.pk for c in cast])
    }
    return {
        str(c.pk): {axis: round(getattr(views[c.pk], axis), 4) if c.pk in views else 0.0
                    for axis in AXES}
        for c in cast
    }  # fmt: skip


# --- one message ------------------------------------------------------------------------------


def message_send(*, conversation: Conversation, user: AbstractBaseUser, text: str) -> dict:
    """The person says ``text``; every character of the conversation answers. Returns
    DESIGN.md's shape: ``replies`` (character_id, text, emotion), ``options`` (three texts),
    ``relationship_change`` (the character's axes deltas toward the persona; per character
    id as ``by_character`` in a group), ``goal_progress`` 0..1, plus the message ids and the
    intent the words were read as.

    400 for empty or too long text, 409 for an archived conversation, 422 when a character
    is inactive, 402 past the plan's monthly messages. The caller has checked that the
    conversation is ``user``'s."""
    text = _valid_text(text)
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("persona", "ecosystem__owner")
            .get(pk=conversation.pk)
        )
        persona = speaker_persona(conversation=conversation, user=user)
        if conversation.status == Conversation.Status.ARCHIVED:
            raise InvalidTransition(
                "This conversation is archived (no one spoke in it for a while); start a new "
                "one with the same characters to go on talking."
            )
        cast = list(conversation.characters.order_by("name"))
        _check_present(cast)
        world = conversation.ecosystem
        # A world held read-only after a downgrade takes no new words either.
        plan_within_check(owner=world.owner)
        plan = plan_limit_check(owner=user, usage="conversation_messages")
        # The interactions' follow-ups go to the world's owner's queue: known from the plan
        # just read when the person owns the world, looked up after commit otherwise.
        queue = tick_queue_of_plan(plan=plan) if user.pk == world.owner_id else None
        # A person does not tire like a character: their persona is fresh for every line (the
        # interactions read it again under their lock).
        Character.objects.filter(pk=persona.pk).update(social_energy=1.0)
        persona.social_energy = 1.0
        names = list(
            Character.objects.filter(ecosystem=world)
            .exclude(pk=persona.pk)
            .values_list("name", flat=True)
        )
        heard = read_intent(text, names=names, prototypes=intent_prototypes())
        # The recent turns and every secret told, read once: the arc's last point, what was
        # already brought up, the person's lines for the goal, the secrets not to tell twice.
        history = list(
            conversation.messages.filter(
                Q(seq__gt=conversation.last_message_seq - HISTORY_TURNS) | Q(intent="share_secret")
            )
            .order_by("seq")
            .only(*HISTORY_FIELDS)
        )
        # The person's words embedded once: their turn's search vector, the recall's query.
        vector = None if embeddings_remote() else embed_texts([text])[0]
        said = _message_new(conversation, ConversationMessage.Speaker.PERSON, text,
                            persona=persona, intent=heard.kind, sentiment=heard.valence,
                            embedding=vector)  # fmt: skip
        history.append(said)
        providers = providers_for_world(ecosystem_id=world.pk)  # read once, for every reply
        # Each character's view of the persona before it answers, read at once (one
        # character's interaction with the persona leaves the others' views alone).
        views = {
            r.source_id: r
            for r in Relationship.objects.filter(target=persona, source__in=[c.pk for c in cast])
        }
        replies, swings = [], []
        for character in cast:
            replies.append(
                _reply(conversation, persona, character, text, heard, history,
                       view=views.get(character.pk), vector=vector, queue=queue,
                       providers=providers)
            )  # fmt: skip
            history.append(replies[-1].message)
            swings += _arc_swings(conversation, persona, character, replies[-1].message, history)
        last = replies[-1]
        options = _options_for(conversation, persona, last, heard, names, history, providers)
        last.message.options = [o.text for o in options]
        _messages_save([said, *(r.message for r in replies)])
        progress, completed = _goal_update(conversation, persona, replies, history)
        # The conversation's own events (the arc's swings, the goal reached) logged together
        # after the characters' interactions: one seq allocation and one frame push for them.
        publish(ecosystem=conversation.ecosystem, events=[*swings, *completed])
        conversation.last_message_at = timezone.now()
        conversation.save(update_fields=["last_message_at", "last_message_seq", "goal_progress",
                                         "goal_completed_at"])  # fmt: skip
        messages_broadcast(
            conversation_id=conversation.pk,
            frames=[message_frame(said, name=persona.name)]
            + [message_frame(r.message, name=r.character.name) for r in replies],
        )
    changes = {str(r.character.pk): r.relationship_change for r in replies}
    return {
        "message_id": str(said.pk),
        "intent": heard.kind,
        "replies": [
            {
                "message_id": str(r.message.pk),
                "character_id": str(r.character.pk),
                "name": r.character.name,
                "text": r.message.text,
                "emotion": mood_name(r.message.emotions),
                "intent": r.message.intent,
            }
            for r in replies
        ],
        "options": [o.text for o in options],
        "relationship_change": replies[0].relationship_change
        if len(replies) == 1
        else {"by_character": changes},
        "goal_progress": progress,
    }


def speaker_persona(*, conversation: Conversation, user: AbstractBaseUser) -> Character:
    """Who ``user`` speaks as in ``conversation``: its persona, or in a room the persona they
    joined under (409 when they are not in the room now)."""
    if not conversation.is_room:
        if conversation.persona is None or conversation.user_id != user.pk:
            raise InvalidTransition("Only the person who started this conversation speaks in it.")
        return conversation.persona
    participant = (
        ConversationParticipant.objects.filter(
            conversation=conversation, user=user, left_at__isnull=True
        )
        .select_related("persona")
        .first()
    )
    if participant is None:
        raise InvalidTransition(
            "You are not in this room: join it (POST /api/v1/conversations/<id>/join/ with "
            '{"persona": {"name": ...}}) before you speak.',
            code="not_in_room",
        )
    return participant.persona


# --- live frames --------------------------------------------------------------------------------


def conversation_group(conversation_id: Any) -> str:
    """The channel-layer group of a conversation's or room's live sockets."""
    return f"conversation.{conversation_id}"


def message_frame(message: ConversationMessage, *, name: str) -> dict[str, Any]:
    """A message as the ``/ws/conversations/<id>/`` socket sends it (``name``: who spoke)."""
    return {
        "type": "message",
        "message": {
            "id": str(message.pk),
            "seq": message.seq,
            "speaker_kind": message.speaker_kind,
            "name": name,
            "character_id": str(message.character_id) if message.character_id else None,
            "persona_id": str(message.persona_id) if message.persona_id else None,
            "text": message.text,
            "emotion": mood_name(message.emotions) if message.emotions else "",
            "options": list(message.options or []),
            "created_at": message.created_at.isoformat() if message.created_at else None,
        },
    }


def messages_broadcast(*, conversation_id: Any, frames: list[dict[str, Any]]) -> None:
    """After commit, send ``frames`` (each serialised once, here) to the conversation's live
    sockets. Best effort: a socket that misses them back-fills from the log by seq."""
    group = conversation_group(conversation_id)
    wire = [{"seq": f["message"]["seq"], "json": json.dumps(f)} for f in frames]
    transaction.on_commit(
        lambda: group_notify(group, {"type": "conversation.messages", "frames": wire})
    )


def _valid_text(text: Any) -> str:
    text = str(text or "").strip() if not isinstance(text, str) else text.strip()
    if not text:
        raise InvalidInput(
            "Say something: the message is empty.", details={"text": ["Write a message."]}
        )
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidInput(
            f"The message is {len(text):,} characters; the limit is {MAX_MESSAGE_CHARS:,}. "
            "Say it in shorter messages.",
            details={"text": [f"At most {MAX_MESSAGE_CHARS:,} characters."]},
        )
    return text


def _message_new(
    conversation: Conversation,
    speaker: str,
    text: str,
    *,
    character: Character | None = None,
    persona: Character | None = None,
    intent: str = "",
    sentiment: float = 0.0,
    emotions: dict[str, float] | None = None,
    embedding: list[float] | None = None,
) -> ConversationMessage:
    """A new turn, numbered in order, not saved yet (``_messages_save`` writes a message's
    turns together). Caller holds the conversation's lock."""
    conversation.last_message_seq += 1
    return ConversationMessage(
        conversation=conversation,
        seq=conversation.last_message_seq,
        speaker_kind=speaker,
        character=character,
        persona=persona,
        text=text,
        intent=intent,
        sentiment=round(max(-1.0, min(1.0, sentiment)), 4),
        emotions=emotions or {},
        embedding=embedding,
    )


def _message_add(
    conversation: Conversation, speaker: str, text: str, **fields: Any
) -> ConversationMessage:
    """A new turn on its own (a room's "joined" line), saved as ``_messages_save`` saves."""
    message = _message_new(conversation, speaker, text, **fields)
    _messages_save([message])
    return message


def _messages_save(messages: list[ConversationMessage]) -> None:
    """Write a message's turns in one INSERT, each with its full-text vector and (offline)
    its embedding, for search by words and by meaning; the texts not embedded yet are
    embedded in one WordLlama call. Remote embeddings stay out of the transaction (search by
    words finds those turns)."""
    if not embeddings_remote():
        bare = [m for m in messages if m.embedding is None]
        for message, vector in zip(bare, embed_texts([m.text for m in bare]), strict=True):
            message.embedding = vector
    for message in messages:
        message.search_vector = SearchVector(Value(message.text), config=SEARCH_CONFIG)
    ConversationMessage.objects.bulk_create(messages)
    for message in messages:
        message.search_vector = None  # it held the expression, not a value: nobody reads it


def _reply(
    conversation: Conversation,
    persona: Character,
    character: Character,
    text: str,
    heard: Intent,
    history: list[ConversationMessage],
    *,
    view: Relationship | None,
    vector: list[float] | None,
    queue: str | None,
    providers: list[Provider],
) -> Reply:
    """The character's answer: a secret told when trust allows and the words ask about it,
    the interaction the words make otherwise; then what it remembers of the person and its
    feelings after it. ``view`` is the character's relationship to the persona
    before it (``None`` for a stranger), ``vector`` the embedding of ``text`` (offline)."""
    before = {axis: getattr(view, axis) if view else 0.0 for axis in AXES}
    secret = revealable(
        secrets=[s for s in character.secrets if s not in _revealed(history, character)],
        asked=text,
        trust=before["trust"],
        strength=before["strength"],
    )
    result, reply_text, intent = None, "", heard.kind
    turn = {"id": str(conversation.pk), "persona_id": str(persona.pk)}
    if secret is not None:
        result, reply_text = _confide(persona, character, secret, turn, queue, providers)
        if result is not None:
            intent = "share_secret"
    if result is None:
        talk = _talk_context(history, persona, character, heard)
        result = _interact(persona, character, text, heard, turn, queue, providers, talk)
        reply_text = result.response
        recalled = _recall(history, persona, character, text, vector)
        if recalled:
            reply_text = f"{reply_text} {recalled}"
    # Its feelings and its view of the persona as the interaction saved them.
    felt = result.characters[character.pk]
    character.emotions, character.social_energy = felt.emotions, felt.social_energy
    view = result.relationships[character.pk, persona.pk]
    after = {axis: getattr(view, axis) for axis in AXES}
    message = _message_new(
        conversation,
        ConversationMessage.Speaker.CHARACTER,
        reply_text,
        character=character,
        intent=intent,
        sentiment=result.felt_valence,
        emotions=dict(character.emotions),
    )
    return Reply(
        character=character,
        message=message,
        relationship_change={f"{a}_delta": round(after[a] - before[a], 4) for a in AXES},
        axes=after,
    )


def _told(history: list[ConversationMessage], character: Character) -> list[str]:
    """What ``character`` said in this conversation when it confided."""
    return [
        m.text for m in history if m.character_id == character.pk and m.intent == "share_secret"
    ]


def _revealed(history: list[ConversationMessage], character: Character) -> list[str]:
    """The secrets ``character`` already told in this conversation."""
    told = _told(history, character)
    return [s for s in character.secrets if any(s in t for t in told)]


def _confide(
    persona: Character,
    character: Character,
    secret: str,
    turn: dict[str, str],
    queue: str | None,
    providers: list[Provider],
) -> tuple[InteractionResult | None, str]:
    """The character tells ``secret`` to the persona; ``None`` when the engine finds it would
    not (too tired, not trusting enough after all): then it answers as usual."""
    line = f"{persona.name}, I have told almost no one this, so keep it close: {secret}"
    try:
        result = interaction_process(
            initiator=character,
            target=persona,
            interaction_type="share_secret",
            content=line,
            context={"secret": secret, "conversation": turn},
            plan_checked=True,
            queue=queue,
            providers=providers,
        )
    except NotFeasible:
        return None, ""
    return result, line


def _interact(
    persona: Character,
    character: Character,
    text: str,
    heard: Intent,
    turn: dict[str, str],
    queue: str | None,
    providers: list[Provider],
    talk: TalkContext,
) -> InteractionResult:
    """The act the words make (gossip about a third character names them), or small talk
    when that act is not possible now (an apology with nothing to apologise for). ``turn``
    names the conversation in the interaction's event (stories read it)."""
    kind = heard.interaction_kind
    context: dict[str, Any] = {"conversation": turn}
    if kind == "gossip":
        subject = (
            Character.objects.filter(ecosystem_id=character.ecosystem_id, name__in=heard.mentions)
            .exclude(pk__in=[persona.pk, character.pk])
            .first()
        )
        if subject is None:
            kind = "small_talk"
        else:
            context["subject_id"] = str(subject.pk)
    try:
        return interaction_process(
            initiator=persona, target=character, interaction_type=kind, content=text,
            context=context, plan_checked=True, queue=queue, providers=providers, talk=talk,
        )  # fmt: skip
    except NotFeasible:
        if kind == "small_talk":
            raise
        return interaction_process(
            initiator=persona, target=character, interaction_type="small_talk", content=text,
            context={"conversation": turn}, plan_checked=True, queue=queue, providers=providers,
            talk=talk,
        )  # fmt: skip


def _talk_context(
    history: list[ConversationMessage], persona: Character, character: Character, heard: Intent
) -> TalkContext:
    """Who the person is, the turns before their words now and what the words were read as,
    for a model's prompt of the character's reply (no query: read from ``history``)."""
    mine = [i for i, m in enumerate(history) if m.persona_id == persona.pk
            and m.speaker_kind == ConversationMessage.Speaker.PERSON]  # fmt: skip
    before = history[: mine[-1]] if mine else history
    return TalkContext(
        description=persona.persona_description,
        recent_turns=_turns(before[-MAX_TALK_TURNS:], persona, character),
        intent=heard.kind,
    )


def _turns(
    messages: Sequence[ConversationMessage], persona: Character, character: Character
) -> tuple[tuple[str, str], ...]:
    """(who, line) for each message; a speaker whose row is not at hand (someone else in a
    room, another character's old turn) is named by role rather than read."""
    known = {persona.pk: persona.name, character.pk: character.name}
    turns = []
    for m in messages:
        person = m.speaker_kind == ConversationMessage.Speaker.PERSON
        relation = "persona" if person else "character"
        name = known.get(m.persona_id if person else m.character_id)
        if name is None and getattr(ConversationMessage, relation).is_cached(m):
            name = getattr(m, relation).name
        turns.append((name or f"another {'person' if person else 'character'}", m.text))
    return tuple(turns)


def _recall(
    history: list[ConversationMessage],
    persona: Character,
    character: Character,
    text: str,
    vector: list[float] | None,
) -> str:
    """Something the person told the character before that bears on what they say now, as
    the character brings it up ("You told me once: ..."), or "" (retrieval over the
    character's memories, ranked by recency, importance and relevance). A thing already
    brought up in this conversation is not brought up again. ``vector``: ``text`` embedded
    already (offline), or ``None`` to embed it here."""
    quotes: list[str] = []
    for found in memories_retrieve(character=character, query=text, embedding=vector, limit=8):
        quote = _persona_quote(found.memory.content, persona.name)
        if quote and quote.strip().lower() != text.strip().lower() and quote not in quotes:
            quotes.append(quote)
    if not quotes:
        return ""
    vectors = [vector, *embed_texts(quotes)] if vector is not None else embed_texts([text, *quotes])
    best, score = "", RECALL_MIN_SIMILARITY
    for quote, quoted in zip(quotes, vectors[1:], strict=True):
        similarity = sum(a * b for a, b in zip(vectors[0], quoted, strict=True))
        if similarity >= score:
            best, score = quote, similarity
    if not best or any(m.character_id == character.pk and best in m.text for m in history):
        return ""
    return f'You told me once, "{best}" I have not forgotten.'


def _persona_quote(memory: str, persona_name: str) -> str:
    """What the persona said in a dialogue memory ('Tom made small talk with me: "I grew
    roses in Kent." / "How lovely."'), or ""."""
    if not memory.startswith(f"{persona_name} ") or ': "' not in memory:
        return ""
    exchange = memory.split(': "', 1)[1]
    return exchange.split('" / "', 1)[0].strip()


def _options(
    conversation: Conversation, persona: Character, reply: Reply, heard: Intent, names: list[str]
) -> tuple[AnswerOption, AnswerOption, AnswerOption]:
    character = reply.character
    # The person is "you" to their own options: a reply that names the persona ("Hello,
    # Tom!") must not make Tom a subject to ask about ("Do you miss Tom?").
    reply_text = re.sub(rf"\b{re.escape(persona.name)}\b", "you", reply.message.text)
    closeness = (reply.axes["strength"] + reply.axes["trust"]) / 2
    known = list(
        Relationship.objects.filter(source=character, target__persona_of=None)
        .order_by("-familiarity", "target__name")
        .values_list("target__name", flat=True)[:4]
    )
    goal = _goal_of(conversation)
    topics = [*(f"the {w}" for w in (goal.topic if goal else ())), *known,
              *character.values[:3]]  # fmt: skip
    seed = zlib.crc32(f"{conversation.pk}:{conversation.last_message_seq}".encode())
    return answer_options(
        character_name=character.name,
        persona_name=persona.name,
        heard_kind=heard.kind,
        reply_text=reply_text,
        topics=topics,
        closeness=closeness,
        seed=seed,
        names=names,
        prototypes=intent_prototypes(),
    )


def _options_for(
    conversation: Conversation,
    persona: Character,
    reply: Reply,
    heard: Intent,
    names: list[str],
    history: list[ConversationMessage],
    providers: list[Provider],
) -> tuple[AnswerOption, AnswerOption, AnswerOption]:
    """The three options: the model servers' when the world has some and their answer holds
    up (``characters.llm.options``), the engine's otherwise."""
    if not providers:
        return _options(conversation, persona, reply, heard, names)
    world = conversation.ecosystem
    request = OptionsRequest(
        character=reply.character.name,
        persona=persona.name,
        reply_text=reply.message.text,
        heard_kind=heard.kind,
        closeness=(reply.axes["strength"] + reply.axes["trust"]) / 2,
        persona_description=persona.persona_description,
        recent_turns=_turns(history[-MAX_TALK_TURNS - 1 : -1], persona, reply.character),
    )
    return options_generate(
        request=request,
        fallback=lambda: _options(conversation, persona, reply, heard, names),
        providers=providers,
        ecosystem_id=world.pk,
        owner_id=world.owner_id,
    ).options


def _goal_update(
    conversation: Conversation,
    persona: Character,
    replies: list[Reply],
    history: list[ConversationMessage],
) -> tuple[float, list[NewEvent]]:
    """The goal's progress after this turn (the best of the characters it may concern), and
    the completion event (for the caller to publish) the first time it reaches 1.0. Caller
    holds the conversation."""
    goal = _goal_of(conversation)
    if goal is None:
        return conversation.goal_progress, []
    person = (goal.person or "").lower()
    concerned = [r for r in replies if person and r.character.name.lower() == person] or replies
    heard = [m.text for m in history if m.speaker_kind == ConversationMessage.Speaker.PERSON]
    best = 0.0
    for reply in concerned:
        character = reply.character
        start = conversation.goal_start.get(str(character.pk), {})
        best = max(
            best,
            goal_progress(
                # Raised above where this character stood at the start: no goal is done
                # before a word is said.
                anchor_goal(goal, start=start),
                start=start,
                now=reply.axes,
                revealed=_told(history, character),
                heard=heard,
                emotions=character.emotions,
            ),
        )
    progress = round(max(conversation.goal_progress, min(1.0, best)), 4)  # never goes back
    conversation.goal_progress = progress
    if progress < 1.0 or conversation.goal_completed_at is not None:
        return progress, []
    conversation.goal_completed_at = timezone.now()
    names = ", ".join(r.character.name for r in concerned)
    return progress, [
        builders.conversation_goal_completed(
            conversation_id=str(conversation.pk),
            persona=ref(str(persona.pk), persona.name),
            characters=[ref(str(r.character.pk), r.character.name) for r in concerned],
            goal=conversation.goal,
            text=f"{persona.name} reached their goal talking with {names}: {conversation.goal}.",
            goal_kind=goal.kind,
            axis=goal.axis or "",
        )
    ]


def _arc_swings(
    conversation: Conversation,
    persona: Character,
    character: Character,
    message: ConversationMessage,
    history: list[ConversationMessage],
) -> list[NewEvent]:
    """A ``conversation_arc_swing`` event (for the caller to publish) when this turn moved the
    character sharply; none otherwise."""
    previous = next(
        (m for m in reversed(history) if m.character_id == character.pk and m.seq < message.seq),
        None,
    )
    if previous is None:
        return []
    swing = arc_swing(
        ArcPoint(previous.sentiment, previous.emotions),
        ArcPoint(message.sentiment, message.emotions),
    )
    if swing is None:
        return []
    before, after = mood_name(previous.emotions), mood_name(message.emotions)
    return [
        builders.conversation_arc_swing(
            conversation_id=str(conversation.pk),
            persona=ref(str(persona.pk), persona.name),
            character=ref(str(character.pk), character.name),
            swing=swing,
            sentiment_before=previous.sentiment,
            sentiment_after=message.sentiment,
            dominant_before=before,
            dominant_after=after,
            text=f"Talking with {persona.name}, {character.name} swung from {before} to {after}.",
        )
    ]


# --- search and upkeep --------------------------------------------------------------------------


def conversations_search(*, user: AbstractBaseUser, q: str, limit: int = SEARCH_LIMIT) -> list:
    """``user``'s messages matching ``q`` by words (full text) or by meaning (cosine over the
    embeddings), best first, each once, with ``score`` (0..1) and ``matched`` ("words",
    "meaning" or "both") set. A paraphrase finds a message through its meaning."""
    q = str(q or "").strip()
    if not q:
        return []
    # Mine: my own conversations, and the rooms I am or was in (everything said there).
    conversations = Conversation.objects.filter(
        Q(kind=Conversation.Kind.CONVERSATION, user=user)
        | Q(pk__in=ConversationParticipant.objects.filter(user=user).values("conversation"))
    )
    mine = ConversationMessage.objects.filter(conversation__in=conversations).select_related(
        "conversation", "conversation__ecosystem", "conversation__persona", "character", "persona"
    )
    query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
    by_words = list(
        mine.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-created_at")
        .defer("embedding")[:limit]
    )
    vector = embed_texts([q])[0]
    by_meaning = list(
        mine.filter(embedding__isnull=False)
        .annotate(distance=CosineDistance("embedding", vector))
        .filter(distance__lte=1 - SEARCH_MIN_SIMILARITY)
        .order_by("distance")
        .defer("embedding")[:limit]
    )
    found: dict[UUID, ConversationMessage] = {}
    for m in by_words:
        m.score, m.matched = min(1.0, 0.5 + float(m.rank)), "words"  # type: ignore[attr-defined]
        found[m.pk] = m
    for m in by_meaning:
        similarity = 1 - float(m.distance)  # type: ignore[attr-defined]
        if m.pk in found:
            hit = found[m.pk]
            hit.score, hit.matched = min(1.0, hit.score + similarity / 2), "both"  # type: ignore[attr-defined]
        else:
            m.score, m.matched = similarity, "meaning"  # type: ignore[attr-defined]
            found[m.pk] = m
    return sorted(found.values(), key=lambda m: (-m.score, -m.created_at.timestamp()))[:limit]


def conversations_archive_idle(*, now: dt.datetime | None = None) -> int:
    """Archive active conversations nobody spoke in for ``ARCHIVE_AFTER``; how many."""
    cutoff = (now or timezone.now()) - ARCHIVE_AFTER
    idle = Q(last_message_at__lt=cutoff) | Q(last_message_at__isnull=True, created_at__lt=cutoff)
    return Conversation.objects.filter(idle, status=Conversation.Status.ACTIVE).update(
        status=Conversation.Status.ARCHIVED
    )


def conversation_messages_this_month(*, user: AbstractBaseUser) -> int:
    """What a plan's ``conversation_messages_per_month`` counts: the person's own messages
    since the first of this month (UTC); the characters' replies are free."""
    start = (
        timezone.now().astimezone(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    )
    # The speaker pays: in a room each person's own lines count against their plan.
    return ConversationMessage.objects.filter(
        Q(persona__persona_of=user) | Q(persona__isnull=True, conversation__user=user),
        speaker_kind=ConversationMessage.Speaker.PERSON,
        created_at__gte=start,
    ).count()


__all__ = [
    "conversation_group",
    "conversation_messages_this_month",
    "conversation_start",
    "conversations_archive_idle",
    "conversations_search",
    "message_frame",
    "message_send",
    "messages_broadcast",
    "speaker_persona",
]
