"""Finding listings: full-text ranking, typos, filters, sorts, featured first, approved only;
what a preview shows; the publisher's analytics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Listing, ListingDay
from marketplace.selectors import listing_preview, listings_search, publisher_analytics
from marketplace.showcase import content_preview, personality_words
from tests.factories import ApprovedListingFactory, InstallFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles(listings) -> list[str]:
    return [listing.title for listing in listings]


def test_a_title_match_ranks_above_a_description_match():
    ApprovedListingFactory(
        title="Harbour Lights", description="A lighthouse keeper and a smuggler."
    )
    ApprovedListingFactory(title="The Smuggler", description="Night on the coast.")

    assert titles(listings_search(q="smuggler")) == ["The Smuggler", "Harbour Lights"]


def test_a_misspelt_title_still_finds_the_garden_party():
    ApprovedListingFactory(title="The Garden Party", summary="Roses, rivals and a locket.")
    ApprovedListingFactory(title="Space Pirates")

    assert titles(listings_search(q="Gardn Party")) == ["The Garden Party"]
    assert titles(listings_search(q="gardn")) == ["The Garden Party"]


def test_words_of_the_summary_and_tags_are_found_stemmed():
    ApprovedListingFactory(title="Tea at Four", summary="Gossiping aunts.", tags=["cozy"])
    ApprovedListingFactory(title="Space Pirates", tags=["scifi"])

    assert titles(listings_search(q="gossip")) == ["Tea at Four"]
    assert titles(listings_search(q="cozy")) == ["Tea at Four"]
    assert titles(listings_search(q="nothing like this")) == []


def test_filters_narrow_by_kind_tag_genre_and_licence():
    ApprovedListingFactory(
        title="A", kind="world", tags=["romance"], genre="drama", licence="cc0-1.0"
    )
    ApprovedListingFactory(title="B", kind="character", tags=["horror"], genre="gothic")
    ApprovedListingFactory(title="C", kind="scenario", tags=["romance", "cozy"], genre="drama")

    assert titles(listings_search(kind="character")) == ["B"]
    assert sorted(titles(listings_search(tag="romance"))) == ["A", "C"]
    assert sorted(titles(listings_search(genre="Drama"))) == ["A", "C"]
    assert titles(listings_search(licence="cc0-1.0")) == ["A"]
    assert titles(listings_search(tag="romance", kind="scenario")) == ["C"]


def test_only_approved_listings_are_ever_listed():
    ApprovedListingFactory(title="Garden Approved")
    for status in ("draft", "pending_review", "rejected", "unlisted", "removed"):
        ApprovedListingFactory(title=f"Garden {status}", status=status)

    assert titles(listings_search()) == ["Garden Approved"]
    assert titles(listings_search(q="garden")) == ["Garden Approved"]
    assert titles(listings_search(q="garden", sort="new")) == ["Garden Approved"]


def test_featured_listings_come_first_in_every_sort():
    ApprovedListingFactory(title="Popular", install_count=100)
    ApprovedListingFactory(title="Featured", featured=True)

    for sort in ("relevance", "top", "installs", "new", "trending"):
        assert titles(listings_search(sort=sort))[0] == "Featured", sort


def test_top_rated_does_not_let_one_five_star_beat_fifty_at_four_point_eight():
    ApprovedListingFactory(title="One review", rating_sum=5, rating_count=1)
    ApprovedListingFactory(title="Fifty reviews", rating_sum=240, rating_count=50)
    ApprovedListingFactory(title="Unrated")
    ApprovedListingFactory(title="Disliked", rating_sum=10, rating_count=10)

    assert titles(listings_search(sort="top")) == [
        "Fifty reviews",
        "One review",
        "Unrated",
        "Disliked",
    ]


def test_most_installed_and_newest():
    now = timezone.now()
    ApprovedListingFactory(title="Old", install_count=9, approved_at=now - dt.timedelta(days=30))
    ApprovedListingFactory(title="New", install_count=1, approved_at=now)
    ApprovedListingFactory(title="Middle", install_count=5, approved_at=now - dt.timedelta(days=3))

    assert titles(listings_search(sort="installs")) == ["Old", "Middle", "New"]
    assert titles(listings_search(sort="new")) == ["New", "Middle", "Old"]


def test_trending_counts_installs_of_the_last_seven_days_only():
    evergreen = ApprovedListingFactory(title="Evergreen")
    rising = ApprovedListingFactory(title="Rising")
    for _ in range(5):
        install = InstallFactory(listing=evergreen)
        install.created_at = timezone.now() - dt.timedelta(days=20)
        install.save(update_fields=["created_at"])
    InstallFactory(listing=rising)
    InstallFactory(listing=rising)

    assert titles(listings_search(sort="trending")) == ["Rising", "Evergreen"]
    assert titles(listings_search(sort="installs")) == ["Evergreen", "Rising"]


def test_a_signed_in_user_sees_what_they_installed():
    user = UserFactory()
    mine = ApprovedListingFactory(title="Mine")
    ApprovedListingFactory(title="Other")
    InstallFactory(listing=mine, user=user)

    installed = {x.title: x.installed for x in listings_search(user=user)}
    assert installed == {"Mine": True, "Other": False}


WORLD = {
    "format": "dramatis.world",
    "version": 1,
    "characters": [
        {
            "ref": "alice",
            "name": "Alice",
            "openness": 0.9,
            "extraversion": 0.2,
            "agreeableness": 0.5,
            "speaking_style": "Short, dry sentences.",
            "backstory": "Raised by her aunt. She read the letters.",
            "secrets": ["She read the letters."],
        },
        {"ref": "bob", "name": "Bob", "personality": {"neuroticism": 0.8}},
    ],
    "relationships": [{"source": "alice", "target": "bob", "kind": "rival", "strength": -0.4}],
    "scenarios": [
        {
            "title": "Tea at the gazebo",
            "objectives": {
                "primary": "Keep the peace at tea",
                "subplots": ["Bob wants the locket"],
                "hidden": ["Alice stole the locket"],
            },
        }
    ],
}


def test_a_preview_shows_the_cast_graph_and_objectives_but_no_hidden_ones():
    preview = listing_preview(listing=ApprovedListingFactory(content=WORLD))

    assert [(m["name"], m["words"]) for m in preview["cast"]] == [
        ("Alice", ["curious", "reserved"]),
        ("Bob", ["anxious"]),
    ]
    assert preview["graph"]["edges"][0] | {"id": None} == {
        "id": None,
        "source": "c0",
        "target": "c1",
        "kind": "rival",
        "strength": -0.4,
    }
    objectives = preview["scenarios"][0]["objectives"]
    assert objectives == ["Keep the peace at tea", "Bob wants the locket"]
    flat = repr(preview)
    assert "stole the locket" not in flat
    assert "read the letters" not in flat


def test_a_character_card_previews_its_personality_and_first_message():
    card = {
        "spec": "chara_card_v3",
        "spec_version": "3.0",
        "data": {
            "name": "Seraphina",
            "description": "A guardian of the forest.",
            "personality": "Kind, protective.",
            "first_mes": "*{{char}} smiles at {{user}}* Welcome.",
            "mes_example": "<START>\n{{char}}: The glade is safe.",
            "extensions": {"dramatis": {"openness": 0.8}},
        },
    }

    [member] = content_preview(card)["cast"]

    assert member["name"] == "Seraphina"
    assert member["personality_text"] == "Kind, protective."
    assert member["words"] == ["curious"]
    assert member["lines"] == ["*Seraphina smiles at you* Welcome.", "The glade is safe."]


def test_a_scenario_package_hides_hidden_objectives_given_as_a_list():
    package = {
        "format": "dramatis.scenario",
        "scenario": {
            "title": "The Heist",
            "objectives": [{"text": "Open the vault"}, {"text": "Betray Bob", "hidden": True}],
        },
    }

    [scenario] = content_preview(package)["scenarios"]
    assert (scenario["title"], scenario["objectives"]) == ("The Heist", ["Open the vault"])


def test_a_bundle_as_the_exporter_writes_it_previews_whole():
    """The shapes of ``ecosystems.bundles`` (format version 1): characters keyed by ``key``
    with the Big Five under ``personality``, the world's setting, scenarios naming a cast."""
    bundle = {
        "format": "dramatis.world",
        "version": 1,
        "world": {"name": "Garden", "setting": "A walled garden in June."},
        "characters": [
            {"key": "k1", "name": "Ada", "personality": {"conscientiousness": 0.9}},
            {"key": "k2", "name": "Ben", "personality": {"agreeableness": 0.1}},
        ],
        "relationships": [{"source": "k1", "target": "k2", "kind": "friend", "strength": 0.5}],
        "scenarios": [{"title": "Picnic", "cast": ["k2"], "objectives": {"primary": "Eat"}}],
    }

    preview = content_preview(bundle)

    assert preview["setting"] == "A walled garden in June."
    assert [m["words"] for m in preview["cast"]] == [["dependable"], ["blunt"]]
    assert preview["relationships"] == [
        {"source": "Ada", "target": "Ben", "kind": "friend", "strength": 0.5}
    ]
    assert preview["scenarios"][0]["cast"] == ["Ben"]


def test_a_scenario_package_shows_its_roles():
    package = {
        "format": "dramatis.scenario",
        "version": 1,
        "scenario": {"title": "Heist", "cast": ["r1"]},
        "roles": [{"key": "r1", "name": "Fixer"}],
    }

    preview = content_preview(package)

    assert [m["name"] for m in preview["cast"]] == ["Fixer"]
    assert preview["scenarios"][0]["cast"] == ["Fixer"]


@pytest.mark.parametrize("content", [None, [], "text", {"characters": "x"}, {"spec": 3}])
def test_a_preview_of_odd_content_is_empty_not_an_error(content):
    preview = content_preview(content)
    assert preview["cast"] == [] and preview["graph"]["edges"] == []


def test_middling_traits_say_nothing():
    assert personality_words({"openness": 0.5, "neuroticism": 0.1}) == ["steady"]


def test_the_preview_carries_reviews_with_replies():
    listing = ApprovedListingFactory()
    ReviewFactory(listing=listing, rating=4, text="Lovely.", reply="Thank you!")

    [review] = listing_preview(listing=Listing.objects.get(pk=listing.pk))["reviews"]
    assert (review["rating"], review["text"], review["reply"]) == (4, "Lovely.", "Thank you!")


def test_publisher_analytics_give_a_point_a_day_per_listing():
    publisher = UserFactory()
    listing = ApprovedListingFactory(publisher=publisher, title="Mine")
    ApprovedListingFactory(title="Someone else's")
    today = timezone.now().date()
    ListingDay.objects.create(listing=listing, day=today, views=7, installs=2)
    ListingDay.objects.create(listing=listing, day=today - dt.timedelta(days=2), views=3)
    ReviewFactory(listing=listing, rating=4)
    ReviewFactory(listing=listing, rating=2)

    data = publisher_analytics(user=publisher, days=7)

    assert len(data["labels"]) == 7 and data["labels"][-1] == today.isoformat()
    [series] = data["listings"]
    assert series["title"] == "Mine"
    assert series["views"] == [0, 0, 0, 0, 3, 0, 7]
    assert series["installs"][-1] == 2
    assert series["rating"][-1] == 3.0
    assert series["total_views"] == 10


def test_the_demo_world_exported_as_a_bundle_previews_its_six_guests_without_secrets():
    from ecosystems.bundles import bundle_export
    from ecosystems.demo import ecosystem_create_from_demo
    from ecosystems.models import Scenario

    world = ecosystem_create_from_demo(owner=UserFactory()).ecosystem
    Scenario.objects.create(
        ecosystem=world,
        title="The locket",
        objectives={"primary": "Find the locket", "subplots": [], "hidden": ["It was Bob"]},
    )
    bundle = bundle_export(ecosystem=world)
    listing = ApprovedListingFactory(content=bundle)

    preview = listing_preview(listing=listing)

    assert preview["cast_total"] == 6
    assert all(member["words"] or member["traits"] for member in preview["cast"])
    assert preview["graph"]["edges"], "the demo's relationships are drawn"
    scenario = next(s for s in preview["scenarios"] if s["title"] == "The locket")
    assert scenario["objectives"] == ["Find the locket"]
    secrets = [s for c in bundle["characters"] for s in c.get("secrets", [])]
    assert secrets and not any(secret in repr(preview) for secret in secrets)
    assert "It was Bob" not in repr(preview)
