"""GET /api/v1/marketplace/listings/: approved listings for anyone, as cards."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import ApprovedListingFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/marketplace/listings/"


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def test_anyone_may_search_and_gets_cards(anonymous):
    listing = ApprovedListingFactory(
        title="The Garden Party",
        summary="Roses and rivals.",
        tags=["romance"],
        genre="drama",
        mature=True,
        featured=True,
        publisher=UserFactory(username="rosa"),
    )
    ReviewFactory(listing=listing, rating=4)
    ApprovedListingFactory(title="Space Pirates")

    response = anonymous.get(URL, {"q": "Gardn Party"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    [card] = body["results"]
    assert card | {"id": None, "approved_at": None} == {
        "id": None,
        "kind": "world",
        "title": "The Garden Party",
        "summary": "Roses and rivals.",
        "tags": ["romance"],
        "genre": "drama",
        "licence": "cc-by-4.0",
        "mature": True,
        "featured": True,
        "rating_average": 4.0,
        "rating_count": 1,
        "install_count": 0,
        "publisher_name": "rosa",
        "cover_url": None,
        "version": "1.0",
        "approved_at": None,
    }


def test_filters_and_sort_apply(anonymous):
    ApprovedListingFactory(title="A", kind="character", install_count=3)
    ApprovedListingFactory(title="B", kind="character", install_count=9)
    ApprovedListingFactory(title="C", kind="world", install_count=20)

    body = anonymous.get(URL, {"kind": "character", "sort": "installs"}).json()

    assert [c["title"] for c in body["results"]] == ["B", "A"]


def test_pending_and_removed_listings_are_never_listed(anonymous):
    ApprovedListingFactory(title="Garden listed")
    ApprovedListingFactory(title="Garden pending", status="pending_review")
    ApprovedListingFactory(title="Garden removed", status="removed")

    body = anonymous.get(URL, {"q": "garden"}).json()

    assert [c["title"] for c in body["results"]] == ["Garden listed"]


def test_pages_carry_the_count_of_a_search(anonymous):
    for n in range(5):
        ApprovedListingFactory(title=f"Harbour {n}")

    body = anonymous.get(URL, {"q": "harbour", "limit": 2, "offset": 2}).json()

    assert body["count"] == 5 and len(body["results"]) == 2
    assert "offset=4" in body["next"]


@pytest.mark.parametrize(
    "query", [{"sort": "random"}, {"kind": "planet"}, {"licence": "gpl"}, {"colour": "red"}]
)
def test_a_bad_parameter_is_a_400_naming_it(anonymous, query):
    response = anonymous.get(URL, query)
    assert response.status_code == 400
    assert next(iter(query)) in response.json()["error"]["details"]


def test_the_search_is_in_the_schema(anonymous):
    schema = anonymous.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/marketplace/listings/"]["get"]
    assert operation["operationId"] == "marketplace_listings_list"
    assert {p["name"] for p in operation["parameters"]} >= {"q", "kind", "tag", "sort"}
