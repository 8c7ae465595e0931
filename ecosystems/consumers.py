"""The live event stream of one world: ``/ws/ecosystems/<id>/?after=<seq>``, for a browser
session or an API key (``&token=<key>``).

Replay, exactly-once forwarding and the client frames (``ping``, ``resume``) are the shared
stream of ``core.sockets``.

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

import logging
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from billing.selectors import api_key_active, api_key_for_secret
from billing.services import api_key_group_name, api_key_touch
from core.sockets import Payload, SeqStreamConsumer, handshake_refuse
from ecosystems import selectors
from ecosystems.access import Audience, audience, viewer_now
from ecosystems.events import frame, group_name, visitors_group_name
from ecosystems.redaction import Redactor, redactor_for

log = logging.getLogger(__name__)

MAX_CLIENT_FRAME_BYTES = 4096  # client frames are tiny control messages; refuse anything bigger
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
            return await handshake_refuse(receive, send, CLOSE_UNAUTHENTICATED)
        ecosystem_id = str(scope["url_route"]["kwargs"]["ecosystem_id"])
        view = await database_sync_to_async(_access_now)(user.pk, ecosystem_id, api_key_id)
        if isinstance(view, int):
            return await handshake_refuse(receive, send, view)
        access = {"user_id": user.pk, "api_key_id": api_key_id, "ecosystem_id": ecosystem_id,
                  "audience": view[0], "redactor": view[1],
                  "name": user.get_username()}  # fmt: skip
        return await self.app({**scope, "access": access}, receive, send)


class EcosystemEventsConsumer(SeqStreamConsumer):
    max_frame_bytes = MAX_CLIENT_FRAME_BYTES
    recheck_seconds = ACCESS_RECHECK_SECONDS

    async def connect(self) -> None:
        """Access was decided by ``AccessGate``; join the audience's group and replay."""
        query = parse_qs(self.scope.get("query_string", b"").decode())
        access = self.scope["access"]
        self.user_id, self.api_key_id = access["user_id"], access["api_key_id"]
        self.ecosystem_id = access["ecosystem_id"]
        self.audience, self.redactor = access["audience"], access["redactor"]
        owner = self.audience is Audience.OWNER
        self.group = (group_name if owner else visitors_group_name)(self.ecosystem_id)
        self.groups_joined = [self.group]
        if self.api_key_id is not None:
            self.groups_joined.append(api_key_group_name(self.api_key_id))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.start_stream(query)
        if query.get("presence") == ["1"]:
            self.person = {"id": str(self.user_id), "name": access["name"]}
            await self.presence_update(entering=True)

    async def disconnect(self, code: int) -> None:
        await self.stop_stream(getattr(self, "groups_joined", []))

    # -- presence ---------------------------------------------------------------------------

    @property
    def place(self) -> str:
        return f"world:{self.ecosystem_id}"

    async def presence_announce(self, names: list[str]) -> None:
        """The owners' group learns who watches; the visitors' group only how many."""
        await self.channel_layer.group_send(
            group_name(self.ecosystem_id), {"type": "presence.changed", "watching": names}
        )
        await self.channel_layer.group_send(
            visitors_group_name(self.ecosystem_id),
            {"type": "presence.changed", "count": len(names)},
        )

    async def presence_changed(self, message: dict[str, Any]) -> None:
        if not self.present or self.closing:
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

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Every client frame is answered only while the socket may still see the world."""
        if await self.recheck():
            await super().receive_json(content, **kwargs)

    # -- server → client ----------------------------------------------------------------------

    async def ecosystem_events(self, message: dict[str, Any]) -> None:
        """Live frames from the group (redacted already for visitors)."""
        await self.forward([(item["event"]["seq"], item) for item in message["frames"]])

    async def fetch_after(
        self, after: int, until: int | None, limit: int
    ) -> list[tuple[int, Payload]]:
        events = await database_sync_to_async(_events_after)(self.ecosystem_id, after, until, limit)
        return [(event.seq, self.redactor.value(frame(event))) for event in events]


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
