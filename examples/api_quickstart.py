"""Drive Dramatis from code: the REST API and the live event stream (needs `make run`).

    .venv/bin/python examples/api_quickstart.py --user admin --password ...
    .venv/bin/python examples/api_quickstart.py --key dra_...        # with a key you have

1. gets an API key (POST /api/v1/auth/keys/ with your username and password) unless --key;
2. creates a world and authors three characters and how two of them regard each other;
   makes two of them quarrel (POST /api/v1/interactions/);
3. opens the world's event stream (/ws/ecosystems/<id>/?after=0&token=<key>);
4. runs ticks now (POST /api/v1/ecosystems/<id>/tick/) and prints the events as they stream in;
5. prints the stories the worker noticed (GET /api/v1/ecosystems/<id>/stories/).

Only `requests` and `websockets` are needed; every call is plain JSON over HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

import requests
import websockets

CHARACTERS = [
    {
        "name": "Alice",
        "agreeableness": 0.92,
        "extraversion": 0.7,
        "neuroticism": 0.25,
        "values": ["kindness", "honesty"],
        "long_term_goals": [{"description": "Bring the feuding guests together"}],
        "speaking_style": "Warm and encouraging.",
    },
    {
        "name": "Bob",
        "agreeableness": 0.15,
        "extraversion": 0.3,
        "neuroticism": 0.6,
        "values": ["independence", "competence"],
        "long_term_goals": [{"description": "Win the county rose prize"}],
        "speaking_style": "Blunt and terse; dry sarcasm.",
    },
    {
        "name": "Eve",
        "agreeableness": 0.2,
        "extraversion": 0.8,
        "neuroticism": 0.5,
        "values": ["power", "status"],
        "long_term_goals": [{"description": "Become the centre of the county's society"}],
        "speaking_style": "Sweet on the surface, sharp underneath.",
    },
]


class Api:
    """A thin client: JSON in, JSON out, the error envelope raised as an exception."""

    def __init__(self, base_url: str, key: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {key}"

    def call(
        self, method: str, path: str, body: dict | None = None, ok: tuple = (), **params: Any
    ) -> Any:
        """``ok``: error statuses to return (as the envelope) instead of stopping on."""
        response = self.http.request(
            method, f"{self.base_url}/api/v1{path}", json=body, params=params, timeout=120
        )
        if response.status_code >= 400 and response.status_code not in ok:
            error = response.json()["error"]
            raise SystemExit(f"{method} {path}: {response.status_code} {error['message']}")
        return response.json() if response.content else None


def api_key(base_url: str, username: str, password: str) -> str:
    response = requests.post(
        f"{base_url.rstrip('/')}/api/v1/auth/keys/",
        json={"name": "api_quickstart.py", "username": username, "password": password},
        timeout=30,
    )
    if response.status_code != 201:
        raise SystemExit(f"Could not get a key: {response.json()['error']['message']}")
    return response.json()["key"]


def build_world(api: Api, name: str, seed: int) -> tuple[dict, dict[str, dict]]:
    # A fixed seed: the same characters and ticks unfold the same way every run.
    world = api.call("POST", "/ecosystems/", {"name": name, "minutes_per_tick": 20, "seed": seed})
    people = {
        c["name"]: api.call("POST", f"/ecosystems/{world['id']}/characters/", c) for c in CHARACTERS
    }
    api.call(
        "POST",
        f"/ecosystems/{world['id']}/relationships/",
        {
            "source_id": people["Bob"]["id"],
            "target_id": people["Eve"]["id"],
            "kind": "rival",
            "strength": -0.4,
            "trust": -0.3,
            "familiarity": 0.6,
        },
    )
    return world, people


def provoke(api: Api, people: dict[str, dict]) -> None:
    """Set the drama going by hand: Bob insults Eve, and Eve answers back. A 422 means the
    characters would not do it (the engine's reason is printed), which is an answer too."""
    for who, whom, kind, line in [
        ("Bob", "Eve", "insult", "Your roses are a disgrace, Eve."),
        ("Eve", "Bob", "argue", ""),
    ]:
        body = {"initiator_id": people[who]["id"], "target_id": people[whom]["id"],
                "interaction_type": kind, "content": line}  # fmt: skip
        result = api.call("POST", "/interactions/", body, ok=(422,))
        if "error" in result:
            print(f"  {who} would not {kind} {whom}: {result['error']['message']}")
        else:
            print(f"  {who} ({kind}): {result['content']!r}\n  {whom}: {result['response']!r}")


def describe(event: dict) -> str:
    data = event["data"]
    if event["type"] == "character_interaction":
        a, b = (p["name"] for p in data["participants"])
        return f"{a} → {b} ({data['interaction_type']}): {data['content']!r} / {data['response']!r}"
    if event["type"] == "tick":
        return f"{data.get('interactions', 0)} interactions; world clock {data.get('world_clock')}"
    text = data.get("summary") or data.get("cause") or data.get("text")
    return text or json.dumps({k: v for k, v in data.items() if k != "ecosystem_id"})[:100]


async def stream_while_ticking(api: Api, world_id: str, key: str, ticks: int) -> list[dict]:
    """Subscribe first, then run the ticks, and print every event until the last one the ticks
    logged has arrived (the stream replays from ``after`` so nothing is missed)."""
    ws_url = api.base_url.replace("http", "ws", 1) + f"/ws/ecosystems/{world_id}/"
    seen: list[dict] = []
    async with websockets.connect(f"{ws_url}?after=0&token={key}") as socket:
        ticking = asyncio.create_task(
            asyncio.to_thread(api.call, "POST", f"/ecosystems/{world_id}/tick/", {"ticks": ticks})
        )
        last_seq: int | None = None
        while last_seq is None or not seen or seen[-1]["seq"] < last_seq:
            try:
                raw = await asyncio.wait_for(socket.recv(), timeout=1.0)
            except TimeoutError:
                raw = None
            if raw is not None:
                frame = json.loads(raw)
                if frame.get("type") == "ecosystem_event":
                    event = frame["event"]
                    seen.append(event)
                    print(f"  #{event['seq']:<4} tick {event['tick']:<3} {event['type']:<22} "
                          f"{describe(event)}")  # fmt: skip
            if last_seq is None and ticking.done():
                last_seq = ticking.result()["ecosystem"]["last_event_seq"]
    return seen


def wait_for_stories(api: Api, world_id: str, seconds: float) -> list[dict]:
    """Stories are sifted by the worker after each tick: poll a little while for them."""
    deadline = time.monotonic() + seconds
    while True:
        stories = api.call("GET", f"/ecosystems/{world_id}/stories/")["results"]
        if stories or time.monotonic() >= deadline:
            return stories
        time.sleep(1)


def run(
    base_url: str, key: str, *, ticks: int, name: str, story_wait: float, seed: int = 1887
) -> dict[str, Any]:
    api = Api(base_url, key)
    world, people = build_world(api, name, seed)
    print(f"World {world['name']!r} ({world['id']}) with {', '.join(people)}.")
    provoke(api, people)
    print(f"Running {ticks} ticks and streaming the events:")
    events = asyncio.run(stream_while_ticking(api, world["id"], key, ticks))
    stories = wait_for_stories(api, world["id"], story_wait)
    print(f"\n{len(events)} events. Stories:")
    for story in stories:
        cast = ", ".join(c["name"] for c in story["cast"])
        print(f"  [{story['status']}] {story['title']} ({story['genre']}; {cast}), "
              f"tension {story['tension']:.2f}")  # fmt: skip
    if not stories:
        print("  none yet: run more ticks, or check that the worker is running.")
    usage = api.call("GET", "/billing/usage/")
    print(f"\nAPI calls this month: {usage['api_calls']['used']} "
          f"of {usage['api_calls']['limit'] or 'unlimited'}.")  # fmt: skip
    return {"world": world, "characters": people, "events": events, "stories": stories}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", help="an API key; otherwise --user and --password get one")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--ticks", type=int, default=15)
    parser.add_argument("--name", default=f"Quickstart {time.strftime('%H:%M:%S')}")
    parser.add_argument("--story-wait", type=float, default=20.0, help="seconds to wait")
    parser.add_argument("--seed", type=int, default=1887, help="the world's random seed")
    args = parser.parse_args()
    if not args.key and not (args.user and args.password):
        parser.error("give --key, or --user and --password")
    key = args.key or api_key(args.url, args.user, args.password)
    run(args.url, key, ticks=args.ticks, name=args.name, story_wait=args.story_wait, seed=args.seed)


if __name__ == "__main__":
    sys.exit(main())
