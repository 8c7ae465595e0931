"""The pages of a book import: ``/imports/new/`` (the upload form and your recent imports),
``/imports/<id>/`` (the analysis' progress bar, live by script and by reloading itself without
one; then the review of the proposed cast) and the review's "Create world" (the same service
as ``POST /api/v1/imports/{id}/world/``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from billing.limits import usages
from billing.selectors import plan_of
from core.errors import DomainError, InvalidInput, PlanLimitReached
from ecosystems.imports.review import CastChoice, description_default
from ecosystems.imports.selectors import book_import_for, book_imports_of
from ecosystems.imports.serializers import _member, _pair
from ecosystems.imports.services import book_import_create, book_import_world_create
from ecosystems.imports.uploads import MB, too_large_message, upload_declared_too_large
from ecosystems.models import BookImport

RECENT_IMPORTS_SHOWN = 10
# Ticked at first on the review page: the plan's room, and never more than this (a long novel
# names dozens of people; the creator ticks more if they want them).
TICKED_AT_MOST = 10
PAGE_REFRESH_SECONDS = 2  # without JavaScript, the progress page reloads this often


def _new_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "error": error,
        "imports": list(book_imports_of(owner=request.user)[:RECENT_IMPORTS_SHOWN]),
        "max_mb": round(settings.BOOK_IMPORT_MAX_BYTES / MB),
    }
    return render(request, "ecosystems/imports/new.html", context, status=status)


@login_required
@csrf_exempt  # checked by ``_upload`` below, once the size is known to be acceptable
def import_new(request: HttpRequest) -> HttpResponse:
    """The upload form; a POST past the size limit is refused from its Content-Length, before
    the CSRF check would read (and spool) the whole body."""
    if request.method == "POST":
        declared = upload_declared_too_large(request.META)
        if declared is not None:
            return _new_page(request, error=too_large_message(declared), status=413)
        return _upload(request)
    return _new_page(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return _new_page(request, error="Choose a book file to upload.", status=400)
    limit = settings.BOOK_IMPORT_MAX_BYTES
    if upload.size > limit:
        return _new_page(request, error=too_large_message(upload.size), status=413)
    try:
        book_import = book_import_create(
            owner=request.user, filename=upload.name or "", data=upload.read(limit + 1)
        )
    except DomainError as error:
        return _new_page(request, error=error.message, status=400)
    return redirect("import", import_id=book_import.pk)


def _review_rows(book_import: BookImport, *, ticked: int) -> list[dict[str, Any]]:
    result = book_import.result or {}
    title = str(result.get("title") or "")
    rows = []
    for i, member in enumerate(result.get("cast") or []):
        rows.append(
            {
                "index": i,
                "member": _member(member),
                "description": description_default(member, title=title),
                "ticked": i < ticked,
            }
        )
    return rows


def _room(request: HttpRequest) -> tuple[str, int | None]:
    """The plan's name and how many more characters it allows (``None``: no limit); read
    without the lock the creation takes, for the page's advice only."""
    plan = plan_of(user=request.user)
    if plan.max_characters is None:
        return plan.name, None
    used = usages()["characters"].count(user=request.user)
    return plan.name, max(0, plan.max_characters - used)


@login_required
def import_page(
    request: HttpRequest, import_id: UUID, *, error: str = "", status: int = 200
) -> HttpResponse:
    book_import = book_import_for(owner=request.user, import_id=import_id)
    plan_name, room = _room(request)
    ticked = TICKED_AT_MOST if room is None else min(room, TICKED_AT_MOST)
    result = book_import.result or {}
    context = {
        "book_import": book_import,
        "percent": round(book_import.progress * 100),
        "refresh_seconds": PAGE_REFRESH_SECONDS if not book_import.finished else None,
        "rows": _review_rows(book_import, ticked=ticked) if book_import.status == "done" else [],
        "pairs": [_pair(p) for p in result.get("relationships") or []],
        "title": str(result.get("title") or book_import.file_title or ""),
        "author": str(result.get("author") or book_import.file_author or ""),
        "words": int(result.get("words") or 0),
        "warnings": list(result.get("warnings") or []),
        "plan_name": plan_name,
        "room": room,
        "error": error,
    }
    return render(request, "ecosystems/imports/detail.html", context, status=status)


def review_choices(post: Any, cast: list[str]) -> list[CastChoice]:
    """The creator's choices from the review form: ``keep-<i>`` ticked, ``name-<i>`` and
    ``description-<i>`` as edited, ``merge-<i>`` = the index of the person ``i`` is the same
    as (merged into them whether ticked or not)."""
    into: dict[int, int] = {}
    for i, name in enumerate(cast):
        raw = str(post.get(f"merge-{i}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) >= len(cast) or int(raw) == i:
            raise InvalidInput(f"Choose whom {name} is the same person as from the list.")
        into[i] = int(raw)
    for i, j in into.items():
        if j in into:
            raise InvalidInput(
                f"{cast[i]} is merged into {cast[j]}, who is merged into {cast[into[j]]} "
                f"in turn; merge {cast[i]} into {cast[into[j]]} directly."
            )
        if not post.get(f"keep-{j}"):
            raise InvalidInput(
                f"{cast[i]} is merged into {cast[j]}, who is not ticked; tick {cast[j]} too."
            )
    choices = []
    for i, name in enumerate(cast):
        if i in into or not post.get(f"keep-{i}"):
            continue
        rename = str(post.get(f"name-{i}") or "").strip()
        choices.append(
            CastChoice(
                name=name,
                rename=rename if rename and rename != name else "",
                description=post.get(f"description-{i}"),
                merge=tuple(cast[k] for k, j in into.items() if j == i),
            )
        )
    return choices


@login_required
@require_POST
def import_world_create(request: HttpRequest, import_id: UUID) -> HttpResponse:
    book_import = book_import_for(owner=request.user, import_id=import_id)
    cast = [m["name"] for m in (book_import.result or {}).get("cast") or []]
    try:
        choices = review_choices(request.POST, cast)
        made = book_import_world_create(
            book_import=book_import,
            choices=choices,
            name=str(request.POST.get("world_name") or ""),
        )
    except DomainError as error:
        status = 402 if isinstance(error, PlanLimitReached) else 400
        if error.code == "conflict":
            status = 409
        return import_page(request, import_id, error=error.message, status=status)
    names = ", ".join(made.characters)
    messages.success(
        request,
        f"{made.world.name} was made from the book with {names} and {made.relationships} "
        "relationships, as a draft: start it to watch it live.",
    )
    for note in made.notes:
        messages.warning(request, note)
    return redirect("observatory", ecosystem_id=made.world.pk)
