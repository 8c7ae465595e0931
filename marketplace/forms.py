"""Forms of the publisher's pages: publish a listing, publish an update, change the cover. Each
parses a POST into the arguments of one service call; the services keep the domain rules,
and ``errors_onto`` puts what they refuse back on the form, next to the field to fix."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.errors import DomainError
from marketplace.content import Sources
from marketplace.covers import COVER_BOX, COVER_MAX_BYTES, cover_size_check
from marketplace.models import Listing
from marketplace.services import MAX_TAGS

COVER_ACCEPT = "image/png,image/jpeg,image/webp,image/gif"
SOURCE_FIELDS = {"world": "world", "character": "character", "scenario": "scenario"}


def _grouped(items: list[Any], label: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Characters or scenarios as ``<optgroup>``s, one per world, in the given order."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in items:
        groups[item.ecosystem.name].append((str(item.pk), getattr(item, label)))
    return list(groups.items())


class CoverField(forms.FileField):
    widget = forms.FileInput(attrs={"accept": COVER_ACCEPT})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Cover image")
        kwargs.setdefault(
            "help_text",
            f"PNG, JPEG, WebP or GIF, at most {COVER_MAX_BYTES // (1024 * 1024)} MiB; shown at "
            f"{COVER_BOX[0]}x{COVER_BOX[1]} (16:9) and scaled down to fit.",
        )
        super().__init__(**kwargs)


class ListingPublishForm(forms.Form):
    """One listing: which of the publisher's own things it packages, and how it is shown.
    The source is chosen in the select of the chosen kind (a page without JavaScript shows
    all three); only your own worlds, characters and scenarios are offered or accepted."""

    kind = forms.ChoiceField(
        label="Kind",
        choices=Listing.Kind.choices,
        initial=Listing.Kind.WORLD,
        help_text="Then choose which one in its list below.",
    )
    world = forms.ChoiceField(label="World", required=False, help_text="Your worlds.")
    character = forms.ChoiceField(
        label="Character", required=False, help_text="Your characters, by world."
    )
    scenario = forms.ChoiceField(
        label="Scenario", required=False, help_text="Your scenarios, by world."
    )
    title = forms.CharField(label="Title", max_length=120)
    summary = forms.CharField(
        label="Summary",
        max_length=500,
        required=False,
        help_text="One or two sentences for the listing's card.",
    )
    description = forms.CharField(
        label="Description",
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    tags = forms.CharField(
        label="Tags",
        max_length=500,
        required=False,
        help_text=f"Separated by commas, at most {MAX_TAGS}: romance, mystery, cozy.",
    )
    genre = forms.CharField(label="Genre", max_length=32, required=False)
    licence = forms.ChoiceField(
        label="Licence",
        choices=Listing.Licence.choices,
        initial=Listing.Licence.CC_BY,
        help_text="What installers may do with their copies.",
    )
    mature = forms.BooleanField(
        label="Mature content",
        required=False,
        help_text="For adults only: the listing is blurred until a visitor chooses to see it.",
    )
    cover = CoverField(required=False)
    changelog = forms.CharField(
        label="Changelog",
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What version 1.0 holds, for the reviewers and installers.",
    )

    def __init__(self, *args: Any, sources: Sources, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["world"].choices = [("", "—")] + [(str(w.pk), w.name) for w in sources.worlds]
        fields["character"].choices = [("", "—"), *_grouped(sources.characters, "name")]
        fields["scenario"].choices = [("", "—"), *_grouped(sources.scenarios, "title")]
        for name, noun in SOURCE_FIELDS.items():
            fields[name].error_messages["invalid_choice"] = (
                f"Choose one of your own {noun}s: a listing packages your own {noun}."
            )

    def clean_tags(self) -> list[str]:
        tags = [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
        long = [t for t in tags if len(t) > 32]
        if long:
            raise ValidationError(f"Tags are at most 32 characters; shorten {long[0][:40]!r}.")
        return tags

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if (
            kind in SOURCE_FIELDS
            and not data.get(SOURCE_FIELDS[kind])
            and not self.has_error(SOURCE_FIELDS[kind])
        ):
            noun = SOURCE_FIELDS[kind]
            self.add_error(noun, f"Choose which of your {noun}s to publish.")
        return data

    @property
    def source_field(self) -> str:
        return SOURCE_FIELDS.get(self.cleaned_data.get("kind", ""), "world")

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as ``listing_create``'s keyword arguments."""
        data = self.cleaned_data
        upload = data.get("cover")
        return {
            "kind": data["kind"],
            "source_id": data[self.source_field],
            "title": data["title"],
            "summary": data["summary"],
            "description": data["description"],
            "tags": data["tags"],
            "genre": data["genre"],
            "licence": data["licence"],
            "mature": data["mature"],
            "changelog": data["changelog"],
            "cover": upload.read() if upload else None,
            "cover_type_hint": (upload.content_type or "") if upload else "",
        }

    def clean_cover(self) -> Any:
        return cover_upload_check(self.cleaned_data.get("cover"))


def cover_upload_check(upload: Any) -> Any:
    """Refuse an upload whose size is over the limit before it is read."""
    if upload is not None:
        try:
            cover_size_check(upload.size)
        except DomainError as error:
            raise ValidationError(error.message) from None
    return upload


class VersionCreateForm(forms.Form):
    changelog = forms.CharField(
        label="Changelog",
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What changed since the last version: reviewers and installers read it.",
    )
    number = forms.CharField(
        label="Version number",
        max_length=16,
        required=False,
        help_text="MAJOR.MINOR, higher than every earlier one; empty: the next minor number.",
    )


class CoverForm(forms.Form):
    cover = CoverField(required=False)

    def clean_cover(self) -> Any:
        return cover_upload_check(self.cleaned_data.get("cover"))


# Where a service's ``details`` field is shown on a form (service argument -> form field).
DETAIL_FIELDS = {"file": "cover"}


def errors_onto(
    form: forms.Form, error: DomainError | ValidationError, *, fallback: str | None = None
) -> None:
    """Show a refused service call on ``form``. A domain error's message (it says what to
    do) goes next to the first field its details name, else next to ``fallback``, else above
    the form; a model's validation errors go next to their fields."""
    if isinstance(error, ValidationError):
        details = error.message_dict if hasattr(error, "error_dict") else {}
        placed = False
        for key, messages in details.items():
            if DETAIL_FIELDS.get(key, key) in form.fields:
                for text in messages:
                    form.add_error(DETAIL_FIELDS.get(key, key), text)
                placed = True
        if not placed:
            form.add_error(fallback, " ".join(error.messages))
        return
    fields = [DETAIL_FIELDS.get(k, k) for k in error.details]
    field = next((f for f in fields if f in form.fields), fallback)
    form.add_error(field, error.message)
