"""The world's settings pages for its owner: its own model servers (plans with custom models).

Owner only, like every action: a visitor of a public world gets 403, anyone else 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from billing.selectors import plan_of
from core.errors import DomainError, PlanLimitReached
from ecosystems.forms import ModelServerFormSet
from ecosystems.models import Ecosystem
from ecosystems.selectors import model_servers_of
from ecosystems.services.model_servers import ModelServerEntry, world_model_servers_set
from ecosystems.views import render_world, world_for


@login_required
def model_servers_page(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    world = world_for(request, ecosystem_id, act=True)
    if request.method != "POST":
        return _page(request, world, None)
    formset = ModelServerFormSet(request.POST, prefix="servers")
    if not formset.is_valid():
        return _page(request, world, formset, status=400)
    entries = [e for form in formset.forms if (e := form.entry()) is not None]
    try:
        world_model_servers_set(
            ecosystem=world, servers=[ModelServerEntry(**entry) for entry in entries]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _page(request, world, formset, status=402 if isinstance(error, PlanLimitReached)
                     else 400)  # fmt: skip
    messages.success(
        request, f"Saved {len(entries)} model servers." if entries else "Model servers cleared."
    )
    return redirect("world-model-servers", ecosystem_id=world.pk)


def _page(
    request: HttpRequest, world: Ecosystem, formset: Any, *, status: int = 200
) -> HttpResponse:
    servers = list(model_servers_of(ecosystem=world))
    limit = int(settings.WORLD_MODEL_SERVERS_MAX)
    if formset is None:
        initial = [{"base_url": s.base_url, "model": s.model} for s in servers]
        initial += [{}] * max(0, limit - len(initial))
        formset = ModelServerFormSet(initial=initial, prefix="servers")
    plan = plan_of(user=world.owner)
    context = {
        "world": world,
        "is_owner": True,
        "servers": servers,
        "formset": formset,
        "plan": plan,
        "in_use": plan.custom_models and bool(servers),
    }
    return render_world(request, world, "ecosystems/model_servers.html", context, status=status)
