"""The marketplace over the REST API: submit a listing, read one, publish an update, install,
review, report and (staff) moderate. Searching (``GET listings/``) is the read side's.

Who sees what is ``marketplace.selectors_access``: a listing in review, rejected or taken down
is a 404 for all but its publisher and staff. Moderation is a 403 for anyone but staff,
asked before the listing is looked up so the answer says nothing about the listing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import RequestTooLarge
from core.errors import InvalidInput, NotFound
from ecosystems.access import world_for
from marketplace.covers import COVER_MAX_BYTES
from marketplace.selectors import listing_details
from marketplace.selectors_access import listing_visible
from marketplace.serializers import (
    CoverSerializer,
    CoverUploadSerializer,
    InstallRequestSerializer,
    InstallSerializer,
    ListingCreateSerializer,
    ListingDetailSerializer,
    ModerateSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ReviewCreateSerializer,
    ReviewSerializer,
    VersionCreateSerializer,
    VersionSerializer,
)
from marketplace.services import (
    listing_cover_clear,
    listing_cover_set,
    listing_create,
    listing_install,
    listing_moderate,
    listing_version_create,
    publisher_check,
    report_create,
    review_create,
    staff_check,
)


def _reloaded(listing_id: Any, user: Any) -> dict[str, Any]:
    """The detail body of the listing as ``user`` is shown it (``selectors.listing_details``)."""
    listing = listing_visible(listing_id=listing_id, user=user)
    details = listing_details(listing=listing, user=user)
    return ListingDetailSerializer(listing, context={"details": details}).data


class ListingListView(APIView):
    @extend_schema(
        operation_id="marketplace_listings_create",
        request=ListingCreateSerializer,
        responses={201: ListingDetailSerializer},
        description="Package your world, character or scenario and submit it for review "
        "(status pending_review). Another user's source is a 404.",
    )
    def post(self, request: Request) -> Response:
        data = ListingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        listing = listing_create(publisher=request.user, **data.validated_data)
        return Response(_reloaded(listing.pk, request.user), status=status.HTTP_201_CREATED)


class ListingDetailView(APIView):
    @extend_schema(operation_id="marketplace_listings_retrieve", responses=ListingDetailSerializer)
    def get(self, request: Request, listing_id: UUID) -> Response:
        return Response(_reloaded(listing_id, request.user))


class ListingVersionsView(APIView):
    @extend_schema(
        operation_id="marketplace_listings_versions_create",
        request=VersionCreateSerializer,
        responses={201: VersionSerializer},
        description="Publish an update from the listing's source: reviewed again, while the "
        "approved version stays what installs get. The publisher's only (403).",
    )
    def post(self, request: Request, listing_id: UUID) -> Response:
        listing = listing_visible(listing_id=listing_id, user=request.user)
        data = VersionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = listing_version_create(
            listing=listing, publisher=request.user, **data.validated_data
        )
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class ListingInstallView(APIView):
    @extend_schema(
        operation_id="marketplace_listings_install",
        request=InstallRequestSerializer,
        responses={201: InstallSerializer},
        description="Copy the approved version into your account: ecosystem_id of the copy "
        "(and character_id for a character). Plan limits apply (402, nothing created).",
    )
    def post(self, request: Request, listing_id: UUID) -> Response:
        listing = listing_visible(listing_id=listing_id, user=request.user)
        data = InstallRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        world_id = data.validated_data.get("ecosystem_id")
        world = world_for(request.user, world_id, edit=True) if world_id else None
        install = listing_install(listing=listing, user=request.user, ecosystem=world)
        return Response(InstallSerializer(install).data, status=status.HTTP_201_CREATED)


class ListingReviewsView(APIView):
    @extend_schema(
        operation_id="marketplace_listings_reviews_create",
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer},
        description="1 to 5 stars and a text; installers only (403), one each (409).",
    )
    def post(self, request: Request, listing_id: UUID) -> Response:
        listing = listing_visible(listing_id=listing_id, user=request.user)
        data = ReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = review_create(listing=listing, user=request.user, **data.validated_data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ListingReportView(APIView):
    @extend_schema(
        operation_id="marketplace_listings_report",
        request=ReportCreateSerializer,
        responses={201: ReportSerializer},
        description="Flag the listing for staff, with a reason.",
    )
    def post(self, request: Request, listing_id: UUID) -> Response:
        listing = listing_visible(listing_id=listing_id, user=request.user)
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = report_create(listing=listing, user=request.user, **data.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ListingModerateView(APIView):
    @extend_schema(
        operation_id="marketplace_listings_moderate",
        request=ModerateSerializer,
        responses=ListingDetailSerializer,
        description="Approve or reject (with a reason) the version in review. Staff only: "
        "403 for anyone else.",
    )
    def post(self, request: Request, listing_id: UUID) -> Response:
        staff_check(user=request.user)
        listing = listing_visible(listing_id=listing_id, user=request.user)
        data = ModerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = data.validated_data.get("version_id")
        version = listing.versions.filter(pk=chosen).first() if chosen else None
        if chosen and version is None:
            raise NotFound("This listing has no version with this id.")
        listing_moderate(
            listing=listing,
            staff=request.user,
            decision=data.validated_data["decision"],
            reason=data.validated_data.get("reason", ""),
            version=version,
        )
        return Response(_reloaded(listing.pk, request.user))


# A body declared larger than this is refused before it is spooled to disk (413); a file
# between the cover limit and this gets the 400 that says the cover limit.
COVER_UPLOAD_MAX_BODY_BYTES = 2 * COVER_MAX_BYTES


class CoverMultiPartParser(MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
        if declared.isdigit() and int(declared) > COVER_UPLOAD_MAX_BODY_BYTES:
            raise RequestTooLarge(
                f"The upload is {int(declared):,} bytes; a cover may be at most "
                f"{COVER_MAX_BYTES:,} bytes (2 MiB). Save the picture smaller and upload it again."
            )
        return super().parse(stream, media_type, parser_context)


class ListingCoverView(APIView):
    parser_classes = [CoverMultiPartParser]

    @extend_schema(
        operation_id="marketplace_listings_cover_update",
        request={"multipart/form-data": CoverUploadSerializer},
        responses={200: CoverSerializer},
        description="Upload the listing's cover as the multipart field `file`: a PNG, JPEG, "
        "WebP or GIF of at most 2 MiB. It is decoded whole (a file that is not an image, is "
        "cut short or declares too many pixels is a 400 saying so) and stored re-encoded as "
        "PNG or JPEG, scaled down to fit 1200x675. The publisher's only (403).",
    )
    def put(self, request: Request, listing_id: UUID) -> Response:
        listing = listing_visible(listing_id=listing_id, user=request.user)
        publisher_check(listing=listing, user=request.user, does="changes its cover")
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(
                "Send the picture as the multipart field 'file' (PNG, JPEG, WebP or GIF).",
                details={"file": ["No file was submitted."]},
            )
        listing = listing_cover_set(
            listing=listing,
            publisher=request.user,
            data=upload.read(),
            content_type_hint=upload.content_type or "",
        )
        body = {
            "cover_url": reverse("marketplace-cover", args=[listing.pk]),
            "cover_type": listing.cover_type,
            "size": len(listing.cover or b""),
        }
        return Response(CoverSerializer(body).data)

    @extend_schema(
        operation_id="marketplace_listings_cover_destroy",
        request=None,
        responses={204: None},
        description="Remove the listing's cover. The publisher's only (403).",
    )
    def delete(self, request: Request, listing_id: UUID) -> Response:
        listing = listing_visible(listing_id=listing_id, user=request.user)
        listing_cover_clear(listing=listing, publisher=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("marketplace/listings/", ListingListView.as_view(), name="api-listings"),
    path(
        "marketplace/listings/<uuid:listing_id>/", ListingDetailView.as_view(), name="api-listing"
    ),
    path(
        "marketplace/listings/<uuid:listing_id>/versions/",
        ListingVersionsView.as_view(),
        name="api-listing-versions",
    ),
    path(
        "marketplace/listings/<uuid:listing_id>/install/",
        ListingInstallView.as_view(),
        name="api-listing-install",
    ),
    path(
        "marketplace/listings/<uuid:listing_id>/reviews/",
        ListingReviewsView.as_view(),
        name="api-listing-reviews",
    ),
    path(
        "marketplace/listings/<uuid:listing_id>/report/",
        ListingReportView.as_view(),
        name="api-listing-report",
    ),
    path(
        "marketplace/listings/<uuid:listing_id>/moderate/",
        ListingModerateView.as_view(),
        name="api-listing-moderate",
    ),
    path(
        "marketplace/listings/<uuid:listing_id>/cover/",
        ListingCoverView.as_view(),
        name="api-listing-cover",
    ),
]
