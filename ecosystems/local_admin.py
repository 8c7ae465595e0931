"""The local admin account that ``make run`` prints, and its one-time login link.

The link uses Django's password-reset token: it hashes the user's last login, so it stops
working the moment it has been used, and it expires after PASSWORD_RESET_TIMEOUT.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model, login
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.http import require_http_methods

from billing.models import Plan, Subscription

ADMIN_USERNAME = os.environ.get("DRAMATIS_ADMIN_USERNAME", "admin")


@dataclass(frozen=True)
class LocalAdmin:
    username: str
    password: str | None  # only when the account was just created; never stored in clear
    login_url: str


def local_admin_ensure(*, site_url: str) -> LocalAdmin:
    """Create the staff account on first run; always return a fresh one-time login link."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@localhost"},
    )
    password = None
    if created:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        # The operator of this installation is not bound by the free plan's limits (the demo
        # world alone has six characters).
        Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code="enterprise"))
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("one-time-login", kwargs={"uidb64": uid, "token": token})
    return LocalAdmin(username=user.username, password=password, login_url=site_url + path)


@require_http_methods(["GET", "POST"])
def one_time_login(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button (link previews must not spend the link); POST signs in."""
    user_model = get_user_model()
    try:
        user = user_model.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (user_model.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "registration/one_time_login.html", {"invalid": True}, status=400)
    if request.method == "POST":
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("dashboard")
    return render(request, "registration/one_time_login.html", {"username": user.get_username()})
