"""Staff work the moderation queue in the admin: the queue first, approve, reject and take down
with a reason asked on a page of its own, feature, resolve reports; the trail stays read-only."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from marketplace.models import Listing, ListingVersion, ModerationAction, Report
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Listing.Status
CHANGELIST = "/admin/marketplace/listing/"


@pytest.fixture
def admin_browser(client, staff):
    client.force_login(staff)
    return client


def act(client, action: str, *listings: Listing, **extra: str):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(li.pk) for li in listings], **extra}
    return client.post(f"{CHANGELIST}?queue=all", data)


def test_the_changelist_opens_on_the_queue_of_versions_in_review(admin_browser):
    waiting = ListingFactory(title="Waiting World")
    update = ListingFactory(title="Updated World", status=Status.APPROVED)
    ListingVersion.objects.create(listing=update, number="1.1", content={})
    ListingFactory(title="Settled World", status=Status.APPROVED)
    Report.objects.create(listing=waiting, reporter=UserFactory(), reason="Spam.")

    page = admin_browser.get(CHANGELIST).content.decode()

    assert "Waiting World" in page and "Updated World" in page
    assert "Settled World" not in page
    assert "v1.1" in page  # the pending version's column
    assert "Settled World" in admin_browser.get(f"{CHANGELIST}?queue=all").content.decode()
    reported = admin_browser.get(f"{CHANGELIST}?queue=reported").content.decode()
    assert "Waiting World" in reported and "Updated World" not in reported


def test_staff_approve_from_the_changelist(admin_browser, staff):
    listing = ListingFactory()

    response = act(admin_browser, "approve", listing)

    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == Status.APPROVED
    assert listing.moderation.get().actor == staff


def test_rejecting_asks_for_the_reason_on_its_own_page(admin_browser):
    listing = ListingFactory(title="Rough Draft")

    page = act(admin_browser, "reject", listing)

    assert page.status_code == 200
    assert "Reject: say why" in page.content.decode() and "Rough Draft" in page.content.decode()
    listing.refresh_from_db()
    assert listing.status == Status.PENDING_REVIEW  # nothing decided yet

    done = act(admin_browser, "reject", listing, apply="1", reason="No cast yet.")

    assert done.status_code == 302
    listing.refresh_from_db()
    assert (listing.status, listing.rejection_reason) == (Status.REJECTED, "No cast yet.")


def test_an_empty_reason_asks_again(admin_browser):
    listing = ListingFactory(status=Status.APPROVED)

    page = act(admin_browser, "take_down", listing, apply="1", reason="")

    assert page.status_code == 200 and "This field is required" in page.content.decode()
    listing.refresh_from_db()
    assert listing.status == Status.APPROVED


def test_take_down_feature_and_resolve_reports(admin_browser):
    featured = ListingFactory(status=Status.APPROVED)
    reported = ListingFactory(status=Status.APPROVED)
    Report.objects.create(listing=reported, reporter=UserFactory(), reason="Stolen.")

    act(admin_browser, "feature", featured)
    act(admin_browser, "resolve_reports", reported)
    act(admin_browser, "take_down", reported, apply="1", reason="Stolen from another author.")

    featured.refresh_from_db()
    reported.refresh_from_db()
    assert featured.featured
    assert reported.status == Status.REMOVED
    assert reported.reports.get().resolved_at is not None
    actions = set(ModerationAction.objects.values_list("action", flat=True))
    assert actions == {"feature", "resolve_report", "take_down"}


def test_a_refused_step_is_said_and_changes_nothing(admin_browser):
    listing = ListingFactory()  # in review: not featured

    response = act(admin_browser, "feature", listing)

    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Only approved listings are featured" in m for m in messages)
    listing.refresh_from_db()
    assert not listing.featured


def test_the_change_page_shows_versions_reports_and_the_trail(admin_browser):
    listing = ListingFactory(content={"characters": [{"name": "Alice"}]})
    act(admin_browser, "approve", listing)
    Report.objects.create(listing=listing, reporter=UserFactory(), reason="Odd tags.")

    page = admin_browser.get(f"{CHANGELIST}{listing.pk}/change/").content.decode()

    assert "Moderation trail" in page and "Approved" in page
    assert "Odd tags." in page
    assert "&quot;Alice&quot;" in page  # the snapshot's start, escaped


def test_the_audit_trail_is_read_only(admin_browser, staff):
    listing = ListingFactory()
    act(admin_browser, "approve", listing)
    action = ModerationAction.objects.get()

    assert admin_browser.get("/admin/marketplace/moderationaction/").status_code == 200
    assert (
        admin_browser.get(f"/admin/marketplace/moderationaction/{action.pk}/delete/").status_code
        == 403
    )
    assert admin_browser.get("/admin/marketplace/report/").status_code == 200


def test_non_staff_do_not_reach_the_queue(client, stranger):
    client.force_login(stranger)

    assert client.get(CHANGELIST).status_code == 302  # to the admin login
