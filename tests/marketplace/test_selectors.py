"""Finding listings: full-text ranking, typos, filters, sorts, featured first, approved only;
a listing's details as one reader is shown them (which version, its preview redacted or whole,
their install); the publisher's analytics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Listing, ListingDay, ListingVersion
from marketplace.selectors import (
    listing_details,
    listing_preview,
    listings_search,
    publisher_analytics,
)
from tests.factories import (
    ApprovedListingFactory,
    InstallFactory,
    ListingVersionFactory,
    ReviewFactory,
    UserFactory,
)

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


SECRET = "She hid the locket in the lining of her parasol."
HIDDEN = "Make Bob confess he took the locket from the attic."
WORLD = {
    "format": "dramatis.world",
    "version": 1,
    "characters": [
        {
            "key": "alice",
            "name": "Alice",
            "personality": {"openness": 0.9, "extraversion": 0.2},
            # Quoted across where the preview cuts a text (600 characters): redacted first.
            "backstory": "Raised by her aunt. " + "She walked the shore. " * 25 + SECRET,
            "secrets": [SECRET],
        },
        {"key": "bob", "name": "Bob", "personality": {"neuroticism": 0.8}},
    ],
    "relationships": [{"source": "alice", "target": "bob", "kind": "rival", "strength": -0.4}],
    "scenarios": [
        {
            "title": "Tea at the gazebo",
            "objectives": {
                "primary": "Keep the peace at tea",
                "subplots": ["Bob wants the locket", f"Alice says: {HIDDEN}"],
                "hidden": [HIDDEN],
            },
        }
    ],
}
CARD = {
    "spec": "chara_card_v3",
    "data": {
        "name": "Seraphina",
        "description": f"A guardian of the forest. {SECRET}",
        "character_book": {
            "entries": [{"content": SECRET, "extensions": {"dramatis": {"kind": "secret"}}}]
        },
    },
}


@pytest.mark.parametrize("content", [WORLD, CARD], ids=["world", "card"])
def test_a_strangers_preview_redacts_quoted_secrets_and_leaves_hidden_objectives_out(content):
    listing = ApprovedListingFactory(content=content)

    preview = listing_details(listing=listing, user=UserFactory()).preview

    flat = repr(preview)
    assert "parasol" not in flat and "confess" not in flat
    assert "[a secret]" in flat
    assert all("secrets" not in m for m in preview["cast"])
    assert all("hidden" not in s["objectives"] for s in preview["scenarios"])


def test_a_strangers_preview_shows_the_rest_with_the_secret_cut_out():
    listing = ApprovedListingFactory(content=WORLD)

    preview = listing_details(listing=listing, user=None).preview

    alice = preview["cast"][0]
    assert alice["backstory"].startswith("Raised by her aunt.")
    assert alice["backstory"].endswith("She walked the shore. [a secret]")
    assert preview["relationships"] == [
        {"source": "Alice", "target": "Bob", "kind": "rival", "strength": -0.4}
    ]
    assert preview["scenarios"][0]["objectives"] == {
        "primary": "Keep the peace at tea",
        "subplots": ["Bob wants the locket", "Alice says: [a secret]"],
    }


def test_the_publisher_and_staff_see_the_secrets_and_hidden_objectives(owner, staff):
    listing = ApprovedListingFactory(publisher=owner, content=WORLD)

    for user in (owner, staff):
        details = listing_details(listing=listing, user=user)
        assert details.reveal
        assert details.preview["cast"][0]["secrets"] == [SECRET]
        assert details.preview["scenarios"][0]["objectives"]["hidden"] == [HIDDEN]


def test_the_publisher_previews_the_newest_version_others_the_approved_one(owner, stranger):
    listing = ApprovedListingFactory(publisher=owner, content=WORLD)
    ListingVersionFactory(
        listing=listing,
        number="1.1",
        status=ListingVersion.Status.PENDING_REVIEW,
        content={**WORLD, "characters": [{"key": "cy", "name": "Cyril", "secrets": ["Spy."]}]},
    )

    mine = listing_details(listing=listing, user=owner)
    theirs = listing_details(listing=listing, user=stranger)

    assert (mine.shown.number, [m["name"] for m in mine.preview["cast"]]) == ("1.1", ["Cyril"])
    assert mine.preview["cast"][0]["secrets"] == ["Spy."]
    assert [v.number for v in mine.versions] == ["1.1", "1.0"]
    assert (theirs.shown.number, [v.number for v in theirs.versions]) == ("1.0", ["1.0"])
    assert [m["name"] for m in theirs.preview["cast"]] == ["Alice", "Bob"]


def test_the_details_say_which_version_the_reader_installed_and_what_is_newer(stranger):
    listing = ApprovedListingFactory()
    InstallFactory(listing=listing, user=stranger)
    newer = ListingVersionFactory(listing=listing, status=ListingVersion.Status.APPROVED)
    listing.current_version = newer
    listing.save(update_fields=["current_version"])

    details = listing_details(listing=Listing.objects.get(pk=listing.pk), user=stranger)

    assert details.install.version.number == "1.0"
    assert details.update == newer
    assert listing_details(listing=listing, user=UserFactory()).install is None


@pytest.mark.parametrize("content", ["x", [1], {"characters": "x"}, {"spec": 3}, {"roles": [3]}])
def test_garbage_content_previews_empty_not_an_error(content):
    listing = ApprovedListingFactory(content=content)

    preview = listing_details(listing=listing, user=None).preview

    assert (preview["cast"], preview["relationships"], preview["scenarios"]) == ([], [], [])


def test_a_listing_without_a_version_previews_as_empty():
    preview = listing_preview(version=None, reveal=False)

    assert preview["cast"] == [] and preview["graph"] == {"nodes": [], "edges": []}


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

    preview = listing_details(listing=listing, user=UserFactory()).preview

    assert preview["cast_total"] == 6
    assert all(member["words"] or member["traits"] for member in preview["cast"])
    assert preview["graph"]["edges"], "the demo's relationships are drawn"
    scenario = next(s for s in preview["scenarios"] if s["title"] == "The locket")
    assert scenario["objectives"] == {"primary": "Find the locket", "subplots": []}
    secrets = [s for c in bundle["characters"] for s in c.get("secrets", [])]
    assert secrets and not any(secret in repr(preview) for secret in secrets)
    assert "It was Bob" not in repr(preview)
