"""Origin checking for WebSockets that knows about API keys."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.security.websocket import AllowedHostsOriginValidator


class TokenOrOriginValidator:
    """A socket that relies on the browser session must come from one of our own origins
    (cross-site WebSocket hijacking: the cookie goes along by itself). A socket that brings an
    API key in ``?token=`` is authenticated by that key alone (the consumer then ignores any
    session), so a script or game server that sends no ``Origin`` is let through to it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.origin_checked = AllowedHostsOriginValidator(app)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if scope.get("type") == "websocket" and query.get("token", [""])[0]:
            return await self.app(scope, receive, send)
        return await self.origin_checked(scope, receive, send)
