"""The live progress of one book import: ``/ws/imports/<id>/``, for its owner's browser session
or API key (``?token=<key>``).

Progress is a state, not a log: on connect the socket receives the import as it is now, then
every change the analysis saves (``import_progress`` frames, the shape of
``ecosystems.imports.services.import_frame``). A frame lost by the at-most-once channel layer
is made good by the next one, and the page also reloads by itself without JavaScript. Anyone
but the owner is closed at the handshake: 4401 without a valid session or key, 4404 for an
import that is not theirs (whether it exists is not revealed).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from ecosystems.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, _user_for_token
from ecosystems.imports.services import import_frame, import_group
from ecosystems.models import BookImport


def _frame_for(user_id: Any, import_id: str) -> dict[str, Any] | None:
    book_import = BookImport.objects.filter(pk=import_id, owner_id=user_id).first()
    return import_frame(book_import) if book_import is not None else None


class ImportProgressConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        user = self.scope.get("user")
        if query.get("token"):
            user, _ = await database_sync_to_async(_user_for_token)(query["token"][0])
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        import_id = str(self.scope["url_route"]["kwargs"]["import_id"])
        current = await database_sync_to_async(_frame_for)(user.pk, import_id)
        if current is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group = import_group(import_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(current)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """The socket only listens; whatever a client sends is ignored."""

    async def import_progress(self, message: dict[str, Any]) -> None:
        await self.send_json(message["frame"])
