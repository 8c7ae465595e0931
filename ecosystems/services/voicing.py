"""``interactions_voice``: model servers say again, after the tick, lines the tick logged.

A tick writes every line with the template engine and commits; it names its most important
exchanges (at most ``LLM_LINES_PER_TICK``) and enqueues ``interactions_voice_task`` after
commit. Here the provider chain voices them with no transaction open and no row locked (a
model call may take its timeout, 15 s, twice), so ``interaction_process``, ``publish`` and the
Director never wait on a remote server. Then one short transaction saves the lines that
changed, rewrites the memories that quoted them, and logs a ``line_voiced`` event for each.

Idempotent: a voiced interaction is marked (``context["voiced"]``) and skipped, and a line is
replaced only while it is still the one the tick wrote (a conditional update), so a
redelivered task, or a line someone replaced meanwhile, changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction

from characters.llm.prompts import DialogueRequest
from characters.llm.providers import Provider
from characters.llm.services import dialogue_generate
from characters.models import Character, Memory
from ecosystems.engine.events import ref
from ecosystems.events import NewEvent, builders, publish
from ecosystems.models import Ecosystem, Interaction
from ecosystems.selectors import providers_for_world
from ecosystems.services.memory import _embed_after_commit


@dataclass(frozen=True)
class VoicingResult:
    asked: int  # interactions sent to the model servers
    voiced: int  # whose lines changed and were saved


def interactions_voice(
    *, ecosystem_id: UUID | str, interaction_ids: Sequence[UUID | str]
) -> VoicingResult:
    """Voice the lines of ``interaction_ids`` (of one world) by the model servers and save the
    ones that changed. Call with no transaction open: the remote calls happen here."""
    world = Ecosystem.objects.filter(pk=ecosystem_id).first()
    if world is None or not interaction_ids:
        return VoicingResult(asked=0, voiced=0)
    providers = providers_for_world(ecosystem_id=world.pk)  # the world's own, when it has some
    if not providers:
        return VoicingResult(asked=0, voiced=0)
    rows = [
        row
        for row in Interaction.objects.filter(ecosystem=world, pk__in=list(interaction_ids))
        .select_related("initiator", "target")
        .order_by("tick", "created_at")
        if not row.context.get("voiced")  # a redelivered task asks no server twice
    ]
    # Remote: outside any transaction.
    said = [(row, *_lines(world, row, providers)) for row in rows]
    changed = [(row, c, r) for row, c, r in said if (c, r) != (row.content, row.response)]
    if not changed:
        return VoicingResult(asked=len(rows), voiced=0)
    with transaction.atomic():
        events = [e for row, c, r in changed if (e := _save_lines(row, c, r)) is not None]
        publish(ecosystem=world, events=events)
        _embed_after_commit(world)
    return VoicingResult(asked=len(rows), voiced=len(events))


def _lines(world: Ecosystem, row: Interaction, providers: list[Provider]) -> tuple[str, str]:
    me, them = row.initiator, row.target
    content = _voice(world, providers, me, them, row.interaction_type, "", row.content)
    response = _voice(world, providers, them, me, row.interaction_type, content, row.response)
    return content, response


def _voice(
    world: Ecosystem,
    providers: list[Provider],
    speaker: Character,
    listener: Character,
    kind: str,
    other_line: str,
    template_line: str,
) -> str:
    """One line from the provider chain; the template line when no provider can give one."""
    request = DialogueRequest(
        speaker=speaker.name,
        listener=listener.name,
        interaction_type=kind,
        big_five=speaker.big_five,
        emotions=speaker.emotions,
        speaking_style=speaker.speaking_style,
        backstory=speaker.backstory,
        other_line=other_line,
    )
    return dialogue_generate(
        request=request,
        fallback=lambda: template_line,
        ecosystem_id=world.pk,
        owner_id=world.owner_id,
        providers=providers,
    ).text


def _save_lines(row: Interaction, content: str, response: str) -> NewEvent | None:
    """Replace the lines if they are still the tick's; the memories quoting them follow."""
    replaced = Interaction.objects.filter(
        pk=row.pk, content=row.content, response=row.response
    ).update(content=content, response=response, context={**row.context, "voiced": True})
    if not replaced:
        return None
    # Dialogue memories and bystanders' observations end with the exchange they heard.
    before, after = f'"{row.content}" / "{row.response}"', f'"{content}" / "{response}"'
    quoting = list(
        Memory.objects.filter(
            character__ecosystem_id=row.ecosystem_id, tick=row.tick, content__endswith=before
        ).only("id", "content")
    )
    for memory in quoting:
        memory.content = memory.content[: -len(before)] + after
        memory.embedding = None  # embedded again after commit
    Memory.objects.bulk_update(quoting, ["content", "embedding"])
    return builders.line_voiced(
        interaction_id=str(row.pk),
        initiator=ref(str(row.initiator_id), row.initiator.name),
        responder=ref(str(row.target_id), row.target.name),
        interaction_type=row.interaction_type,
        content=content,
        response=response,
        previous_content=row.content,
        previous_response=row.response,
    )
