"""The account page for API keys: create one (shown once), list them, revoke one."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from billing.selectors import api_keys_of
from billing.services import API_KEY_NAME_MAX_LENGTH, api_key_create, api_key_revoke


@login_required
@require_http_methods(["GET", "POST"])
def api_keys_page(request: HttpRequest) -> HttpResponse:
    """GET lists the keys. POST ``action=create`` makes one and shows it on this response only
    (never stored in clear, never in a redirect or the session); ``action=revoke`` revokes."""
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            name = request.POST.get("name", "").strip()[:API_KEY_NAME_MAX_LENGTH]
            new_key = api_key_create(user=request.user, name=name or "API key")
        elif action == "revoke":
            api_key = api_keys_of(user=request.user).filter(pk=_uuid(request.POST.get("key_id")))
            if (found := api_key.first()) is not None:
                api_key_revoke(api_key=found)
                messages.success(request, f"Key {found.prefix}… is revoked.")
            return redirect("account-api-keys")
    context = {
        "keys": api_keys_of(user=request.user),
        "new_key": new_key,
        "name_max_length": API_KEY_NAME_MAX_LENGTH,
    }
    response = render(request, "account/api_keys.html", context)
    if new_key is not None:
        response["Cache-Control"] = "no-store"  # the key must not sit in a cache
    return response


def _uuid(value: str | None) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None
