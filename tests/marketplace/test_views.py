"""Marketplace pages: browse and search, a listing's preview, my listings."""

from __future__ import annotations

import pytest

from marketplace.models import ListingDay
from tests.factories import (
    ApprovedListingFactory,
    InstallFactory,
    ListingVersionFactory,
    ReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WORLD = {
    "format": "dramatis.world",
    "characters": [
        {"ref": "alice", "name": "Alice", "openness": 0.9, "first_message": "Tea, darling?",
         "secrets": ["She burned the will."]},
        {"ref": "bob", "name": "Bob", "extraversion": 0.1, "speaking_style": "Mumbles."},
    ],
    "relationships": [{"source": "alice", "target": "bob", "kind": "rival", "strength": -0.5}],
    "scenarios": [{"title": "The reading of the will",
                   "objectives": {"primary": "Hear the will", "subplots": [],
                                  "hidden": ["Alice forged the will"]}}],
}  # fmt: skip


def test_anonymous_visitors_browse_the_marketplace(client):
    ApprovedListingFactory(title="The Garden Party", summary="Roses and rivals.")
    ApprovedListingFactory(title="In review", status="pending_review")

    response = client.get("/marketplace/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "The Garden Party" in page and "Roses and rivals." in page
    assert "In review" not in page
    assert 'href="/marketplace/"' in page  # in the main nav


def test_a_misspelt_search_finds_the_listing_with_its_rating_and_installs(client):
    listing = ApprovedListingFactory(title="The Garden Party", install_count=12)
    ReviewFactory(listing=listing, rating=5)
    ReviewFactory(listing=listing, rating=4)
    ApprovedListingFactory(title="Space Pirates")

    page = client.get("/marketplace/", {"q": "Gardn Party"}).content.decode()

    assert "The Garden Party" in page and "Space Pirates" not in page
    assert "4.5" in page and "2 reviews" in page and "12 installs" in page


def test_filters_and_sorts_come_from_the_query_string(client):
    ApprovedListingFactory(title="Gothic Manor", tags=["gothic"], install_count=1)
    ApprovedListingFactory(title="Cozy Bakery", tags=["cozy"], install_count=50)

    page = client.get("/marketplace/", {"tag": "gothic", "sort": "installs"}).content.decode()
    assert "Gothic Manor" in page and "Cozy Bakery" not in page

    page = client.get("/marketplace/", {"sort": "nonsense", "kind": "planet"}).content.decode()
    assert page.index("Cozy Bakery") < page.index("Gothic Manor")


def test_mature_listings_are_labelled_and_hidden_until_the_visitor_opts_in(client):
    ApprovedListingFactory(title="Blood Moon", summary="Gore everywhere.", mature=True)

    page = client.get("/marketplace/").content.decode()
    assert "Blood Moon" in page and "Mature" in page and "Gore everywhere." not in page

    page = client.get("/marketplace/", {"mature": "show"}).content.decode()
    assert "Gore everywhere." in page
    assert "Gore everywhere." in client.get("/marketplace/").content.decode()  # remembered


def test_a_listing_page_previews_cast_graph_lines_and_visible_objectives(client):
    listing = ApprovedListingFactory(title="The Will", content=WORLD)
    ReviewFactory(listing=listing, rating=4, text="Tense!", reply="Glad you liked it.")

    response = client.get(f"/marketplace/{listing.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    for shown in ("Alice", "curious", "reserved", "Tea, darling?", "Mumbles.", "rival",
                  "Hear the will", "v1.0", "Tense!", "Glad you liked it.", 'id="listing-graph"',
                  "Log in to install"):  # fmt: skip
        assert shown in page, shown
    assert "forged" not in page and "burned the will" not in page


def test_a_pending_listing_is_a_404_for_others_but_shown_to_its_publisher(client):
    publisher = UserFactory()
    listing = ApprovedListingFactory(title="Not yet", status="pending_review", publisher=publisher)

    assert client.get(f"/marketplace/{listing.pk}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/marketplace/{listing.pk}/").status_code == 404
    client.force_login(publisher)
    assert client.get(f"/marketplace/{listing.pk}/").status_code == 200


def test_the_publisher_previews_their_pending_version_with_its_secrets_labelled(client):
    publisher = UserFactory()
    listing = ApprovedListingFactory(title="The Will", content=WORLD, publisher=publisher)
    ListingVersionFactory(
        listing=listing,
        number="1.1",
        status="pending_review",
        content={**WORLD, "characters": [*WORLD["characters"], {"ref": "cy", "name": "Cyril"}]},
    )

    client.force_login(UserFactory())
    theirs = client.get(f"/marketplace/{listing.pk}/").content.decode()
    client.force_login(publisher)
    mine = client.get(f"/marketplace/{listing.pk}/").content.decode()

    assert "Cyril" not in theirs and "Only you and staff" not in theirs
    assert "burned the will" not in theirs and "forged" not in theirs
    assert "Only you and staff see secrets and hidden objectives" in mine
    assert "This preview is of v1.1 (pending review)" in mine
    for shown in ("Cyril", "She burned the will.", "Alice forged the will"):
        assert shown in mine, shown


def test_an_installer_sees_where_their_copy_came_from(client):
    user = UserFactory()
    listing = ApprovedListingFactory(title="The Garden Party")
    InstallFactory(listing=listing, user=user)
    client.force_login(user)

    page = client.get(f"/marketplace/{listing.pk}/").content.decode()

    assert "Installed from The Garden Party v1.0" in page
    assert "Publish review" in page and "Report this listing" in page


def test_my_listings_shows_only_mine_with_status_reason_and_figures(client):
    me = UserFactory()
    ApprovedListingFactory(publisher=me, title="Approved one")
    rejected = ApprovedListingFactory(
        publisher=me, title="Rejected one", status="rejected", rejection_reason="No licence."
    )
    ListingDay.objects.create(listing=rejected, day=rejected.created_at.date(), views=3)
    ApprovedListingFactory(title="Someone else's")
    client.force_login(me)

    response = client.get("/marketplace/mine/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Approved one" in page and "Rejected one" in page
    assert "Someone else" not in page
    assert "Rejected: No licence." in page
    assert 'id="market-analytics"' in page and "chartjs" in page


def test_my_listings_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/marketplace/mine/")
    assert response.status_code == 302 and "/login" in response["Location"]
