"""``/api/v1/`` routes of the world."""

from django.urls import path

from ecosystems.api import bundles, characters, director, log, model_servers, society, worlds

urlpatterns = [
    path("ecosystems/", worlds.EcosystemListView.as_view(), name="api-ecosystems"),
    path("ecosystems/import/", bundles.BundleImportView.as_view(), name="api-ecosystems-import"),
    path(
        "ecosystems/<uuid:ecosystem_id>/",
        worlds.EcosystemDetailView.as_view(),
        name="api-ecosystem",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/bundle/",
        bundles.BundleExportView.as_view(),
        name="api-ecosystem-bundle",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/start/",
        worlds.EcosystemStartView.as_view(),
        name="api-ecosystem-start",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/pause/",
        worlds.EcosystemPauseView.as_view(),
        name="api-ecosystem-pause",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/tick/",
        worlds.EcosystemTickView.as_view(),
        name="api-ecosystem-tick",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/tick-runs/",
        worlds.TickRunListView.as_view(),
        name="api-tick-runs",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/tick-runs/<uuid:run_id>/",
        worlds.TickRunDetailView.as_view(),
        name="api-tick-run",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/model-servers/",
        model_servers.ModelServersView.as_view(),
        name="api-ecosystem-model-servers",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/characters/",
        characters.CharacterListView.as_view(),
        name="api-ecosystem-characters",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/characters/import/",
        characters.CharacterImportView.as_view(),
        name="api-ecosystem-characters-import",
    ),
    path(
        "characters/<uuid:character_id>/card/",
        characters.CharacterCardView.as_view(),
        name="api-character-card",
    ),
    path(
        "characters/<uuid:character_id>/",
        characters.CharacterDetailView.as_view(),
        name="api-character",
    ),
    path(
        "characters/<uuid:character_id>/memories/",
        characters.MemoryListView.as_view(),
        name="api-character-memories",
    ),
    path(
        "interactions/types/",
        society.InteractionTypesView.as_view(),
        name="api-interaction-types",
    ),
    path("interactions/", society.InteractionCreateView.as_view(), name="api-interactions"),
    path(
        "ecosystems/<uuid:ecosystem_id>/relationships/",
        society.RelationshipListView.as_view(),
        name="api-ecosystem-relationships",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/graph/",
        society.GraphView.as_view(),
        name="api-ecosystem-graph",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/events/",
        log.EventListView.as_view(),
        name="api-ecosystem-events",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/scenarios/",
        director.ScenarioListView.as_view(),
        name="api-ecosystem-scenarios",
    ),
    path(
        "scenarios/<uuid:scenario_id>/start/",
        director.ScenarioStartView.as_view(),
        name="api-scenario-start",
    ),
]
