"""Who sees which listing: the one rule the API and the pages share.

Approved and unlisted listings are seen by every signed-in user (unlisted ones only by a link:
search leaves them out); listings in review, rejected or taken down are their publisher's and
staff's alone, and a 404 for anyone else, so nobody learns they exist.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from core.errors import NotFound
from marketplace.models import Install, Listing, ListingVersion

PUBLIC_STATUSES = (Listing.Status.APPROVED, Listing.Status.UNLISTED)


def is_moderator(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def may_see_everything(*, listing: Listing, user: Any) -> bool:
    """The publisher and staff see a listing whole: its content, secrets and hidden
    objectives included, and every version."""
    return is_moderator(user) or (
        user is not None and user.is_authenticated and listing.publisher_id == user.pk
    )


def listings_visible_to(user: Any) -> QuerySet[Listing]:
    if is_moderator(user):
        return Listing.objects.all()
    public = Q(status__in=PUBLIC_STATUSES)
    if user is not None and user.is_authenticated:
        return Listing.objects.filter(public | Q(publisher=user))
    return Listing.objects.filter(public)


def listing_visible(*, listing_id: Any, user: Any) -> Listing:
    """The listing with its publisher and current version joined, if ``user`` may see it;
    ``NotFound`` (404) otherwise."""
    try:
        listing = (
            listings_visible_to(user)
            .select_related("publisher", "current_version")
            .filter(pk=listing_id)
            .first()
        )
    except (ValueError, ValidationError):
        listing = None
    if listing is None:
        raise NotFound("No listing with this id is visible to you.")
    return listing


def listing_versions_for(*, listing: Listing, user: Any) -> list[ListingVersion]:
    """The versions ``user`` is shown, newest first: the approved ones, and for the publisher
    and staff also those in review and the rejected ones with the reason."""
    versions = listing.versions.defer("content").order_by("-created_at")
    if not may_see_everything(listing=listing, user=user):
        versions = versions.filter(status=ListingVersion.Status.APPROVED)
    return list(versions)


def installs_of(*, listing: Listing, user: Any) -> QuerySet[Install]:
    """``user``'s installs of ``listing``, newest first, their versions joined."""
    if user is None or not user.is_authenticated:
        return Install.objects.none()
    return Install.objects.filter(listing=listing, user=user).select_related("version")
