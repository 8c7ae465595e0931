"""A listing's cover over the API: ``PUT …/cover/`` (multipart ``file``) stores a real picture
re-encoded and scaled down, refuses anything else with a 400 saying what to upload, and is the
publisher's alone; ``DELETE`` removes it. The listing's cover page serves what was stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.models import Listing
from tests.api.conftest import client_with_key, error_of
from tests.factories import ApprovedListingFactory, ListingFactory
from tests.marketplace.pictures import bomb_png, noisy_png, opened, picture, truncated_png

pytestmark = pytest.mark.django_db


def cover_of(listing) -> str:
    return f"/api/v1/marketplace/listings/{listing.pk}/cover/"


def put(client, listing, data: bytes, name="cover.png", content_type="image/png"):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return client.put(cover_of(listing), {"file": file}, format="multipart")


@pytest.fixture
def listing(owner):
    return ApprovedListingFactory(publisher=owner)


def test_a_png_is_stored_scaled_down_and_served(owner, listing):
    client = client_with_key(owner)

    response = put(client, listing, picture((2400, 1350)))

    assert response.status_code == 200, response.content
    listing.refresh_from_db()
    assert response.json() == {
        "cover_url": f"/marketplace/{listing.pk}/cover/",
        "cover_type": "image/png",
        "size": len(listing.cover),
    }
    served = client.get(response.json()["cover_url"])
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert opened(served.content).size == (1200, 675)


def test_a_jpeg_photo_stays_a_jpeg(owner, listing):
    response = put(client_with_key(owner), listing, picture((2560, 1600), "JPEG"), "a.jpg")

    assert response.json()["cover_type"] == "image/jpeg"
    listing.refresh_from_db()
    assert opened(bytes(listing.cover)).size == (1080, 675)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Not a picture at all.\n", "This file is not an image (sent as image/png)"),
        (truncated_png(), "The image is damaged or cut short"),
        (noisy_png((1024, 1024)), "a cover may be at most 2,097,152 bytes (2 MiB)"),
        (bomb_png((10_000, 10_000)), "The image is 10,000x10,000 pixels"),
    ],
    ids=["text-named-png", "truncated-png", "over-2-mib", "decompression-bomb"],
)
def test_anything_but_a_sound_picture_of_reasonable_size_is_a_400(owner, listing, data, message):
    response = put(client_with_key(owner), listing, data)

    assert response.status_code == 400, response.content
    error = error_of(response)
    assert error["code"] == "invalid"
    assert message in error["message"]
    assert error["details"] == {"file": [error["message"]]}
    listing.refresh_from_db()
    assert listing.cover_type == ""


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(owner, listing):
    response = put(client_with_key(owner), listing, b"\0" * (5 * 1024 * 1024))

    assert response.status_code == 413
    assert "a cover may be at most 2,097,152 bytes" in error_of(response)["message"]


def test_no_file_says_which_field_to_send(owner, listing):
    response = client_with_key(owner).put(cover_of(listing), {}, format="multipart")

    assert response.status_code == 400
    assert error_of(response)["details"] == {"file": ["No file was submitted."]}


def test_a_stranger_or_staff_may_not_change_the_cover(listing, stranger, staff):
    for user in (stranger, staff):
        response = put(client_with_key(user), listing, picture((64, 36)))

        assert response.status_code == 403, response.content
        assert error_of(response)["code"] == "forbidden"
    listing.refresh_from_db()
    assert listing.cover_type == ""


def test_a_stranger_learns_nothing_of_a_listing_in_review(owner, stranger):
    in_review = ListingFactory(publisher=owner, status=Listing.Status.PENDING_REVIEW)

    response = put(client_with_key(stranger), in_review, truncated_png())

    assert response.status_code == 404


def test_the_publisher_deletes_the_cover(owner, listing):
    client = client_with_key(owner)
    put(client, listing, picture((64, 36)))

    response = client.delete(cover_of(listing))

    assert response.status_code == 204
    listing.refresh_from_db()
    assert listing.cover is None and listing.cover_type == ""
    assert client.get(f"/marketplace/{listing.pk}/cover/").status_code == 404


def test_anonymous_requests_are_401(anonymous, listing):
    assert put(anonymous, listing, picture((64, 36))).status_code == 401
    assert anonymous.delete(cover_of(listing)).status_code == 401


def test_the_schema_documents_the_upload(db):
    from rest_framework.test import APIClient

    schema = APIClient().get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/marketplace/listings/{listing_id}/cover/"]

    upload = operations["put"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload == {"$ref": "#/components/schemas/CoverUploadRequest"}
    assert schema["components"]["schemas"]["CoverUploadRequest"]["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "description": "A PNG, JPEG, WebP or GIF picture of at most 2 MiB (2,097,152 bytes).",
    }
    assert {"200", "400", "403", "404", "413"} <= set(operations["put"]["responses"])
    assert "204" in operations["delete"]["responses"]
