"""Watch a world's live event stream from a script (needs `make run` running).

    .venv/bin/python examples/watch_world.py --user admin --password ... "The Garden Party"

Signs in with the browser session (the API key login arrives with the REST API), finds the
world on the dashboard's JSON-free path (by id or name via the studio is not needed: pass the
id or name), connects to ``/ws/ecosystems/<id>/?after=<seq>`` and prints each event as it
arrives. In another terminal make something happen:

    .venv/bin/python -m config.launcher exec -- .venv/bin/python manage.py interact \\
        "The Garden Party" Alice Bob greeting
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys

import requests
import websockets


def session_cookie(base_url: str, username: str, password: str) -> str:
    """Log in through the login page and return the ``Cookie`` header for the WebSocket."""
    http = requests.Session()
    page = http.get(f"{base_url}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise SystemExit("The login page has no CSRF token; is this a Dramatis server?")
    response = http.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{base_url}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    if "sessionid" not in http.cookies:
        raise SystemExit(f"Login failed ({response.status_code}); check the user and password.")
    return "; ".join(f"{k}={v}" for k, v in http.cookies.items())


async def watch(base_url: str, cookie: str, world_id: str, after: int, count: int) -> list[dict]:
    """Print ``count`` events after ``after`` (0 = forever) and return them."""
    ws_url = base_url.replace("http", "ws", 1) + f"/ws/ecosystems/{world_id}/?after={after}"
    seen: list[dict] = []
    async with websockets.connect(
        ws_url, additional_headers={"Cookie": cookie, "Origin": base_url}
    ) as socket:
        async for raw in socket:
            frame = json.loads(raw)
            if frame.get("type") != "ecosystem_event":
                print("server says:", frame, file=sys.stderr)
                continue
            event = frame["event"]
            data = event["data"]
            line = data.get("summary") or data.get("cause") or json.dumps(data)[:100]
            print(f"#{event['seq']:<5} tick {event['tick']:<4} {event['type']:<22} {line}")
            if event["type"] == "character_interaction":
                speaker, listener = (p["name"] for p in data["participants"])
                print(
                    f"        {speaker}: {data['content']}\n        {listener}: {data['response']}"
                )
            seen.append(event)
            if count and len(seen) >= count:
                return seen
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("world_id", help="the world's id (see /studio/ or the dashboard)")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--after", type=int, default=0, help="replay events after this seq")
    parser.add_argument("--count", type=int, default=0, help="stop after N events (0: never)")
    args = parser.parse_args()
    cookie = session_cookie(args.url, args.user, args.password)
    asyncio.run(watch(args.url, cookie, args.world_id, args.after, args.count))


if __name__ == "__main__":
    main()
