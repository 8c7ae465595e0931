"""The live event stream of one world: ``/ws/ecosystems/<id>/?after=<seq>``, for a browser
session or an API key (``&token=<key>``).

The channel layer is at-most-once, so the log is the source of truth: on connect the consumer
joins the group first, then replays everything after ``after`` from the log, and from then on
forwards live frames, dropping any it already sent and back-filling from the log when a frame
arrives ahead of the next expected ``seq``. The client sees every event once, in order.

Access is decided by ``ecosystems.access``: at the handshake by ``AccessGate``, in front of the
consumer (a refused socket never opens a channel), and again whenever it may have changed:
on an ``access.changed`` message (the world was saved or deleted, the socket's API key was
revoked: sent after commit, so the socket closes within a second), before answering any client
frame, and every ``ACCESS_RECHECK_SECONDS`` in any case. A socket that lost access is closed
(4401: its key or user is no longer valid; 4404: the world is no longer visible to it). A
visitor of a public world joins the visitors' group, whose frames are redacted at publish, and
its replay goes through the same redactor (``ecosystems.redaction``).

Presence is opt-in (``&presence=1``, as the world's pages ask): such a socket counts as a
person watching the world (``core.presence``) and receives ``{"type": "presence", "count",
"watching": [names]}`` whenever who watches changes; visitors get the count without the names.
Sockets that do not ask (API clients) neither count nor get these frames.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from billing.selectors import api_key_active, api_key_for_secret
from billing.services import api_key_group_name, api_key_touch
from core.presence import presence_enter, presence_leave, presence_people
from ecosystems import selectors
from ecosystems.access import Audience, audience, viewer_now
from ecosystems.events import frame, group_name, visitors_group_name
from ecosystems.redaction import Redactor, redactor_for

log = logging.getLogger(__name__)

MAX_CLIENT_FRAME_BYTES = 4096  # client frames are tiny control messages; refuse anything bigger
REPLAY_BATCH = 500  # events per query while replaying a long gap
# The safety net behind the access.changed messages (a lost message, a user deactivated in the
# admin): at most this long a socket keeps streaming after it lost access.
ACCESS_RECHECK_SECONDS = 60.0

# Close codes (4000-4999 are the application's): the browser sees them in CloseEvent.code.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404  # also for a private world of someone else: do not reveal it exists


class AccessGate:
    """Decides a socket's access before the consumer exists: a refused socket is closed at
    its handshake with its code (4401, 4404) and never opens a channel on the layer, so
    nothing is left waiting on Redis for it (a consumer refusing in ``connect`` has already
    subscribed). What was decided goes to the consumer in ``scope["access"]``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        query = parse_qs(scope.get("query_string", b"").decode())
        user, api_key_id = scope.get("user"), None
        if query.get("token"):  # an API key (scripts, game servers): it wins over a session
            user, api_key_id = await database_sync_to_async(_user_for_token)(query["token"][0])
        if user is None or not user.is_authenticated:
            return await _refuse(receive, send, CLOSE_UNAUTHENTICATED)
        ecosystem_id = str(scope["url_route"]["kwargs"]["ecosystem_id"])
        view = await database_sync_to_async(_access_now)(user.pk, ecosystem_id, api_key_id)
        if isinstance(view, int):
            return await _refuse(receive, send, view)
        access = {"user_id": user.pk, "api_key_id": api_key_id, "ecosystem_id": ecosystem_id,
                  "audience": view[0], "redactor": view[1],
                  "name": user.get_username()}  # fmt: skip
        return await self.app({**scope, "access": access}, receive, send)


async def _refuse(receive: Any, send: Any, code: int) -> None:
    if (await receive())["type"] == "websocket.connect":
        await send({"type": "websocket.close", "code": code})


class EcosystemEventsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        """Access was decided by ``AccessGate``; join the audience's group and replay."""
        query = parse_qs(self.scope.get("query_string", b"").decode())
        access = self.scope["access"]
        self.user_id, self.api_key_id = access["user_id"], access["api_key_id"]
        self.ecosystem_id = access["ecosystem_id"]
        self.audience, self.redactor = access["audience"], access["redactor"]
        self.closing = False
        self.last_seq = 0
        owner = self.audience is Audience.OWNER
        self.group = (group_name if owner else visitors_group_name)(self.ecosystem_id)
        self.groups_joined = [self.group]
        if self.api_key_id is not None:
            self.groups_joined.append(api_key_group_name(self.api_key_id))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        self.rechecks = asyncio.create_task(self.recheck_periodically())
        after = _parse_after(query.get("after"))
        if after is None:
            await self.send_error("invalid_after", "`after` must be a non-negative integer seq.")
            after = 0
        await self.replay(after=after)
        self.presence = query.get("presence") == ["1"]
        if self.presence:
            self.person = {"id": str(self.user_id), "name": access["name"]}
            await self.presence_update(entering=True)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "rechecks"):
            self.rechecks.cancel()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if getattr(self, "presence", False):
            await self.presence_update(entering=False)

    # -- presence ---------------------------------------------------------------------------

    @property
    def place(self) -> str:
        return f"world:{self.ecosystem_id}"

    async def presence_update(self, *, entering: bool) -> None:
        """Enter or leave the world's presence and tell both audiences who watches now.
        Best effort: presence is a courtesy, and a Redis hiccup must not close the stream."""
        try:
            if entering:
                await presence_enter(self.place, socket=self.channel_name, person=self.person)
            else:
                await presence_leave(self.place, socket=self.channel_name)
            people = await presence_people(self.place)
            names = [p["name"] for p in people]
            await self.channel_layer.group_send(
                group_name(self.ecosystem_id), {"type": "presence.changed", "watching": names}
            )
            await self.channel_layer.group_send(
                visitors_group_name(self.ecosystem_id),
                {"type": "presence.changed", "count": len(names)},
            )
        except Exception:
            log.warning("presence of %s could not be updated", self.place, exc_info=True)

    async def presence_changed(self, message: dict[str, Any]) -> None:
        if not getattr(self, "presence", False) or self.closing:
            return
        watching = message.get("watching")
        count = len(watching) if watching is not None else int(message.get("count", 0))
        frame_out: dict[str, Any] = {"type": "presence", "count": count}
        if watching is not None:
            frame_out["watching"] = watching
        await self.send_json(frame_out)

    # -- access ---------------------------------------------------------------------------------

    async def recheck(self) -> bool:
        """Decide access again; close the socket (and stop sending) if it was lost."""
        if self.closing:
            return False
        view = await database_sync_to_async(_access_now)(
            self.user_id, self.ecosystem_id, self.api_key_id
        )
        if isinstance(view, int) or view[0] is not self.audience:
            self.closing = True  # an owner who became a visitor reconnects to be regrouped
            await self.close(code=view if isinstance(view, int) else CLOSE_NOT_FOUND)
            return False
        self.redactor = view[1]  # the owner may have added or changed a secret
        return True

    async def recheck_periodically(self) -> None:
        while await asyncio.sleep(ACCESS_RECHECK_SECONDS, result=True):
            if not await self.recheck():
                return
            if getattr(self, "presence", False):  # renew well within the presence TTL
                try:
                    await presence_enter(self.place, socket=self.channel_name, person=self.person)
                except Exception:
                    log.warning("presence of %s could not be renewed", self.place, exc_info=True)

    async def access_changed(self, message: dict[str, Any]) -> None:
        """Something that decides this socket's access changed (sent after commit)."""
        await self.recheck()

    # -- client → server ----------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        raw = text_data if text_data is not None else bytes_data
        if raw is None or len(raw) > MAX_CLIENT_FRAME_BYTES:
            await self.send_error(
                "frame_too_large", f"Client frames are limited to {MAX_CLIENT_FRAME_BYTES} bytes."
            )
            return
        try:
            message = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            await self.send_error("malformed", 'Send JSON such as {"type": "ping"}.')
            return
        await self.receive_json(message)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if not await self.recheck():
            return
        if kind == "ping":
            await self.send_json({"type": "pong", "last_seq": self.last_seq})
        elif kind == "resume":
            after = _parse_after([str(content.get("after", ""))])
            if after is None:
                await self.send_error("invalid_after", "`after` must be a non-negative integer.")
                return
            await self.replay(after=after)
        else:
            await self.send_error(
                "unknown_type",
                'Supported client frames: {"type": "ping"} and {"type": "resume", "after": <seq>}.',
            )

    # -- server → client ----------------------------------------------------------------------

    async def ecosystem_events(self, message: dict[str, Any]) -> None:
        """Live frames from the group (redacted already for visitors), in seq order: forward
        each exactly once, in order."""
        if self.closing:
            return
        for item in message["frames"]:
            seq = item["event"]["seq"]
            if seq <= self.last_seq:
                continue
            if seq > self.last_seq + 1:
                await self.replay(after=self.last_seq, until=seq - 1)
            await self.send_json(item)
            self.last_seq = seq

    async def replay(self, *, after: int, until: int | None = None) -> None:
        """Send logged events with ``after < seq <= until`` (or to the end), in batches."""
        self.last_seq = after
        while True:
            events = await database_sync_to_async(_events_after)(
                self.ecosystem_id, self.last_seq, until, REPLAY_BATCH
            )
            for event in events:
                await self.send_json(self.redactor.value(frame(event)))
                self.last_seq = event.seq
            if len(events) < REPLAY_BATCH:
                return

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "error": {"code": code, "message": message}})


def _user_for_token(token: str) -> tuple[Any, Any]:
    """The active user of an active API key and the key's id, or ``(None, None)``."""
    api_key = api_key_for_secret(key=token)
    if api_key is None or not api_key.user.is_active:
        return None, None
    api_key_touch(api_key=api_key)
    return api_key.user, api_key.pk


def _access_now(
    user_id: Any, ecosystem_id: str, api_key_id: Any
) -> int | tuple[Audience, Redactor]:
    """What the socket may see now: its audience and redactor, or the close code if nothing."""
    viewer = viewer_now(user_id=user_id, ecosystem_id=ecosystem_id)
    if viewer is None or (api_key_id is not None and not api_key_active(api_key_id=api_key_id)):
        return CLOSE_UNAUTHENTICATED
    user, world = viewer
    if world is None:
        return CLOSE_NOT_FOUND
    return audience(user, world), redactor_for(user=user, world=world)


def _events_after(ecosystem_id: str, after: int, until: int | None, limit: int) -> list:
    return list(
        selectors.events_after(ecosystem_id=ecosystem_id, after=after, until=until, limit=limit)
    )


def _parse_after(values: list[str] | None) -> int | None:
    if not values:
        return 0
    try:
        after = int(values[0])
    except ValueError:
        return None
    return after if after >= 0 else None
