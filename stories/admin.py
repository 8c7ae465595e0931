"""Staff admin for stories (read mostly: stories are written by sifting, not by hand)."""

from __future__ import annotations

from django.contrib import admin

from stories.models import SiftCursor, Story, StoryBeat, StoryExport


class StoryBeatInline(admin.TabularInline):
    model = StoryBeat
    extra = 0
    fields = ["seq", "tick", "kind", "label", "text"]
    readonly_fields = fields
    can_delete = False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "ecosystem", "genre", "status", "tension", "updated_tick"]
    list_filter = ["status", "genre"]
    search_fields = ["title", "summary", "ecosystem__name"]
    readonly_fields = ["key", "pattern", "tension_curve", "cast", "predictions", "last_seq",
                       "revision", "started_tick", "updated_tick"]  # fmt: skip
    inlines = [StoryBeatInline]


@admin.register(SiftCursor)
class SiftCursorAdmin(admin.ModelAdmin):
    list_display = ["ecosystem", "last_seq", "updated_at"]
    readonly_fields = ["last_seq", "sifter_state", "board_state", "drama_state"]


@admin.register(StoryExport)
class StoryExportAdmin(admin.ModelAdmin):
    list_display = ["user", "story", "format", "created_at"]
    list_filter = ["format"]
