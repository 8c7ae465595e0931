"""Users flag listings with a reason; staff resolve the reports, on the audit trail."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, InvalidInput, InvalidTransition
from marketplace.models import Listing, ModerationAction
from marketplace.services import report_create, report_resolve
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def test_a_user_reports_a_listing_with_a_reason(stranger):
    listing = ListingFactory(status=Listing.Status.APPROVED)

    report = report_create(listing=listing, user=stranger, reason=" Copies my world. ")

    assert report.reason == "Copies my world."
    assert report.resolved_at is None
    assert list(listing.reports.all()) == [report]


def test_a_report_needs_a_reason(stranger):
    with pytest.raises(InvalidInput, match="Say why"):
        report_create(listing=ListingFactory(), user=stranger, reason="")


def test_a_second_open_report_by_the_same_user_is_a_conflict(stranger, staff):
    listing = ListingFactory(status=Listing.Status.APPROVED)
    first = report_create(listing=listing, user=stranger, reason="Spam.")

    with pytest.raises(InvalidTransition):
        report_create(listing=listing, user=stranger, reason="Spam again.")

    report_resolve(report=first, staff=staff)
    assert report_create(listing=listing, user=stranger, reason="Back again.").pk != first.pk


def test_staff_resolve_a_report_once_and_it_is_on_the_trail(stranger, staff):
    listing = ListingFactory(status=Listing.Status.APPROVED)
    report = report_create(listing=listing, user=stranger, reason="Spam.")

    report = report_resolve(report=report, staff=staff)

    assert report.resolved_by == staff and report.resolved_at is not None
    action = listing.moderation.get()
    assert (action.action, action.actor, action.reason) == (
        ModerationAction.Action.RESOLVE_REPORT,
        staff,
        "Report: Spam.",
    )
    with pytest.raises(InvalidTransition):
        report_resolve(report=report, staff=staff)


def test_only_staff_resolve_reports(stranger):
    report = report_create(listing=ListingFactory(), user=stranger, reason="Spam.")

    with pytest.raises(Forbidden):
        report_resolve(report=report, staff=stranger)
