"""Installing a marketplace listing (issue 14): a 50-character world, with 400 relationships and
5 scenarios, published and approved, then installed again and again by one subscriber
(enterprise: no plan limit stops the run). Each install is what ``POST .../install/`` does:
the approved snapshot validated and imported as a new world in one transaction, the install
recorded, the counters moved. Target: p95 at most 1 s.
"""

from __future__ import annotations

import random
import time
import uuid

from bench.common import Figure, django_bench_database, percentiles_ms

CHARACTERS = 50
RELATIONSHIPS = 400
SCENARIOS = 5
INSTALLS = 20
P95_TARGET_MS = 1_000.0


def run() -> list[Figure]:
    django_bench_database("bench_install")
    from billing.models import Plan, Subscription
    from characters.models import Character
    from ecosystems.models import Ecosystem, Relationship, Scenario
    from marketplace.services import listing_create, listing_install, listing_moderate
    from tests.factories import UserFactory

    rng = random.Random(14)
    tag = uuid.uuid4().hex[:8]  # the bench database is kept between runs
    publisher = UserFactory(username=f"publisher-{tag}")
    installer = UserFactory(username=f"installer-{tag}")
    staff = UserFactory(username=f"staff-{tag}", is_staff=True)
    enterprise = Plan.objects.get(code="enterprise")
    Subscription.objects.filter(user__in=[publisher, installer]).update(plan=enterprise)

    world = Ecosystem.objects.create(owner=publisher, name="Bench Court", slug=f"court-{tag}")
    cast = Character.objects.bulk_create(
        Character(
            ecosystem=world,
            name=f"Courtier {i}",
            openness=rng.random(),
            agreeableness=rng.random(),
            backstory="Came to court young. " * 20,
            speaking_style="Formal, with a sting.",
            secrets=[f"Courtier {i} owes the crown {i * 100} crowns in secret."],
        )
        for i in range(CHARACTERS)
    )
    pairs = rng.sample([(a, b) for a in cast for b in cast if a != b], RELATIONSHIPS)
    Relationship.objects.bulk_create(
        Relationship(ecosystem=world, source=a, target=b, strength=rng.uniform(-1, 1))
        for a, b in pairs
    )
    for i in range(SCENARIOS):
        scenario = Scenario.objects.create(
            ecosystem=world,
            title=f"Intrigue {i}",
            objectives={"primary": "Win favour", "hidden": [f"Unmask courtier {i}."]},
        )
        scenario.characters.set(rng.sample(cast, 6))

    listing = listing_create(
        publisher=publisher, kind="world", source_id=world.pk, title=f"Bench Court {tag}"
    )
    listing_moderate(listing=listing, staff=staff, decision="approve")

    samples = []
    for _ in range(INSTALLS):
        started = time.perf_counter()
        listing_install(listing=listing, user=installer)
        samples.append(time.perf_counter() - started)
    cuts = percentiles_ms(samples)
    return [
        Figure(f"install, {CHARACTERS}-character world, p50", cuts["p50"], "ms"),
        Figure(f"install, {CHARACTERS}-character world, p95", cuts["p95"], "ms", P95_TARGET_MS),
    ]
