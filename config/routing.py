"""WebSocket routes of every app, gathered in one place."""

from ecosystems.routing import websocket_urlpatterns as ecosystem_routes

websocket_urlpatterns = [*ecosystem_routes]
