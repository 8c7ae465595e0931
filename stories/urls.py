from django.urls import path

from stories import views

urlpatterns = [
    path("worlds/<uuid:ecosystem_id>/", views.observatory, name="observatory"),
    path("worlds/<uuid:ecosystem_id>/stories/", views.story_board, name="story-board"),
    path("worlds/<uuid:ecosystem_id>/society/", views.society, name="society"),
    path("worlds/<uuid:ecosystem_id>/analytics/", views.analytics, name="world-analytics"),
    path(
        "worlds/<uuid:ecosystem_id>/stories/<uuid:story_id>/",
        views.story_detail,
        name="story-detail",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/stories/<uuid:story_id>/card/",
        views.story_card,
        name="story-card",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/stories/<uuid:story_id>/notes/",
        views.story_notes,
        name="story-notes",
    ),
    path(
        "worlds/<uuid:ecosystem_id>/stories/<uuid:story_id>/export/",
        views.story_export_view,
        name="story-export",
    ),
]
