from django.urls import path

from ecosystems.consumers import AccessGate, EcosystemEventsConsumer
from ecosystems.conversation_consumers import ConversationConsumer, ConversationGate
from ecosystems.imports.consumers import ImportProgressConsumer

websocket_urlpatterns = [
    path("ws/ecosystems/<uuid:ecosystem_id>/", AccessGate(EcosystemEventsConsumer.as_asgi())),
    path(
        "ws/conversations/<uuid:conversation_id>/",
        ConversationGate(ConversationConsumer.as_asgi()),
    ),
    path("ws/imports/<uuid:import_id>/", ImportProgressConsumer.as_asgi()),
]
