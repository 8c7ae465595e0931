"""Story tasks: the sweep finds worlds whose log grew past their cursor; the after-tick
callback that ``stories`` registers asks for a sift."""

from __future__ import annotations

import pytest
from django.conf import settings

from ecosystems.hooks import after_tick_run
from ecosystems.services import interaction_process
from stories import tasks
from stories.services import stories_sift
from tests.factories import CharacterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, str]]:
    """(world, queue) of every sift asked for."""
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(
        tasks.stories_sift_task, "apply_async",
        lambda args, queue: calls.append((*args, queue)),
    )  # fmt: skip
    # A tick also asks for a social snapshot; sent for real, it would declare the test's
    # made-up queue on the Celery app for every later test.
    monkeypatch.setattr(tasks.social_snapshot_task, "apply_async", lambda *a, **k: None)
    return calls


def test_the_sweep_asks_to_sift_only_worlds_with_unsifted_events(world, alice, sent):
    quiet = CharacterFactory(name="Zed").ecosystem  # another world, no events
    bob = CharacterFactory(ecosystem=world, name="Bob")
    interaction_process(initiator=alice, target=bob, interaction_type="greeting")

    assert tasks.stories_sift_due_task() == 1
    assert sent == [(str(world.pk), settings.CELERY_TASK_DEFAULT_QUEUE)]
    assert str(quiet.pk) not in [world_id for world_id, _ in sent]

    stories_sift(ecosystem_id=world.pk)
    sent.clear()
    assert tasks.stories_sift_due_task() == 0 and not sent


def test_a_committed_tick_asks_stories_to_sift_the_world_on_the_ticks_queue(world, sent):
    after_tick_run(str(world.pk), 7, queue="the-ticks-queue")

    assert sent == [(str(world.pk), "the-ticks-queue")]


def test_the_sift_task_reports_what_it_did(world, alice):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    interaction_process(initiator=alice, target=bob, interaction_type="greeting")

    report = tasks.stories_sift_task(str(world.pk))

    assert report["events"] >= 1 and report["detected"] == 0
    assert tasks.stories_sift_task("00000000-0000-0000-0000-000000000000")["missing"]


def test_a_world_whose_sift_logged_story_events_is_not_due_again(world, alice, sent):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    for act, a, b in [("argue", alice, bob), ("insult", bob, alice), ("threaten", alice, bob)]:
        interaction_process(initiator=a, target=b, interaction_type=act)
    assert stories_sift(ecosystem_id=world.pk).detected == 1

    assert tasks.stories_sift_due_task() == 0


def test_a_burst_of_interactions_outside_a_tick_asks_for_one_sift_shortly_after(
    world, alice, monkeypatch, django_capture_on_commit_callbacks
):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    asked: list[tuple[tuple, int, str]] = []
    monkeypatch.setattr(
        tasks.stories_sift_task, "apply_async",
        lambda args, countdown, queue: asked.append((args, countdown, queue)),
    )  # fmt: skip

    for kind in ("greeting", "compliment", "small_talk"):
        with django_capture_on_commit_callbacks(execute=True):
            interaction_process(initiator=alice, target=bob, interaction_type=kind)

    assert asked == [
        (
            (str(world.pk),),
            settings.STORIES_SIFT_DEBOUNCE_SECONDS,
            settings.CELERY_TASK_DEFAULT_QUEUE,
        )
    ]
