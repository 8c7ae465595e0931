"""Staff admin for characters and memories. The creators' studio reuses the character layout."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from characters.models import BIG_FIVE, Character, Memory, MemoryConsolidation
from characters.services import character_duplicate

CHARACTER_FIELDSETS = [
    ("Identity", {"fields": ["ecosystem", "name", "is_active"]}),
    (
        "Personality",
        {"fields": list(BIG_FIVE), "description": "The Big Five, each between 0 and 1."},
    ),
    (
        "Values and goals",
        {"fields": ["values", "core_motivations", "long_term_goals", "short_term_goals"]},
    ),
    ("Feelings", {"fields": ["emotions", "social_energy", "autonomy_level"]}),
    ("Voice", {"fields": ["speaking_style"]}),
    ("Backstory and secrets", {"fields": ["backstory", "secrets", "memory_summary"]}),
]


UNIT_INTERVAL_FIELDS = (*BIG_FIVE, "social_energy", "autonomy_level")


class CharacterForm(forms.ModelForm):
    """Says which range a trait takes and what was entered, in place of the bare bound."""

    class Meta:
        model = Character
        fields = [field for _, options in CHARACTER_FIELDSETS for field in options["fields"]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in UNIT_INTERVAL_FIELDS:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"min": 0, "max": 1})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in UNIT_INTERVAL_FIELDS:
            value = cleaned.get(name)
            if value is not None and not 0.0 <= value <= 1.0:
                label = self.fields[name].label
                self.add_error(name, f"{label} must be between 0 and 1; you entered {value}.")
        return cleaned


@admin.action(description="Duplicate selected characters", permissions=["add"])
def duplicate_characters(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Character]
) -> None:
    copies = [character_duplicate(character=character) for character in queryset]
    names = ", ".join(copy.name for copy in copies)
    modeladmin.message_user(
        request, f"Duplicated {len(copies)} character(s): {names}.", messages.SUCCESS
    )


@admin.register(Character)
class CharacterAdmin(admin.ModelAdmin):
    list_display = ["name", "ecosystem", "is_active", *BIG_FIVE, "updated_at"]
    list_filter = ["is_active", "ecosystem"]
    search_fields = ["name", "backstory", "ecosystem__name"]
    list_select_related = ["ecosystem"]
    form = CharacterForm
    fieldsets = CHARACTER_FIELDSETS
    actions = [duplicate_characters]


@admin.register(Memory)
class MemoryAdmin(admin.ModelAdmin):
    list_display = ["character", "kind", "importance", "tick", "consolidated", "created_at"]
    list_filter = ["kind", "importance", "consolidated"]
    search_fields = ["content", "character__name"]
    list_select_related = ["character"]
    raw_id_fields = ["character", "evidence"]
    # The vector is machine-written and 256 numbers long; it is never authored by hand.
    exclude = ["embedding"]
    readonly_fields = ["created_at", "last_accessed_at", "last_accessed_tick"]


@admin.register(MemoryConsolidation)
class MemoryConsolidationAdmin(admin.ModelAdmin):
    """The consolidation history, written by ``memory_consolidate``: read-only."""

    list_display = ["character", "tick", "memory_count", "drift", "created_at"]
    list_filter = ["character__ecosystem"]
    search_fields = ["summary", "character__name"]
    list_select_related = ["character"]
    readonly_fields = ["character", "tick", "summary", "memory_count", "drift", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
