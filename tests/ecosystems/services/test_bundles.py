"""World bundles and scenario packages: export, validate, import (issue 14, item 1)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from billing.models import Plan, Subscription
from characters.models import Character, Memory
from core.errors import InvalidInput, PlanLimitReached
from ecosystems.bundles import (
    bundle_export,
    bundle_import,
    bundle_validate,
    scenario_package_export,
    scenario_package_import,
)
from ecosystems.demo import demo_world_seed
from ecosystems.models import Ecosystem, Event, LoreEntry, Relationship, Scenario
from ecosystems.services import ecosystem_run_ticks
from ecosystems.services.lore import lore_create
from tests.factories import CharacterFactory, EcosystemFactory, ScenarioFactory

pytestmark = pytest.mark.django_db

HIDDEN = "Diana must not be found out before the tea"


def _on_plan(user, code: str) -> None:
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code=code))


def _demo_with_scenario(owner) -> Ecosystem:
    world = demo_world_seed(owner=owner).ecosystem
    cast = list(Character.objects.filter(ecosystem=world, name__in=["Diana", "Eve"]))
    ScenarioFactory(
        ecosystem=world,
        title="The locket",
        setting="The rose maze at four",
        mood="tense",
        characters=cast,
        objectives={"primary": "Find the locket", "subplots": ["Tea"], "hidden": [HIDDEN]},
    )
    return world


def _without_volatile(document: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(document)
    out.pop("exported_at")
    out["world"].pop("name")
    return out


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Ecosystem, Character, Relationship, Scenario)
    }


def _minimal(**world: Any) -> dict[str, Any]:
    return {
        "format": "dramatis.world",
        "version": 1,
        "world": {"name": "Tea", **world},
        "characters": [{"key": "a", "name": "Ann"}, {"key": "b", "name": "Ben"}],
        "relationships": [{"source": "a", "target": "b", "kind": "friend", "strength": 0.4}],
        "scenarios": [{"title": "Tea time", "cast": ["a", "b"]}],
    }


def _details(document: Any) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        bundle_validate(document)
    return caught.value.details


# --- export -------------------------------------------------------------------------------------


def test_the_demo_world_exports_its_authored_content_and_nothing_it_lived(owner):
    world = _demo_with_scenario(owner)
    ecosystem_run_ticks(ecosystem=world, ticks=3)

    document = bundle_export(ecosystem=world)

    assert (document["format"], document["version"]) == ("dramatis.world", 1)
    assert document["world"]["settings"]["seed"] == 1887
    assert document["world"]["settings"]["minutes_per_tick"] == 10
    assert [c["name"] for c in document["characters"]] == [
        "Alice", "Bob", "Charlie", "Diana", "Eve", "Frank"
    ]  # fmt: skip
    diana = next(c for c in document["characters"] if c["name"] == "Diana")
    assert diana["key"] == "diana"
    assert diana["personality"]["neuroticism"] == 0.88
    assert "parasol" in diana["secrets"][0]
    assert {(r["source"], r["target"]) for r in document["relationships"]} >= {
        ("frank", "alice"), ("eve", "diana")
    }  # fmt: skip
    (scenario,) = document["scenarios"]
    assert scenario["cast"] == ["diana", "eve"]
    assert scenario["objectives"]["hidden"] == [HIDDEN]
    text = repr(document)
    assert str(world.pk) not in text
    assert not any(str(c.pk) in text for c in Character.objects.filter(ecosystem=world))
    assert set(document["world"]) == {"name", "description", "setting", "settings"}
    assert "status" not in scenario and "started_at" not in scenario
    assert Event.objects.filter(ecosystem=world).exists()  # it lived; none of it was exported
    assert not {"events", "memories", "interactions", "stories"} & set(document)


def test_an_export_passes_its_own_validation(owner):
    assert bundle_validate(bundle_export(ecosystem=_demo_with_scenario(owner)))


# --- round trip ---------------------------------------------------------------------------------


def test_the_demo_world_round_trips_into_another_account(owner, stranger):
    _on_plan(stranger, "pro")
    original = bundle_export(ecosystem=_demo_with_scenario(owner))

    copy_world = bundle_import(owner=stranger, document=original, name="My garden")
    again = bundle_export(ecosystem=copy_world)

    assert copy_world.owner == stranger
    assert copy_world.name == "My garden"
    assert copy_world.status == Ecosystem.Status.DRAFT
    assert copy_world.visibility == Ecosystem.Visibility.PRIVATE
    assert copy_world.current_tick == 0
    assert _without_volatile(again) == _without_volatile(original)


def test_the_imported_copy_is_independent_of_the_original(owner, stranger):
    _on_plan(stranger, "pro")
    world = _demo_with_scenario(owner)
    before = bundle_export(ecosystem=world)
    copy_world = bundle_import(owner=stranger, document=before)

    Character.objects.filter(ecosystem=copy_world, name="Alice").update(backstory="Changed.")
    Relationship.objects.filter(ecosystem=copy_world).update(strength=-1.0)
    Scenario.objects.filter(ecosystem=copy_world).update(title="Other")
    Character.objects.filter(ecosystem=copy_world, name="Bob").delete()

    assert _without_volatile(bundle_export(ecosystem=world)) == _without_volatile(before)
    assert copy_world.name == "The Garden Party"
    assert copy_world.slug == "the-garden-party"  # the stranger's first world of that name


def test_importing_twice_makes_two_worlds_with_their_own_slugs(owner):
    document = _minimal()
    first = bundle_import(owner=owner, document=document)
    second = bundle_import(owner=owner, document=document)
    assert (first.slug, second.slug) == ("tea", "tea-2")
    assert Scenario.objects.get(ecosystem=second).characters.count() == 2


def test_a_minimal_bundle_gets_the_usual_defaults(owner):
    world = bundle_import(owner=owner, document=_minimal())
    ann = Character.objects.get(ecosystem=world, name="Ann")
    assert ann.openness == 0.5 and ann.values == [] and ann.emotions["joy"] == 0.0
    assert Relationship.objects.get(ecosystem=world).kind == "friend"


def test_an_import_creates_no_memories_or_events(owner, stranger):
    _on_plan(stranger, "pro")
    world = bundle_import(
        owner=stranger, document=bundle_export(ecosystem=_demo_with_scenario(owner))
    )
    assert not Memory.objects.filter(character__ecosystem=world).exists()
    assert not Event.objects.filter(ecosystem=world).exists()


# --- bad input ----------------------------------------------------------------------------------


def test_a_missing_field_is_named_where_it_is_missing():
    document = _minimal()
    del document["characters"][1]["name"]
    assert _details(document) == {"characters[1].name": ["Required."]}


def test_a_wrong_type_says_what_was_expected():
    document = _minimal()
    document["characters"][0]["personality"] = {"openness": "very"}
    document["world"]["settings"] = {"seed": "x"}
    details = _details(document)
    assert details["characters[0].personality.openness"] == ["Expected a number, got a text."]
    assert details["world.settings.seed"] == ["Expected a whole number, got a text."]


def test_a_dangling_relationship_key_is_named():
    document = _minimal()
    document["relationships"][0]["target"] = "zed"
    details = _details(document)
    assert details == {"relationships[0].target": ["No character has the key 'zed'."]}


def test_duplicate_keys_and_names_are_refused():
    document = _minimal()
    document["characters"].append({"key": "a", "name": "Ann"})
    details = _details(document)
    assert details["characters[2].key"] == ["Already used by characters[0]."]
    assert details["characters[2].name"] == ["Already used by characters[0]."]


def test_an_unknown_field_is_refused_by_name():
    document = _minimal()
    document["characters"][0]["nmae"] = "typo"
    (message,) = _details(document)["characters[0].nmae"]
    assert message.startswith("Unknown field")


def test_ten_megabytes_of_text_is_refused_without_echoing_it():
    document = _minimal()
    document["characters"][0]["backstory"] = "x" * (10 * 1024 * 1024)
    with pytest.raises(InvalidInput) as caught:
        bundle_validate(document)
    assert caught.value.details == {
        "characters[0].backstory": ["At most 65,536 characters; this has 10,485,760."]
    }
    assert len(caught.value.message) < 300


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"format": "chara_card_v3"}, "format", "not a world bundle"),
        ({"version": 2}, "version", "newer Dramatis"),
        ({"version": "1"}, "version", "no valid version"),
    ],
)
def test_another_format_or_a_newer_version_is_one_clear_sentence(change, field, words):
    with pytest.raises(InvalidInput) as caught:
        bundle_validate({**_minimal(), **change})
    assert list(caught.value.details) == [field]
    assert words in caught.value.message


def test_a_document_that_is_not_an_object_is_refused():
    with pytest.raises(InvalidInput, match="JSON object"):
        bundle_validate(["not", "a", "bundle"])


def test_a_bad_bundle_creates_nothing(owner):
    document = _minimal()
    document["scenarios"][0]["cast"] = ["a", "nobody"]
    before = _counts()
    with pytest.raises(InvalidInput) as caught:
        bundle_import(owner=owner, document=document)
    assert caught.value.details == {"scenarios[0].cast": ["No character has the key(s) 'nobody'."]}
    assert _counts() == before


def test_a_bad_world_start_is_named():
    document = _minimal(settings={"world_start": "midsummer"})
    assert list(_details(document)) == ["world.settings.world_start"]


def test_a_seven_character_bundle_on_free_is_refused_and_creates_nothing(owner):
    document = _minimal()
    document["characters"] = [{"key": f"c{i}", "name": f"Guest {i}"} for i in range(7)]
    document["relationships"], document["scenarios"] = [], []
    before = _counts()
    with pytest.raises(PlanLimitReached) as caught:
        bundle_import(owner=owner, document=document)
    assert "allows 5 characters" in caught.value.message
    assert _counts() == before


# --- scenario packages --------------------------------------------------------------------------


def test_a_scenario_package_round_trips_into_a_world_with_the_same_characters(owner):
    world = _demo_with_scenario(owner)
    package = scenario_package_export(scenario=Scenario.objects.get(ecosystem=world))
    other = EcosystemFactory(owner=owner)
    diana = CharacterFactory(ecosystem=other, name="diana")  # matched ignoring case
    characters_before = Character.objects.count()

    _on_plan(owner, "pro")
    scenario = scenario_package_import(ecosystem=other, document=package)

    assert package["format"] == "dramatis.scenario"
    assert [r["name"] for r in package["roles"]] == ["Diana", "Eve"]
    assert scenario.ecosystem == other and scenario.status == Scenario.Status.DRAFT
    assert scenario.objectives["hidden"] == [HIDDEN]
    cast = sorted(scenario.characters.all(), key=lambda c: c.name.casefold())
    assert cast[0] == diana and cast[1].name == "Eve"
    assert cast[1].speaking_style.startswith("Silken")  # Eve came from the package
    assert Character.objects.count() == characters_before + 1
    again = scenario_package_export(scenario=scenario)
    assert sorted(again["scenario"].pop("cast")) == ["diana", "eve"]
    assert again["scenario"] == {k: v for k, v in package["scenario"].items() if k != "cast"}


def test_a_scenario_package_whose_roles_do_not_fit_the_plan_creates_nothing(owner, stranger):
    package = scenario_package_export(
        scenario=Scenario.objects.get(ecosystem=_demo_with_scenario(owner))
    )
    world = EcosystemFactory(owner=stranger)
    for i in range(4):
        CharacterFactory(ecosystem=world, name=f"Guest {i}")
    before = _counts()
    with pytest.raises(PlanLimitReached):
        scenario_package_import(ecosystem=world, document=package)
    assert _counts() == before


def test_a_scenario_package_with_a_dangling_cast_key_is_refused(owner):
    document = {
        "format": "dramatis.scenario",
        "version": 1,
        "scenario": {"title": "Tea", "cast": ["ghost"]},
        "roles": [],
    }
    with pytest.raises(InvalidInput) as caught:
        scenario_package_import(ecosystem=EcosystemFactory(owner=owner), document=document)
    assert caught.value.details == {"scenario.cast": ["No character has the key(s) 'ghost'."]}


def test_text_and_numbers_no_column_can_hold_are_refused_by_place(owner):
    document = _minimal()
    document["characters"][0]["backstory"] = "tea\x00time"
    document["relationships"][0]["strength"] = float("nan")
    before = _counts()
    with pytest.raises(InvalidInput) as caught:
        bundle_import(owner=owner, document=document)
    assert set(caught.value.details) == {"characters[0].backstory", "relationships[0].strength"}
    assert _counts() == before


def test_anything_the_api_lets_a_creator_author_exports_into_an_importable_bundle(owner):
    world = EcosystemFactory(owner=owner, name="Long")
    CharacterFactory(
        ecosystem=world,
        name="Wordy",
        backstory="b" * 60_000,  # near the API's 64 KiB body limit
        speaking_style="s" * 30_000,
        values=[f"value {i}" for i in range(300)],
        secrets=["x" * 1_000],
        long_term_goals=[{"description": "g" * 300, "progress": 0.5}],
    )
    copy_world = bundle_import(owner=owner, document=bundle_export(ecosystem=world))
    assert Character.objects.get(ecosystem=copy_world).backstory == "b" * 60_000


def test_approved_lore_travels_with_the_world_and_secret_lore_keeps_its_knowers(owner, world):
    alice = CharacterFactory(ecosystem=world, name="Alice")
    lore_create(ecosystem=world, author=owner, title="The Fountain", text="Older than the town.",
                tags=["places"])  # fmt: skip
    lore_create(ecosystem=world, author=owner, title="The Pond", text="The locket lies there.",
                visibility="secret", knower_ids=[alice.pk])  # fmt: skip
    LoreEntry.objects.create(ecosystem=world, title="Proposed", text="Maybe.", status="proposed")

    document = bundle_export(ecosystem=world)
    assert [e["title"] for e in document["lore"]] == ["The Fountain", "The Pond"]
    assert document["lore"][1]["knowers"] == ["alice"]

    copied = bundle_import(owner=owner, document=document)
    pond = LoreEntry.objects.get(ecosystem=copied, title="The Pond")
    assert (pond.status, pond.visibility) == ("approved", "secret")
    assert [c.name for c in pond.knowers.all()] == ["Alice"]
    assert pond.knowers.get().ecosystem_id == copied.pk
    assert pond.embedding is not None

    document["lore"][1]["knowers"] = ["nobody"]
    with pytest.raises(InvalidInput) as error:
        bundle_import(owner=owner, document=document)
    assert "lore[1].knowers" in error.value.details
