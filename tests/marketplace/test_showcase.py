"""The one preview of a listing's content (``marketplace.showcase``), pure and without a
database: the three content shapes, what ``reveal`` keeps in, what ``redact`` is given, and odd
content. Who gets ``reveal`` and the real redactor are ``test_selectors.py``'s."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketplace.showcase import content_preview, content_secrets, personality_words

# The API's keys (GET /api/v1/marketplace/listings/{id}/ "preview"), present in every preview.
API_KEYS = {"cast", "relationships", "scenarios"}
API_PERSON = {"name", "traits"}
API_RELATIONSHIP = {"source", "target", "kind"}
API_SCENARIO = {"title", "setting", "mood", "cast", "objectives"}

WORLD = {  # ecosystems.bundles' shape: characters by key, the Big Five under personality
    "format": "dramatis.world",
    "version": 1,
    "world": {"name": "Garden", "setting": "A walled garden in June."},
    "characters": [
        {
            "key": "alice",
            "name": "Alice",
            "personality": {"openness": 0.9, "extraversion": 0.2, "agreeableness": 0.5},
            "speaking_style": "Short, dry sentences.",
            "backstory": "Raised by her aunt. She read the letters of the late colonel.",
            "secrets": ["She read the letters of the late colonel."],
        },
        {"key": "bob", "name": "Bob", "personality": {"neuroticism": 0.8}, "secrets": []},
    ],
    "relationships": [{"source": "alice", "target": "bob", "kind": "rival", "strength": -0.4}],
    "scenarios": [
        {
            "title": "Tea at the gazebo",
            "cast": ["bob"],
            "objectives": {
                "primary": "Keep the peace at tea",
                "subplots": ["Bob wants the locket"],
                "hidden": ["Alice stole the locket"],
            },
        }
    ],
}
CARD = {  # characters.cards' shape: our fields under extensions.dramatis, secrets in the book
    "spec": "chara_card_v3",
    "spec_version": "3.0",
    "data": {
        "name": "Seraphina",
        "description": "A guardian of the forest. She buried the king's crown under the oak.",
        "personality": "Kind, protective.",
        "scenario": "A glade at dusk.",
        "first_mes": "*{{char}} smiles at {{user}}* Welcome.",
        "mes_example": "<START>\n{{char}}: The glade is safe.",
        "character_book": {
            "entries": [
                {
                    "content": "She buried the king's crown under the oak.",
                    "extensions": {"dramatis": {"kind": "secret"}},
                },
                {"content": "The forest is old.", "extensions": {}},
            ]
        },
        "extensions": {"dramatis": {"openness": 0.8, "speaking_style": "Softly."}},
    },
}
PACKAGE = {  # a scenario package: the scenario and the roles it needs
    "format": "dramatis.scenario",
    "version": 1,
    "scenario": {
        "title": "The Heist",
        "cast": ["r1"],
        "objectives": {"primary": "Open the vault", "subplots": [], "hidden": ["Betray Bob"]},
    },
    "roles": [{"key": "r1", "name": "Fixer", "personality": {"conscientiousness": 0.9}}],
}


def keys_as_the_api_has_them(preview: dict) -> None:
    assert preview.keys() >= API_KEYS
    for person in preview["cast"]:
        assert person.keys() >= API_PERSON
    for relationship in preview["relationships"]:
        assert relationship.keys() >= API_RELATIONSHIP
    for scenario in preview["scenarios"]:
        assert scenario.keys() >= API_SCENARIO
        assert {"primary", "subplots"} <= scenario["objectives"].keys()


@pytest.mark.parametrize("content", [WORLD, CARD, PACKAGE], ids=["world", "card", "package"])
@pytest.mark.parametrize("reveal", [True, False])
def test_every_shape_previews_with_the_api_keys_and_the_page_keys(content, reveal):
    preview = content_preview(content, reveal=reveal)

    keys_as_the_api_has_them(preview)
    assert {"format", "cast_total", "graph", "setting"} <= preview.keys()
    assert all({"id", "words", "lines"} <= m.keys() for m in preview["cast"])
    assert [n["id"] for n in preview["graph"]["nodes"]] == [m["id"] for m in preview["cast"]]


def test_a_world_bundle_shows_its_cast_graph_setting_and_scenarios():
    preview = content_preview(WORLD, reveal=False)

    assert preview["format"] == "dramatis.world" and preview["cast_total"] == 2
    assert preview["setting"] == "A walled garden in June."
    assert [(m["name"], m["words"]) for m in preview["cast"]] == [
        ("Alice", ["curious", "reserved"]),
        ("Bob", ["anxious"]),
    ]
    assert preview["cast"][0]["traits"] == {"openness": 0.9, "extraversion": 0.2,
                                            "agreeableness": 0.5}  # fmt: skip
    assert preview["cast"][0]["speaking_style"] == "Short, dry sentences."
    assert preview["graph"]["edges"] == [
        {"id": "r0", "source": "c0", "target": "c1", "kind": "rival", "strength": -0.4}
    ]
    assert preview["relationships"] == [
        {"source": "Alice", "target": "Bob", "kind": "rival", "strength": -0.4}
    ]
    [scenario] = preview["scenarios"]
    assert scenario["cast"] == ["Bob"]
    assert scenario["objectives"] == {
        "primary": "Keep the peace at tea",
        "subplots": ["Bob wants the locket"],
    }


def test_without_reveal_secrets_and_hidden_objectives_are_left_out_and_texts_redacted():
    told: list[str] = []

    def redact(text: str) -> str:
        told.append(text)
        return text.replace("She read the letters of the late colonel.", "[a secret]")

    preview = content_preview(WORLD, reveal=False, redact=redact)

    alice = preview["cast"][0]
    assert "secrets" not in alice
    assert alice["backstory"] == "Raised by her aunt. [a secret]"
    assert "hidden" not in preview["scenarios"][0]["objectives"]
    assert "stole the locket" not in repr(preview) and "letters" not in repr(preview)
    assert WORLD["characters"][0]["backstory"] in told  # whole, before it is cut to length


def test_with_reveal_the_publisher_sees_secrets_and_hidden_objectives():
    preview = content_preview(WORLD, reveal=True)

    assert preview["cast"][0]["secrets"] == ["She read the letters of the late colonel."]
    assert preview["cast"][1]["secrets"] == []
    assert preview["scenarios"][0]["objectives"]["hidden"] == ["Alice stole the locket"]
    assert preview["cast"][0]["backstory"].endswith("She read the letters of the late colonel.")


def test_a_character_card_previews_its_texts_lines_and_our_extension():
    preview = content_preview(CARD, reveal=False)

    [member] = preview["cast"]
    assert preview["format"] == "chara_card_v3" and preview["setting"] == "A glade at dusk."
    assert member["name"] == "Seraphina"
    assert member["personality"] == "Kind, protective."
    assert member["words"] == ["curious"]
    assert member["speaking_style"] == "Softly."
    assert member["first_mes"] == "*{{char}} smiles at {{user}}* Welcome."
    assert member["lines"] == ["*Seraphina smiles at you* Welcome.", "The glade is safe."]
    assert "secrets" not in member and preview["relationships"] == []


def test_a_cards_secret_lorebook_entries_are_its_secrets():
    [member] = content_preview(CARD, reveal=True)["cast"]

    assert member["secrets"] == ["She buried the king's crown under the oak."]
    assert content_secrets(CARD) == (["She buried the king's crown under the oak."], [])


def test_a_scenario_package_shows_its_scenario_and_roles():
    preview = content_preview(PACKAGE, reveal=True)

    assert [m["name"] for m in preview["cast"]] == ["Fixer"]
    [scenario] = preview["scenarios"]
    assert (scenario["title"], scenario["cast"]) == ("The Heist", ["Fixer"])
    assert scenario["objectives"] == {
        "primary": "Open the vault",
        "subplots": [],
        "hidden": ["Betray Bob"],
    }
    assert "hidden" not in content_preview(PACKAGE, reveal=False)["scenarios"][0]["objectives"]


def test_objectives_given_as_a_list_keep_the_hidden_ones_to_the_publisher():
    package = {
        "format": "dramatis.scenario",
        "scenario": {
            "title": "The Heist",
            "objectives": [
                {"text": "Open the vault"},
                "Get out by dawn",
                {"text": "Betray Bob", "hidden": True},
            ],
        },
    }

    shown = content_preview(package, reveal=False)["scenarios"][0]["objectives"]
    whole = content_preview(package, reveal=True)["scenarios"][0]["objectives"]

    assert shown == {"primary": "Open the vault", "subplots": ["Get out by dawn"]}
    assert whole["hidden"] == ["Betray Bob"]
    assert content_secrets(package) == ([], ["Betray Bob"])


def test_the_secrets_to_redact_are_found_wherever_the_content_holds_them():
    secrets, hidden = content_secrets(WORLD)

    assert secrets == ["She read the letters of the late colonel."]
    assert hidden == ["Alice stole the locket"]


@pytest.mark.parametrize(
    "content",
    [None, [], "text", 3, {}, {"characters": "x"}, {"spec": 3}, {"spec": "chara_card_v3"},
     {"characters": [None, 1, {"name": 5, "personality": "x"}], "relationships": [{}, 3],
      "scenarios": [{"objectives": 7, "cast": "x"}, None]},
     {"spec": "chara_card_v3", "data": {"character_book": {"entries": "x"}, "extensions": 1}}],
)  # fmt: skip
@pytest.mark.parametrize("reveal", [True, False])
def test_odd_content_previews_as_empty_parts_not_an_error(content, reveal):
    preview = content_preview(content, reveal=reveal, redact=str.upper)

    keys_as_the_api_has_them(preview)
    assert preview["graph"]["edges"] == [] and preview["relationships"] == []
    assert isinstance(content_secrets(content), tuple)


def test_middling_traits_say_nothing():
    assert personality_words({"openness": 0.5, "neuroticism": 0.1}) == ["steady"]


def test_the_showcase_imports_neither_django_nor_an_app():
    """Pure Python: the redactor comes in as a function (``selectors.listing_preview``)."""
    from marketplace import showcase
    from tests.core.test_layers import imported_roots

    roots = imported_roots(Path(showcase.__file__))

    assert roots <= {"__future__", "collections", "dataclasses", "re", "typing"}, roots
