"""The lore page ``/worlds/<id>/lore/``: the world's entries with their tags, a search by words
and meaning, a form to write one (the owner) or propose one (a visitor of a public world),
vote buttons, and the owner's approve and reject. Plain forms that post and redirect back, so
it all works without JavaScript; a visitor sees secret lore redacted like every secret."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from characters.models import Character
from core.errors import DomainError
from ecosystems import access
from ecosystems.models import LORE_TEXT_CHARS, LORE_TITLE_CHARS, Alliance, LoreEntry
from ecosystems.redaction import redactor_for
from ecosystems.selectors import lore_entry_for, lore_for_viewer, lore_search, lore_votes_of
from ecosystems.services.lore import lore_create, lore_review, lore_vote
from ecosystems.views import render_world, world_for


@login_required
def lore(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    world = world_for(request, ecosystem_id)
    is_owner = access.can_edit(request.user, world)
    q = " ".join(request.GET.get("q", "").split())[:500]
    tag = request.GET.get("tag", "").strip()[:64]
    status = request.GET.get("status", "")
    status = status if status in LoreEntry.Status.values else ""
    viewable = lore_for_viewer(ecosystem=world, user=request.user)
    entries = lore_search(entries=viewable, q=q, tag=tag, status=status, visitor=not is_owner)
    redactor = redactor_for(user=request.user, world=world)
    votes = lore_votes_of(user=request.user, entries=entries)
    rows = [
        {
            "entry": e,
            "text": redactor.lore_text(e.text, secret=e.visibility == LoreEntry.Visibility.SECRET),
            "knowers": [] if redactor.visitor else [c.name for c in e.knowers.all()],
            "my_vote": votes.get(e.pk),
        }
        for e in entries
    ]
    all_tags = sorted({t for tags in viewable.values_list("tags", flat=True) for t in tags})
    context: dict[str, Any] = {
        "world": world,
        "is_owner": is_owner,
        "rows": rows,
        "q": q,
        "tag": tag,
        "status": status,
        "statuses": LoreEntry.Status.choices,
        "all_tags": all_tags,
        "can_write": is_owner or world.visibility == world.Visibility.PUBLIC,
        "visibilities": LoreEntry.Visibility.choices,
        "groups": sorted(
            set(Alliance.objects.filter(ecosystem=world).values_list("name", flat=True))
        ),
        "cast": list(
            Character.objects.filter(ecosystem=world, persona_of=None)
            .order_by("name")
            .only("pk", "name")
        ),
        "title_chars": LORE_TITLE_CHARS,
        "text_chars": LORE_TEXT_CHARS,
    }
    return render_world(request, world, "ecosystems/lore.html", context)


@login_required
@require_POST
def lore_create_view(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    world = world_for(request, ecosystem_id)
    try:
        entry = lore_create(
            ecosystem=world,
            author=request.user,
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
            tags=request.POST.get("tags", ""),
            visibility=request.POST.get("visibility", LoreEntry.Visibility.PUBLIC),
            group=request.POST.get("group", ""),
            knower_ids=request.POST.getlist("knower_ids"),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("lore", world.pk)
    if entry.status == LoreEntry.Status.PROPOSED:
        messages.success(request, f"Proposed {entry.title!r}; the owner will review it.")
    else:
        messages.success(request, f"Added {entry.title!r} to the lore.")
    return redirect("lore", world.pk)


@login_required
@require_POST
def lore_vote_view(request: HttpRequest, ecosystem_id: UUID, entry_id: UUID) -> HttpResponse:
    entry = _entry(request, ecosystem_id, entry_id)
    try:
        value = int(request.POST.get("value", ""))
    except ValueError:
        value = 0  # the service says what a vote must be
    try:
        lore_vote(entry=entry, user=request.user, value=value)
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, ecosystem_id)


@login_required
@require_POST
def lore_review_view(
    request: HttpRequest, ecosystem_id: UUID, entry_id: UUID, decision: str
) -> HttpResponse:
    entry = _entry(request, ecosystem_id, entry_id)
    world_for(request, ecosystem_id, act=True)
    try:
        lore_review(entry=entry, decision=decision)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        done = "Approved" if decision == "approve" else "Rejected"
        messages.success(request, f"{done} {entry.title!r}.")
    return _back(request, ecosystem_id)


def _entry(request: HttpRequest, ecosystem_id: UUID, entry_id: UUID) -> LoreEntry:
    entry = lore_entry_for(request.user, entry_id)
    if str(entry.ecosystem_id) != str(ecosystem_id):
        raise Http404("No lore entry with this id is in this world.")
    return entry


def _back(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    """Back to the list as it was (its search and filters), or to the plain list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("lore", args=[ecosystem_id]))
