"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from config.api.websocket import TokenOrOriginValidator  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402 - needs the app registry

websocket_application = TokenOrOriginValidator(
    AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
)

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application})
