"""Scenes scripted through the public API, as a game server would: a world and its people
made with an API key, the interactions POSTed, and the stories the product finds in them read
back with GET. Real servers: daphne answers the API; a Celery worker (no beat: no sweep)
sifts the stories the interactions ask for. Near misses must tell none of these stories."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from django.core.cache import cache

from billing.metering import _key, month_start
from billing.models import Plan, Subscription
from ecosystems.models import Ecosystem
from stories.models import SiftCursor
from tests.factories import PASSWORD
from tests.live import celery_worker

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]
SIFT_WAIT_SECONDS = 60  # worker start-up (~3 s), the 2 s debounce, a slow shared machine
PATTERNS_HERE = {"romance", "rival_suitors", "feuding_suitors", "secret", "common_cause"}
SECRET = "I forged my uncle's will to keep the mill."


class Api:
    def __init__(self, base_url: str, key: str) -> None:
        self.base = f"{base_url}/api/v1"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {key}"

    def call(self, method: str, path: str, body: dict | None = None) -> Any:
        response = self.http.request(method, f"{self.base}{path}", json=body, timeout=60)
        assert response.status_code < 400, f"{method} {path}: {response.text}"
        return response.json()


class Scene:
    """A world of its own with a cast; ``act`` posts one interaction."""

    def __init__(self, api: Api, name: str, cast: tuple[str, ...]) -> None:
        self.api = api
        self.world = api.call("POST", "/ecosystems/", {"name": name, "seed": 7})
        self.people = {
            who: api.call(
                "POST",
                f"/ecosystems/{self.world['id']}/characters/",
                {"name": who, "agreeableness": 0.6, "extraversion": 0.6,
                 "secrets": [SECRET] if who == "Alice" else []},
            )["id"]
            for who in cast
        }  # fmt: skip

    def act(self, who: str, kind: str, whom: str, **context: str) -> dict:
        body: dict[str, Any] = {
            "initiator_id": self.people[who], "target_id": self.people[whom],
            "interaction_type": kind, "content": "",
        }  # fmt: skip
        if "about" in context:
            body["context"] = {"subject_id": self.people[context["about"]]}
        return self.api.call("POST", "/interactions/", body)

    def stories(self) -> list[dict]:
        return self.api.call("GET", f"/ecosystems/{self.world['id']}/stories/")["results"]

    def events(self, kind: str) -> list[dict]:
        page = self.api.call("GET", f"/ecosystems/{self.world['id']}/events/?limit=500")
        return [e for e in page["events"] if e["type"] == kind]

    def sifted(self) -> bool:
        """The worker has sifted every event the world logged."""
        last = Ecosystem.objects.get(pk=self.world["id"]).last_event_seq
        cursor = SiftCursor.objects.filter(ecosystem_id=self.world["id"]).first()
        return cursor is not None and cursor.last_seq >= last


def romance(s: Scene) -> None:
    s.act("Alice", "flirt", "Bob")
    s.act("Bob", "compliment", "Alice")
    s.act("Alice", "gift", "Bob")
    s.act("Bob", "flirt", "Alice")
    s.act("Alice", "compliment", "Bob")


def rival_suitors(s: Scene) -> None:
    s.act("Alice", "flirt", "Bob")
    s.act("Carol", "gift", "Bob")
    s.act("Alice", "argue", "Carol")
    s.act("Carol", "insult", "Alice")


def feud_then_courting(s: Scene) -> None:
    s.act("Alice", "argue", "Carol")
    s.act("Carol", "insult", "Alice")
    s.act("Alice", "flirt", "Bob")
    s.act("Carol", "compliment", "Bob")


def confidence_then_gossip(s: Scene) -> None:
    s.act("Alice", "share_secret", "Bob")
    s.act("Bob", "gossip", "Carol", about="Alice")


def common_cause(s: Scene) -> None:
    s.act("Carol", "insult", "Alice")
    s.act("Bob", "argue", "Carol")
    s.act("Alice", "help", "Bob")
    s.act("Bob", "help", "Alice")


def one_sided_flirting(s: Scene) -> None:
    for _ in range(4):
        s.act("Alice", "flirt", "Bob")
        s.act("Bob", "small_talk", "Alice")


def a_single_compliment(s: Scene) -> None:
    s.act("Alice", "compliment", "Bob")


def a_quarrel_without_a_shared_beloved(s: Scene) -> None:
    s.act("Alice", "flirt", "Bob")
    s.act("Carol", "flirt", "Dave")
    s.act("Alice", "argue", "Carol")
    s.act("Carol", "insult", "Alice")


def gossip_about_someone_who_never_confided(s: Scene) -> None:
    s.act("Dave", "greeting", "Bob")
    s.act("Bob", "gossip", "Carol", about="Alice")


def helping_without_a_common_foe(s: Scene) -> None:
    s.act("Alice", "help", "Bob")
    s.act("Bob", "help", "Alice")
    s.act("Alice", "help", "Bob")


CAST = ("Alice", "Bob", "Carol", "Dave")


def play(
    live_daphne: str, owner: Any, scenes: dict[str, Callable[[Scene], None]]
) -> dict[str, Scene]:
    """Each scenario in a world of its own, then wait until the worker has sifted them all."""
    # A game server's account: more than the free plan's five characters.
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="enterprise"))
    key = requests.post(
        f"{live_daphne}/api/v1/auth/keys/",
        json={"name": "scenarios", "username": "owner", "password": PASSWORD},
        timeout=30,
    ).json()["key"]
    api = Api(live_daphne, key)
    played = {}
    try:
        with celery_worker():
            for name, script in scenes.items():
                played[name] = Scene(api, name, CAST)
                script(played[name])
            deadline = time.monotonic() + SIFT_WAIT_SECONDS
            while not all(s.sifted() for s in played.values()):
                assert time.monotonic() < deadline, "the interactions were never sifted"
                time.sleep(0.5)
    finally:  # the live server meters into the shared Redis under the test prefix
        cache.delete(_key(owner.pk, month_start()))
    return played


def by_pattern(scene: Scene) -> dict[str, dict]:
    return {story["pattern"]: story for story in scene.stories()}


def cast_of(story: dict) -> set[str]:
    return {c["name"] for c in story["cast"]}


def test_scripted_scenes_tell_the_stories_a_reader_sees(live_daphne, owner):
    played = play(live_daphne, owner, {
        "romance": romance, "rival suitors": rival_suitors,
        "feud then courting": feud_then_courting, "confidence then gossip": confidence_then_gossip,
        "common cause": common_cause,
    })  # fmt: skip

    told = {name: by_pattern(scene) for name, scene in played.items()}
    love = told["romance"]["romance"]
    assert love["genre"] == "romance" and cast_of(love) == {"Alice", "Bob"}
    assert any(w in love["title"] for w in ("Romance", "Sweethearts")), love["title"]

    suitors = told["rival suitors"]["rival_suitors"]
    assert suitors["genre"] == "triangle" and cast_of(suitors) == {"Alice", "Bob", "Carol"}
    assert "Bob" in suitors["title"]
    assert not any(
        s["genre"] == "reconciliation" or "Peace" in s["title"]
        for s in told["rival suitors"].values()
    ), told["rival suitors"]

    feud = told["feud then courting"]["feuding_suitors"]
    assert feud["genre"] == "triangle" and cast_of(feud) == {"Alice", "Bob", "Carol"}
    assert "Bob" in feud["title"]

    [leak] = played["confidence then gossip"].events("gossip_spread")[1:]  # after the telling
    assert (leak["data"]["teller"]["name"], leak["data"]["subject"]["name"]) == ("Bob", "Alice")
    assert leak["data"]["listener"]["name"] == "Carol" and leak["data"]["fact"] == SECRET
    mystery = told["confidence then gossip"]["secret"]
    assert mystery["genre"] == "mystery" and cast_of(mystery) == {"Alice", "Bob", "Carol"}

    allies = told["common cause"]["common_cause"]
    assert allies["genre"] == "alliance" and cast_of(allies) == {"Alice", "Bob", "Carol"}
    assert "Carol" in allies["title"] or "Common Cause" in allies["title"]
    assert "redemption" not in {s["genre"] for s in told["common cause"].values()}


def test_near_misses_scripted_through_the_api_tell_none_of_those_stories(live_daphne, owner):
    played = play(live_daphne, owner, {
        "one-sided flirting": one_sided_flirting, "a single compliment": a_single_compliment,
        "a quarrel without a shared beloved": a_quarrel_without_a_shared_beloved,
        "gossip about someone who never confided": gossip_about_someone_who_never_confided,
        "helping without a common foe": helping_without_a_common_foe,
    })  # fmt: skip

    for name, scene in played.items():
        stories = scene.stories()
        assert not PATTERNS_HERE & {s["pattern"] for s in stories}, (name, stories)
        assert not {"romance", "triangle", "mystery", "alliance"} & {s["genre"] for s in stories}
    assert played["gossip about someone who never confided"].events("gossip_spread") == []
