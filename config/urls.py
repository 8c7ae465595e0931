from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from billing import views as billing_views
from config import health
from config.api.schema import SchemaFormatNegotiation
from ecosystems.local_admin import one_time_login
from ecosystems.studio import studio_site

# An uncaught outage (the database or Redis down) is a 503 with Retry-After (config/outages.py).
handler500 = "config.outages.server_error"

urlpatterns = [
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's): no 404 noise.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("health/", health.liveness, name="health"),
    path("health/ready/", health.readiness, name="health-ready"),
    path("admin/", admin.site.urls),
    path("studio/", studio_site.urls),
    path("accounts/one-time-login/<uidb64>/<token>/", one_time_login, name="one-time-login"),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(
            throttle_classes=[], content_negotiation_class=SchemaFormatNegotiation
        ),
        name="api-schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", throttle_classes=[]),
        name="api-docs",
    ),
    path("api/v1/", include("billing.api")),
    path("api/v1/", include("ecosystems.api.urls")),
    path("api/v1/", include("stories.api")),
    # The search first: it also answers POST .../listings/ (submit) with marketplace.api's view.
    path("api/v1/", include("marketplace.api_search")),
    path("api/v1/", include("marketplace.api")),
    path("account/api-keys/", billing_views.api_keys_page, name="account-api-keys"),
    path("pricing/", billing_views.pricing, name="pricing"),
    path("billing/", billing_views.billing, name="billing"),
    path("billing/checkout/", billing_views.checkout_start, name="billing-checkout-start"),
    path("billing/checkout/<slug:plan_code>/", billing_views.checkout, name="billing-checkout"),
    path("billing/cancel/", billing_views.subscription_cancel_view, name="billing-cancel"),
    path("billing/resume/", billing_views.subscription_resume_view, name="billing-resume"),
    path("billing/notices/dismiss/", billing_views.notices_dismiss, name="billing-notices-dismiss"),
    path("billing/portal/", billing_views.portal, name="billing-portal"),
    path("billing/invoices/<uuid:invoice_id>/", billing_views.receipt, name="billing-receipt"),
    path("", include("ecosystems.urls")),
    path("", include("stories.urls")),
    path("marketplace/", include("marketplace.urls")),
]
