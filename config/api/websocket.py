"""Origin checking for WebSockets that knows about API keys."""

from __future__ import annotations

from typing import Any
from urllib.parse import ParseResult, parse_qs, urlparse

from channels.security.websocket import AllowedHostsOriginValidator

from core.sockets import handshake_refuse


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
        if self.origin_checked.valid_origin(_origin(scope)):
            return await self.app(scope, receive, send)
        return await handshake_refuse(receive, send)  # an HTTP 403 to the browser


def _origin(scope: dict[str, Any]) -> ParseResult | None:
    for name, value in scope.get("headers", []):
        if name == b"origin":
            return urlparse(value.decode("latin-1"))  # latin-1 decodes any bytes
    return None
