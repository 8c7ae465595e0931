"""Stars and words from those who installed a listing: one review each, 1 to 5 stars, and the
publisher's reply. The listing keeps the count and the sum for its average."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, InvalidInput, InvalidTransition
from marketplace.models import Install, Listing, Review
from marketplace.services import review_create, review_reply
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(owner) -> Listing:
    return ListingFactory(publisher=owner, status=Listing.Status.APPROVED)


def installed(listing: Listing, user) -> Install:
    return Install.objects.create(listing=listing, version=listing.current_version, user=user)


def test_an_installer_rates_and_the_listing_keeps_the_average(listing, stranger):
    other = UserFactory()
    installed(listing, stranger)
    installed(listing, other)

    review_create(listing=listing, user=stranger, rating=5, text="Lovely.")
    review_create(listing=listing, user=other, rating=2)

    listing.refresh_from_db()
    assert (listing.rating_count, listing.rating_sum, listing.rating) == (2, 7, 3.5)


def test_only_installers_review(listing, stranger):
    with pytest.raises(Forbidden, match="install it first"):
        review_create(listing=listing, user=stranger, rating=4)
    assert not Review.objects.exists()


def test_the_publisher_does_not_review_their_own_listing(listing, owner):
    installed(listing, owner)

    with pytest.raises(Forbidden):
        review_create(listing=listing, user=owner, rating=5)


def test_a_second_review_is_a_conflict_and_counts_nothing(listing, stranger):
    installed(listing, stranger)
    review_create(listing=listing, user=stranger, rating=4)

    with pytest.raises(InvalidTransition, match="one review each"):
        review_create(listing=listing, user=stranger, rating=1)

    listing.refresh_from_db()
    assert (listing.rating_count, listing.rating_sum) == (1, 4)


@pytest.mark.parametrize("rating", [0, 6, -1, 2.5, True, "5"])
def test_a_rating_outside_one_to_five_whole_stars_is_invalid(listing, stranger, rating):
    installed(listing, stranger)

    with pytest.raises(InvalidInput, match="1 to 5"):
        review_create(listing=listing, user=stranger, rating=rating)


def test_the_publisher_replies_and_nobody_else(listing, owner, stranger):
    installed(listing, stranger)
    review = review_create(listing=listing, user=stranger, rating=3, text="Slow start.")

    with pytest.raises(Forbidden):
        review_reply(review=review, publisher=stranger, text="I agree with me.")
    review = review_reply(review=review, publisher=owner, text="Fixed in 1.1.")

    assert review.reply == "Fixed in 1.1." and review.replied_at is not None
