"""Dramatis Studio: the creators' admin at ``/studio/``.

Any active signed-in user is a creator here, staff or not. Creators hold no Django model
permissions; ownership is the permission: a creator sees, picks and changes only worlds they
own and the characters, relationships and scenarios in them. Anything else does not exist
for them (the admin answers "doesn't exist" for another creator's object by URL).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.forms import AuthenticationForm
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse_lazy

from billing.limits import plan_within_check
from characters.admin import CHARACTER_FIELDSETS, CharacterForm
from characters.admin import duplicate_characters as duplicate_characters_unlimited
from characters.models import BIG_FIVE, Character
from characters.services import character_limit_check, character_save
from core.errors import PlanLimitReached
from ecosystems.access import can_edit, editable_worlds
from ecosystems.admin import (
    CharacterInline,
    EcosystemAdminBase,
    RelationshipForm,
    RelationshipInline,
    ScenarioForm,
)
from ecosystems.models import Ecosystem, Relationship, Scenario
from ecosystems.quotas import relationship_limit_check


def _is_creator(request: HttpRequest) -> bool:
    """Every active signed-in user creates; staff status and model permissions do not matter."""
    return request.user.is_active and request.user.is_authenticated


class StudioSite(admin.AdminSite):
    site_header = "Dramatis Studio"
    site_title = "Dramatis Studio"
    index_title = "Your worlds and characters"
    site_url = reverse_lazy("dashboard")
    # Django's admin login refuses non-staff; creators sign in with the plain form.
    login_form = AuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return _is_creator(request)


studio_site = StudioSite(name="studio")


class OwnedChoicesMixin:
    """Foreign-key and many-to-many choices offer only the creator's worlds and characters."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        kwargs["queryset"] = _owned_choices(db_field.related_model, request, kwargs)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        _label_characters_with_world(field, db_field.related_model)
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        kwargs["queryset"] = _owned_choices(db_field.related_model, request, kwargs)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        _label_characters_with_world(field, db_field.related_model)
        return field


def _owned_choices(model: type[models.Model], request: HttpRequest, kwargs: dict) -> QuerySet:
    if model is Ecosystem:
        return editable_worlds(request.user)
    if model is Character:
        return Character.objects.filter(ecosystem__in=editable_worlds(request.user)).select_related(
            "ecosystem"
        )
    # Nothing else is offered in the studio; an unexpected relation offers no choices at all.
    return kwargs["queryset"] if "queryset" in kwargs else model._default_manager.none()


def _label_characters_with_world(field: forms.Field | None, model: type[models.Model]) -> None:
    # Two worlds may both have an "Alice": say whose.
    if field is not None and model is Character:
        field.label_from_instance = _character_with_world  # type: ignore[attr-defined]


def _character_with_world(character: Character) -> str:
    return f"{character.name} ({character.ecosystem.name})"


class OwnedAdmin(OwnedChoicesMixin, admin.ModelAdmin):
    """A model admin scoped to what the creator may edit (``ecosystems.access``):
    ``world_lookup`` leads from the model to its world."""

    world_lookup = "ecosystem"

    def world_of(self, obj: models.Model) -> Ecosystem:
        return obj.ecosystem  # type: ignore[attr-defined]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        worlds = editable_worlds(request.user)
        return super().get_queryset(request).filter(**{f"{self.world_lookup}__in": worlds})

    def _owns(self, request: HttpRequest, obj: models.Model | None) -> bool:
        return _is_creator(request) and (obj is None or can_edit(request.user, self.world_of(obj)))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_creator(request)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._owns(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_creator(request)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._owns(request, obj)


class OwnedInlineMixin(OwnedChoicesMixin):
    """Inline permissions follow the parent object, which the creator owns (or is adding)."""

    def _owns_parent(self, request: HttpRequest, obj: models.Model | None) -> bool:
        if not _is_creator(request):
            return False
        if obj is None:
            return True
        world = obj if isinstance(obj, Ecosystem) else obj.ecosystem  # type: ignore[attr-defined]
        return can_edit(request.user, world)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._owns_parent(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None) -> bool:
        return self._owns_parent(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._owns_parent(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._owns_parent(request, obj)


# --- Plan limits: the studio refuses what the API refuses (ecosystems/quotas.py) ----------------
# The admin runs a whole change form in one transaction, so the subscription row the check
# locks stays locked until the new rows are saved: two tabs cannot both add the last one.


def _within_problem(owner: Any) -> str | None:
    """Why nothing may be authored while ``owner`` holds more than their plan allows (after a
    downgrade), or ``None``. Deleting stays allowed: it is the way back within the plan."""
    if owner is None:
        return None
    try:
        plan_within_check(owner=owner)
    except PlanLimitReached as error:
        return error.message
    return None


def _limit_problem(check: Any, owner: Any, adding: int) -> str | None:
    if adding <= 0 or owner is None:
        return None
    try:
        check(owner=owner, adding=adding)
    except PlanLimitReached as error:
        return error.message
    return None


class StudioCharacterForm(CharacterForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        world = cleaned.get("ecosystem")
        adding = int(self.instance._state.adding and world is not None)
        owner = getattr(world, "owner", None)
        if problem := _within_problem(owner) or _limit_problem(
            character_limit_check, owner, adding
        ):
            raise forms.ValidationError(problem, code="plan_limit")
        return cleaned


class StudioRelationshipForm(RelationshipForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        source = cleaned.get("source")
        owner = source.ecosystem.owner if source is not None else None
        adding = int(self.instance._state.adding)
        if problem := _within_problem(owner) or _limit_problem(
            relationship_limit_check, owner, adding
        ):
            raise forms.ValidationError(problem, code="plan_limit")
        return cleaned


class PlanLimitedFormSet(forms.BaseInlineFormSet):
    """Rows added through an inline count against the creator's plan, all at once."""

    limit_check: Any = None
    studio_owner: Any = None

    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        adding = sum(1 for form in kept if form.instance._state.adding)
        within = _within_problem(self.studio_owner) if kept else None  # deleting stays open
        if problem := within or _limit_problem(type(self).limit_check, self.studio_owner, adding):
            raise forms.ValidationError(problem, code="plan_limit")


class CharacterLimitedFormSet(PlanLimitedFormSet):
    limit_check = staticmethod(character_limit_check)


class RelationshipLimitedFormSet(PlanLimitedFormSet):
    limit_check = staticmethod(relationship_limit_check)


class PlanLimitedInlineMixin:
    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        return type(formset.__name__, (formset,), {"studio_owner": request.user})


class StudioCharacterInline(PlanLimitedInlineMixin, OwnedInlineMixin, CharacterInline):
    formset = CharacterLimitedFormSet


class StudioRelationshipInline(PlanLimitedInlineMixin, OwnedInlineMixin, RelationshipInline):
    formset = RelationshipLimitedFormSet


@admin.action(description="Duplicate selected characters", permissions=["add"])
def duplicate_characters(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Character]
) -> None:
    """The plain duplicate action, within the creator's plan."""
    with transaction.atomic():
        problem = _limit_problem(character_limit_check, request.user, queryset.count())
        if problem is None:
            duplicate_characters_unlimited(modeladmin, request, queryset)
    if problem is not None:
        modeladmin.message_user(request, problem, messages.ERROR)


@admin.register(Ecosystem, site=studio_site)
class StudioEcosystemAdmin(OwnedAdmin, EcosystemAdminBase):
    world_lookup = "pk"
    exclude = ["owner"]
    # Run state changes through the Start and Pause actions, which schedule the ticks.
    readonly_fields = ["status", "current_tick", "next_tick_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "setting", "visibility"]}),
        ("Clock", {"fields": ["tick_interval_seconds", "minutes_per_tick", "world_start", "seed"]}),
        ("Pacing", {"fields": ["drama_manager"]}),
        ("Run state", {"fields": ["status", "current_tick", "next_tick_at"]}),
    ]
    inlines = [StudioCharacterInline]

    def world_of(self, obj: models.Model) -> Ecosystem:
        return obj  # type: ignore[return-value]

    def get_form(
        self,
        request: HttpRequest,
        obj: Ecosystem | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"studio_owner": request.user})

    def save_model(
        self, request: HttpRequest, obj: Ecosystem, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)


@admin.register(Character, site=studio_site)
class StudioCharacterAdmin(OwnedAdmin):
    list_display = ["name", "ecosystem", "is_active", *BIG_FIVE]
    list_filter = ["is_active", ("ecosystem", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "backstory"]
    list_select_related = ["ecosystem"]
    form = StudioCharacterForm
    fieldsets = CHARACTER_FIELDSETS
    inlines = [StudioRelationshipInline]
    actions = [duplicate_characters]

    def save_model(
        self, request: HttpRequest, obj: Character, form: forms.ModelForm, change: bool
    ) -> None:
        character_save(character=obj)  # the same service (and plan check) as the API


@admin.register(Relationship, site=studio_site)
class StudioRelationshipAdmin(OwnedAdmin):
    form = StudioRelationshipForm
    list_display = ["source", "target", "kind", "strength", "trust", "ecosystem"]
    list_filter = ["kind", ("ecosystem", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["source__name", "target__name"]
    list_select_related = ["source", "target", "ecosystem"]


@admin.register(Scenario, site=studio_site)
class StudioScenarioAdmin(OwnedAdmin):
    form = ScenarioForm
    list_display = ["title", "ecosystem", "status", "is_template", "started_at"]
    list_filter = ["status", "is_template", ("ecosystem", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "setting", "mood"]
    list_select_related = ["ecosystem"]
    filter_horizontal = ["characters"]
    readonly_fields = ["started_at"]
