"""Studio pages for Character Cards: the owner downloads a character's card (PNG or JSON) from
its page and imports a card file into a world from the Director page (``characters.cards``)."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from characters.card_formats import card_json_bytes
from characters.cards import card_export, card_import, card_png, card_read
from characters.models import Character
from core.errors import DomainError
from ecosystems import access


@login_required
def character_card_download(
    request: HttpRequest, ecosystem_id: UUID, character_id: UUID, fmt: str
) -> HttpResponse:
    """The card as a file; owner only, since a card carries the character's secrets."""
    world = access.world_for(request.user, ecosystem_id, edit=True)
    character = get_object_or_404(
        Character.objects.select_related("ecosystem__owner"), pk=character_id, ecosystem=world
    )
    if fmt == "png":
        response = HttpResponse(card_png(character=character), content_type="image/png")
    elif fmt == "json":
        body = card_json_bytes(card_export(character=character))
        response = HttpResponse(body, content_type="application/json")
    else:
        raise Http404("Cards come as png or json.")
    name = slugify(character.name) or "character"
    response["Content-Disposition"] = f'attachment; filename="{name}.card.{fmt}"'
    return response


@login_required
@require_POST
def character_card_import(request: HttpRequest, ecosystem_id: UUID) -> HttpResponse:
    """A new character from the uploaded card; back to the Director with what went wrong."""
    world = access.world_for(request.user, ecosystem_id, edit=True)
    back = redirect("director", ecosystem_id=world.pk)
    upload = request.FILES.get("file")
    limit = settings.CARD_UPLOAD_MAX_BYTES
    if upload is None:
        messages.error(request, "Choose a character card file (PNG, JSON or CHARX) to import.")
        return back
    if upload.size > limit:
        messages.error(request, f"The card is {upload.size:,} bytes; at most {limit:,}.")
        return back
    try:
        card = card_read(data=upload.read(limit + 1), filename=upload.name or "")
        character = card_import(ecosystem=world, card=card)
    except DomainError as error:
        messages.error(request, f"{upload.name}: {error.message}")
        return back
    messages.success(request, f"Imported {character.name} from {upload.name}.")
    return redirect("character", ecosystem_id=world.pk, character_id=character.pk)
