from django.urls import path

from ecosystems.consumers import AccessGate, EcosystemEventsConsumer

websocket_urlpatterns = [
    path("ws/ecosystems/<uuid:ecosystem_id>/", AccessGate(EcosystemEventsConsumer.as_asgi())),
]
