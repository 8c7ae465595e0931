"""Server-rendered pages: the home pitch and the creator's dashboard."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ecosystems.errors import DomainError
from ecosystems.models import Ecosystem
from ecosystems.selectors import ecosystems_for_owner
from ecosystems.services import ecosystem_pause, ecosystem_start


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    worlds = ecosystems_for_owner(owner=request.user)
    return render(request, "dashboard.html", {"worlds": worlds})


def _run_control(
    request: HttpRequest, ecosystem_id: UUID, service: Callable[..., Ecosystem], done: str
) -> HttpResponse:
    ecosystem = get_object_or_404(ecosystems_for_owner(owner=request.user), id=ecosystem_id)
    try:
        service(ecosystem=ecosystem)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{ecosystem.name} {done}.")
    return redirect("dashboard")


@login_required
@require_POST
def ecosystem_start_view(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    return _run_control(request, ecosystem_id, ecosystem_start, "is running")


@login_required
@require_POST
def ecosystem_pause_view(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    return _run_control(request, ecosystem_id, ecosystem_pause, "is paused")
