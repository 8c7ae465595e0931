"""The publisher's pages: the publish form offers and accepts only your own worlds, characters
and scenarios and becomes a listing in review; the update form publishes a new version; the
listing page's cover form changes the cover. Refusals show on the form and create nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import dateformat

from marketplace.models import Listing, ListingVersion
from tests.factories import (
    ApprovedListingFactory,
    CharacterFactory,
    EcosystemFactory,
    ListingFactory,
    ScenarioFactory,
)
from tests.marketplace.pictures import noisy_png, opened, picture, truncated_png

pytestmark = pytest.mark.django_db

PUBLISH = "/marketplace/publish/"


@pytest.fixture
def garden(owner):
    world = EcosystemFactory(owner=owner, name="The Rose Garden", description="Roses, rivals.")
    alice = CharacterFactory(
        ecosystem=world,
        name="Alice",
        backstory="She took the locket.",
        secrets=["She took the locket."],
    )
    ScenarioFactory(ecosystem=world, title="Tea on the lawn", characters=[alice])
    return world


@pytest.fixture
def keep(stranger):
    world = EcosystemFactory(owner=stranger, name="The Stranger's Keep")
    CharacterFactory(ecosystem=world, name="Mallory")
    ScenarioFactory(ecosystem=world, title="The Siege")
    return world


def form_of(source_world, **fields):
    data = {
        "kind": "world",
        "world": str(source_world.pk),
        "title": "The Rose Garden",
        "summary": "Six guests, one locket.",
        "description": "A cozy drama.",
        "tags": "Romance, cozy, romance",
        "genre": "Drama",
        "licence": "cc-by-4.0",
        "changelog": "First version.",
    }
    data.update(fields)
    return data


def upload(data: bytes, name: str = "cover.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# ---------------------------------------------------------------- the publish page


def test_the_publish_page_offers_only_my_worlds_characters_and_scenarios(
    client, owner, garden, keep
):
    client.force_login(owner)

    page = client.get(PUBLISH).content.decode()

    assert "The Rose Garden" in page and "Alice" in page and "Tea on the lawn" in page
    assert "Stranger" not in page and "Mallory" not in page and "The Siege" not in page
    for field in ("kind", "world", "character", "scenario", "title", "cover", "changelog"):
        assert f'<label for="id_{field}">' in page
    assert 'enctype="multipart/form-data"' in page
    assert "Submit for review</button>" in page


def test_a_link_from_a_world_chooses_it_and_names_the_listing_after_it(client, owner, garden):
    client.force_login(owner)

    form = client.get(PUBLISH, {"world": str(garden.pk)}).context["form"]

    assert form.initial == {
        "kind": "world",
        "world": str(garden.pk),
        "title": "The Rose Garden",
        "summary": "Roses, rivals.",
    }


def test_a_link_from_a_character_chooses_the_character_kind(client, owner, garden):
    alice = garden.characters.get()
    client.force_login(owner)

    form = client.get(PUBLISH, {"character": str(alice.pk)}).context["form"]

    assert form.initial == {
        "kind": "character",
        "character": str(alice.pk),
        "title": "Alice",
        "summary": "",  # never the backstory: it may tell the secrets the preview hides
    }


def test_a_link_to_someone_elses_world_chooses_nothing(client, owner, garden, keep):
    client.force_login(owner)

    response = client.get(PUBLISH, {"world": str(keep.pk)})

    assert response.context["form"].initial == {}
    assert "Stranger" not in response.content.decode()


def test_publishing_my_world_submits_version_1_0_for_review(client, owner, garden):
    client.force_login(owner)

    response = client.post(PUBLISH, form_of(garden))

    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/marketplace/{listing.pk}/"
    assert (listing.publisher, listing.kind, listing.source_ecosystem) == (owner, "world", garden)
    assert listing.status == Listing.Status.PENDING_REVIEW
    assert (listing.tags, listing.genre) == (["romance", "cozy"], "drama")
    version = listing.versions.get()
    assert (version.number, version.status, version.changelog) == (
        "1.0",
        ListingVersion.Status.PENDING_REVIEW,
        "First version.",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Submitted for review" in page and "Pending review" in page


def test_publishing_a_character_packages_its_card(client, owner, garden):
    alice = garden.characters.get()
    client.force_login(owner)

    client.post(PUBLISH, form_of(garden, kind="character", world="", character=str(alice.pk)))

    listing = Listing.objects.get()
    assert (listing.kind, listing.source_character) == ("character", alice)


def test_publishing_a_scenario_packages_it(client, owner, garden):
    tea = garden.scenarios.get()
    client.force_login(owner)

    client.post(PUBLISH, form_of(garden, kind="scenario", scenario=str(tea.pk)))

    listing = Listing.objects.get()
    assert (listing.kind, listing.source_scenario) == ("scenario", tea)


def test_someone_elses_world_is_a_form_error_not_a_listing(client, owner, garden, keep):
    client.force_login(owner)

    response = client.post(PUBLISH, form_of(keep))

    assert response.status_code == 400
    assert response.context["form"].errors["world"] == [
        "Choose one of your own worlds: a listing packages your own world."
    ]
    assert not Listing.objects.exists()


def test_someone_elses_character_is_a_form_error_not_a_listing(client, owner, garden, keep):
    mallory = keep.characters.get()
    client.force_login(owner)

    response = client.post(PUBLISH, form_of(garden, kind="character", character=str(mallory.pk)))

    assert response.status_code == 400
    assert "your own character" in response.context["form"].errors["character"][0]
    assert not Listing.objects.exists()


def test_missing_title_and_source_show_on_the_form_and_create_nothing(client, owner, garden):
    client.force_login(owner)

    response = client.post(PUBLISH, form_of(garden, kind="scenario", title=""))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["scenario"] == ["Choose which of your scenarios to publish."]
    page = response.content.decode()
    assert "Nothing was published" in page and "The Rose Garden" in page  # the input is kept
    assert not Listing.objects.exists()


def test_too_many_tags_are_refused_by_the_service_next_to_the_tags(client, owner, garden):
    client.force_login(owner)
    tags = ", ".join(f"tag{n}" for n in range(13))

    response = client.post(PUBLISH, form_of(garden, tags=tags))

    assert response.status_code == 400
    assert response.context["form"].errors["tags"] == ["13 tags given; a listing has at most 12."]
    assert not Listing.objects.exists()


def test_a_world_deleted_while_the_form_was_open_is_a_form_error(client, owner, garden):
    client.force_login(owner)
    data = form_of(garden)
    page = client.get(PUBLISH)  # the form as it was offered
    assert page.status_code == 200
    garden.delete()

    response = client.post(PUBLISH, data)

    assert response.status_code == 400
    assert "world" in response.context["form"].errors
    assert not Listing.objects.exists()


def test_publishing_with_a_cover_stores_it_scaled_down(client, owner, garden):
    client.force_login(owner)

    client.post(PUBLISH, {**form_of(garden), "cover": upload(picture((2400, 1350)))})

    listing = Listing.objects.get()
    assert listing.cover_type == "image/png"
    assert opened(bytes(listing.cover)).size == (1200, 675)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Notes renamed to cover.png", "This file is not an image (sent as image/png)"),
        (truncated_png(), "The image is damaged or cut short"),
        (noisy_png((1024, 1024)), "a cover may be at most 2,097,152 bytes (2 MiB)"),
    ],
    ids=["text", "truncated", "too-large"],
)
def test_a_refused_cover_shows_on_the_form_and_creates_nothing(
    client, owner, garden, data, message
):
    client.force_login(owner)

    response = client.post(PUBLISH, {**form_of(garden), "cover": upload(data)})

    assert response.status_code == 400
    assert message in response.context["form"].errors["cover"][0]
    assert not Listing.objects.exists()


def test_the_publish_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(PUBLISH)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_someone_with_no_world_is_asked_to_create_one(client, stranger):
    client.force_login(stranger)

    page = client.get(PUBLISH).content.decode()

    assert "Nothing to publish yet" in page and "Submit for review" not in page


# ---------------------------------------------------------------- publishing an update


@pytest.fixture
def approved(owner, garden):
    return ApprovedListingFactory(publisher=owner, source_ecosystem=garden, title="Roses")


def test_the_publisher_publishes_an_update_for_review(client, owner, approved):
    client.force_login(owner)
    new = f"/marketplace/{approved.pk}/versions/new/"
    assert "Submit update</button>" in client.get(new).content.decode()

    response = client.post(new, {"changelog": "More roses.", "number": ""})

    assert response.status_code == 302 and response["Location"] == f"/marketplace/{approved.pk}/"
    version = approved.versions.get(number="1.1")
    assert (version.status, version.changelog) == ("pending_review", "More roses.")
    page = client.get(response["Location"]).content.decode()
    assert "Version 1.1 is submitted for review" in page


def test_an_update_takes_a_chosen_number(client, owner, approved):
    client.force_login(owner)

    client.post(f"/marketplace/{approved.pk}/versions/new/", {"changelog": "New.", "number": "2.0"})

    assert approved.versions.filter(number="2.0").exists()


def test_a_number_not_above_the_last_is_shown_next_to_the_number(client, owner, approved):
    client.force_login(owner)

    response = client.post(
        f"/marketplace/{approved.pk}/versions/new/", {"changelog": "Again.", "number": "1.0"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["number"] == ["Version 1.0 is not higher than 1.0."]
    assert approved.versions.count() == 1


def test_an_update_while_one_is_in_review_says_to_wait(client, owner, garden):
    listing = ListingFactory(publisher=owner, source_ecosystem=garden)  # 1.0 in review
    client.force_login(owner)

    response = client.post(f"/marketplace/{listing.pk}/versions/new/", {"changelog": "More."})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Version 1.0 is still in review; wait for the decision before publishing another."
    ]
    assert listing.versions.count() == 1


def test_an_update_needs_a_changelog(client, owner, approved):
    client.force_login(owner)

    response = client.post(f"/marketplace/{approved.pk}/versions/new/", {"changelog": ""})

    assert response.status_code == 400
    assert approved.versions.count() == 1


def test_only_the_publisher_publishes_updates(client, stranger, approved, owner, garden):
    client.force_login(stranger)
    in_review = ListingFactory(publisher=owner, source_ecosystem=garden)

    assert client.get(f"/marketplace/{approved.pk}/versions/new/").status_code == 403
    post = client.post(f"/marketplace/{approved.pk}/versions/new/", {"changelog": "Mine now."})
    assert post.status_code == 403
    assert client.get(f"/marketplace/{in_review.pk}/versions/new/").status_code == 404
    assert approved.versions.count() == 1


# ---------------------------------------------------------------- the cover on the listing page


def test_the_publisher_sees_the_update_link_and_the_cover_form(client, owner, approved):
    client.force_login(owner)

    page = client.get(f"/marketplace/{approved.pk}/").content.decode()

    assert f'href="/marketplace/{approved.pk}/versions/new/"' in page
    assert f'action="/marketplace/{approved.pk}/cover/change/"' in page


def test_others_see_neither(client, stranger, approved):
    client.force_login(stranger)

    page = client.get(f"/marketplace/{approved.pk}/").content.decode()

    assert "versions/new/" not in page and "cover/change/" not in page


def test_the_publisher_changes_the_cover_and_the_page_shows_it(client, owner, approved):
    client.force_login(owner)

    response = client.post(
        f"/marketplace/{approved.pk}/cover/change/", {"cover": upload(picture((1600, 900)))}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/marketplace/{approved.pk}/#cover"
    page = client.get(f"/marketplace/{approved.pk}/").content.decode()
    assert "The new cover is shown." in page
    assert f'src="/marketplace/{approved.pk}/cover/?v=' in page
    served = client.get(f"/marketplace/{approved.pk}/cover/")
    approved.refresh_from_db()
    assert served["Content-Type"] == "image/png"
    assert served.content == bytes(approved.cover)
    assert opened(served.content).size == (1200, 675)


def test_a_refused_cover_is_said_on_the_page_and_changes_nothing(client, owner, approved):
    client.force_login(owner)

    response = client.post(
        f"/marketplace/{approved.pk}/cover/change/",
        {"cover": upload(b"plain text", content_type="text/plain")},
        follow=True,
    )

    assert "This file is not an image (sent as text/plain)" in response.content.decode()
    approved.refresh_from_db()
    assert approved.cover_type == ""


def test_the_publisher_removes_the_cover(client, owner, approved):
    client.force_login(owner)
    client.post(f"/marketplace/{approved.pk}/cover/change/", {"cover": upload(picture((64, 36)))})

    client.post(f"/marketplace/{approved.pk}/cover/change/", {"remove": "1"})

    approved.refresh_from_db()
    assert approved.cover is None and approved.cover_type == ""
    assert client.get(f"/marketplace/{approved.pk}/cover/").status_code == 404


def test_a_stranger_may_not_change_the_cover(client, stranger, approved):
    client.force_login(stranger)

    response = client.post(
        f"/marketplace/{approved.pk}/cover/change/", {"cover": upload(picture((64, 36)))}
    )

    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.cover_type == ""


def test_the_cover_view_serves_a_jpeg_as_a_jpeg(client, owner, approved):
    client.force_login(owner)
    client.post(
        f"/marketplace/{approved.pk}/cover/change/",
        {"cover": upload(picture((640, 360), "JPEG"), "photo.jpg", "image/jpeg")},
    )

    served = client.get(f"/marketplace/{approved.pk}/cover/")

    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert opened(served.content).format == "JPEG"


# ---------------------------------------------------------------- the links to the publish page


def test_the_world_and_character_pages_link_to_publishing_them(client, owner, garden):
    alice = garden.characters.get()
    client.force_login(owner)

    world_page = client.get(f"/worlds/{garden.pk}/").content.decode()
    character_page = client.get(f"/worlds/{garden.pk}/characters/{alice.pk}/").content.decode()

    assert f'href="/marketplace/publish/?world={garden.pk}">Publish to marketplace' in world_page
    assert (
        f'href="/marketplace/publish/?character={alice.pk}">Publish to marketplace'
        in character_page
    )


def test_my_listings_has_a_publish_button(client, owner):
    client.force_login(owner)

    page = client.get("/marketplace/mine/").content.decode()

    assert 'href="/marketplace/publish/">Publish something' in page
    assert "no publish button" not in page


def test_my_listings_link_each_listing_to_its_update_form(client, owner, approved):
    client.force_login(owner)

    page = client.get("/marketplace/mine/").content.decode()

    assert f'href="/marketplace/{approved.pk}/versions/new/">Publish an update' in page


def test_cards_address_the_cover_by_when_it_changed_so_no_cached_old_one_shows(
    client, owner, approved
):
    client.force_login(owner)
    client.post(f"/marketplace/{approved.pk}/cover/change/", {"cover": upload(picture((64, 36)))})
    changed = dateformat.format(Listing.objects.get(pk=approved.pk).updated_at, "U")

    index = client.get("/marketplace/").content.decode()

    assert f'src="/marketplace/{approved.pk}/cover/?v={changed}"' in index
