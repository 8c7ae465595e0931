"""The live event stream of one world: ``/ws/ecosystems/<id>/?after=<seq>``, for a browser
session or an API key (``&token=<key>``).

The channel layer is at-most-once, so the log is the source of truth: on connect the consumer
joins the group first, then replays everything after ``after`` from the log, and from then on
forwards live frames, dropping any it already sent and back-filling from the log when a frame
arrives ahead of the next expected ``seq``. The client sees every event once, in order.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from billing.selectors import api_key_for_secret
from billing.services import api_key_touch
from ecosystems import selectors
from ecosystems.events import frame, group_name

MAX_CLIENT_FRAME_BYTES = 4096  # client frames are tiny control messages; refuse anything bigger
REPLAY_BATCH = 500  # events per query while replaying a long gap

# Close codes (4000-4999 are the application's): the browser sees them in CloseEvent.code.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404  # also for a private world of someone else: do not reveal it exists


class EcosystemEventsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        user = self.scope.get("user")
        if query.get("token"):  # an API key (scripts, game servers): it wins over a session
            user = await database_sync_to_async(_user_for_token)(query["token"][0])
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.ecosystem_id = str(self.scope["url_route"]["kwargs"]["ecosystem_id"])
        if not await database_sync_to_async(selectors.ecosystem_visible_to)(
            user=user, ecosystem_id=self.ecosystem_id
        ):
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.last_seq = 0
        self.group = group_name(self.ecosystem_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        after = _parse_after(query.get("after"))
        if after is None:
            await self.send_error("invalid_after", "`after` must be a non-negative integer seq.")
            after = 0
        await self.replay(after=after)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

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
        """Live frames from the group, in seq order: forward each exactly once, in order."""
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
                await self.send_json(frame(event))
                self.last_seq = event.seq
            if len(events) < REPLAY_BATCH:
                return

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "error": {"code": code, "message": message}})


def _user_for_token(token: str) -> Any:
    """The active user of an active API key, or ``None``."""
    api_key = api_key_for_secret(key=token)
    if api_key is None or not api_key.user.is_active:
        return None
    api_key_touch(api_key=api_key)
    return api_key.user


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
