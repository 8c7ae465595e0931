"""Every write of the marketplace: publishing, covers, moderation, installs, reviews and
reports.

The lifecycle (DESIGN.md): ``draft → pending_review → approved | rejected (reason) →
unlisted | removed``. A listing is submitted as it is created (the draft lasts only inside
that transaction). A new version of an approved listing waits in review while the approved
one (``current_version``) stays what installs get. Every step by staff, and every submission,
writes a ``ModerationAction``: the audit trail of who did what, when and why.

Errors are domain errors (``core.errors``): ``NotFound`` for another publisher's source
(404), ``Forbidden`` for moderation by non-staff and reviews by non-installers (403),
``InvalidTransition`` for a step the state forbids or a second review (409), ``InvalidInput``
for a bad rating or a missing reason (400); plan limits on install are the importers' own
``PlanLimitReached`` (402), raised inside the install's transaction so nothing is left.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from ecosystems.models import Ecosystem
from ecosystems.services import ecosystem_create
from marketplace.content import content_snapshot, content_unpack, source_of
from marketplace.covers import cover_prepare
from marketplace.models import (
    Install,
    Listing,
    ListingDay,
    ListingVersion,
    ModerationAction,
    Report,
    Review,
)
from marketplace.search import listing_reindex
from marketplace.selectors_access import is_moderator

Action = ModerationAction.Action
Status = Listing.Status

MAX_TAGS = 12  # a card shows about a dozen chips before it wraps twice
MAX_REASON_CHARS = 2_000  # a paragraph or two; reports and decisions are not essays
MAX_REVIEW_CHARS = 5_000
VERSION_NUMBER = re.compile(r"^(\d{1,4})\.(\d{1,4})$")
DECISIONS = ("approve", "reject")


# ---------------------------------------------------------------- publishing


@transaction.atomic
def listing_create(
    *,
    publisher: Any,
    kind: str,
    source_id: Any,
    title: str,
    summary: str = "",
    description: str = "",
    tags: Sequence[str] = (),
    genre: str = "",
    licence: str = Listing.Licence.CC_BY,
    mature: bool = False,
    changelog: str = "",
    cover: bytes | None = None,
    cover_type_hint: str = "",
) -> Listing:
    """Package the publisher's own world, character or scenario as a listing and submit its
    first version ("1.0") for review. Another user's source, or none, is a ``NotFound``: the
    marketplace never says whose a world is. ``cover``, an uploaded picture, is checked and
    stored as ``listing_cover_set`` does; a refused cover leaves no listing behind."""
    if kind not in Listing.Kind.values:
        raise InvalidInput(
            f"Unknown kind {kind!r}: use one of {', '.join(Listing.Kind.values)}.",
            details={"kind": [f"Use one of {', '.join(Listing.Kind.values)}."]},
        )
    source = _source(kind=kind, source_id=source_id, publisher=publisher)
    listing = Listing(
        publisher=publisher,
        kind=kind,
        title=title.strip(),
        summary=summary.strip(),
        description=description.strip(),
        tags=_clean_tags(tags),
        genre=genre.strip().lower(),
        licence=licence,
        mature=mature,
        status=Status.DRAFT,
    )
    _attach_source(listing, source)
    if cover:
        prepared = cover_prepare(cover, content_type_hint=cover_type_hint)
        listing.cover, listing.cover_type = prepared.data, prepared.content_type
    listing.full_clean(exclude=["current_version", "search_vector", "title_trigrams"])
    listing.save()
    _version_submit(listing=listing, publisher=publisher, number="1.0", changelog=changelog)
    listing_reindex(listing=listing)
    return listing


def _source(*, kind: str, source_id: Any, publisher: Any) -> Any:
    try:
        source = source_of(kind=kind, source_id=source_id, publisher=publisher)
    except (ValueError, TypeError, ValidationError):  # a malformed id names nothing
        source = None
    if source is None:
        noun = {"world": "world", "character": "character", "scenario": "scenario"}[kind]
        raise NotFound(
            f"You have no {noun} with id {source_id}: a listing packages your own {noun}."
        )
    return source


def _attach_source(listing: Listing, source: Any) -> None:
    if listing.kind == Listing.Kind.WORLD:
        listing.source_ecosystem = source
    elif listing.kind == Listing.Kind.CHARACTER:
        listing.source_character = source
        listing.source_ecosystem = source.ecosystem
    else:
        listing.source_scenario = source
        listing.source_ecosystem = source.ecosystem


def _clean_tags(tags: Sequence[str]) -> list[str]:
    """Lower case, trimmed, each once, in the given order."""
    if isinstance(tags, str):
        tags = [tags]
    cleaned = list(dict.fromkeys(t.strip().lower() for t in tags if t and t.strip()))
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(
            f"{len(cleaned)} tags given; a listing has at most {MAX_TAGS}.",
            details={"tags": [f"At most {MAX_TAGS} tags."]},
        )
    return cleaned


def _version_submit(
    *, listing: Listing, publisher: Any, number: str, changelog: str
) -> ListingVersion:
    """Snapshot the source into a new pending version and move a draft or a rejected
    listing into review. Caller holds the transaction."""
    version = ListingVersion.objects.create(
        listing=listing,
        number=number,
        changelog=changelog.strip(),
        content=content_snapshot(listing=listing),
    )
    if listing.status in (Status.DRAFT, Status.REJECTED):
        listing.status = Status.PENDING_REVIEW
        listing.rejection_reason = ""
        listing.save(update_fields=["status", "rejection_reason", "updated_at"])
    _audit(listing=listing, actor=publisher, action=Action.SUBMIT, version=version)
    return version


@transaction.atomic
def listing_version_create(
    *, listing: Listing, publisher: Any, changelog: str, number: str | None = None
) -> ListingVersion:
    """Publish an update: a new snapshot of the source, reviewed again. The approved version
    stays what installs get until staff approve this one. ``number`` defaults to the next
    minor number (1.0 → 1.1); one given must be higher than every earlier one."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.publisher_id != getattr(publisher, "pk", None):
        raise Forbidden("Only the listing's publisher publishes its versions.")
    if listing.status == Status.REMOVED:
        raise InvalidTransition("This listing was taken down by staff; it takes no new versions.")
    pending = listing.versions.filter(status=ListingVersion.Status.PENDING_REVIEW).first()
    if pending is not None:
        raise InvalidTransition(
            f"Version {pending.number} is still in review; wait for the decision before "
            "publishing another."
        )
    if _source_missing(listing):
        raise InvalidTransition(
            "The world, character or scenario this listing was made from no longer exists, "
            "so there is nothing to snapshot. Publish it again as a new listing."
        )
    numbers = [_parse_number(n) for n in listing.versions.values_list("number", flat=True)]
    latest = max(numbers, default=(1, -1))
    if number is None:
        chosen = f"{latest[0]}.{latest[1] + 1}"
    else:
        parsed = _parse_number(number.strip())
        if parsed <= latest:
            raise InvalidInput(
                f"Version {number} is not higher than {latest[0]}.{latest[1]}.",
                details={"number": [f"Use a number above {latest[0]}.{latest[1]}."]},
            )
        chosen = f"{parsed[0]}.{parsed[1]}"
    return _version_submit(listing=listing, publisher=publisher, number=chosen, changelog=changelog)


def _parse_number(number: str) -> tuple[int, int]:
    match = VERSION_NUMBER.match(number)
    if match is None:
        raise InvalidInput(
            f"Version number {number!r} is not of the form 1.2.",
            details={"number": ["Use MAJOR.MINOR, e.g. 1.2."]},
        )
    return int(match[1]), int(match[2])


def _source_missing(listing: Listing) -> bool:
    return {
        Listing.Kind.WORLD: listing.source_ecosystem_id,
        Listing.Kind.CHARACTER: listing.source_character_id,
        Listing.Kind.SCENARIO: listing.source_scenario_id,
    }[listing.kind] is None


# ---------------------------------------------------------------- covers


def publisher_check(*, listing: Listing, user: Any, does: str) -> None:
    """``Forbidden`` unless ``user`` published ``listing`` ("Only the listing's publisher
    {does}."). The API and the pages ask it before they read an upload, so anyone else gets
    the same 403 whatever they sent."""
    if listing.publisher_id != getattr(user, "pk", None):
        raise Forbidden(f"Only the listing's publisher {does}.")


@transaction.atomic
def listing_cover_set(
    *, listing: Listing, publisher: Any, data: bytes, content_type_hint: str = ""
) -> Listing:
    """Give the listing a new cover: ``data`` (at most 2 MiB, a PNG, JPEG, WebP or GIF) is
    decoded whole and stored re-encoded, scaled down to fit 1200x675 (``marketplace.covers``);
    anything else is an ``InvalidInput`` saying what to upload. The publisher's only
    (``Forbidden``), asked before the upload is decoded. The cover belongs to the listing,
    not to a version: it shows at once, without a new review, and goes into the audit trail
    (``Action.COVER``) so staff see a picture that changed after approval."""
    publisher_check(listing=listing, user=publisher, does="changes its cover")
    cover = cover_prepare(data, content_type_hint=content_type_hint)
    listing = _locked(listing)
    if listing.status == Status.REMOVED:
        raise InvalidTransition("This listing was taken down by staff; its cover stays as it is.")
    listing.cover, listing.cover_type = cover.data, cover.content_type
    listing.save(update_fields=["cover", "cover_type", "updated_at"])
    _audit(listing=listing, actor=publisher, action=Action.COVER, reason="New cover uploaded.")
    return listing


@transaction.atomic
def listing_cover_clear(*, listing: Listing, publisher: Any) -> Listing:
    """Remove the listing's cover (cards show the plain placeholder). The publisher's only."""
    publisher_check(listing=listing, user=publisher, does="removes its cover")
    listing = _locked(listing)
    if listing.status == Status.REMOVED:
        raise InvalidTransition("This listing was taken down by staff; its cover stays as it is.")
    if listing.cover_type or listing.cover is not None:
        listing.cover, listing.cover_type = None, ""
        listing.save(update_fields=["cover", "cover_type", "updated_at"])
        _audit(listing=listing, actor=publisher, action=Action.COVER, reason="Cover removed.")
    return listing


# ---------------------------------------------------------------- moderation


def staff_check(*, user: Any) -> None:
    """``Forbidden`` unless ``user`` is active staff: the marketplace's moderators. The API
    asks this before it looks the listing up, so for anyone else every moderation call is
    the same 403, whether the listing exists or not."""
    if not is_moderator(user):
        raise Forbidden("Only staff moderate the marketplace.")


def _check_staff(user: Any) -> None:
    staff_check(user=user)


def _audit(
    *,
    listing: Listing,
    actor: Any,
    action: str,
    reason: str = "",
    version: ListingVersion | None = None,
) -> ModerationAction:
    return ModerationAction.objects.create(
        listing=listing, actor=actor, action=action, reason=reason, version=version
    )


def _reason(reason: str, *, needed_for: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            f"Say why ({needed_for}): the publisher reads the reason.",
            details={"reason": ["This field is required."]},
        )
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidInput(
            f"The reason is {len(reason)} characters; at most {MAX_REASON_CHARS}.",
            details={"reason": [f"At most {MAX_REASON_CHARS} characters."]},
        )
    return reason


def _locked(listing: Listing) -> Listing:
    return Listing.objects.select_for_update().get(pk=listing.pk)


@transaction.atomic
def listing_moderate(
    *,
    listing: Listing,
    staff: Any,
    decision: str,
    reason: str = "",
    version: ListingVersion | None = None,
) -> Listing:
    """Approve or reject the version in review (``version``, or the pending one). Approving
    makes it the installed version; the first approval publishes the listing. Rejecting
    needs a reason; a rejected first version rejects the listing, a rejected update leaves
    the approved version in place."""
    _check_staff(staff)
    if decision not in DECISIONS:
        raise InvalidInput(
            f"Unknown decision {decision!r}: use approve or reject.",
            details={"decision": ["Use approve or reject."]},
        )
    listing = _locked(listing)
    if listing.status == Status.REMOVED:
        raise InvalidTransition("This listing was taken down; restore it before reviewing it.")
    pending = listing.versions.filter(status=ListingVersion.Status.PENDING_REVIEW)
    if version is not None:
        pending = pending.filter(pk=version.pk)
    chosen = pending.order_by("-created_at").first()
    if chosen is None:
        raise InvalidTransition("Nothing of this listing is waiting for review.")
    now = timezone.now()
    chosen.reviewed_at, chosen.reviewed_by = now, staff
    if decision == "reject":
        reason = _reason(reason, needed_for="a rejection")
        chosen.status, chosen.rejection_reason = ListingVersion.Status.REJECTED, reason
        if listing.current_version_id is None:
            listing.status, listing.rejection_reason = Status.REJECTED, reason
    else:
        chosen.status, chosen.rejection_reason = ListingVersion.Status.APPROVED, ""
        listing.current_version = chosen
        listing.rejection_reason = ""
        if listing.status != Status.UNLISTED:  # a publisher's unlisting outlasts an update
            if listing.status != Status.APPROVED:
                listing.approved_at = now
            listing.status = Status.APPROVED
    chosen.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by"])
    listing.save(
        update_fields=["status", "rejection_reason", "current_version", "approved_at", "updated_at"]
    )
    _audit(
        listing=listing,
        actor=staff,
        action=Action.APPROVE if decision == "approve" else Action.REJECT,
        reason=reason.strip(),
        version=chosen,
    )
    return listing


@transaction.atomic
def listing_feature(*, listing: Listing, staff: Any, featured: bool) -> Listing:
    """Put an approved listing first in the marketplace, or take it off that shelf."""
    _check_staff(staff)
    listing = _locked(listing)
    if featured and listing.status != Status.APPROVED:
        raise InvalidTransition(
            f"Only approved listings are featured; this one is {listing.get_status_display()}."
        )
    if listing.featured != featured:
        listing.featured = featured
        listing.save(update_fields=["featured", "updated_at"])
    _audit(listing=listing, actor=staff, action=Action.FEATURE if featured else Action.UNFEATURE)
    return listing


@transaction.atomic
def listing_take_down(*, listing: Listing, staff: Any, reason: str) -> Listing:
    """Remove a listing from the marketplace (it breaks a rule); the publisher sees why.
    Copies already installed stay their installers' own."""
    _check_staff(staff)
    reason = _reason(reason, needed_for="a take-down")
    listing = _locked(listing)
    if listing.status == Status.REMOVED:
        raise InvalidTransition("This listing is already taken down.")
    listing.status, listing.rejection_reason, listing.featured = Status.REMOVED, reason, False
    listing.save(update_fields=["status", "rejection_reason", "featured", "updated_at"])
    _audit(listing=listing, actor=staff, action=Action.TAKE_DOWN, reason=reason)
    return listing


@transaction.atomic
def listing_unlist(*, listing: Listing, actor: Any) -> Listing:
    """Stop offering an approved listing (its publisher or staff): no longer found or
    installed; its page stays for those who installed it."""
    if not is_moderator(actor) and listing.publisher_id != getattr(actor, "pk", None):
        raise Forbidden("Only the listing's publisher or staff unlist it.")
    listing = _locked(listing)
    if listing.status != Status.APPROVED:
        raise InvalidTransition(
            f"Only an approved listing is unlisted; this one is {listing.get_status_display()}."
        )
    listing.status, listing.featured = Status.UNLISTED, False
    listing.save(update_fields=["status", "featured", "updated_at"])
    _audit(listing=listing, actor=actor, action=Action.UNLIST)
    return listing


@transaction.atomic
def listing_restore(*, listing: Listing, staff: Any) -> Listing:
    """Bring back an unlisted or taken-down listing: approved again if it has an approved
    version, back in review otherwise."""
    _check_staff(staff)
    listing = _locked(listing)
    if listing.status not in (Status.UNLISTED, Status.REMOVED):
        raise InvalidTransition(
            f"Only unlisted or taken-down listings are restored; this one is "
            f"{listing.get_status_display()}."
        )
    listing.status = Status.APPROVED if listing.current_version_id else Status.PENDING_REVIEW
    listing.rejection_reason = ""
    listing.save(update_fields=["status", "rejection_reason", "updated_at"])
    _audit(listing=listing, actor=staff, action=Action.RESTORE)
    return listing


@transaction.atomic
def report_create(*, listing: Listing, user: Any, reason: str) -> Report:
    """Flag a listing for staff. One open report per user and listing: a second while the
    first waits is a 409."""
    reason = _reason(reason, needed_for="a report")
    if Report.objects.filter(listing=listing, reporter=user, resolved_at__isnull=True).exists():
        raise InvalidTransition("You already reported this listing; staff will look at it.")
    return Report.objects.create(listing=listing, reporter=user, reason=reason)


@transaction.atomic
def report_resolve(*, report: Report, staff: Any) -> Report:
    """Mark a report dealt with (what was done, if anything, is its own action)."""
    _check_staff(staff)
    report = Report.objects.select_for_update().select_related("listing").get(pk=report.pk)
    if report.resolved_at is not None:
        raise InvalidTransition("This report is already resolved.")
    report.resolved_at, report.resolved_by = timezone.now(), staff
    report.save(update_fields=["resolved_at", "resolved_by"])
    _audit(
        listing=report.listing,
        actor=staff,
        action=Action.RESOLVE_REPORT,
        reason=f"Report: {report.reason}"[:MAX_REASON_CHARS],
    )
    return report


# ---------------------------------------------------------------- installs


@transaction.atomic
def listing_install(*, listing: Listing, user: Any, ecosystem: Ecosystem | None = None) -> Install:
    """Copy the listing's approved version into ``user``'s account. A world becomes a new
    world of theirs; a character or a scenario package goes into ``ecosystem`` (one of their
    worlds) or a new world named after the listing. The copy is theirs alone and says where
    it came from; the publisher's world is never touched or shared. Plan limits are checked
    by the importers (402) inside this transaction, so a refusal leaves nothing behind."""
    listing = Listing.objects.select_related("current_version").get(pk=listing.pk)
    version = listing.current_version
    if listing.status != Status.APPROVED or version is None:
        raise InvalidTransition(
            "This listing is not offered for installing (it is not approved, or no longer listed)."
        )
    origin = f"Installed from {listing.title} v{version.number}"[:200]
    if listing.kind != Listing.Kind.WORLD:
        if ecosystem is None:
            ecosystem = ecosystem_create(
                owner=user, name=listing.title[:120], description=listing.summary
            )
            ecosystem.origin = origin
            ecosystem.save(update_fields=["origin"])
        elif ecosystem.owner_id != user.pk:
            raise NotFound("You have no world with this id to install into.")
    unpacked = content_unpack(
        kind=listing.kind, content=version.content, user=user, ecosystem=ecosystem
    )
    if listing.kind == Listing.Kind.WORLD:
        unpacked.ecosystem.origin = origin
        unpacked.ecosystem.save(update_fields=["origin"])
    install = Install.objects.create(
        listing=listing,
        version=version,
        user=user,
        ecosystem=unpacked.ecosystem,
        character=unpacked.character,
    )
    Listing.objects.filter(pk=listing.pk).update(install_count=F("install_count") + 1)
    _day_add(listing=listing, day=timezone.now().date(), installs=1)
    return install


def listing_update_available(*, install: Install) -> ListingVersion | None:
    """The approved version newer than the one installed, if the listing has one."""
    listing = Listing.objects.select_related("current_version").get(pk=install.listing_id)
    current = listing.current_version
    if current is None or current.pk == install.version_id:
        return None
    if listing.status not in (Status.APPROVED, Status.UNLISTED):
        return None
    installed = ListingVersion.objects.only("number").get(pk=install.version_id)
    newer = _parse_number(current.number) > _parse_number(installed.number)
    return current if newer else None


def listing_viewed(*, listing: Listing, day: dt.date | None = None) -> None:
    """Count one view of the listing's page today (or on ``day``)."""
    _day_add(listing=listing, day=day or timezone.now().date(), views=1)


def _day_add(*, listing: Listing, day: dt.date, views: int = 0, installs: int = 0) -> None:
    """Add to the listing's counters of ``day`` in one statement (an upsert that adds), so
    concurrent views never lose a count or collide on the day's unique row."""
    table = ListingDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (listing_id, day, views, installs) VALUES (%s, %s, %s, %s)
            ON CONFLICT (listing_id, day) DO UPDATE
            SET views = {table}.views + EXCLUDED.views,
                installs = {table}.installs + EXCLUDED.installs
            """,  # the table name is the model's; the values are parameters
            [listing.pk, day, views, installs],
        )


# ---------------------------------------------------------------- reviews


@transaction.atomic
def review_create(*, listing: Listing, user: Any, rating: int, text: str = "") -> Review:
    """Rate a listing one to five stars. Only those who installed it review it, once each;
    the listing's count and sum move in the same statement as the review's row."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput(
            f"Rating {rating!r} is not a whole number of stars from 1 to 5.",
            details={"rating": ["Give 1 to 5 stars."]},
        )
    text = (text or "").strip()
    if len(text) > MAX_REVIEW_CHARS:
        raise InvalidInput(
            f"The review is {len(text)} characters; at most {MAX_REVIEW_CHARS}.",
            details={"text": [f"At most {MAX_REVIEW_CHARS} characters."]},
        )
    if listing.publisher_id == user.pk:
        raise Forbidden("Publishers do not review their own listings; reply to reviews instead.")
    if not Install.objects.filter(listing=listing, user=user).exists():
        raise Forbidden("Only those who installed this listing review it: install it first.")
    if Review.objects.filter(listing=listing, user=user).exists():
        raise InvalidTransition("You already reviewed this listing; one review each.")
    try:
        with transaction.atomic():  # a concurrent second review meets the unique constraint
            review = Review.objects.create(listing=listing, user=user, rating=rating, text=text)
    except IntegrityError:
        raise InvalidTransition("You already reviewed this listing; one review each.") from None
    Listing.objects.filter(pk=listing.pk).update(
        rating_count=F("rating_count") + 1, rating_sum=F("rating_sum") + rating
    )
    return review


@transaction.atomic
def review_reply(*, review: Review, publisher: Any, text: str) -> Review:
    """The listing's publisher answers a review (a second reply replaces the first)."""
    review = Review.objects.select_for_update().select_related("listing").get(pk=review.pk)
    if review.listing.publisher_id != getattr(publisher, "pk", None):
        raise Forbidden("Only the listing's publisher replies to its reviews.")
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write the reply.", details={"text": ["This field is required."]})
    if len(text) > MAX_REVIEW_CHARS:
        raise InvalidInput(
            f"The reply is {len(text)} characters; at most {MAX_REVIEW_CHARS}.",
            details={"text": [f"At most {MAX_REVIEW_CHARS} characters."]},
        )
    review.reply, review.replied_at = text, timezone.now()
    review.save(update_fields=["reply", "replied_at"])
    return review


__all__ = [
    "listing_cover_clear",
    "listing_cover_set",
    "listing_create",
    "listing_feature",
    "listing_install",
    "listing_moderate",
    "listing_restore",
    "listing_take_down",
    "listing_unlist",
    "listing_update_available",
    "listing_version_create",
    "listing_viewed",
    "publisher_check",
    "report_create",
    "report_resolve",
    "review_create",
    "review_reply",
]
