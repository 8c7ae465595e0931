"""Conversations: one message answered offline, end to end on the embedded stack.

``message_send`` with the template engine (no model servers): the quota check, the reading
of the words (rules and WordLlama prototypes), the interaction (locks, engine, relationships,
feelings, memories, events), the recall of what the person said (memory retrieval and
WordLlama), three options, goal progress, the arc, and the search indexes of both turns, one
message at a time to one character of the demo world. Target p95 <= 30 ms (issue 15).
"""

from __future__ import annotations

import random
import time

from bench.common import Figure, django_bench_database, percentiles_ms

MESSAGES = 300
WARMUP = 20
P95_TARGET_MS = 30.0
LINES = (
    "Good afternoon!", "You look lovely today.", "What do you think of the garden?",
    "I grew roses in Kent for twenty years.", "Thank you for listening.", "You're a liar.",
    "I'm so sorry, I was wrong.", "Did you hear what Eve said about Charlie?",
    "Who has the locket?", "Why did the chicken cross the road? Ha ha",
)  # fmt: skip


def run() -> list[Figure]:
    # Its own database: other benchmarks leave hundreds of thousands of rows.
    django_bench_database("bench_conversations")
    from django.contrib.auth import get_user_model

    from billing.models import Plan, Subscription
    from billing.services import subscription_ensure
    from characters.models import Character
    from ecosystems.demo import demo_world_seed
    from ecosystems.models import Ecosystem
    from ecosystems.services.conversations import conversation_start, message_send

    owner, _ = get_user_model().objects.get_or_create(username="bench-talk")
    subscription_ensure(user=owner)
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="enterprise"))
    Ecosystem.objects.filter(owner=owner).delete()
    world = demo_world_seed(owner=owner).ecosystem
    diana = Character.objects.get(ecosystem=world, name="Diana")
    talk = conversation_start(
        user=owner, ecosystem=world, character_ids=[diana.pk], persona_name="Tom",
        goal="find out who has the locket",
    )  # fmt: skip
    rng = random.Random(5)
    samples: list[float] = []
    for i in range(WARMUP + MESSAGES):
        if i % 25 == 0:  # a rested character: a tired one would refuse (not measured)
            Character.objects.filter(pk=diana.pk).update(social_energy=1.0)
        text = rng.choice(LINES)
        started = time.perf_counter()
        message_send(conversation=talk, user=owner, text=text)
        if i >= WARMUP:
            samples.append(time.perf_counter() - started)
    cuts = percentiles_ms(samples)
    return [
        Figure("message_send offline p50", cuts["p50"], "ms"),
        Figure("message_send offline p95", cuts["p95"], "ms", P95_TARGET_MS),
        Figure("message_send offline p99", cuts["p99"], "ms"),
        Figure("messages measured", len(samples), "messages"),
    ]


if __name__ == "__main__":
    for figure in run():
        print(f"{figure.name}: {figure.value:,.2f} {figure.unit} (target {figure.target})")
