"""The studio's side of world bundles: "Export bundle" on a world's pages (the owner's only,
like every action: it holds the secrets a visitor never sees) and the import form on the
dashboard. Both call the same services as the API (``ecosystems.bundles``)."""

from __future__ import annotations

import json
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from billing.services import subscription_ensure
from core.errors import DomainError, PlanLimitReached
from ecosystems import selectors
from ecosystems.bundles import bundle_export, bundle_import
from ecosystems.forms import BundleImportForm, WorldCreateForm
from ecosystems.views import world_for

# Problems listed under the form; the rest are counted (the API's details carry them all).
PROBLEMS_SHOWN = 10


@login_required
def bundle_download(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    world = world_for(request, ecosystem_id, act=True)
    body = json.dumps(bundle_export(ecosystem=world), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{world.slug}.dramatis.json"'
    return response


@login_required
@require_POST
def bundle_upload(request: HttpRequest) -> HttpResponse:
    form = BundleImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _dashboard(request, form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > settings.BUNDLE_MAX_BYTES:
        form.add_error(
            "file",
            f"The file is {upload.size:,} bytes; a world bundle may be at most "
            f"{settings.BUNDLE_MAX_BYTES:,}.",
        )
        return _dashboard(request, form, status=413)
    try:
        document = json.loads(upload.read())
    except (ValueError, RecursionError) as error:
        form.add_error("file", f"This file is not a JSON document ({error}).")
        return _dashboard(request, form, status=400)
    try:
        world = bundle_import(
            owner=request.user, document=document, name=form.cleaned_data["name"] or None
        )
    except DomainError as error:
        form.add_error(None, error.message)
        problems = [f"{where}: {' '.join(what)}" for where, what in error.details.items()]
        for line in problems[:PROBLEMS_SHOWN]:
            form.add_error(None, line)
        if len(problems) > PROBLEMS_SHOWN:
            form.add_error(None, f"… and {len(problems) - PROBLEMS_SHOWN} more.")
        return _dashboard(request, form, status=402 if isinstance(error, PlanLimitReached) else 400)
    messages.success(request, f"{world.name} was imported as a draft: start it to watch it live.")
    return redirect("observatory", ecosystem_id=world.pk)


def _dashboard(request: HttpRequest, import_form: BundleImportForm, *, status: int) -> HttpResponse:
    context = {
        "worlds": selectors.ecosystems_for_owner(owner=request.user),
        "form": WorldCreateForm(),
        "import_form": import_form,
        "plan": subscription_ensure(user=request.user).plan,
    }
    return render(request, "dashboard.html", context, status=status)
