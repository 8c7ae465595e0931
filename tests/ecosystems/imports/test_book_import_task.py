"""``book_import_task``: the real analysis of an uploaded story, its progress saved and sent to
the import's group as it goes; a text without people fails with a message and makes nothing."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.db import connection

from ecosystems.imports.extract import book_text_extract
from ecosystems.imports.services import NO_PEOPLE, import_group
from ecosystems.models import BookImport, Ecosystem
from ecosystems.tasks import book_import_task
from tests.ecosystems.engine.book.conftest import novel_path
from tests.ecosystems.imports.books import story_docx
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def _queued(text: str) -> BookImport:
    return BookImport.objects.create(
        owner=UserFactory(), filename="story.docx", format="docx", text=text, stage="Waiting"
    )


def _task_in_a_thread(book_import: BookImport) -> dict:
    """The task as a worker runs it, in a thread of its own whose connection is closed after
    (left open, it would keep the next test's flush waiting)."""
    try:
        return book_import_task(str(book_import.pk))
    finally:
        connection.close()


def _run_and_listen(book_import: BookImport) -> tuple[dict, list[dict]]:
    """Run the task while a channel listens to the import's group; the task's answer and the
    frames the channel got."""

    async def go() -> tuple[dict, list[dict]]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(import_group(book_import.pk), channel)
        outcome = await sync_to_async(_task_in_a_thread, thread_sensitive=False)(book_import)
        frames = []
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(channel), timeout=1.5)
            except TimeoutError:
                return outcome, frames
            frames.append(message["frame"]["import"])

    return async_to_sync(go)()


def test_a_story_is_analysed_with_its_progress_saved_and_sent():
    text = book_text_extract(data=story_docx(), filename="story.docx").text
    book_import = _queued(text)

    outcome, frames = _run_and_listen(book_import)

    assert outcome == {"import_id": str(book_import.pk), "ran": True, "status": "done"}
    book_import.refresh_from_db()
    assert book_import.status == "done" and book_import.progress == 1.0
    assert book_import.finished_at is not None and book_import.error == ""
    names = [m["name"] for m in book_import.result["cast"]]
    assert any("Mara" in n for n in names) and any("Tobias" in n for n in names), names
    assert not any("Wrenfield" in n for n in names), names  # a place is not a person
    # live: the run started, stepped forward, and ended done, in order
    assert frames[0]["status"] == "running"
    assert frames[-1]["status"] == "done" and frames[-1]["progress"] == 1.0
    progress = [f["progress"] for f in frames]
    assert progress == sorted(progress)
    stages = {f["stage"] for f in frames if f["status"] == "running"}
    assert len(stages) >= 2, stages  # the engine's stages were reported on the way


def test_a_second_delivery_does_nothing():
    text = book_text_extract(data=story_docx(), filename="story.docx").text
    book_import = _queued(text)
    book_import_task(str(book_import.pk))
    finished = BookImport.objects.get(pk=book_import.pk).finished_at

    assert book_import_task(str(book_import.pk)) == {"import_id": str(book_import.pk),
                                                     "ran": False}  # fmt: skip
    assert BookImport.objects.get(pk=book_import.pk).finished_at == finished


def test_a_text_without_people_fails_with_a_message_and_makes_no_world():
    text = ("the rain fell on the hills and the rivers ran to the sea. " * 40).strip()
    book_import = _queued(text)

    outcome, frames = _run_and_listen(book_import)

    assert outcome["status"] == "failed"
    book_import.refresh_from_db()
    assert book_import.status == "failed" and book_import.error.startswith(NO_PEOPLE)
    assert frames[-1]["status"] == "failed" and frames[-1]["error"] == book_import.error
    assert not Ecosystem.objects.exists()


def test_pride_and_prejudice_becomes_a_world_that_runs():
    """The issue's "done when", without the browser: the novel uploaded, analysed, made into
    "Pride and Prejudice" on the free plan (its top five, Elizabeth and Darcy among them), and
    ticked once."""
    from ecosystems.imports.services import book_import_create, book_import_world_create
    from ecosystems.services.ticks import ecosystem_tick
    from ecosystems.services.worlds import ecosystem_start

    novel = novel_path()
    owner = UserFactory()
    book_import = book_import_create(
        owner=owner, filename="pride_and_prejudice.txt", data=novel.read_bytes()
    )  # the task enqueued after commit is a no-op here: this test runs it first
    book_import_task(str(book_import.pk))
    book_import.refresh_from_db()
    assert book_import.status == "done", book_import.error

    made = book_import_world_create(book_import=book_import)

    assert made.world.name == "Pride and Prejudice"
    assert len(made.characters) == 5
    assert any("Elizabeth" in n for n in made.characters), made.characters
    assert any("Darcy" in n for n in made.characters), made.characters
    assert "and " in made.notes[0] and " more (upgrade at /pricing/" in made.notes[0]
    ecosystem_start(ecosystem=made.world)
    assert ecosystem_tick(ecosystem_id=made.world.pk).ran
