"""Analytics (issue 16, item 3): a world's analytics API on a world with 10,000 interactions
and 200 stories, and the staff platform page on a platform of 1,000 users.

Seeded in a database of its own: the world has 200 characters, 10,000 interactions of eight
kinds spread over the last 29 days and 100 ticks, 200 stories (half of them reaching climax,
each with its story events: detected, developing, climax) and 300 director interventions.
The platform has 1,000 users who signed up over the last 90 days; 300 of them own a world
that logged 20 events spread over the last 60 days (what makes a user active).

Measured in-process through Django's full stack (authentication, middleware, DRF or the admin,
JSON or the template):

- ``GET /api/v1/ecosystems/{id}/analytics/?days=30`` with an API key: 200 requests after 10
  warm-up ones, p50/p95 (target: p95 within 100 ms, as the Society API's);
- ``/admin/stories/story/platform/`` as a superuser: 30 requests after 3 warm-up ones,
  p50/p95 (target: p95 within 500 ms, a staff page read a few times a day).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid

from bench.common import Figure, django_bench_database, percentiles_ms

CHARACTERS = 200
INTERACTIONS = 10_000
STORIES = 200
DIRECTOR_INTERVENTIONS = 300
USERS = 1_000
ACTIVE_WORLDS = 300
EVENTS_PER_WORLD = 20
API_REQUESTS, API_WARMUP, API_P95_TARGET_MS = 200, 10, 100.0
PAGE_REQUESTS, PAGE_WARMUP, PAGE_P95_TARGET_MS = 30, 3, 500.0
KINDS = ("small_talk", "compliment", "help", "joke", "argue", "insult", "threaten", "apologise")
SPREAD_DAYS = 29  # within the 30 calendar days the API reads, whatever the time of day
GENRES = ("drama", "romance", "revenge", "mystery", "comedy")


def run() -> list[Figure]:
    django_bench_database("bench_analytics")
    world, key = _seed_world()
    figures = _measure_api(world, key)
    staff = _seed_platform()
    return figures + _measure_page(staff)


def _spread(table: str, column: str, days: int, where: str, params: list) -> None:
    """Give the rows random times over the last ``days`` days (``auto_now_add`` set them now)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = now() - random() * interval '{days} days' "
            f"WHERE {where}",
            params,
        )


def _seed_world():
    from django.contrib.auth import get_user_model

    from billing.models import ApiKey, Plan, Subscription
    from billing.services import api_key_create
    from characters.models import Character
    from ecosystems.models import Ecosystem, Event, Interaction
    from stories.models import Story
    from tests.factories import EcosystemFactory

    user, _ = get_user_model().objects.get_or_create(username="bench-analytics-owner")
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code="enterprise"))
    Ecosystem.objects.filter(owner=user).delete()
    ApiKey.objects.filter(user=user).delete()
    world = EcosystemFactory(owner=user, name="Bench analytics")
    rng = random.Random(16)
    people = [Character(id=uuid.uuid4(), ecosystem=world, name=f"C{i}") for i in range(CHARACTERS)]
    Character.objects.bulk_create(people)
    talks = []
    for _ in range(INTERACTIONS):
        a, b = rng.sample(people, 2)
        kind, tick = rng.choice(KINDS), rng.randrange(100)
        talks.append(
            Interaction(ecosystem=world, initiator=a, target=b, interaction_type=kind, tick=tick)
        )
    Interaction.objects.bulk_create(talks, batch_size=5_000)
    _spread(Interaction._meta.db_table, "created_at", SPREAD_DAYS, "ecosystem_id = %s", [world.pk])
    stories = [
        Story(ecosystem=world, key=f"s{n}", title=f"Story {n}", genre=rng.choice(GENRES),
              pattern="rivalry", status="climax" if n % 2 else "brewing")
        for n in range(STORIES)
    ]  # fmt: skip
    Story.objects.bulk_create(stories)
    _spread(Story._meta.db_table, "created_at", SPREAD_DAYS, "ecosystem_id = %s", [world.pk])
    events, seq = [], 0
    for n, story in enumerate(stories):
        statuses = ("brewing", "developing", "climax") if n % 2 else ("brewing",)
        tick = rng.randrange(80)
        for i, status in enumerate(statuses):
            seq += 1
            kind = "story_detected" if i == 0 else "story_updated"
            events.append(Event(ecosystem=world, seq=seq, kind=kind, tick=tick + 5 * i,
                                payload={"story_id": str(story.pk), "status": status}))  # fmt: skip
    for _ in range(DIRECTOR_INTERVENTIONS):
        seq += 1
        events.append(Event(ecosystem=world, seq=seq, kind="director_intervention",
                            tick=rng.randrange(100), payload={}))  # fmt: skip
    Event.objects.bulk_create(events, batch_size=5_000)
    _spread(Event._meta.db_table, "created_at", SPREAD_DAYS, "ecosystem_id = %s", [world.pk])
    Ecosystem.objects.filter(pk=world.pk).update(last_event_seq=seq, current_tick=100)
    return world, api_key_create(user=user, name="bench").key


def _seed_platform():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ecosystems.models import Ecosystem, Event

    users = get_user_model().objects
    users.filter(username__startswith="bench-analytics-user-").delete()
    rng = random.Random(1_000)
    now = timezone.now()
    people = users.bulk_create([
        get_user_model()(username=f"bench-analytics-user-{n}",
                         date_joined=now - rng.random() * dt.timedelta(days=90))
        for n in range(USERS)
    ])  # fmt: skip
    worlds = Ecosystem.objects.bulk_create([
        Ecosystem(owner=u, name=f"World of {u.username}", slug=f"bench-analytics-{n}",
                  status="running" if n % 3 else "paused", last_event_seq=EVENTS_PER_WORLD)
        for n, u in enumerate(people[:ACTIVE_WORLDS])
    ])  # fmt: skip
    Event.objects.bulk_create(
        [Event(ecosystem=w, seq=s, kind="ecosystem_status", payload={})
         for w in worlds for s in range(1, EVENTS_PER_WORLD + 1)],
        batch_size=5_000,
    )  # fmt: skip
    _spread(
        Event._meta.db_table,
        "created_at",
        60,
        "ecosystem_id = ANY(%s)",
        [[str(w.pk) for w in worlds]],
    )
    staff, _ = users.get_or_create(
        username="bench-analytics-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    return staff


def _timed(get, path: str, warmup: int, requests: int) -> dict[str, float]:
    samples = []
    for n in range(warmup + requests):
        started = time.perf_counter()
        response = get(path)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content[:300]
        if n >= warmup:
            samples.append(elapsed)
    return percentiles_ms(samples)


def _measure_api(world, key: str) -> list[Figure]:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    path = f"/api/v1/ecosystems/{world.pk}/analytics/?days=30"
    data = client.get(path).json()
    assert data["interactions"]["total"] == INTERACTIONS, data["interactions"]["total"]
    assert data["stories"]["time_to_climax"]["stories"] == STORIES // 2
    cuts = _timed(client.get, path, API_WARMUP, API_REQUESTS)
    label = f"{INTERACTIONS:,} interactions, {STORIES} stories"
    return [
        Figure(f"world API p50, {label}", cuts["p50"], "ms"),
        Figure(f"world API p95, {label}", cuts["p95"], "ms", target=API_P95_TARGET_MS),
    ]


def _measure_page(staff) -> list[Figure]:
    from django.test import Client

    client = Client()
    client.force_login(staff)
    cuts = _timed(client.get, "/admin/stories/story/platform/", PAGE_WARMUP, PAGE_REQUESTS)
    label = f"{USERS:,} users"
    return [
        Figure(f"staff page p50, {label}", cuts["p50"], "ms"),
        Figure(f"staff page p95, {label}", cuts["p95"], "ms", target=PAGE_P95_TARGET_MS),
    ]
