"""Billing over the REST API: API keys (create with the session or a username and password;
list; revoke), plans, the subscription (checkout, cancel, resume), invoices, this month's usage
and the payment server's webhook."""

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

from billing.gateway import CheckoutMode, checkout_mode
from billing.limits import usage_report
from billing.models import ApiKey
from billing.selectors import api_keys_of, invoices_of, plans_for_sale, subscription_of
from billing.serializers import (
    ApiKeyCreatedSerializer,
    ApiKeyCreateSerializer,
    ApiKeySerializer,
    CheckoutPaySerializer,
    CheckoutSerializer,
    CheckoutUrlSerializer,
    InvoiceSerializer,
    PlanSerializer,
    SubscriptionSerializer,
    UsageSerializer,
    WebhookReceivedSerializer,
)
from billing.services import api_key_create, api_key_revoke
from billing.services.subscriptions import (
    card_parse,
    checkout_pay,
    checkout_url,
    subscription_cancel,
    subscription_resume,
)
from billing.services.webhooks import stripe_event_receive
from core.errors import InvalidTransition


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
        rows = {
            row.name: {"used": row.used, "limit": row.limit}
            for row in usage_report(user=request.user)
        }
        body = {
            "plan": plan.code,
            "month": f"{timezone.now():%Y-%m}",
            **{
                name: rows[name]
                for name in (
                    "api_calls",
                    "characters",
                    "relationships",
                    "story_exports",
                    "conversation_messages",
                )
            },
            "requests_per_minute": plan.api_requests_per_minute,
        }
        return Response(UsageSerializer(body).data)


class PlanListView(APIView):
    permission_classes = [AllowAny]
    quota_exempt = True

    @extend_schema(
        operation_id="billing_plans_list",
        responses=PlanSerializer(many=True),
        auth=[{"apiKey": []}, {"cookieAuth": []}, {}],
        description="Every plan with its monthly price (smallest currency unit) and limits.",
    )
    def get(self, request: Request) -> Response:
        return Response(PlanSerializer(plans_for_sale(), many=True).data)


def _base_url(request: Request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class CheckoutView(APIView):
    quota_exempt = True

    @extend_schema(
        operation_id="billing_checkout_create",
        request=CheckoutSerializer,
        responses={201: CheckoutUrlSerializer},
        description="Where to pay for a plan: Stripe Checkout with real Stripe, the product's "
        "own checkout page on any other payment server. Already paying: the page confirms a "
        "plan change, prorated by the payment server.",
    )
    def post(self, request: Request) -> Response:
        data = CheckoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        url = checkout_url(
            user=request.user, plan_code=data.validated_data["plan"], base_url=_base_url(request)
        )
        return Response({"checkout_url": url}, status=status.HTTP_201_CREATED)


class CheckoutPayView(APIView):
    quota_exempt = True

    @extend_schema(
        operation_id="billing_checkout_pay",
        request=CheckoutPaySerializer,
        responses=SubscriptionSerializer,
        description="The checkout page's payment from a script, on a payment server without "
        "hosted Checkout only (the embedded default; 409 with real Stripe, where the card is "
        "typed on Stripe's page). Already paying: the card may be left out to change plan "
        "with the card on file. A declined card is a 402 `payment_failed` and changes nothing.",
    )
    def post(self, request: Request) -> Response:
        data = CheckoutPaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if checkout_mode() is not CheckoutMode.LOCAL:
            raise InvalidTransition(
                "This server takes cards on Stripe's own page: POST /api/v1/billing/checkout/ "
                "and open the checkout_url."
            )
        fields = data.validated_data
        card = None
        if fields.get("card_number") or fields.get("expiry") or fields.get("cvc"):
            card = card_parse(
                number=fields.get("card_number", ""),
                expiry=fields.get("expiry", ""),
                cvc=fields.get("cvc", ""),
            )
        subscription = checkout_pay(user=request.user, plan_code=fields["plan"], card=card)
        return Response(SubscriptionSerializer(subscription).data)


class SubscriptionCancelView(APIView):
    quota_exempt = True

    @extend_schema(
        operation_id="billing_subscription_cancel",
        request=None,
        responses=SubscriptionSerializer,
        description="Cancel at the end of the period paid for; the plan holds until then.",
    )
    def post(self, request: Request) -> Response:
        return Response(SubscriptionSerializer(subscription_cancel(user=request.user)).data)


class SubscriptionResumeView(APIView):
    quota_exempt = True

    @extend_schema(
        operation_id="billing_subscription_resume",
        request=None,
        responses=SubscriptionSerializer,
        description="Undo a cancel before the period ends.",
    )
    def post(self, request: Request) -> Response:
        return Response(SubscriptionSerializer(subscription_resume(user=request.user)).data)


class InvoiceListView(GenericAPIView):
    serializer_class = InvoiceSerializer
    quota_exempt = True

    @extend_schema(operation_id="billing_invoices_list", responses=InvoiceSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(invoices_of(user=request.user))
        data = InvoiceSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class StripeWebhookView(APIView):
    """The payment server's events. Only its signature authenticates a call: no session, no
    key, no rate limit (a burst of retries must not be refused)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="billing_webhooks_stripe",
        request={"application/json": dict},
        responses={200: WebhookReceivedSerializer},
        auth=[{}],
        description="Signed events only (Stripe-Signature, 300 s tolerance): 400 otherwise. "
        "Each event id is applied once; a replay answers 200 with duplicate true.",
    )
    def post(self, request: Request) -> Response:
        received = stripe_event_receive(
            payload=request._request.body, signature=request.headers.get("Stripe-Signature", "")
        )
        body = {
            "received": received.event.event_id,
            "duplicate": received.duplicate,
            "outcome": received.event.outcome,
        }
        return Response(body)


urlpatterns = [
    path("auth/keys/", ApiKeyListView.as_view(), name="api-keys"),
    path("auth/keys/<uuid:key_id>/", ApiKeyDetailView.as_view(), name="api-key"),
    path("billing/subscription/", SubscriptionView.as_view(), name="api-subscription"),
    path("billing/usage/", UsageView.as_view(), name="api-usage"),
    path("billing/plans/", PlanListView.as_view(), name="api-plans"),
    path("billing/checkout/", CheckoutView.as_view(), name="api-checkout"),
    path("billing/checkout/pay/", CheckoutPayView.as_view(), name="api-checkout-pay"),
    path(
        "billing/subscription/cancel/",
        SubscriptionCancelView.as_view(),
        name="api-subscription-cancel",
    ),
    path(
        "billing/subscription/resume/",
        SubscriptionResumeView.as_view(),
        name="api-subscription-resume",
    ),
    path("billing/invoices/", InvoiceListView.as_view(), name="api-invoices"),
    path("billing/webhooks/stripe/", StripeWebhookView.as_view(), name="api-stripe-webhook"),
]
