"""The production web entry point (``make run``): HTTP through Django's WSGI handler, WebSockets
through Channels, behind one ASGI server (gunicorn managing uvicorn workers).

Why not Django's ASGI handler for HTTP: our views are synchronous, and under ASGI Django runs
every sync middleware hook in its own hop between the event loop and a worker thread (about
ten per request); on the 2-core reference machine that cost 13-20 ms a request, more than the
views themselves (bench/api.py). Here a request crosses into a thread once, runs the whole
WSGI stack there, and comes back once. WebSockets keep the exact stack of ``config.asgi``.
"""

import os

from a2wsgi import WSGIMiddleware
from channels.routing import ProtocolTypeRouter
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_wsgi_app = get_wsgi_application()

from config.asgi import websocket_application  # noqa: E402 - needs the app registry

# Threads per process for HTTP: requests wait on PostgreSQL and Redis, so a few overlap on
# one core; more only add contention (bench/api.py).
HTTP_THREADS = int(os.environ.get("DRAMATIS_WEB_THREADS", "4"))

application = ProtocolTypeRouter(
    {
        "http": WSGIMiddleware(django_wsgi_app, workers=HTTP_THREADS),
        "websocket": websocket_application,
    }
)
