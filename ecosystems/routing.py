from django.urls import path

from ecosystems.consumers import EcosystemEventsConsumer

websocket_urlpatterns = [
    path("ws/ecosystems/<uuid:ecosystem_id>/", EcosystemEventsConsumer.as_asgi()),
]
