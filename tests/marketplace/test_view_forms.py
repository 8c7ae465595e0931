"""The listing page's forms: review, reply, report and install post to views that call the
marketplace services and come back to the page saying what happened."""

from __future__ import annotations

import pytest

from marketplace.models import ListingDay, Report, Review
from tests.factories import ApprovedListingFactory, InstallFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def page_of(listing) -> str:
    return f"/marketplace/{listing.pk}/"


def test_an_installer_reviews_once_and_the_page_shows_it(client):
    user = UserFactory()
    listing = ApprovedListingFactory(title="The Garden Party")
    InstallFactory(listing=listing, user=user)
    client.force_login(user)

    response = client.post(page_of(listing) + "review/", {"rating": "4", "text": "Charming."})

    assert response.status_code == 302 and response["Location"].endswith("#reviews")
    page = client.get(page_of(listing)).content.decode()
    assert "Charming." in page and "your review is published" in page
    again = client.post(page_of(listing) + "review/", {"rating": "5"}, follow=True)
    assert "one review each" in again.content.decode()
    assert Review.objects.filter(listing=listing).count() == 1


def test_someone_who_did_not_install_is_told_to_install_first(client):
    listing = ApprovedListingFactory()
    client.force_login(UserFactory())

    response = client.post(page_of(listing) + "review/", {"rating": "5"}, follow=True)

    assert "install it first" in response.content.decode()
    assert not Review.objects.exists()


def test_the_publisher_replies_to_a_review(client):
    publisher = UserFactory()
    listing = ApprovedListingFactory(publisher=publisher)
    review = ReviewFactory(listing=listing, text="Too short.")
    client.force_login(publisher)

    client.post(f"{page_of(listing)}reviews/{review.pk}/reply/", {"text": "v1.1 is longer."})

    review.refresh_from_db()
    assert review.reply == "v1.1 is longer."


def test_a_stranger_cannot_reply_for_the_publisher(client):
    listing = ApprovedListingFactory()
    review = ReviewFactory(listing=listing)
    client.force_login(UserFactory())

    response = client.post(f"{page_of(listing)}reviews/{review.pk}/reply/", {"text": "Hi"})

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.reply == ""


def test_a_report_reaches_staff(client):
    user = UserFactory()
    listing = ApprovedListingFactory()
    client.force_login(user)

    response = client.post(page_of(listing) + "report/", {"reason": "Copied from my world."})

    assert response.status_code == 302
    assert Report.objects.get(listing=listing).reporter == user


def test_forms_ask_anonymous_visitors_to_log_in(client):
    listing = ApprovedListingFactory()
    for action in ("install", "review", "report"):
        response = client.post(page_of(listing) + f"{action}/", {})
        assert response.status_code == 302 and "/login" in response["Location"], action


def test_a_visit_counts_as_a_view_but_the_publishers_own_do_not(client):
    publisher = UserFactory()
    listing = ApprovedListingFactory(publisher=publisher)

    client.get(page_of(listing))
    client.force_login(publisher)
    client.get(page_of(listing))

    assert sum(ListingDay.objects.filter(listing=listing).values_list("views", flat=True)) == 1
