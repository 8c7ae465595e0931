"""Forms of the creator's pages. Each parses a POST into the arguments of one service call;
the services validate the domain rules and the views show their messages."""

from __future__ import annotations

from typing import Any

from django import forms

from characters.engine.interactions import CATALOGUE
from ecosystems.models import Ecosystem
from ecosystems.selectors import characters_for_world
from ecosystems.services.director import INTERVENTION_KINDS, TEXT_MAX_LENGTH

INTERVENTION_LABELS = {
    "whisper": "Whisper a thought",
    "meet": "Make two characters meet",
    "rumour": "Start a rumour (teller, subject)",
    "lost_object": "A lost object (finder, owner)",
    "invitation": "An invitation (host, guest)",
    "storm": "A storm keeps everyone inside",
    "custom": "Something else happens",
}


class WorldCreateForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    setting = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Where and when the world takes place.",
    )
    visibility = forms.ChoiceField(
        choices=Ecosystem.Visibility.choices,
        initial=Ecosystem.Visibility.PRIVATE,
        help_text="A public world can be watched by any signed-in user; only you can act in it.",
    )


class BundleImportForm(forms.Form):
    """A world bundle file (``.dramatis.json``) to import as a new world. Prefixed: it sits on
    the dashboard beside the new-world form, whose ``name`` field would share its ids."""

    prefix = "bundle"

    file = forms.FileField(
        label="Bundle file",
        help_text="A .dramatis.json file exported from Dramatis (Export bundle on a world).",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    name = forms.CharField(
        label="Name of the new world",
        max_length=120,
        required=False,
        help_text="Leave empty to keep the bundle's name.",
    )


class _WorldForm(forms.Form):
    """A form whose character choices are the characters of one world."""

    character_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, ecosystem: Ecosystem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(str(c.pk), c.name) for c in characters_for_world(ecosystem=ecosystem)]
        for name in self.character_fields:
            field = self.fields[name]
            blank = [] if isinstance(field, forms.MultipleChoiceField) else [("", "—")]
            field.choices = blank + people


class InterventionForm(_WorldForm):
    character_fields = ("first", "second")

    kind = forms.ChoiceField(choices=[(k, INTERVENTION_LABELS[k]) for k in INTERVENTION_KINDS])
    first = forms.ChoiceField(required=False, label="Character")
    second = forms.ChoiceField(required=False, label="Second character")
    text = forms.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def character_ids(self) -> list[str]:
        return [c for c in (self.cleaned_data["first"], self.cleaned_data["second"]) if c]


class ScenarioForm(_WorldForm):
    character_fields = ("characters",)

    title = forms.CharField(max_length=160)
    setting = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    mood = forms.CharField(max_length=64, required=False, help_text="Tense, festive, eerie…")
    characters = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False, help_text="Who takes part."
    )
    primary = forms.CharField(
        label="Primary objective", max_length=300, required=False, help_text="What all pursue."
    )
    subplots = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="One per line."
    )
    hidden = forms.CharField(
        label="Hidden objectives",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One per line; each goes secretly to one character and is never announced.",
    )
    save_as_template = forms.BooleanField(
        required=False, help_text="Keep it as a reusable template instead of a draft to start."
    )

    def objectives(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "primary": data["primary"],
            "subplots": data["subplots"].splitlines(),
            "hidden": data["hidden"].splitlines(),
        }


class SceneForm(_WorldForm):
    character_fields = ("initiator", "target")

    initiator = forms.ChoiceField()
    target = forms.ChoiceField(label="With")
    interaction_type = forms.ChoiceField(
        label="Interaction",
        choices=[(kind, t.label) for kind, t in CATALOGUE.items()],
    )
    content = forms.CharField(
        label="What they say",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty to let the character find the words.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("initiator") and data.get("initiator") == data.get("target"):
            self.add_error("target", "Choose someone other than the initiator.")
        return data


class ModelServerForm(forms.Form):
    """One server of a world's own chain; a row left without a URL is dropped."""

    base_url = forms.CharField(
        label="Base URL", max_length=500, required=False,
        help_text="Up to and including /v1, e.g. https://api.groq.com/openai/v1",
    )  # fmt: skip
    model = forms.CharField(max_length=200, required=False)
    api_key = forms.CharField(
        label="API key", max_length=500, required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted and never shown again. Leave empty to keep the stored key.",
    )  # fmt: skip
    no_key = forms.BooleanField(label="This server needs no key", required=False)

    def entry(self) -> dict[str, Any] | None:
        """The service's arguments for this row, or None for an empty row."""
        data = self.cleaned_data
        if not data.get("base_url"):
            return None
        key = "" if data.get("no_key") else (data.get("api_key") or None)
        return {"base_url": data["base_url"], "model": data.get("model", ""), "api_key": key}


ModelServerFormSet = forms.formset_factory(ModelServerForm, extra=0)
