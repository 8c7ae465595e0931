"""Reads of the marketplace: search over approved listings, a listing's details and preview as
one reader is shown them (the API and the page alike), the publisher's own listings, and the
publisher's analytics.

Search is PostgreSQL full-text (``websearch_to_tsquery`` over the weighted ``search_vector``,
ranked with ``ts_rank``) combined with trigram similarity on the title, computed in SQL from
``title_trigrams`` because the embedded PostgreSQL has no ``pg_trgm`` (see ``search.py``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from ecosystems.redaction import Redactor
from marketplace.models import Install, Listing, ListingDay, ListingVersion, Review
from marketplace.search import SEARCH_CONFIG, trigrams
from marketplace.selectors_access import installs_of, listing_versions_for, may_see_everything
from marketplace.services import listing_update_available
from marketplace.showcase import content_preview, content_secrets

SORTS = ("relevance", "top", "installs", "new", "trending")

# pg_trgm's own defaults: ``similarity_threshold`` 0.3 for the whole title, and
# ``word_similarity_threshold`` 0.6 for "how much of what was typed is in the title" (here the
# share of the query's trigrams found in the title, which lets "gardn" find "The Garden Party":
# 4 of its 6 trigrams, while its whole-title similarity is only 0.21).
SIMILARITY_THRESHOLD = 0.3
WORD_SIMILARITY_THRESHOLD = 0.6

# Top rated is a Bayesian average: every listing starts with PRIOR_REVIEWS imaginary reviews of
# PRIOR_STARS, so one 5-star review (score 3.33) does not beat fifty of 4.8 (score 4.64), and a
# listing climbs as real reviews outweigh the prior. 3 stars is the middle of the scale; 5
# reviews is about what it takes before an average is worth believing on hubs of this size.
PRIOR_STARS = 3.0
PRIOR_REVIEWS = 5

TRENDING_DAYS = 7  # "trending" counts installs in the last week (issue 14)

# Both arrays hold each trigram once, so the shared ones are counted by one pass over the
# title's. Similarity is shared / (|title| + |query| - shared) (pg_trgm's measure); "close" is
# similarity >= S, i.e. shared >= S/(1+S) * (|title| + |query|), or shared >= W * |query|.
_SHARED = (
    "SELECT count(*) AS n FROM unnest(marketplace_listing.title_trigrams) AS t WHERE t = ANY(%s)"
)
_SIMILARITY = (
    f"(SELECT shared.n::float / (cardinality(marketplace_listing.title_trigrams) + %s - shared.n)"
    f" FROM ({_SHARED}) AS shared)"
)
_CLOSE = (
    f"(SELECT shared.n >= %s * (cardinality(marketplace_listing.title_trigrams) + %s)"
    f" OR shared.n >= %s FROM ({_SHARED}) AS shared)"
)


def _rarest(wanted: list[str]) -> list[str]:
    """The query trigrams a close title must share at least one of, commonest left out.

    A close title shares at least ``ceil(S * n)`` of the query's ``n`` trigrams (similarity
    s / (n + t - s) >= S with t >= s gives s >= S * n; word similarity needs 0.6 n), so by
    pigeonhole it holds one of any ``n - ceil(S * n) + 1`` of them. Word starts ("  g", " ga")
    begin most titles' words and find thousands of candidates; they are the ones left out.
    """
    keep = len(wanted) - math.ceil(SIMILARITY_THRESHOLD * len(wanted) - 1e-9) + 1
    by_rarity = sorted(wanted, key=lambda t: (-t.count(" ", 0, 2), t))
    return sorted(by_rarity[len(wanted) - keep :]) if keep < len(wanted) else wanted


def _bayesian_rating() -> ExpressionWrapper:
    return ExpressionWrapper(
        (F("rating_sum") + Value(PRIOR_STARS * PRIOR_REVIEWS))
        / (F("rating_count") + Value(float(PRIOR_REVIEWS))),
        output_field=FloatField(),
    )


def listings_approved() -> QuerySet[Listing]:
    """Approved listings with their publisher joined: what anyone may find."""
    return Listing.objects.filter(status=Listing.Status.APPROVED).select_related("publisher")


def listings_search(
    *,
    q: str = "",
    kind: str | None = None,
    tag: str | None = None,
    genre: str | None = None,
    licence: str | None = None,
    sort: str = "relevance",
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> QuerySet[Listing]:
    """Approved listings matching ``q`` (words of the title, tags, genre, summary or description,
    or a title with a typo) and the filters, featured first, then by ``sort``:

    - ``relevance``: text rank plus title similarity (without ``q``: most installed, newest);
    - ``top``: the Bayesian average of the stars (see ``PRIOR_STARS``), then the count;
    - ``installs``: most installed; ``new``: most recently approved;
    - ``trending``: most installs in the last ``TRENDING_DAYS`` days.

    Each row carries ``score`` (Bayesian rating) and ``current_version_number``, with ``q``
    also ``rank`` and ``similarity``; with a signed-in ``user``, ``installed`` says whether
    they installed it.
    An unknown ``sort`` is treated as ``relevance``. Pending, rejected, unlisted and removed
    listings are never returned.
    """
    # Cards need neither the cover's bytes, the long description nor the search fields.
    listings = (
        listings_approved()
        .defer("cover", "description", "search_vector", "title_trigrams")
        .annotate(score=_bayesian_rating(), current_version_number=F("current_version__number"))
    )
    if kind:
        listings = listings.filter(kind=kind)
    if tag:
        listings = listings.filter(tags__contains=[tag.strip().lower()])
    if genre:
        listings = listings.filter(genre__iexact=genre.strip())
    if licence:
        listings = listings.filter(licence=licence)
    if user is not None and user.is_authenticated:
        listings = listings.annotate(
            installed=Exists(Install.objects.filter(listing=OuterRef("pk"), user=user))
        )

    q = (q or "").strip()[:200]
    relevance: list[Any] = ["-install_count", "-approved_at"]
    if q:
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        wanted = trigrams(q)
        listings = listings.annotate(
            rank=Coalesce(SearchRank(F("search_vector"), query), Value(0.0)),
            similarity=RawSQL(_SIMILARITY, (len(wanted), wanted), output_field=FloatField()),
        )
        # Candidates come from the two GIN indexes (a tsvector match, or any trigram shared);
        # the shared trigrams are counted on those only, once a row (one subplan).
        text_match = Q(search_vector=query)
        if wanted:
            close = RawSQL(
                _CLOSE,
                (SIMILARITY_THRESHOLD / (1 + SIMILARITY_THRESHOLD), len(wanted),
                 WORD_SIMILARITY_THRESHOLD * len(wanted), wanted),
                output_field=BooleanField(),
            )  # fmt: skip
            candidates = Q(title_trigrams__overlap=_rarest(wanted))
            listings = listings.filter(text_match | (candidates & close))
        else:
            listings = listings.filter(text_match)
        relevance = [
            ExpressionWrapper(F("rank") + F("similarity"), output_field=FloatField()).desc(),
            "-install_count",
        ]

    orders: dict[str, list[Any]] = {
        "relevance": relevance,
        "top": ["-score", "-rating_count"],
        "installs": ["-install_count"],
        "new": [F("approved_at").desc(nulls_last=True)],
    }
    if sort == "trending":
        since = timezone.now() - dt.timedelta(days=TRENDING_DAYS)
        recent = (
            Install.objects.filter(listing=OuterRef("pk"), created_at__gte=since)
            .order_by()
            .values("listing")
            .annotate(n=Count("pk"))
            .values("n")
        )
        listings = listings.annotate(recent_installs=Coalesce(Subquery(recent), 0))
        order = ["-recent_installs", "-install_count"]
    else:
        order = orders.get(sort, relevance)
    return listings.order_by("-featured", *order, "title", "pk")


def listings_page(
    *, listings: QuerySet[Listing], offset: int = 0, limit: int = 24, searched: bool = False
) -> tuple[list[Listing], int]:
    """One page of ``listings`` and the number found. After a text search (``searched``) the
    count rides along as a window over the rows the ranking gathered anyway, where a separate
    COUNT would run the text matching and trigram counting a second time; browsing counts
    with a plain COUNT, cheaper than materialising every approved listing for the window."""
    if not searched:
        return list(listings[offset : offset + limit]), listings.count()
    rows = list(listings.annotate(total=Window(Count("pk")))[offset : offset + limit])
    if rows:
        return rows, rows[0].total
    return rows, listings.count() if offset else 0


def listing_tags(*, limit: int = 30) -> list[str]:
    """The most used tags of approved listings (for the filter list), most used first."""
    rows = (
        Listing.objects.filter(status=Listing.Status.APPROVED)
        .annotate(tag=RawSQL("unnest(tags)", ()))
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag")[:limit]
    )
    return [row["tag"] for row in rows]


def listing_genres() -> list[str]:
    """Genres of approved listings, alphabetically."""
    return list(
        Listing.objects.filter(status=Listing.Status.APPROVED)
        .exclude(genre="")
        .order_by("genre")
        .values_list("genre", flat=True)
        .distinct()
    )


def listing_detail(*, listing_id: Any) -> Listing | None:
    """One listing with its publisher, versions (newest first) and reviews (with reviewers)
    joined. Whether the asker may see it is ``selectors_access.listing_visible``'s call."""
    return (
        Listing.objects.select_related("publisher", "current_version")
        .prefetch_related(
            Prefetch("versions", queryset=ListingVersion.objects.order_by("-created_at")),
            Prefetch("reviews", queryset=Review.objects.select_related("user")),
        )
        .filter(pk=listing_id)
        .first()
    )


def listing_preview(*, version: ListingVersion | None, reveal: bool) -> dict[str, Any]:
    """The preview of ``version``'s content (``showcase.content_preview``; empty without a
    version). ``reveal`` (the publisher and staff) keeps the secrets and hidden objectives in;
    for anyone else they are left out and cut out of every text shown by the visitors'
    ``Redactor`` of the content's own secrets, as a public world's visitors are shown it."""
    content = version.content if version is not None else None
    if reveal:
        return content_preview(content, reveal=True)
    secrets, hidden = content_secrets(content)
    redactor = Redactor.of(secrets=secrets, hidden_goals=hidden)
    return content_preview(content, reveal=False, redact=redactor.text)


@dataclass(frozen=True)
class ListingDetails:
    """What one reader is shown of one listing, the API's body and the page alike."""

    listing: Listing
    reveal: bool  # the publisher or staff: every version, and the preview with its secrets
    versions: list[ListingVersion]  # newest first, without their content
    shown: ListingVersion | None  # the version the preview is of
    preview: dict[str, Any]
    install: Install | None  # the reader's newest install
    update: ListingVersion | None  # a newer approved version than the one installed


def listing_details(*, listing: Listing, user: Any) -> ListingDetails:
    """``listing`` (one ``user`` may see: ``selectors_access.listing_visible``) as ``user`` is
    shown it: the publisher and staff see every version and the newest one's preview whole;
    everyone else the approved versions and the approved version's preview without its
    secrets."""
    reveal = may_see_everything(listing=listing, user=user)
    versions = listing_versions_for(listing=listing, user=user)
    shown = listing.current_version
    if reveal and versions and (shown is None or shown.pk != versions[0].pk):
        shown = ListingVersion.objects.get(pk=versions[0].pk)  # the newest, with its content
    install = installs_of(listing=listing, user=user).first()
    return ListingDetails(
        listing=listing,
        reveal=reveal,
        versions=versions,
        shown=shown,
        preview=listing_preview(version=shown, reveal=reveal),
        install=install,
        update=listing_update_available(install=install) if install is not None else None,
    )


def listings_of_publisher(*, user: AbstractBaseUser) -> QuerySet[Listing]:
    """Every listing the user published, whatever its status, newest first, versions joined."""
    return (
        Listing.objects.filter(publisher=user)
        .select_related("current_version")
        .prefetch_related(
            Prefetch("versions", queryset=ListingVersion.objects.order_by("-created_at"))
        )
        .order_by("-created_at")
    )


def publisher_analytics(*, user: AbstractBaseUser, days: int = 30) -> dict[str, Any]:
    """Per listing of the user, one point a day for the last ``days`` days (today included):
    views and installs (``ListingDay``) and the average rating of the reviews given up to that
    day (``Review``), shaped for Chart.js: ``{"labels": ["2026-12-01", ...], "listings":
    [{"id", "title", "views": [...], "installs": [...], "rating": [... or None]}]}``."""
    today = timezone.now().date()
    first = today - dt.timedelta(days=days - 1)
    labels = [first + dt.timedelta(days=i) for i in range(days)]
    listings = list(Listing.objects.filter(publisher=user).order_by("-created_at"))
    ids = [listing.pk for listing in listings]
    per_day: dict[tuple[Any, dt.date], tuple[int, int]] = {
        (row.listing_id, row.day): (row.views, row.installs)
        for row in ListingDay.objects.filter(listing_id__in=ids, day__gte=first, day__lte=today)
    }
    reviews: dict[Any, list[tuple[dt.date, int]]] = {}
    for listing_id, created_at, rating in (
        Review.objects.filter(listing_id__in=ids)
        .order_by("created_at")
        .values_list("listing_id", "created_at", "rating")
    ):
        reviews.setdefault(listing_id, []).append((timezone.localdate(created_at), rating))

    series = []
    for listing in listings:
        given = reviews.get(listing.pk, [])
        rating: list[float | None] = []
        for day in labels:
            upto = [stars for when, stars in given if when <= day]
            rating.append(round(sum(upto) / len(upto), 2) if upto else None)
        series.append(
            {
                "id": str(listing.pk),
                "title": listing.title,
                "status": listing.status,
                "views": [per_day.get((listing.pk, d), (0, 0))[0] for d in labels],
                "installs": [per_day.get((listing.pk, d), (0, 0))[1] for d in labels],
                "rating": rating,
                "total_views": sum(v for (lid, _), (v, _i) in per_day.items() if lid == listing.pk),
                "install_count": listing.install_count,
                "rating_average": listing.rating,
                "rating_count": listing.rating_count,
            }
        )
    return {"labels": [d.isoformat() for d in labels], "listings": series}
