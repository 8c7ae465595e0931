"""The event log: the one ``publish()`` path and the wire frame.

The contract of what is logged lives beside it: the kinds and payload types in the pure
``ecosystems.engine.events`` (readable without Django, by the story sifter too), one
keyword-only builder per kind in ``builders`` (the only way to make a ``NewEvent``) and a JSON
schema per kind in ``schemas``, checked on publish when ``EVENTS_CHECK_SCHEMAS`` is on (it is in
the tests, as Zulip checks its events).

Every change in a world is an ``Event`` row written in the same transaction as the change.
``seq`` is allocated by incrementing ``Ecosystem.last_event_seq`` in that transaction: the row
lock it takes serialises publishers of one world until commit, and a rollback takes the
increment with it, so ``seq`` is gapless and in commit order. After commit the frames go to the
channel-layer group ``ecosystem.<id>`` (the owner's sockets) and, redacted, to
``ecosystem.<id>.visitors`` (a public world's visitors); the channel layer is at-most-once,
which is why clients resume from the log by ``seq`` (see ``ecosystems/consumers.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from core.bulk import copy_insert_objects
from core.live import group_notify, run_on_layer
from ecosystems.engine.events import EventKind
from ecosystems.models import Ecosystem, Event
from ecosystems.redaction import visitor_redactor

__all__ = [
    "EventKind", "NewEvent", "access_changed_after_commit", "broadcast", "frame", "group_name",
    "publish",
    "visitors_group_name",
]  # fmt: skip


@dataclass(frozen=True)
class NewEvent:
    """An event to publish: its kind and the ``data`` of the frame (minus ``ecosystem_id``).
    Made only by ``ecosystems.events.builders``, one function per kind."""

    kind: EventKind
    data: dict[str, Any] = field(default_factory=dict)


def group_name(ecosystem_id: uuid.UUID | str) -> str:
    """The channel-layer group of one world's owner's sockets: every frame as logged."""
    return f"ecosystem.{ecosystem_id}"


def visitors_group_name(ecosystem_id: uuid.UUID | str) -> str:
    """The group of a public world's visitors' sockets: frames with secrets redacted."""
    return f"ecosystem.{ecosystem_id}.visitors"


def access_changed_after_commit(ecosystem_id: uuid.UUID | str) -> None:
    """Tell the world's live sockets, once the transaction commits, that who may see it may
    have changed (it was saved or deleted): each decides its access again."""

    def notify() -> None:
        for group in (group_name(ecosystem_id), visitors_group_name(ecosystem_id)):
            group_notify(group, {"type": "access.changed"})

    transaction.on_commit(notify)


def frame(event: Event) -> dict[str, Any]:
    """The WebSocket frame of DESIGN.md for one logged event."""
    return {
        "type": "ecosystem_event",
        "event": {
            "id": str(event.id),
            "seq": event.seq,
            "type": event.kind,
            "tick": event.tick,
            "timestamp": event.created_at.isoformat().replace("+00:00", "Z"),
            "data": {"ecosystem_id": str(event.ecosystem_id), **event.payload},
        },
    }


def _allocate_seqs(ecosystem_id: uuid.UUID, count: int) -> int:
    """Reserve ``count`` seqs for this transaction; returns the first. Locks the world row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ecosystems_ecosystem SET last_event_seq = last_event_seq + %s "
            "WHERE id = %s RETURNING last_event_seq",
            [count, ecosystem_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Ecosystem.DoesNotExist(f"Ecosystem {ecosystem_id} does not exist.")
    return row[0] - count + 1


def publish(
    *, ecosystem: Ecosystem, events: Sequence[NewEvent], tick: int | None = None
) -> list[Event]:
    """Log ``events`` in order and send their frames to the world's group after commit.

    Call inside the transaction that makes the change, so the log and the change commit or roll
    back together. One query for the seqs and one COPY, whatever the number of events.
    """
    if not events:
        return []
    if settings.EVENTS_CHECK_SCHEMAS:
        from ecosystems.events.schemas import payload_check  # jsonschema: only when checking

        for new in events:
            payload_check(kind=new.kind, data=new.data)
    # No savepoint: the caller's transaction is the unit; a failure here rolls all of it back.
    with transaction.atomic(savepoint=False):
        first = _allocate_seqs(ecosystem.pk, len(events))
        rows = [
            Event(
                ecosystem_id=ecosystem.pk,
                seq=first + i,
                kind=str(new.kind),
                tick=ecosystem.current_tick if tick is None else tick,
                payload=new.data,
            )
            for i, new in enumerate(events)
        ]
        copy_insert_objects(Event, rows)  # one COPY: a big tick logs thousands of events
        ecosystem.last_event_seq = first + len(events) - 1
        frames = [frame(row) for row in rows]
        public = ecosystem.visibility == Ecosystem.Visibility.PUBLIC
        transaction.on_commit(lambda: broadcast(ecosystem.pk, frames, public=public))
    return rows


# Frames per channel-layer message: a tick of a big world logs thousands of events, and one
# group_send per frame would cost seconds; 100 frames stay far below Redis's message limits.
BROADCAST_CHUNK = 100


def broadcast(ecosystem_id: uuid.UUID, frames: list[dict[str, Any]], *, public: bool) -> None:
    """Push frames to live subscribers, in order, in one hop to the channel layer: as they are
    to the owner's sockets, and, in a public world, with its secrets redacted to visitors'
    (``ecosystems.redaction``; each frame serialised once per audience, not per socket).

    Best effort: a frame lost here is recovered from the log by seq, so a channel-layer failure
    never fails the change that was already committed."""
    if not frames:
        return
    audiences = [(group_name(ecosystem_id), frames)]
    if public:
        redactor = visitor_redactor(ecosystem_id=ecosystem_id)
        audiences.append((visitors_group_name(ecosystem_id), redactor.value(frames)))

    async def send_all(layer: Any) -> None:
        for group, sent in audiences:
            for start in range(0, len(sent), BROADCAST_CHUNK):
                chunk = sent[start : start + BROADCAST_CHUNK]
                await layer.group_send(group, {"type": "ecosystem.events", "frames": chunk})

    run_on_layer(send_all, what=f"push events of {ecosystem_id}")
