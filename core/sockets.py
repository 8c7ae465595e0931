"""What every live socket of the product shares: a seq-ordered stream with exactly-once replay,
size-limited JSON client frames, access decided again while the socket lives, and presence.

The channel layer is at-most-once, so a stored log is the source of truth: a consumer joins
its group first, replays everything after the client's ``after`` from the log, and from then
on forwards live frames, dropping any it already sent and back-filling from the log when a
frame arrives ahead of the next expected ``seq``. The client sees every item once, in order,
and a client that reconnects with its last seq gets everything after it.

A subclass says where its log is (``fetch_after``), whether the socket may still see it
(``recheck``), where its presence lives (``place``, ``person``, ``presence_announce``) and
which client frames it understands besides ``ping`` and ``resume`` (``receive_frame``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.presence import presence_enter, presence_leave, presence_people

log = logging.getLogger(__name__)

# A payload is a frame dict, or a frame already serialised once for every socket.
Payload = dict[str, Any] | str


async def handshake_refuse(receive: Any, send: Any, code: int | None = None) -> None:
    """Close a socket at its handshake (the browser sees ``code`` in CloseEvent.code, or an
    HTTP 403 without one). Unlike Channels' ``WebsocketDenier`` it opens no channel on the
    layer: nothing is left waiting on Redis for a refused socket."""
    if (await receive())["type"] == "websocket.connect":
        message: dict[str, Any] = {"type": "websocket.close"}
        if code is not None:
            message["code"] = code
        await send(message)


def parse_seq(values: list[str] | None) -> int | None:
    """A client's ``after`` (query string values): 0 when absent, None when not a seq."""
    if not values:
        return 0
    try:
        after = int(values[0])
    except ValueError:
        return None
    return after if after >= 0 else None


class SeqStreamConsumer(AsyncJsonWebsocketConsumer):
    """The stream half of a live socket; see the module docstring."""

    max_frame_bytes = 4096  # client frames are control messages; refuse anything bigger
    frame_limit_hint = ""  # said after the limit when a frame is refused for its size
    replay_batch = 500  # items per query while replaying a long gap
    # The safety net behind explicit access.changed messages (a lost message, a user
    # deactivated in the admin): at most this long a socket keeps streaming after it lost
    # access. Presence is renewed on the same beat, well within its TTL.
    recheck_seconds = 60.0
    closing = False
    last_seq = 0
    present = False  # this socket counts in ``place``'s presence
    person: dict[str, str] = {}

    # -- what a subclass provides ---------------------------------------------------------------

    async def fetch_after(
        self, after: int, until: int | None, limit: int
    ) -> list[tuple[int, Payload]]:
        """Logged items with ``after < seq <= until`` (or to the end), at most ``limit``."""
        raise NotImplementedError

    async def recheck(self) -> bool:
        """Decide access again; close the socket (and set ``closing``) if it was lost."""
        return not self.closing

    @property
    def place(self) -> str:
        raise NotImplementedError

    async def presence_announce(self, names: list[str]) -> None:
        """Tell whoever should know that the people present at ``place`` are now ``names``."""

    async def receive_frame(self, kind: Any, content: Any) -> bool:
        """Handle a client frame other than ping/resume; False if the kind is unknown."""
        return False

    client_frames_hint = (
        'Supported client frames: {"type": "ping"} and {"type": "resume", "after": <seq>}.'
    )

    # -- the stream -----------------------------------------------------------------------------

    async def start_stream(self, query: dict[str, list[str]]) -> None:
        """After the groups are joined: accept, start the rechecks and replay after ``after``."""
        await self.accept()
        self.rechecks = asyncio.create_task(self.recheck_periodically())
        after = parse_seq(query.get("after"))
        if after is None:
            await self.send_error("invalid_after", "`after` must be a non-negative integer seq.")
            after = 0
        await self.replay(after=after)

    async def stop_stream(self, groups: list[str]) -> None:
        if hasattr(self, "rechecks"):
            self.rechecks.cancel()
        for group in groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.present:
            await self.presence_update(entering=False)

    async def forward(self, items: list[tuple[int, Payload]]) -> None:
        """Live items from the group, in seq order: send each exactly once, in order."""
        if self.closing:
            return
        for seq, payload in items:
            if seq <= self.last_seq:
                continue
            if seq > self.last_seq + 1:
                await self.replay(after=self.last_seq, until=seq - 1)
            await self.send_payload(payload)
            self.last_seq = seq

    async def replay(self, *, after: int, until: int | None = None) -> None:
        """Send logged items with ``after < seq <= until`` (or to the end), in batches."""
        self.last_seq = after
        while True:
            items = await self.fetch_after(self.last_seq, until, self.replay_batch)
            for seq, payload in items:
                await self.send_payload(payload)
                self.last_seq = seq
            if len(items) < self.replay_batch:
                return

    async def send_payload(self, payload: Payload) -> None:
        if isinstance(payload, str):
            await self.send(text_data=payload)
        else:
            await self.send_json(payload)

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "error": {"code": code, "message": message}})

    # -- access and presence --------------------------------------------------------------------

    async def recheck_periodically(self) -> None:
        while await asyncio.sleep(self.recheck_seconds, result=True):
            if not await self.recheck():
                return
            if self.present:
                try:
                    await presence_enter(self.place, socket=self.channel_name, person=self.person)
                except Exception:
                    log.warning("presence of %s could not be renewed", self.place, exc_info=True)

    async def access_changed(self, message: dict[str, Any]) -> None:
        """Something that decides this socket's access changed (sent after commit)."""
        await self.recheck()

    async def presence_update(self, *, entering: bool) -> None:
        """Enter or leave ``place`` and announce who is there now. Best effort: presence is a
        courtesy, and a Redis hiccup must not close the socket."""
        self.present = entering
        try:
            if entering:
                await presence_enter(self.place, socket=self.channel_name, person=self.person)
            else:
                await presence_leave(self.place, socket=self.channel_name)
            await self.presence_announce([p["name"] for p in await presence_people(self.place)])
        except Exception:
            log.warning("presence of %s could not be updated", self.place, exc_info=True)

    # -- client → server ------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        raw = text_data if text_data is not None else bytes_data
        if raw is None or len(raw) > self.max_frame_bytes:
            await self.send_error(
                "frame_too_large",
                f"Client frames are limited to {self.max_frame_bytes:,} bytes."
                + self.frame_limit_hint,
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
            after = parse_seq([str(content.get("after", ""))])
            if after is None:
                await self.send_error("invalid_after", "`after` must be a non-negative integer.")
                return
            await self.replay(after=after)
        elif not await self.receive_frame(kind, content):
            await self.send_error("unknown_type", self.client_frames_hint)
