"""A world's analytics and the platform's, on seeded rows with known answers: every row is
given its own timestamp, so each day's count, the brewing-to-climax median and the retention
are numbers worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from ecosystems.models import Ecosystem, Event, Interaction, Tick
from ecosystems.services.conversations import conversation_start
from stories.analytics import percentile, platform_analytics, world_analytics
from stories.models import Story
from tests.factories import (
    CharacterFactory,
    EcosystemFactory,
    EventFactory,
    InteractionFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TODAY = NOW.date()
DAYS = 7


def ago(days: float = 0, hours: float = 0) -> dt.datetime:
    return NOW - dt.timedelta(days=days, hours=hours)


def _story(world: Ecosystem, *, genre: str, status: str, at: dt.datetime) -> Story:
    story = StoryFactory(ecosystem=world, genre=genre, status=status)
    Story.objects.filter(pk=story.pk).update(created_at=at)
    return story


def _story_event(world: Ecosystem, story: Story, *, status: str, tick: int, at: dt.datetime):
    kind = "story_updated" if Event.objects.filter(ecosystem=world).exists() else "story_detected"
    event = EventFactory(
        ecosystem=world, kind=kind, tick=tick, payload={"story_id": str(story.pk), "status": status}
    )
    Event.objects.filter(pk=event.pk).update(created_at=at)


def _interaction(a, b, *, kind: str = "greeting", tick: int = 1, at: dt.datetime = NOW):
    row = InteractionFactory(initiator=a, target=b, interaction_type=kind, tick=tick)
    Interaction.objects.filter(pk=row.pk).update(created_at=at)


def test_percentile_interpolates_between_ranks_as_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([10.0, 2.0, 6.0], 0.5) == 6.0
    assert percentile([2.0, 6.0, 10.0], 0.9) == pytest.approx(9.2)
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5


def test_stories_are_counted_per_day_by_genre_and_by_status(world):
    _story(world, genre="drama", status="brewing", at=ago(hours=1))
    _story(world, genre="drama", status="climax", at=ago(hours=2))
    _story(world, genre="romance", status="resolved", at=ago(days=1))
    _story(world, genre="romance", status="brewing", at=ago(days=40))  # outside the window
    _story(EcosystemFactory(), genre="drama", status="brewing", at=NOW)  # another world

    figures = world_analytics(ecosystem=world, days=DAYS, today=TODAY)

    assert figures.days[-1] == TODAY and len(figures.days) == DAYS
    assert figures.stories_total == 3
    assert figures.stories_by_genre == {
        "drama": [0, 0, 0, 0, 0, 0, 2],
        "romance": [0, 0, 0, 0, 0, 1, 0],
    }
    assert figures.stories_by_status == {
        "brewing": [0, 0, 0, 0, 0, 0, 1],
        "climax": [0, 0, 0, 0, 0, 0, 1],
        "resolved": [0, 0, 0, 0, 0, 1, 0],
    }


def test_brewing_to_climax_is_the_median_and_p90_of_the_stories_that_got_there(world):
    # Three stories reach climax: after 2 h / 4 ticks, 6 h / 10 ticks and 10 h / 30 ticks.
    for hours, ticks in ((6, 10), (2, 4), (10, 30)):
        story = _story(world, genre="drama", status="climax", at=ago(days=1, hours=hours))
        start = ago(days=1, hours=hours)
        _story_event(world, story, status="brewing", tick=100, at=start)
        _story_event(world, story, status="developing", tick=101, at=start + dt.timedelta(hours=1))
        climax = start + dt.timedelta(hours=hours)
        _story_event(world, story, status="climax", tick=100 + ticks, at=climax)
        # Still at climax later: the first climax counts.
        _story_event(world, story, status="climax", tick=200 + ticks, at=climax + dt.timedelta(1))
    brewing = _story(world, genre="drama", status="brewing", at=ago(days=1))
    _story_event(world, brewing, status="brewing", tick=5, at=ago(days=1))

    climax = world_analytics(ecosystem=world, days=DAYS, today=TODAY).climax

    assert climax.stories == 3
    assert climax.median_hours == 6.0
    assert climax.p90_hours == 9.2
    assert climax.median_ticks == 10.0
    assert climax.p90_ticks == 26.0


def test_interactions_per_day_per_tick_by_type_and_the_busiest_characters(world):
    alice = CharacterFactory(ecosystem=world, name="Alice")
    bob = CharacterFactory(ecosystem=world, name="Bob")
    carol = CharacterFactory(ecosystem=world, name="Carol")
    _interaction(alice, bob, kind="greeting", tick=10, at=ago(hours=1))
    _interaction(alice, carol, kind="insult", tick=10, at=ago(hours=1))
    _interaction(bob, alice, kind="greeting", tick=11, at=ago(hours=1))
    _interaction(carol, bob, kind="greeting", tick=3, at=ago(days=2))
    _interaction(carol, bob, kind="greeting", tick=1, at=ago(days=30))  # outside

    figures = world_analytics(ecosystem=world, days=DAYS, today=TODAY)

    assert figures.interactions_total == 4
    assert figures.interactions_per_day == [0, 0, 0, 0, 1, 0, 3]
    assert figures.interactions_by_type == {
        "greeting": [0, 0, 0, 0, 1, 0, 2],
        "insult": [0, 0, 0, 0, 0, 0, 1],
    }
    assert figures.interaction_ticks == 3
    assert figures.interactions_per_tick == pytest.approx(4 / 3, abs=0.01)
    assert figures.recent_ticks == [
        {"tick": 3, "count": 1},
        {"tick": 10, "count": 2},
        {"tick": 11, "count": 1},
    ]
    top = [(c["name"], c["started"], c["received"], c["total"]) for c in figures.top_characters]
    assert top[0] in {("Alice", 2, 1, 3), ("Bob", 1, 2, 3)}
    assert sorted(top) == [("Alice", 2, 1, 3), ("Bob", 1, 2, 3), ("Carol", 1, 1, 2)]


def test_engagement_counts_director_interventions_and_conversations(world, owner):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    for at in (ago(hours=1), ago(hours=2), ago(days=3)):
        event = EventFactory(ecosystem=world, kind="director_intervention", payload={})
        Event.objects.filter(pk=event.pk).update(created_at=at)
    conversation_start(user=owner, ecosystem=world, character_ids=[bob.pk], persona_name="Ann")

    figures = world_analytics(ecosystem=world, days=DAYS, today=TODAY)

    assert figures.director_interventions == [0, 0, 0, 1, 0, 0, 2]
    assert figures.conversations_started == [0, 0, 0, 0, 0, 0, 1]


def _joined(days_ago: float):
    user = UserFactory()
    get_user_model().objects.filter(pk=user.pk).update(date_joined=ago(days=days_ago))
    return user


def _active(user, *, days_ago: float) -> None:
    """``user``'s world logs an event ``days_ago`` days ago (what makes them active)."""
    world = Ecosystem.objects.filter(owner=user).first() or EcosystemFactory(owner=user)
    event = EventFactory(ecosystem=world, payload={})
    Event.objects.filter(pk=event.pk).update(created_at=ago(days=days_ago))


def test_the_platform_counts_signups_active_creators_and_running_worlds():
    before = platform_analytics(days=DAYS, today=TODAY)
    a, b = _joined(0), _joined(0)
    c = _joined(1)
    _active(a, days_ago=0)
    _active(b, days_ago=0)
    _active(b, days_ago=0)  # twice the same day: one active creator
    _active(c, days_ago=1)
    world = EcosystemFactory(owner=c, status=Ecosystem.Status.RUNNING)
    tick = Tick.objects.create(ecosystem=world, number=1)
    Tick.objects.filter(pk=tick.pk).update(created_at=ago(days=2))
    alice = CharacterFactory(ecosystem=world)
    _interaction(alice, CharacterFactory(ecosystem=world), at=ago(days=1))

    figures = platform_analytics(days=DAYS, today=TODAY)

    def added(now: list[int], then: list[int]) -> list[int]:
        return [x - y for x, y in zip(now, then, strict=True)]

    assert added(figures.signups, before.signups) == [0, 0, 0, 0, 0, 1, 2]
    assert added(figures.active_creators, before.active_creators) == [0, 0, 0, 0, 1, 1, 2]
    assert added(figures.interactions, before.interactions) == [0, 0, 0, 0, 0, 1, 0]
    assert figures.worlds_running == before.worlds_running + 1


def test_30_day_retention_is_the_share_of_last_months_signups_active_since():
    kept = _joined(45)
    _active(kept, days_ago=3)
    gone = _joined(50)
    _active(gone, days_ago=40)  # active, but not in the last 30 days
    _joined(35)  # never active
    newcomer = _joined(10)  # not in the cohort
    _active(newcomer, days_ago=1)

    retention = platform_analytics(days=DAYS, today=TODAY).retention

    assert (retention.cohort, retention.retained) == (3, 1)
    assert retention.share == pytest.approx(1 / 3)


def test_the_cohort_table_follows_each_signup_week():
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    joined = _joined((TODAY - (monday - dt.timedelta(weeks=2))).days)  # two Mondays ago
    _active(joined, days_ago=(TODAY - monday).days)  # active this week (its week 2)

    cohorts = platform_analytics(days=DAYS, today=TODAY).cohorts
    cohort = next(c for c in cohorts if c.week == monday - dt.timedelta(weeks=2))

    assert cohort.users == 1
    assert cohort.active[:3] == [0, 0, 1]
    assert cohort.active[3:] == [None] * 5  # weeks that have not come yet


def test_stories_per_week_count_each_monday_week(world):
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    before = platform_analytics(days=14, today=TODAY)
    _story(world, genre="drama", status="brewing", at=ago(days=(TODAY - monday).days))
    _story(world, genre="drama", status="brewing", at=ago(days=(TODAY - monday).days + 7))

    figures = platform_analytics(days=14, today=TODAY)

    weeks = dict(zip(figures.weeks, figures.stories_per_week, strict=True))
    was = dict(zip(before.weeks, before.stories_per_week, strict=True))
    assert weeks[monday] - was[monday] == 1
    assert weeks[monday - dt.timedelta(weeks=1)] - was[monday - dt.timedelta(weeks=1)] == 1


# --- the pages --------------------------------------------------------------------------------


def test_the_owner_sees_the_analytics_page_as_tables(client, owner, world):
    alice = CharacterFactory(ecosystem=world, name="Alice")
    _interaction(alice, CharacterFactory(ecosystem=world, name="Bob"), kind="compliment")
    _story(world, genre="romance", status="brewing", at=NOW)
    client.force_login(owner)

    response = client.get(reverse("world-analytics", args=[world.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="analytics-days"' in html and 'id="analytics-data"' in html
    assert '<th scope="row">romance</th><td class="num">1</td>' in html
    assert '<th scope="row">compliment</th><td class="num">1</td>' in html
    assert 'Alice</a></th><td class="num">1</td>' in html
    assert 'aria-current="page">Analytics</a>' in html


def test_a_stranger_gets_404_and_a_visitor_of_a_public_world_403(client, stranger, world):
    client.force_login(stranger)
    url = reverse("world-analytics", args=[world.pk])
    assert client.get(url).status_code == 404
    Ecosystem.objects.filter(pk=world.pk).update(visibility=Ecosystem.Visibility.PUBLIC)
    assert client.get(url).status_code == 403


def test_staff_read_any_worlds_analytics(client, staff, world):
    client.force_login(staff)
    assert client.get(reverse("world-analytics", args=[world.pk])).status_code == 200


PLATFORM = "/admin/stories/story/platform/"


def test_staff_see_the_platform_page_linked_from_the_admin_index(client, staff):
    _active(_joined(0), days_ago=0)
    client.force_login(staff)

    assert reverse("admin:stories_platform") == PLATFORM
    assert PLATFORM in client.get(reverse("admin:index")).content.decode()
    response = client.get(PLATFORM)

    assert response.status_code == 200
    html = response.content.decode()
    for table in ("platform-days", "platform-weeks", "platform-api", "platform-cohorts"):
        assert f'id="{table}"' in html
    assert response.context["figures"].signups[-1] >= 1


def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(client, owner):
    client.force_login(owner)
    response = client.get(PLATFORM)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.logout()
    assert client.get(PLATFORM)["Location"].startswith(reverse("admin:login"))
