"""The live socket of a conversation or room: ``/ws/conversations/<id>/?after=<seq>``, for a
browser session or an API key (``&token=<key>``).

Who may connect: the person of a one-to-one conversation, and the people in a room (its
active participants). A visitor who is not in the room yet either joins first (the page's
join form, ``POST /api/v1/conversations/<id>/join/``) or joins with the socket itself:
``&persona=<name>`` joins under that persona at the handshake (a full room closes with 4409).
Anyone else is closed with 4404 (4401 without a valid session or key), before a channel is
opened (``ConversationGate``).

Like the world stream, the socket is a ``core.sockets`` stream over the stored messages: the
room's history is replayed on join, live frames arrive once each in seq order, and a client
that reconnects with its last seq gets everything after it, exactly once.

Server frames: ``message`` (``{"message": {seq, speaker_kind, name, character_id, text,
emotion, options, ...}}``), ``typing`` (``{"who", "kind": "person"|"character"}``: a person
typing, or a character composing its reply; clients let it lapse after ~4 s), ``presence``
(``{"people": [names]}``, whenever who is here changes), ``pong``, ``error``.
Client frames: ``typing``, ``say`` (``{"text"}``: every character composes, then the message
and the replies arrive as ``message`` frames to everyone), ``resume`` (``{"after"}``),
``ping``. Malformed or oversized frames and refused words get an ``error`` frame to the sender
only; the socket stays open.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from billing.selectors import api_key_active
from core.errors import DomainError
from core.sockets import Payload, SeqStreamConsumer, handshake_refuse
from ecosystems import selectors
from ecosystems.access import visible_worlds
from ecosystems.consumers import (
    ACCESS_RECHECK_SECONDS,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHENTICATED,
    _user_for_token,
)
from ecosystems.models import Conversation, ConversationParticipant
from ecosystems.services.conversations import conversation_group, message_frame, message_send
from ecosystems.services.rooms import RoomFull, room_join

log = logging.getLogger(__name__)

CLOSE_ROOM_FULL = 4409  # joined with &persona= into a room at capacity
# A person's typing is relayed at most this often: keystrokes arrive many times a second, and
# the indicator lasts ~4 s on the client, so one relay per 2 s keeps it lit without a flood.
TYPING_RELAY_SECONDS = 2.0
# A ``say`` carries up to 2,000 characters: at worst 6 bytes each as JSON \u escapes, plus the
# frame around them. Anything bigger is refused before it is parsed.
MAX_ROOM_FRAME_BYTES = 16_384


class ConversationGate:
    """Decides a socket's access before the consumer exists (as ``ecosystems.consumers.
    AccessGate``): a refused socket is closed at its handshake with its code and never opens
    a channel. What was decided goes to the consumer in ``scope["access"]``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        query = parse_qs(scope.get("query_string", b"").decode())
        user, api_key_id = scope.get("user"), None
        if query.get("token"):
            user, api_key_id = await database_sync_to_async(_user_for_token)(query["token"][0])
        if user is None or not user.is_authenticated:
            return await handshake_refuse(receive, send, CLOSE_UNAUTHENTICATED)
        conversation_id = str(scope["url_route"]["kwargs"]["conversation_id"])
        persona = (query.get("persona") or [""])[0]
        seat = await database_sync_to_async(_seat_now)(user.pk, conversation_id, api_key_id,
                                                       persona)  # fmt: skip
        if isinstance(seat, int):
            return await handshake_refuse(receive, send, seat)
        access = {"user_id": user.pk, "api_key_id": api_key_id,
                  "conversation_id": conversation_id, **seat}  # fmt: skip
        return await self.app({**scope, "access": access}, receive, send)


def _seat_now(user_id: Any, conversation_id: str, api_key_id: Any, join_as: str = "") -> Any:
    """Who the socket speaks as: ``{"name", "persona_id", "characters"}``, or a close code.
    With ``join_as`` a visitor not yet in the room joins it under that persona."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or (api_key_id is not None and not api_key_active(api_key_id=api_key_id)):
        return CLOSE_UNAUTHENTICATED
    conversation = (
        Conversation.objects.filter(pk=conversation_id, ecosystem__in=visible_worlds(user))
        .select_related("persona", "ecosystem")
        .first()
    )
    if conversation is None:
        return CLOSE_NOT_FOUND
    if conversation.is_room:
        participant = (
            ConversationParticipant.objects.filter(
                conversation=conversation, user=user, left_at__isnull=True
            )
            .select_related("persona")
            .first()
        )
        if participant is None and join_as:
            try:
                participant = room_join(room=conversation, user=user, persona_name=join_as)
            except RoomFull:
                return CLOSE_ROOM_FULL
            except DomainError:
                return CLOSE_NOT_FOUND
        if participant is None:
            return CLOSE_NOT_FOUND
        persona = participant.persona
    elif conversation.user_id == user.pk and conversation.persona is not None:
        persona = conversation.persona
    else:
        return CLOSE_NOT_FOUND
    names = list(conversation.characters.order_by("name").values_list("name", flat=True))
    return {"name": persona.name, "persona_id": str(persona.pk), "characters": names}


class ConversationConsumer(SeqStreamConsumer):
    max_frame_bytes = MAX_ROOM_FRAME_BYTES
    frame_limit_hint = " A message to say has at most 2,000 characters."
    recheck_seconds = ACCESS_RECHECK_SECONDS
    client_frames_hint = (
        'Supported client frames: {"type": "typing"}, {"type": "say", "text": "..."}, '
        '{"type": "resume", "after": <seq>} and {"type": "ping"}.'
    )

    async def connect(self) -> None:
        """Access was decided by ``ConversationGate``; join the group, replay, be present."""
        query = parse_qs(self.scope.get("query_string", b"").decode())
        access = self.scope["access"]
        self.user_id, self.api_key_id = access["user_id"], access["api_key_id"]
        self.conversation_id = access["conversation_id"]
        self.name, self.characters = access["name"], access["characters"]
        self.typing_sent = 0.0
        self.group = conversation_group(self.conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.start_stream(query)
        self.person = {"id": str(self.user_id), "name": self.name}
        await self.presence_update(entering=True)

    async def disconnect(self, code: int) -> None:
        await self.stop_stream([self.group] if hasattr(self, "group") else [])

    # -- presence ---------------------------------------------------------------------------

    @property
    def place(self) -> str:
        return f"conversation:{self.conversation_id}"

    async def presence_announce(self, names: list[str]) -> None:
        await self.channel_layer.group_send(self.group, {"type": "room.presence", "people": names})

    async def room_presence(self, message: dict[str, Any]) -> None:
        if not self.closing:
            await self.send_json({"type": "presence", "people": message["people"]})

    # -- access ---------------------------------------------------------------------------------

    async def recheck(self) -> bool:
        """Decide the seat again (the person left the room, the world went private, the key
        was revoked); close the socket if it was lost."""
        if self.closing:
            return False
        seat = await database_sync_to_async(_seat_now)(
            self.user_id, self.conversation_id, self.api_key_id
        )
        if isinstance(seat, int):
            self.closing = True
            await self.close(code=seat)
            return False
        return True

    # -- client → server ----------------------------------------------------------------------

    async def receive_frame(self, kind: Any, content: Any) -> bool:
        if kind == "typing":
            await self.typing()
        elif kind == "say":
            if await self.recheck():
                await self.say(content.get("text"))
        else:
            return False
        return True

    async def typing(self) -> None:
        now = time.monotonic()
        if now - self.typing_sent < TYPING_RELAY_SECONDS:
            return
        self.typing_sent = now
        await self.channel_layer.group_send(
            self.group,
            {"type": "room.typing", "who": self.name, "kind": "person",
             "sender": self.channel_name},
        )  # fmt: skip

    async def say(self, text: Any) -> None:
        if not isinstance(text, str) or not text.strip():
            await self.send_error("invalid", "Say something: the message is empty.")
            return
        for name in self.characters:  # everyone sees the characters composing
            await self.channel_layer.group_send(
                self.group, {"type": "room.typing", "who": name, "kind": "character"}
            )
        try:
            await database_sync_to_async(_say)(self.conversation_id, self.user_id, text)
        except DomainError as error:
            await self.send_error(error.code, error.message)
        except (Http404, PermissionDenied) as error:
            await self.send_error("not_found", str(error))
        except Exception:
            log.exception("a message in %s could not be sent", self.conversation_id)
            await self.send_error("server_error", "Your message could not be sent; try again.")

    # -- server → client ----------------------------------------------------------------------

    async def room_typing(self, message: dict[str, Any]) -> None:
        if self.closing or message.get("sender") == self.channel_name:
            return
        await self.send_json({"type": "typing", "who": message["who"], "kind": message["kind"]})

    async def conversation_messages(self, message: dict[str, Any]) -> None:
        """Live message frames, serialised once by the service."""
        await self.forward([(item["seq"], item["json"]) for item in message["frames"]])

    async def fetch_after(
        self, after: int, until: int | None, limit: int
    ) -> list[tuple[int, Payload]]:
        return await database_sync_to_async(_frames_after)(
            self.conversation_id, after, until, limit
        )


def _say(conversation_id: str, user_id: Any, text: str) -> None:
    user = get_user_model().objects.get(pk=user_id)
    conversation = Conversation.objects.select_related("persona").get(pk=conversation_id)
    message_send(conversation=conversation, user=user, text=text)


def _frames_after(
    conversation_id: str, after: int, until: int | None, limit: int
) -> list[tuple[int, str]]:
    messages = selectors.conversation_messages_after(
        conversation_id=conversation_id, after=after, until=until, limit=limit
    )
    return [(m.seq, json.dumps(message_frame(m, name=_speaker_name(m)))) for m in messages]


def _speaker_name(message: Any) -> str:
    who = message.character or message.persona
    return who.name if who is not None else ""
