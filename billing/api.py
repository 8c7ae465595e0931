"""Billing over the REST API: API keys (create with the session or a username and password;
list; revoke), the subscription and this month's usage."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth import authenticate
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.limits import usages
from billing.metering import api_calls_this_month
from billing.models import ApiKey
from billing.selectors import api_keys_of, subscription_of
from billing.serializers import (
    ApiKeyCreatedSerializer,
    ApiKeyCreateSerializer,
    ApiKeySerializer,
    SubscriptionSerializer,
    UsageSerializer,
)
from billing.services import api_key_create, api_key_revoke


class ApiKeyListView(GenericAPIView):
    serializer_class = ApiKeySerializer

    def get_permissions(self) -> list:
        # POST also takes a username and password: the way a script gets its first key.
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(operation_id="auth_keys_list", responses=ApiKeySerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(api_keys_of(user=request.user))
        return self.get_paginated_response(ApiKeySerializer(page, many=True).data)

    @extend_schema(
        operation_id="auth_keys_create",
        request=ApiKeyCreateSerializer,
        responses={201: ApiKeyCreatedSerializer},
        auth=[{"apiKey": []}, {"cookieAuth": []}, {}],
        description="Signed in (session or key): a new key for you. Otherwise send username and "
        "password. The key is in the response once and never again.",
    )
    def post(self, request: Request) -> Response:
        data = ApiKeyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        username = data.validated_data.get("username")
        if user is None:
            if not username or "password" not in data.validated_data:
                raise NotAuthenticated("Sign in, or send your username and password.")
            user = authenticate(
                request._request, username=username, password=data.validated_data["password"]
            )
            if user is None:
                raise AuthenticationFailed("Wrong username or password.")
        created = api_key_create(user=user, name=data.validated_data["name"])
        body = {**ApiKeySerializer(created.api_key).data, "key": created.key}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyDetailView(APIView):
    @extend_schema(
        operation_id="auth_keys_destroy",
        responses={204: None},
        description="Revoke the key: requests with it are refused from now on.",
    )
    def delete(self, request: Request, key_id: UUID) -> Response:
        api_key = ApiKey.objects.filter(user=request.user, pk=key_id).first()
        if api_key is None:
            raise NotFound("You have no API key with this id.")
        api_key_revoke(api_key=api_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SubscriptionView(APIView):
    quota_exempt = True  # where a user stands stays readable when the month's calls are spent

    @extend_schema(operation_id="billing_subscription_retrieve", responses=SubscriptionSerializer)
    def get(self, request: Request) -> Response:
        return Response(SubscriptionSerializer(subscription_of(user=request.user)).data)


class UsageView(APIView):
    quota_exempt = True

    @extend_schema(operation_id="billing_usage_retrieve", responses=UsageSerializer)
    def get(self, request: Request) -> Response:
        plan = subscription_of(user=request.user).plan
        counts = {name: u.count(user=request.user) for name, u in usages().items()}
        body = {
            "plan": plan.code,
            "month": f"{timezone.now():%Y-%m}",
            "api_calls": {
                "used": api_calls_this_month(user_id=request.user.pk),
                "limit": plan.api_calls_per_month,
            },
            "characters": {"used": counts["characters"], "limit": plan.max_characters},
            "relationships": {"used": counts["relationships"], "limit": plan.max_relationships},
            "story_exports": {
                "used": counts["story_exports"],
                "limit": plan.story_exports_per_month,
            },
            "requests_per_minute": plan.api_requests_per_minute,
        }
        return Response(UsageSerializer(body).data)


urlpatterns = [
    path("auth/keys/", ApiKeyListView.as_view(), name="api-keys"),
    path("auth/keys/<uuid:key_id>/", ApiKeyDetailView.as_view(), name="api-key"),
    path("billing/subscription/", SubscriptionView.as_view(), name="api-subscription"),
    path("billing/usage/", UsageView.as_view(), name="api-usage"),
]
