"""Social analytics (issue 16): a snapshot of a 1,000-character world within 1 s and of a
10,000-character world within 10 s, and the Society API's p95 from a snapshot within 100 ms.

Worlds are made in a database of their own like a grown world: characters in circles of about
40 (eight ties each, one in ten reaching outside the circle), five interaction kinds per
character (one in five a conflict, with the target's emotions), and a log of interactions
each followed by the emotion change it caused (three per character, at most the window the
service reads). Measured:

- the engine alone (``society_analyse`` and shaping the snapshot), on the records the service
  reads: the best of 3 runs;
- ``social_snapshot_take`` end to end: read the world and its log, analyse, write the snapshot
  and its event (the figure the targets are for): the best of 3 runs (each at a new tick);
- ``GET /api/v1/ecosystems/{id}/social/`` in-process through Django's full stack (API key,
  middleware, DRF, redaction, JSON): 200 requests after 10 warm-up ones, p50/p95.
"""

from __future__ import annotations

import random
import time
import uuid

from bench.common import Figure, django_bench_database, percentiles_ms

SIZES = ((1_000, 1.0), (10_000, 10.0))  # characters, target seconds
CIRCLE = 40
TIES_PER_CHARACTER = 8
OUTSIDE_SHARE = 0.1
TALKS_PER_CHARACTER = 5
FEELINGS_PER_CHARACTER = 3
API_REQUESTS = 200
API_WARMUP = 10
API_P95_TARGET_MS = 100.0
KINDS = ("small_talk", "compliment", "help", "joke", "argue", "insult", "threaten", "apologise")
EMOTIONS = ("joy", "anger", "sadness", "fear", "trust")


def run() -> list[Figure]:
    django_bench_database("bench_society")
    figures: list[Figure] = []
    for size, target in SIZES:
        world, key = _seed(size)
        figures += _measure_snapshot(world, size, target)
        figures += _measure_api(world, key, size)
    return figures


def _seed(size: int):
    from django.contrib.auth import get_user_model

    from billing.models import ApiKey, Plan, Subscription
    from billing.services import api_key_create
    from characters.models import Character
    from ecosystems.engine.events import ref
    from ecosystems.events import builders, publish
    from ecosystems.models import Ecosystem, Interaction, Relationship
    from tests.factories import EcosystemFactory

    user, _ = get_user_model().objects.get_or_create(username=f"bench-society-{size}")
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code="enterprise"))
    Ecosystem.objects.filter(owner=user).delete()
    ApiKey.objects.filter(user=user).delete()
    world = EcosystemFactory(owner=user, name=f"Bench society {size}")
    rng = random.Random(size)
    people = [Character(id=uuid.uuid4(), ecosystem=world, name=f"C{i}") for i in range(size)]
    Character.objects.bulk_create(people, batch_size=2_000)

    def other(i: int) -> int:
        if rng.random() < OUTSIDE_SHARE:
            return rng.randrange(size)
        start = (i // CIRCLE) * CIRCLE
        return rng.randrange(start, min(size, start + CIRCLE))

    pairs = {(i, j) for i in range(size) for _ in range(TIES_PER_CHARACTER) if (j := other(i)) != i}
    Relationship.objects.bulk_create(
        [
            Relationship(ecosystem=world, source=people[i], target=people[j],
                         strength=rng.uniform(-0.3, 1), trust=rng.uniform(-0.3, 1),
                         kind="friend")
            for i, j in pairs
        ],
        batch_size=5_000,
    )  # fmt: skip
    talks = []
    for i in range(size):
        for _ in range(TALKS_PER_CHARACTER):
            j = other(i)
            if j == i:
                continue
            kind = rng.choice(KINDS)
            impact = {str(people[j].id): {"fear": rng.random() * 0.3, "anger": rng.random() * 0.3}}
            talks.append(Interaction(ecosystem=world, initiator=people[i], target=people[j],
                                     interaction_type=kind, emotional_impact=impact,
                                     tick=rng.randrange(100)))  # fmt: skip
    Interaction.objects.bulk_create(talks, batch_size=5_000)
    events = []
    deltas = {"strength_delta": 0.0, "trust_delta": 0.0, "familiarity_delta": 0.0,
              "attraction_delta": 0.0}  # fmt: skip
    for n in range(size * FEELINGS_PER_CHARACTER):
        i = rng.randrange(size)
        j = other(i)
        emotion = rng.choice(EMOTIONS)
        a, b = ref(str(people[i].id), people[i].name), ref(str(people[j].id), people[j].name)
        summary = f"{a['name']} spoke to {b['name']} ({n})"
        events.append(builders.character_interaction(
            interaction_id=str(uuid.uuid4()), initiator=a, responder=b,
            interaction_type="small_talk", content="", response="", summary=summary,
            relationship_change=deltas, response_relationship_change=deltas,
            emotional_states={a["id"]: {emotion: 0.6}},
        ))  # fmt: skip
        events.append(builders.emotion_changed(
            character=b, dominant=emotion, intensity=0.6, previous_dominant="calm", cause=summary
        ))  # fmt: skip
    for start in range(0, len(events), 5_000):
        publish(ecosystem=world, events=events[start : start + 5_000])
    return world, api_key_create(user=user, name="bench").key


def _measure_snapshot(world, size: int, target: float) -> list[Figure]:
    from ecosystems.models import Ecosystem
    from stories.engine.society import society_analyse
    from stories.society import social_snapshot_take, society_data, society_world

    records = society_world(ecosystem=world)
    names = {p.id: p.name for p in records.people}
    engine = []
    for _ in range(3):
        started = time.perf_counter()
        society_data(society_analyse(records), names)
        engine.append(time.perf_counter() - started)
    whole = []
    for _ in range(3):
        Ecosystem.objects.filter(pk=world.pk).update(current_tick=world.current_tick + 1)
        world.refresh_from_db()
        started = time.perf_counter()
        snapshot = social_snapshot_take(ecosystem_id=world.pk)
        whole.append(time.perf_counter() - started)
        assert snapshot is not None and snapshot.data["communities"]
    label = f"{size:,} characters"
    return [
        Figure(f"engine, {label}", min(engine), "s"),
        Figure(f"snapshot end to end, {label}", min(whole), "s", target=target),
    ]


def _measure_api(world, key: str, size: int) -> list[Figure]:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    path = f"/api/v1/ecosystems/{world.pk}/social/"
    samples = []
    for n in range(API_WARMUP + API_REQUESTS):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content[:300]
        if n >= API_WARMUP:
            samples.append(elapsed)
    cuts = percentiles_ms(samples)
    label = f"{size:,} characters"
    return [
        Figure(f"API p50, {label}", cuts["p50"], "ms"),
        Figure(f"API p95, {label}", cuts["p95"], "ms", target=API_P95_TARGET_MS),
    ]
