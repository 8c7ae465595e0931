"""Marketplace pages: browse and search (``/marketplace/``), a listing's preview with install,
review and report forms (``/marketplace/<id>/``), and the publisher's own listings with their
figures over time (``/marketplace/mine/``). Server-rendered, whole without JavaScript (the
graph picture and charts are drawn on top of tables that say the same).

Browsing is open to everyone; installing, reviewing and reporting need an account. The forms
post to views that call one service each and come back to the listing page with a message.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError
from ecosystems.feed import KIND_COLOURS
from marketplace.models import Listing, Review
from marketplace.selectors import (
    SORTS,
    listing_detail,
    listing_details,
    listing_genres,
    listing_tags,
    listings_of_publisher,
    listings_page,
    listings_search,
    publisher_analytics,
)
from marketplace.selectors_access import listing_visible
from marketplace.services import listing_viewed

PAGE_SIZE = 24
SHOW_MATURE = "marketplace_show_mature"  # session flag: the visitor chose to see mature covers
SORT_LABELS = {
    "relevance": "Best match",
    "top": "Top rated",
    "installs": "Most installed",
    "new": "Newest",
    "trending": "Trending this week",
}


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(1000, int(raw or 1)))
    except ValueError:
        return 1


def _show_mature(request: HttpRequest) -> bool:
    """Mature listings are blurred and labelled until the visitor opts in with
    ``?mature=show`` (remembered for the session; ``?mature=hide`` takes it back)."""
    if request.GET.get("mature") in ("show", "hide"):
        request.session[SHOW_MATURE] = request.GET["mature"] == "show"
    return bool(request.session.get(SHOW_MATURE))


def marketplace_index(request: HttpRequest) -> HttpResponse:
    """Search and browse approved listings, filtered and sorted as the query string says."""
    show_mature = _show_mature(request)
    params = {
        "q": request.GET.get("q", "").strip()[:200],
        "kind": request.GET.get("kind", ""),
        "tag": request.GET.get("tag", "").strip()[:32],
        "genre": request.GET.get("genre", "").strip()[:32],
        "licence": request.GET.get("licence", ""),
        "sort": request.GET.get("sort", "relevance"),
    }
    if params["kind"] not in Listing.Kind.values:
        params["kind"] = ""
    if params["licence"] not in Listing.Licence.values:
        params["licence"] = ""
    if params["sort"] not in SORTS:
        params["sort"] = "relevance"
    number = _page_number(request.GET.get("page"))
    listings = listings_search(
        **{k: v or None for k, v in params.items() if k != "sort"},
        sort=params["sort"],
        user=request.user,
    )
    cards, found = listings_page(
        listings=listings,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        searched=bool(params["q"]),
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("mature", None)
    return render(
        request,
        "marketplace/index.html",
        {
            "params": params,
            "cards": cards,
            "found": found,
            "page": number,
            "pages": max(1, -(-found // PAGE_SIZE)),
            "query": query.urlencode(),
            "kinds": Listing.Kind.choices,
            "licences": Listing.Licence.choices,
            "sorts": [(s, SORT_LABELS[s]) for s in SORTS],
            "tags": listing_tags(),
            "genres": listing_genres(),
            "show_mature": show_mature,
        },
    )


def _visible(request: HttpRequest, listing_id: UUID) -> Listing:
    """The listing with its versions and reviews, if the visitor may see it (404 otherwise):
    approved and unlisted listings for everyone, the rest for their publisher and staff."""
    listing_visible(listing_id=listing_id, user=request.user)  # NotFound (404) if not
    listing = listing_detail(listing_id=listing_id)
    if listing is None:
        raise Http404("No such listing.")
    return listing


def listing_page(request: HttpRequest, listing_id: UUID) -> HttpResponse:
    """The listing as the API shows it to the visitor (``selectors.listing_details``), with
    the reviews and the install, review and report forms."""
    listing = _visible(request, listing_id)
    details = listing_details(listing=listing, user=request.user)
    is_publisher = request.user.is_authenticated and listing.publisher_id == request.user.pk
    if not is_publisher:
        listing_viewed(listing=listing)
    reviews: list[Review] = list(listing.reviews.all())
    mine = next((r for r in reviews if r.user_id == request.user.pk), None)
    worlds: list[Any] = []
    if request.user.is_authenticated and listing.kind != Listing.Kind.WORLD:
        from ecosystems.models import Ecosystem

        worlds = list(Ecosystem.objects.filter(owner=request.user).order_by("name"))
    return render(
        request,
        "marketplace/listing.html",
        {
            "listing": listing,
            "details": details,
            "preview": details.preview,
            "versions": details.versions,
            "install": details.install,
            "update": details.update,
            "is_publisher": is_publisher,
            "my_review": mine,
            "worlds": worlds,
            "show_mature": _show_mature(request),
            "graph": {**details.preview["graph"], "colours": KIND_COLOURS},
        },
    )


def listing_cover(request: HttpRequest, listing_id: UUID) -> HttpResponse:
    """The cover image of a listing the visitor may see."""
    listing = listing_visible(listing_id=listing_id, user=request.user)
    cover = Listing.objects.filter(pk=listing.pk).values_list("cover", flat=True).first()
    if not cover or not listing.cover_type.startswith("image/"):
        raise Http404("This listing has no cover.")
    response = HttpResponse(bytes(cover), content_type=listing.cover_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _back(listing_id: UUID, anchor: str = "") -> HttpResponse:
    return redirect(reverse("marketplace-listing", args=[listing_id]) + anchor)


@login_required
@require_POST
def listing_install_view(request: HttpRequest, listing_id: UUID) -> HttpResponse:
    from ecosystems.models import Ecosystem
    from marketplace.services import listing_install

    listing = _visible(request, listing_id)
    ecosystem = None
    if request.POST.get("ecosystem"):
        try:
            ecosystem = Ecosystem.objects.filter(
                owner=request.user, pk=UUID(request.POST["ecosystem"])
            ).first()
        except ValueError:
            ecosystem = None
        if ecosystem is None:
            messages.error(request, "Choose one of your own worlds to install into.")
            return _back(listing_id, "#install")
    try:
        install = listing_install(listing=listing, user=request.user, ecosystem=ecosystem)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(listing_id, "#install")
    messages.success(request, f"Installed {listing.title} v{install.version.number}.")
    if install.ecosystem_id:
        return redirect(reverse("observatory", args=[install.ecosystem_id]))
    return _back(listing_id)


@login_required
@require_POST
def listing_review_view(request: HttpRequest, listing_id: UUID) -> HttpResponse:
    from marketplace.services import review_create

    listing = _visible(request, listing_id)
    try:
        rating = int(request.POST.get("rating", ""))
    except ValueError:
        rating = 0
    if not 1 <= rating <= 5:
        messages.error(request, "Choose from 1 to 5 stars.")
        return _back(listing_id, "#review")
    try:
        review_create(
            listing=listing, user=request.user, rating=rating, text=request.POST.get("text", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _back(listing_id, "#review")
    messages.success(request, "Thank you: your review is published.")
    return _back(listing_id, "#reviews")


@login_required
@require_POST
def review_reply_view(request: HttpRequest, listing_id: UUID, review_id: UUID) -> HttpResponse:
    from marketplace.services import review_reply

    listing = _visible(request, listing_id)
    review = next((r for r in listing.reviews.all() if r.pk == review_id), None)
    if review is None:
        raise Http404("No such review.")
    try:
        review_reply(review=review, publisher=request.user, text=request.POST.get("text", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your reply is published.")
    return _back(listing_id, "#reviews")


@login_required
@require_POST
def listing_report_view(request: HttpRequest, listing_id: UUID) -> HttpResponse:
    from marketplace.services import report_create

    listing = _visible(request, listing_id)
    try:
        report_create(listing=listing, user=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return _back(listing_id, "#report")
    messages.success(request, "Thank you: staff will look at this listing.")
    return _back(listing_id)


@login_required
def my_listings(request: HttpRequest) -> HttpResponse:
    """The publisher's listings in every state, with the reason of a rejection, and views,
    installs and rating over the last 30 days."""
    analytics = publisher_analytics(user=request.user, days=30)
    listings = list(listings_of_publisher(user=request.user))
    series = {s["id"]: s for s in analytics["listings"]}
    for one in series.values():  # newest day first for the table under each chart
        days = zip(analytics["labels"], one["views"], one["installs"], one["rating"], strict=True)
        one["table"] = list(days)[::-1]
    rows = [(listing, series.get(str(listing.pk))) for listing in listings]
    chart = {"labels": analytics["labels"], "listings": [
        {k: v for k, v in s.items() if k != "table"} for s in analytics["listings"]
    ]}  # fmt: skip
    return render(request, "marketplace/mine.html", {"rows": rows, "analytics": chart})
