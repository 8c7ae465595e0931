"""``/api/v1/`` routes of the world."""

from django.urls import path

from ecosystems.api import (
    bundles,
    characters,
    conversations,
    director,
    game_stats,
    games,
    imports,
    log,
    lore,
    model_servers,
    rooms,
    society,
    worlds,
)

urlpatterns = [
    path(
        "games/<uuid:game_id>/stats/",
        game_stats.GameStatsView.as_view(),
        name="api-game-stats",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/lore/",
        lore.LoreListView.as_view(),
        name="api-ecosystem-lore",
    ),
    path("lore/<uuid:entry_id>/vote/", lore.LoreVoteView.as_view(), name="api-lore-vote"),
    path("lore/<uuid:entry_id>/approve/", lore.LoreApproveView.as_view(), name="api-lore-approve"),
    path("lore/<uuid:entry_id>/reject/", lore.LoreRejectView.as_view(), name="api-lore-reject"),
    path("imports/", imports.BookImportListView.as_view(), name="api-imports"),
    path("imports/<uuid:import_id>/", imports.BookImportDetailView.as_view(), name="api-import"),
    path(
        "imports/<uuid:import_id>/world/",
        imports.BookImportWorldView.as_view(),
        name="api-import-world",
    ),
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
        "ecosystems/<uuid:ecosystem_id>/conversations/",
        conversations.ConversationStartView.as_view(),
        name="api-ecosystem-conversations",
    ),
    path("conversations/", conversations.ConversationListView.as_view(), name="api-conversations"),
    path(
        "conversations/<uuid:conversation_id>/",
        conversations.ConversationDetailView.as_view(),
        name="api-conversation",
    ),
    path(
        "conversations/<uuid:conversation_id>/messages/",
        conversations.MessageCreateView.as_view(),
        name="api-conversation-messages",
    ),
    path(
        "ecosystems/<uuid:ecosystem_id>/rooms/",
        rooms.RoomsView.as_view(),
        name="api-ecosystem-rooms",
    ),
    path(
        "conversations/<uuid:conversation_id>/join/",
        rooms.RoomJoinView.as_view(),
        name="api-conversation-join",
    ),
    path(
        "conversations/<uuid:conversation_id>/leave/",
        rooms.RoomLeaveView.as_view(),
        name="api-conversation-leave",
    ),
    path(
        "scenarios/<uuid:scenario_id>/start/",
        director.ScenarioStartView.as_view(),
        name="api-scenario-start",
    ),
    path("games/", games.GameListView.as_view(), name="api-games"),
    path("games/<uuid:game_id>/", games.GameDetailView.as_view(), name="api-game"),
    path("games/<uuid:game_id>/npcs/", games.GameNPCListView.as_view(), name="api-game-npcs"),
    path("games/<uuid:game_id>/decide/", games.GameDecideView.as_view(), name="api-game-decide"),
    path(
        "games/<uuid:game_id>/outcomes/",
        games.GameOutcomesView.as_view(),
        name="api-game-outcomes",
    ),
]
