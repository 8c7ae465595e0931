"""The analysis' progress: saved throttled at the engine's callbacks, sent to the import's live
socket (``/ws/imports/<id>/``), which only its owner may open."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from ecosystems.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from ecosystems.imports.services import PROGRESS_SAVE_SECONDS, _Reporter
from ecosystems.models import BookImport
from tests.ecosystems.imports.analyses import analysed_import
from tests.factories import ApiKeyFactory, UserFactory


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.django_db
def test_progress_is_saved_when_the_stage_changes_and_at_most_twice_a_second(owner):
    book_import = analysed_import(owner, status="running", progress=0.0, stage="Starting",
                                  result=None)  # fmt: skip
    clock = Clock()
    report = _Reporter(book_import, clock=clock)

    report(0.1, "Finding people")  # a new stage: saved
    report(0.2, "Finding people")  # too soon: not saved
    saved = BookImport.objects.get(pk=book_import.pk)
    assert (saved.progress, saved.stage) == (0.1, "Finding people")

    clock.now += PROGRESS_SAVE_SECONDS
    report(0.3, "Finding people")
    assert BookImport.objects.get(pk=book_import.pk).progress == 0.3

    report(0.25, "Attributing quotes")  # a new stage, and the bar never goes back
    saved = BookImport.objects.get(pk=book_import.pk)
    assert (saved.progress, saved.stage) == (0.3, "Attributing quotes")
    report(7, "x" * 300)
    saved = BookImport.objects.get(pk=book_import.pk)
    assert saved.progress == 1.0 and len(saved.stage) == 120
    assert report.saves == 4


@database_sync_to_async
def an_import():
    owner = UserFactory(username="reader")
    book_import = analysed_import(owner, status="running", progress=0.2, stage="Reading",
                                  result=None)  # fmt: skip
    return book_import, ApiKeyFactory(user=owner)


def socket(import_id, query: str = "") -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver")]  # a browser of ours, without a session
    return WebsocketCommunicator(application, f"/ws/imports/{import_id}/{query}", headers)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.asyncio
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_the_owners_socket_gets_the_state_then_every_saved_step():
    book_import, key = await an_import()
    ws = socket(book_import.pk, f"?token={key.key}")
    assert (await ws.connect())[0]

    first = await ws.receive_json_from(timeout=5)
    assert first == {"type": "import_progress", "import": {
        "id": str(book_import.pk), "status": "running", "progress": 0.2, "stage": "Reading",
        "error": "", "world_id": None}}  # fmt: skip

    report = _Reporter(book_import)
    await database_sync_to_async(report)(0.55, "Attributing quotes")
    step = await ws.receive_json_from(timeout=5)
    assert step["import"]["progress"] == 0.55 and step["import"]["stage"] == "Attributing quotes"
    await ws.disconnect()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.asyncio
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_a_stranger_is_refused_with_4404_and_anonymous_with_4401():
    book_import, _ = await an_import()
    stranger_key = await database_sync_to_async(lambda: ApiKeyFactory(user=UserFactory()))()

    stranger = socket(book_import.pk, f"?token={stranger_key.key}")
    anonymous = socket(book_import.pk)

    assert await stranger.connect() == (False, CLOSE_NOT_FOUND)
    assert await anonymous.connect() == (False, CLOSE_UNAUTHENTICATED)
    # as the server does after a refused handshake: the consumers end
    await stranger.disconnect()
    await anonymous.disconnect()
