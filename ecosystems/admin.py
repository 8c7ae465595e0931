"""Staff admin for worlds and what lives in them. The creators' studio (``studio.py``) reuses
the forms, actions and inlines defined here, scoped to what each creator owns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import HttpRequest

from characters.admin import CharacterForm
from characters.models import BIG_FIVE, Character
from core.errors import DomainError
from ecosystems.models import (
    BookImport,
    Conversation,
    ConversationMessage,
    ConversationParticipant,
    Ecosystem,
    Event,
    Interaction,
    LoreEntry,
    PlanHold,
    Relationship,
    Scenario,
)
from ecosystems.services import ecosystem_pause, ecosystem_save, ecosystem_start
from ecosystems.services.lore import lore_review

# --- Forms ---------------------------------------------------------------------------------------


class EcosystemForm(forms.ModelForm):
    """Slug optional (derived from the name on save) and unique among the owner's worlds.

    The studio sets ``studio_owner`` on the class because there the owner is not a form field.
    """

    studio_owner: AbstractBaseUser | None = None

    class Meta:
        model = Ecosystem
        fields = [
            "owner",
            "name",
            "slug",
            "description",
            "setting",
            "status",
            "visibility",
            "tick_interval_seconds",
            "minutes_per_tick",
            "world_start",
            "current_tick",
            "next_tick_at",
            "seed",
            "drama_manager",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = (
                "The world's address, unique among your worlds. Leave empty to derive it "
                "from the name."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        owner = cleaned.get("owner") or self.studio_owner
        slug = cleaned.get("slug")
        if owner is not None and slug:
            clash = Ecosystem.objects.filter(owner=owner, slug=slug).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "slug",
                    f"Another of your worlds already uses the slug {slug!r}. "
                    "Choose another or leave it empty.",
                )
        return cleaned


class RelationshipForm(forms.ModelForm):
    """A relationship lives in its source's world; both characters must share it."""

    class Meta:
        model = Relationship
        fields = ["source", "target", "kind", "strength", "trust", "familiarity", "attraction"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        if source is None or target is None:
            return cleaned
        if source.pk == target.pk:
            self.add_error("target", "A character cannot have a relationship with itself.")
        elif source.ecosystem_id != target.ecosystem_id:
            self.add_error(
                "target",
                f"{target.name} lives in another world than {source.name}; "
                "a relationship joins two characters of the same world.",
            )
        else:
            self.instance.ecosystem_id = source.ecosystem_id
        return cleaned


class ScenarioForm(forms.ModelForm):
    """The cast of a scenario comes from the scenario's own world."""

    class Meta:
        model = Scenario
        fields = [
            "ecosystem",
            "title",
            "setting",
            "mood",
            "characters",
            "objectives",
            "status",
            "is_template",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        ecosystem, cast = cleaned.get("ecosystem"), cleaned.get("characters")
        if ecosystem is not None and cast is not None:
            outsiders = [c.name for c in cast if c.ecosystem_id != ecosystem.pk]
            if outsiders:
                self.add_error(
                    "characters",
                    f"{', '.join(outsiders)} not in {ecosystem.name}; "
                    "cast characters of the scenario's world.",
                )
        return cleaned


# --- Actions -------------------------------------------------------------------------------------


def _run_control(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Ecosystem],
    *,
    service: Callable[..., Ecosystem],
    done: str,
) -> None:
    changed: list[str] = []
    for ecosystem in queryset:
        try:
            service(ecosystem=ecosystem)
        except DomainError as error:
            modeladmin.message_user(request, error.message, messages.ERROR)
        else:
            changed.append(ecosystem.name)
    if changed:
        modeladmin.message_user(request, f"{done}: {', '.join(changed)}.", messages.SUCCESS)


@admin.action(description="Start selected worlds", permissions=["change"])
def start_ecosystems(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Ecosystem]
) -> None:
    _run_control(modeladmin, request, queryset, service=ecosystem_start, done="Started")


@admin.action(description="Pause selected worlds", permissions=["change"])
def pause_ecosystems(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Ecosystem]
) -> None:
    _run_control(modeladmin, request, queryset, service=ecosystem_pause, done="Paused")


# --- Inlines -------------------------------------------------------------------------------------


class CharacterInline(admin.TabularInline):
    model = Character
    form = CharacterForm
    fields = ["name", "is_active", *BIG_FIVE]
    extra = 1
    show_change_link = True


class RelationshipInline(admin.TabularInline):
    """A character's outgoing relationships: how it regards the others."""

    model = Relationship
    form = RelationshipForm
    fk_name = "source"
    fields = ["target", "kind", "strength", "trust", "familiarity", "attraction"]
    extra = 1
    verbose_name = "relationship (how this character regards another)"
    verbose_name_plural = "relationships (how this character regards others)"


# --- Model admins --------------------------------------------------------------------------------


class EcosystemAdminBase(admin.ModelAdmin):
    form = EcosystemForm
    list_display = ["name", "status", "visibility", "current_tick", "created_at"]
    list_filter = ["status", "visibility"]
    search_fields = ["name", "slug", "description"]
    readonly_fields = ["current_tick", "next_tick_at", "created_at", "updated_at"]
    inlines = [CharacterInline]
    actions = [start_ecosystems, pause_ecosystems]

    def save_model(
        self, request: HttpRequest, obj: Ecosystem, form: forms.ModelForm, change: bool
    ) -> None:
        ecosystem_save(ecosystem=obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        # The event log is read-only on its own, but a deleted world takes its log with it.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(Event._meta.verbose_name)
        return deleted, model_count, perms_needed, protected


@admin.register(Ecosystem)
class EcosystemAdmin(EcosystemAdminBase):
    list_display = ["name", "owner", "status", "visibility", "current_tick", "created_at"]
    search_fields = ["name", "slug", "description", "owner__username", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["owner", "name", "slug", "description", "setting", "visibility"]}),
        ("Clock", {"fields": ["tick_interval_seconds", "minutes_per_tick", "world_start", "seed"]}),
        ("Pacing", {"fields": ["drama_manager"]}),
        ("Run state", {"fields": ["status", "paused_by_plan", "current_tick", "next_tick_at"]}),
    ]
    readonly_fields = [*EcosystemAdminBase.readonly_fields, "paused_by_plan"]
    list_filter = [*EcosystemAdminBase.list_filter, "paused_by_plan"]


@admin.register(PlanHold)
class PlanHoldAdmin(admin.ModelAdmin):
    """Owners a plan change left over their plan (read-only until they fit). Deleting one lifts
    the refusals at once; their worlds paused by the plan stay paused until started."""

    list_display = ["owner", "plan", "since"]
    search_fields = ["owner__username", "owner__email"]
    list_select_related = ["owner", "plan"]
    readonly_fields = ["owner", "plan", "since"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(BookImport)
class BookImportAdmin(admin.ModelAdmin):
    """Uploaded books and their analyses, for support: read-only (the owner reviews and makes
    the world on the import's page); deleting one deletes no world."""

    list_display = ["filename", "owner", "format", "status", "progress", "world", "created_at"]
    list_filter = ["status", "format"]
    search_fields = ["filename", "owner__username", "owner__email"]
    list_select_related = ["owner", "world"]
    exclude = ["text", "result"]
    readonly_fields = ["owner", "filename", "format", "size_bytes", "file_title", "file_author",
                       "status", "progress", "stage", "error", "world", "created_at",
                       "updated_at", "finished_at"]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    form = RelationshipForm
    list_display = ["source", "target", "kind", "strength", "trust", "ecosystem", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["source__name", "target__name", "ecosystem__name"]
    list_select_related = ["source", "target", "ecosystem"]
    raw_id_fields = ["source", "target"]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["initiator", "interaction_type", "target", "ecosystem", "tick", "created_at"]
    list_filter = ["interaction_type"]
    search_fields = ["content", "response", "initiator__name", "target__name", "ecosystem__name"]
    list_select_related = ["initiator", "target", "ecosystem"]
    raw_id_fields = ["ecosystem", "initiator", "target"]
    date_hierarchy = "created_at"


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The log is written by services only; staff read it here."""

    list_display = ["seq", "kind", "tick", "ecosystem", "created_at"]
    list_filter = ["kind"]
    search_fields = ["kind", "ecosystem__name"]
    list_select_related = ["ecosystem"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    form = ScenarioForm
    list_display = ["title", "ecosystem", "status", "is_template", "started_at", "created_at"]
    list_filter = ["status", "is_template"]
    search_fields = ["title", "setting", "mood", "ecosystem__name"]
    list_select_related = ["ecosystem"]
    raw_id_fields = ["ecosystem", "characters"]
    readonly_fields = ["started_at"]


class ConversationMessageInline(admin.TabularInline):
    model = ConversationMessage
    fields = ["seq", "speaker_kind", "character", "persona", "text", "intent", "sentiment"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class ConversationParticipantInline(admin.TabularInline):
    model = ConversationParticipant
    fields = ["persona", "user", "joined_at", "left_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "ecosystem", "user", "status", "goal", "goal_progress",
                    "last_message_at"]  # fmt: skip
    list_filter = ["kind", "status"]
    search_fields = ["persona__name", "title", "goal", "user__username"]
    raw_id_fields = ["ecosystem", "user", "persona", "characters"]
    readonly_fields = ["goal_parsed", "goal_start", "goal_progress", "goal_completed_at",
                       "last_message_at"]  # fmt: skip
    inlines = [ConversationParticipantInline, ConversationMessageInline]


def _review_lore(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[LoreEntry], decision: str
) -> None:
    done = 0
    for entry in queryset.select_related("ecosystem"):
        try:
            lore_review(entry=entry, decision=decision)
            done += 1
        except DomainError as error:
            modeladmin.message_user(request, f"{entry}: {error.message}", messages.WARNING)
    if done:
        modeladmin.message_user(request, f"{decision.capitalize()}d {done} lore entries.")


@admin.action(description="Approve selected lore entries", permissions=["change"])
def approve_lore(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[LoreEntry]
) -> None:
    _review_lore(modeladmin, request, queryset, "approve")


@admin.action(description="Reject selected lore entries", permissions=["change"])
def reject_lore(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[LoreEntry]
) -> None:
    _review_lore(modeladmin, request, queryset, "reject")


@admin.register(LoreEntry)
class LoreEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "ecosystem", "visibility", "group", "status", "score", "created_at"]
    list_filter = ["status", "visibility"]
    search_fields = ["title", "text", "ecosystem__name"]
    list_select_related = ["ecosystem"]
    raw_id_fields = ["ecosystem", "author"]
    filter_horizontal = ["knowers"]
    exclude = ["embedding"]  # derived from the title and text by the lore service
    readonly_fields = ["score"]
    actions = [approve_lore, reject_lore]
