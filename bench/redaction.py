"""What hiding secrets from visitors costs (issue 12, finding 1): a public world's frames are
redacted once per event for its visitors' group, so the cost per frame must stay far below a
publish. Pure: the redactor over synthetic secrets and frames, no server.

- build: the visitors' redactor of a world whose characters hold 1,000 secrets (it is cached
  while the secrets do not change, so this is paid once per change);
- frame: redacting one frame of ordinary talk (no secret in it, the usual case);
- frame with a secret: one that quotes a secret (found and replaced), the first time that
  secret is quoted (its regexes compiled) and when it is retold.
Targets: build <= 200 ms; per frame <= 50 us ordinary, <= 1 ms first quote, <= 100 us retold.
"""

from __future__ import annotations

import random
import time

from bench.common import Figure

SECRETS = 1_000
FRAMES = 5_000
WORDS = [
    "the", "a", "locket", "parasol", "garden", "brother", "money", "card", "debt", "fortune",
    "letter", "note", "rose", "maze", "greenhouse", "lady", "lord", "stolen", "hidden", "buried",
    "deeds", "marriage", "creditors", "autumn",
]  # fmt: skip


def run() -> list[Figure]:
    import django

    django.setup()
    from ecosystems.redaction import Redactor

    rng = random.Random(12)
    secrets = [
        f"{' '.join(rng.choice(WORDS) for _ in range(10))} number {i}; "
        f"{' '.join(rng.choice(WORDS) for _ in range(8))}"
        for i in range(SECRETS)
    ]
    started = time.perf_counter()
    redactor = Redactor.of(secrets=secrets)
    build = time.perf_counter() - started

    def frame(seq: int, fact: str = "") -> dict:
        return {"type": "ecosystem_event", "event": {"seq": seq, "type": "character_interaction",
                "data": {"content": "Isn't the rose maze lovely this morning, Bob?",
                         "response": "It is, and the greenhouse too.", "fact": fact,
                         "initiator": {"id": "a", "name": "Alice"}}}}  # fmt: skip

    plain = [frame(i) for i in range(FRAMES)]
    started = time.perf_counter()
    redactor.value(plain)
    per_plain = (time.perf_counter() - started) / FRAMES
    # First quotes of 500 different secrets (each passage's regex is compiled on first use),
    # then gossip as it goes: the same 50 secrets retold again and again.
    first = [frame(i, f"She said: {secrets[i]}.") for i in range(500)]
    started = time.perf_counter()
    shown = redactor.value(first)
    per_first = (time.perf_counter() - started) / len(first)
    retold = [frame(i, f"She said: {secrets[i % 50]}.") for i in range(FRAMES // 10)]
    started = time.perf_counter()
    shown += redactor.value(retold)
    per_secret = (time.perf_counter() - started) / len(retold)
    assert all("number" not in f["event"]["data"]["fact"] for f in shown)
    return [
        Figure("visitors' redactor, 1,000 secrets: build", build * 1000, "ms", target=200),
        Figure("redact a frame of ordinary talk", per_plain * 1e6, "us", target=50),
        Figure("redact a frame quoting a secret, first time", per_first * 1e6, "us", target=1000),
        Figure("redact a frame quoting a secret, retold", per_secret * 1e6, "us", target=100),
    ]
