"""The publisher's pages: publish a world, character or scenario (``/marketplace/publish/``),
publish an update of a listing (``/marketplace/<id>/versions/new/``) and change its cover
(a small form on the listing page). Server-rendered and whole without JavaScript.

Each view parses its form and makes one service call; what the service refuses is shown on
the form next to the field to fix (status 400), and nothing is left half-made: the services
run in one transaction each.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound
from marketplace.content import Sources, sources_of
from marketplace.forms import CoverForm, ListingPublishForm, VersionCreateForm, errors_onto
from marketplace.models import Listing, ListingVersion
from marketplace.selectors_access import listing_visible
from marketplace.services import (
    listing_cover_clear,
    listing_cover_set,
    listing_create,
    listing_version_create,
    publisher_check,
)

SUBMITTED = (
    "Submitted for review: staff look at {title} before it is listed. Follow it, and see "
    "why if it is turned down, in My listings."
)


def _prefill(query: QueryDict, sources: Sources) -> dict[str, Any]:
    """``?world=<id>``, ``?character=<id>`` or ``?scenario=<id>`` (the world and character
    pages' links) choose the kind and the source, and name the listing after it; a world's
    description becomes the summary. A character's backstory does not: it may hold what the
    character's secrets say, which the listing's preview hides. An id that is not one of the
    publisher's own chooses nothing."""
    offered = {
        "world": {str(w.pk): (w.name, w.description) for w in sources.worlds},
        "character": {str(c.pk): (c.name, "") for c in sources.characters},
        "scenario": {str(s.pk): (s.title, "") for s in sources.scenarios},
    }
    for kind, by_id in offered.items():
        chosen = query.get(kind, "").strip()
        if chosen in by_id:
            title, summary = by_id[chosen]
            summary = (summary or "")[:500]
            return {"kind": kind, kind: chosen, "title": title[:120], "summary": summary}
    return {}


@login_required
def listing_publish(request: HttpRequest) -> HttpResponse:
    """The publish form; a valid one becomes a listing in review and its page."""
    sources = sources_of(publisher=request.user)
    status = 200
    if request.method == "POST":
        form = ListingPublishForm(request.POST, request.FILES, sources=sources)
        if form.is_valid():
            try:
                listing = listing_create(publisher=request.user, **form.service_arguments())
            except NotFound as error:  # the source went away (or was never theirs)
                errors_onto(form, error, fallback=form.source_field)
            except (DomainError, ValidationError) as error:
                errors_onto(form, error)
            else:
                messages.success(request, SUBMITTED.format(title=listing.title))
                return redirect("marketplace-listing", listing.pk)
        status = 400
    else:
        form = ListingPublishForm(initial=_prefill(request.GET, sources), sources=sources)
    context = {"form": form, "sources": sources}
    return render(request, "marketplace/publish.html", context, status=status)


def _own(request: HttpRequest, listing_id: UUID, *, does: str) -> Listing:
    """The listing if the visitor may see it (404 otherwise) and published it (403)."""
    listing = listing_visible(listing_id=listing_id, user=request.user)
    publisher_check(listing=listing, user=request.user, does=does)
    return listing


@login_required
def listing_version_new(request: HttpRequest, listing_id: UUID) -> HttpResponse:
    """Publish an update: a new snapshot of the listing's source, reviewed again."""
    listing = _own(request, listing_id, does="publishes its versions")
    form = VersionCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = listing_version_create(
                    listing=listing,
                    publisher=request.user,
                    changelog=form.cleaned_data["changelog"],
                    number=form.cleaned_data["number"].strip() or None,
                )
            except DomainError as error:
                errors_onto(form, error)
            else:
                messages.success(
                    request,
                    f"Version {version.number} is submitted for review; installs get "
                    "the approved version until staff approve this one.",
                )
                return redirect("marketplace-listing", listing.pk)
        status = 400
    pending = listing.versions.filter(status=ListingVersion.Status.PENDING_REVIEW).first()
    latest = listing.versions.order_by("-created_at").first()
    context = {"listing": listing, "form": form, "pending": pending, "latest": latest}
    return render(request, "marketplace/version_new.html", context, status=status)


@login_required
@require_POST
def listing_cover_change(request: HttpRequest, listing_id: UUID) -> HttpResponse:
    """Upload a new cover, or remove it (``remove`` in the form), and go back to the page."""
    listing = _own(request, listing_id, does="changes its cover")
    back = reverse("marketplace-listing", args=[listing.pk]) + "#cover"
    form = CoverForm(request.POST, request.FILES)
    try:
        if request.POST.get("remove"):
            listing_cover_clear(listing=listing, publisher=request.user)
            messages.success(request, "The cover is removed.")
        elif form.is_valid() and form.cleaned_data["cover"]:
            upload = form.cleaned_data["cover"]
            listing_cover_set(
                listing=listing,
                publisher=request.user,
                data=upload.read(),
                content_type_hint=upload.content_type or "",
            )
            messages.success(request, "The new cover is shown.")
        else:
            problems = form.errors.get("cover") or ["Choose a picture to upload."]
            messages.error(request, problems[0])
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(back)
