"""Finding listings over the REST API: ``GET /api/v1/marketplace/listings/`` with ``?q=`` (full
text and typo-tolerant titles), ``kind``, ``tag``, ``genre``, ``licence`` and ``sort``.

Open to anyone, signed in or not, like the ``/marketplace/`` page: only approved listings are
listed, and a card shows nothing a visitor may not see. Kept apart from ``marketplace.api``
(the writes and a listing's details) so the search and its serializer change on their own.
"""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.pagination import ApiPagination
from core.serializers import StrictSerializer
from marketplace.api import ListingListView
from marketplace.models import Listing
from marketplace.selectors import SORTS, listings_page, listings_search


class ListingSearchQuerySerializer(StrictSerializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    kind = serializers.ChoiceField(choices=Listing.Kind.choices, required=False)
    tag = serializers.CharField(required=False, allow_blank=True, max_length=32)
    genre = serializers.CharField(required=False, allow_blank=True, max_length=32)
    licence = serializers.ChoiceField(choices=Listing.Licence.choices, required=False)
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="relevance")
    limit = serializers.IntegerField(required=False, min_value=1)
    offset = serializers.IntegerField(required=False, min_value=0)


class ListingCardSerializer(serializers.ModelSerializer):
    """A listing as a search result shows it."""

    rating_average = serializers.FloatField(source="rating", allow_null=True, read_only=True)
    publisher_name = serializers.SerializerMethodField()
    cover_url = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    class Meta:
        model = Listing
        fields = [
            "id", "kind", "title", "summary", "tags", "genre", "licence", "mature", "featured",
            "rating_average", "rating_count", "install_count", "publisher_name", "cover_url",
            "version", "approved_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_publisher_name(self, listing: Listing) -> str:
        return listing.publisher.get_username()

    def get_cover_url(self, listing: Listing) -> str | None:
        if not listing.cover_type:
            return None
        request = self.context.get("request")
        url = reverse("marketplace-cover", args=[listing.pk])
        return request.build_absolute_uri(url) if request is not None else url

    def get_version(self, listing: Listing) -> str | None:
        """The number of the version an install gets now."""
        return getattr(listing, "current_version_number", None)


class SearchPagination(ApiPagination):
    """The API's pagination, but the count of a text search comes with the page
    (``listings_page``): a second COUNT would run the search twice."""

    default_limit = 24

    def paginate_search(self, listings: Any, request: Request, *, searched: bool) -> list:
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        page, self.count = listings_page(
            listings=listings, offset=self.offset, limit=self.limit, searched=searched
        )
        return page


class ListingSearchView(GenericAPIView):
    serializer_class = ListingCardSerializer
    pagination_class = SearchPagination

    @extend_schema(
        operation_id="marketplace_listings_list",
        parameters=[ListingSearchQuerySerializer],
        responses=ListingCardSerializer(many=True),
        auth=[{"apiKey": []}, {"cookieAuth": []}, {}],
        description="Approved listings, featured first. `q` searches titles, tags, genre, "
        "summary and description (PostgreSQL full text, stemmed) and forgives typos in "
        "titles (trigram similarity >= 0.3). `sort`: relevance (default), top (average "
        "stars with a prior of five 3-star reviews, so a single 5-star review does not beat "
        "fifty 4.8s), installs, new (approved most recently), trending (installs in the "
        "last 7 days).",
    )
    def get(self, request: Request) -> Response:
        query = ListingSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = {k: v for k, v in query.validated_data.items() if k not in ("limit", "offset")}
        listings = listings_search(**params, user=request.user)
        paginator: SearchPagination = self.paginator  # type: ignore[assignment]
        page = paginator.paginate_search(listings, request, searched=bool(params.get("q")))
        data = ListingCardSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class ListingCollectionView(ListingSearchView, ListingListView):
    """``/api/v1/marketplace/listings/``: GET searches (here, open to anyone), POST submits a
    listing (``marketplace.api``, signed in only). One path, so one view answers both."""

    def get_permissions(self) -> list:
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()


urlpatterns = [
    path("marketplace/listings/", ListingCollectionView.as_view(), name="api-listings-search"),
]
