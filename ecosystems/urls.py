from django.contrib.auth import views as auth_views
from django.urls import path

from ecosystems import (
    accounts,
    bundle_pages,
    card_views,
    lore_views,
    room_views,
    talk_views,
    views,
    world_settings,
)
from ecosystems.imports import views as import_views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/worlds/new/", views.world_create, name="world-create"),
    path("dashboard/worlds/new/demo/", views.world_create_from_demo, name="world-create-demo"),
    path("imports/new/", import_views.import_new, name="import-new"),
    path("imports/<uuid:import_id>/", import_views.import_page, name="import"),
    path(
        "imports/<uuid:import_id>/world/",
        import_views.import_world_create,
        name="import-world",
    ),
    path("dashboard/worlds/import/", bundle_pages.bundle_upload, name="world-import"),
    path("worlds/<uuid:ecosystem_id>/bundle/", bundle_pages.bundle_download, name="world-bundle"),
    path(
        "dashboard/worlds/<uuid:ecosystem_id>/start/",
        views.ecosystem_start_view,
        name="ecosystem-start",
    ),
    path(
        "dashboard/worlds/<uuid:ecosystem_id>/pause/",
        views.ecosystem_pause_view,
        name="ecosystem-pause",
    ),
    # The Observatory itself is served by stories/urls.py (it shows the story threads).
    path("worlds/<uuid:ecosystem_id>/intervene/", views.intervene, name="intervene"),
    path("worlds/<uuid:ecosystem_id>/director/", views.director, name="director"),
    path(
        "worlds/<uuid:ecosystem_id>/director/scenarios/",
        views.scenario_create_view,
        name="scenario-create",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/director/scenarios/<uuid:scenario_id>/start/",
        views.scenario_start_view,
        name="scenario-start",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/director/scenarios/<uuid:scenario_id>/reuse/",
        views.scenario_reuse_view,
        name="scenario-reuse",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/director/scene/", views.scene_direct_view, name="scene-direct"
    ),
    path(
        "worlds/<uuid:ecosystem_id>/characters/<uuid:character_id>/",
        views.character_page,
        name="character",
    ),
    path("worlds/<uuid:ecosystem_id>/lore/", lore_views.lore, name="lore"),
    path("worlds/<uuid:ecosystem_id>/lore/new/", lore_views.lore_create_view, name="lore-create"),
    path(
        "worlds/<uuid:ecosystem_id>/lore/<uuid:entry_id>/vote/",
        lore_views.lore_vote_view,
        name="lore-vote",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/lore/<uuid:entry_id>/approve/",
        lore_views.lore_review_view,
        {"decision": "approve"},
        name="lore-approve",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/lore/<uuid:entry_id>/reject/",
        lore_views.lore_review_view,
        {"decision": "reject"},
        name="lore-reject",
    ),
    path("conversations/", talk_views.conversations_page, name="conversations"),
    path("worlds/<uuid:ecosystem_id>/talk/<uuid:character_id>/", talk_views.talk, name="talk"),
    path(
        "worlds/<uuid:ecosystem_id>/talk/<uuid:character_id>/start/",
        talk_views.talk_start,
        name="talk-start",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/talk/<uuid:character_id>/say/",
        talk_views.talk_say,
        name="talk-say",
    ),
    path("worlds/<uuid:ecosystem_id>/rooms/", room_views.rooms, name="rooms"),
    path("worlds/<uuid:ecosystem_id>/rooms/new/", room_views.rooms_create, name="rooms-create"),
    path("worlds/<uuid:ecosystem_id>/rooms/<uuid:room_id>/", room_views.room, name="room"),
    path(
        "worlds/<uuid:ecosystem_id>/rooms/<uuid:room_id>/join/",
        room_views.room_join_view,
        name="room-join",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/rooms/<uuid:room_id>/say/",
        room_views.room_say,
        name="room-say",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/rooms/<uuid:room_id>/leave/",
        room_views.room_leave_view,
        name="room-leave",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/characters/<uuid:character_id>/card.<str:fmt>",
        card_views.character_card_download,
        name="character-card",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/characters/import/",
        card_views.character_card_import,
        name="character-card-import",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/model-servers/",
        world_settings.model_servers_page,
        name="world-model-servers",
    ),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
