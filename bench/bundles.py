"""World bundles (issue 14): exporting a 50-character world and installing it as a copy.

A synthetic world of ``CAST`` characters with long texts (2,000-character backstories, goals,
secrets), every character's view of four others and five scenarios is exported once and
imported ``RUNS`` times into an enterprise account (no plan limit in the way).
Target: import of the 50-character world <= 1 s at p95 (issue 14's benchmark).
"""

from __future__ import annotations

import random
import time

from bench.common import Figure, django_bench_database, percentiles_ms

CAST = 50
VIEWS_EACH = 4
RUNS = 10


def run() -> list[Figure]:
    django_bench_database("bench_bundles")
    from django.contrib.auth import get_user_model

    from billing.models import Plan, Subscription
    from billing.services import subscription_ensure
    from characters.models import Character
    from ecosystems.bundles import bundle_export, bundle_import, bundle_validate
    from ecosystems.models import Ecosystem, Relationship, Scenario

    user, _ = get_user_model().objects.get_or_create(username="bench-bundles")
    subscription_ensure(user=user)
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code="enterprise"))
    Ecosystem.objects.filter(owner=user).delete()
    rng = random.Random(14)
    world = Ecosystem.objects.create(owner=user, name="Bench town", slug="bench-town", seed=14)
    people = Character.objects.bulk_create(
        Character(
            ecosystem=world, name=f"Townsfolk {i}", openness=rng.random(),
            backstory=("Grew up by the river. " * 90)[:2_000],
            values=["honesty", "family"], secrets=[f"Secret number {i}."],
            long_term_goals=[{"description": "Open a bakery", "progress": 0.2}],
        )
        for i in range(CAST)
    )  # fmt: skip
    Relationship.objects.bulk_create(
        Relationship(ecosystem=world, source=p, target=people[(i + k) % CAST],
                     strength=rng.uniform(-1, 1), familiarity=rng.random())
        for i, p in enumerate(people) for k in range(1, VIEWS_EACH + 1)
    )  # fmt: skip
    for n in range(5):
        scenario = Scenario.objects.create(
            ecosystem=world, title=f"Fair {n}", objectives={"primary": "Win", "hidden": ["Cheat"]}
        )
        scenario.characters.set(people[n * 5 : n * 5 + 5])

    started = time.perf_counter()
    document = bundle_export(ecosystem=world)
    export_seconds = time.perf_counter() - started
    started = time.perf_counter()
    bundle_validate(document)
    validate_seconds = time.perf_counter() - started

    imports = []
    for _ in range(RUNS):
        started = time.perf_counter()
        bundle_import(owner=user, document=document)
        imports.append(time.perf_counter() - started)
    cuts = percentiles_ms(imports)
    Ecosystem.objects.filter(owner=user).delete()
    return [
        Figure(f"export of a {CAST}-character world", export_seconds * 1000, "ms"),
        Figure(f"validate its bundle ({CAST} characters)", validate_seconds * 1000, "ms"),
        Figure(f"import of the {CAST}-character world, p50", cuts["p50"], "ms"),
        Figure(f"import of the {CAST}-character world, p95", cuts["p95"], "ms", 1000),
    ]


if __name__ == "__main__":
    for figure in run():
        print(f"{figure.name}: {figure.value:,.3f} {figure.unit} (target {figure.target})")
