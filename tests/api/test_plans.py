"""Plan enforcement: monthly API calls (metered in Redis, durable in ApiUsage), characters and
relationships (in the services, so the studio refuses what the API refuses), usage visible."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from billing.metering import FLUSH_EVERY, _key, api_call_meter, month_start
from billing.models import ApiUsage, Plan, Subscription
from characters.models import Character
from ecosystems.demo import demo_world_seed
from ecosystems.models import Relationship
from tests.api.conftest import error_of
from tests.factories import CharacterFactory, EcosystemFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def _free_plan_with(**limits) -> None:
    Plan.objects.filter(code="free").update(**limits)


def test_the_seeded_plans_have_rate_limits(db):
    rates = dict(Plan.objects.values_list("code", "api_requests_per_minute"))
    assert rates == {"free": 60, "pro": 600, "enterprise": 6_000}


def test_the_monthly_quota_is_a_429_until_next_month(owner, as_owner):
    _free_plan_with(api_calls_per_month=3)
    assert [as_owner.get("/api/v1/ecosystems/").status_code for _ in range(3)] == [200] * 3
    response = as_owner.get("/api/v1/ecosystems/")
    assert response.status_code == 429
    error = error_of(response)
    assert error["code"] == "quota_exceeded"
    assert "3 API calls a month" in error["message"]
    assert int(response["Retry-After"]) > 0
    usage = as_owner.get("/api/v1/billing/usage/")  # where one stands stays readable
    assert usage.status_code == 200
    assert usage.json()["api_calls"] == {"used": 3, "limit": 3}


def test_calls_are_counted_per_user(owner, stranger, as_owner, as_stranger):
    for _ in range(3):
        as_owner.get("/api/v1/ecosystems/")
    as_stranger.get("/api/v1/ecosystems/")
    assert as_owner.get("/api/v1/billing/usage/").json()["api_calls"]["used"] == 3
    assert as_stranger.get("/api/v1/billing/usage/").json()["api_calls"]["used"] == 1


def test_the_counter_survives_losing_redis(owner):
    plan = Plan.objects.get(code="free")
    for _ in range(FLUSH_EVERY):
        api_call_meter(user_id=owner.pk, plan=plan)
    assert ApiUsage.objects.get(user=owner, month=month_start()).calls == FLUSH_EVERY
    cache.delete(_key(owner.pk, month_start()))  # Redis restarted without its data
    metered = api_call_meter(user_id=owner.pk, plan=plan)
    assert metered.calls == FLUSH_EVERY + 1


def test_usage_shows_every_limit_of_the_plan(owner, as_owner, world, alice):
    bob = CharacterFactory(ecosystem=world, name="Bob")
    RelationshipFactory(source=alice, target=bob)
    body = as_owner.get("/api/v1/billing/usage/").json()
    assert body["plan"] == "free"
    assert body["characters"] == {"used": 2, "limit": 5}
    assert body["relationships"] == {"used": 1, "limit": 10}
    assert body["story_exports"] == {"used": 0, "limit": 3}
    assert body["api_calls"]["limit"] == 1_000
    assert body["requests_per_minute"] == 60


def test_the_subscription_names_the_plan(as_owner):
    body = as_owner.get("/api/v1/billing/subscription/").json()
    assert body["plan"]["code"] == "free"
    assert body["status"] == "active"


def test_the_sixth_character_on_free_is_a_402(owner, as_owner, world):
    for n in range(5):
        response = as_owner.post(
            f"/api/v1/ecosystems/{world.pk}/characters/", {"name": f"Guest {n}"}, format="json"
        )
        assert response.status_code == 201, response.content
    response = as_owner.post(
        f"/api/v1/ecosystems/{world.pk}/characters/", {"name": "Guest 6"}, format="json"
    )
    assert response.status_code == 402
    error = error_of(response)
    assert error["code"] == "plan_limit"
    assert "allows 5 characters" in error["message"] and "/pricing/" in error["message"]
    assert Character.objects.filter(ecosystem__owner=owner).count() == 5


def test_the_character_limit_counts_every_world_of_the_owner(owner, as_owner, world):
    other = EcosystemFactory(owner=owner)
    for n in range(5):
        CharacterFactory(ecosystem=other, name=f"Elsewhere {n}")
    response = as_owner.post(
        f"/api/v1/ecosystems/{world.pk}/characters/", {"name": "One more"}, format="json"
    )
    assert response.status_code == 402


def test_pro_lifts_the_character_limit(owner, as_owner, world):
    Subscription.objects.filter(user=owner).update(plan=Plan.objects.get(code="pro"))
    for n in range(5):
        CharacterFactory(ecosystem=world, name=f"Guest {n}")
    response = as_owner.post(
        f"/api/v1/ecosystems/{world.pk}/characters/", {"name": "Sixth"}, format="json"
    )
    assert response.status_code == 201


def test_the_eleventh_relationship_on_free_is_a_402(owner, as_owner, world):
    people = [CharacterFactory(ecosystem=world, name=f"P{n}") for n in range(5)]
    pairs = [(a, b) for a in people for b in people if a != b]
    for source, target in pairs[:10]:
        RelationshipFactory(source=source, target=target)
    source, target = pairs[10]
    response = as_owner.post(
        f"/api/v1/ecosystems/{world.pk}/relationships/",
        {"source_id": str(source.pk), "target_id": str(target.pk)},
        format="json",
    )
    assert response.status_code == 402
    assert "allows 10 relationships" in error_of(response)["message"]
    assert Relationship.objects.filter(ecosystem=world).count() == 10


def test_the_studio_refuses_the_sixth_character_too(owner, world):
    for n in range(5):
        CharacterFactory(ecosystem=world, name=f"Guest {n}")
    client = Client()
    client.force_login(owner)
    response = client.post(
        "/studio/characters/character/add/",
        {"ecosystem": str(world.pk), "name": "Sixth", "openness": 0.5,
         "conscientiousness": 0.5, "extraversion": 0.5, "agreeableness": 0.5,
         "neuroticism": 0.5, "values": "[]", "core_motivations": "[]", "long_term_goals": "[]",
         "short_term_goals": "[]", "emotions": "{}", "social_energy": 1, "autonomy_level": 0.5,
         "secrets": "[]",
         "relationships_out-TOTAL_FORMS": 0, "relationships_out-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    assert "allows 5 characters" in response.content.decode()
    assert not Character.objects.filter(name="Sixth").exists()


def test_the_studio_refuses_characters_added_inline_past_the_limit(owner, world):
    for n in range(4):
        CharacterFactory(ecosystem=world, name=f"Guest {n}")
    client = Client()
    client.force_login(owner)
    form = {
        "name": world.name, "slug": world.slug, "description": "", "setting": "",
        "visibility": "private", "tick_interval_seconds": 10, "minutes_per_tick": 15,
        "world_start_0": "1887-06-14", "world_start_1": "09:00:00", "seed": 42,
        "characters-TOTAL_FORMS": 2, "characters-INITIAL_FORMS": 0,
        "characters-0-name": "Fifth", "characters-1-name": "Sixth",
    }  # fmt: skip
    for n in range(2):
        for trait in ("openness", "conscientiousness", "extraversion", "agreeableness"):
            form[f"characters-{n}-{trait}"] = 0.5
        form[f"characters-{n}-neuroticism"] = 0.5
        form[f"characters-{n}-is_active"] = "on"
    response = client.post(f"/studio/ecosystems/ecosystem/{world.pk}/change/", form)
    assert response.status_code == 200, response.status_code
    assert "allows 5 characters" in response.content.decode()
    assert not Character.objects.filter(name__in=["Fifth", "Sixth"]).exists()


def test_the_demo_world_still_seeds_for_a_free_user(db):
    result = demo_world_seed()
    assert result.characters_created == 6  # seeding is data, not authoring: no plan applies


def test_the_studio_refuses_duplicates_past_the_limit(owner, world):
    for n in range(5):
        CharacterFactory(ecosystem=world, name=f"Guest {n}")
    client = Client()
    client.force_login(owner)
    response = client.post(
        "/studio/characters/character/",
        {"action": "duplicate_characters", "_selected_action": [str(c.pk) for c in
                                                                 Character.objects.all()[:1]]},
        follow=True,
    )  # fmt: skip
    assert "allows 5 characters" in response.content.decode()
    assert Character.objects.filter(ecosystem=world).count() == 5


def test_the_studio_refuses_the_eleventh_relationship(owner, world):
    people = [CharacterFactory(ecosystem=world, name=f"P{n}") for n in range(5)]
    pairs = [(a, b) for a in people for b in people if a != b]
    for source, target in pairs[:10]:
        RelationshipFactory(source=source, target=target)
    source, target = pairs[10]
    client = Client()
    client.force_login(owner)
    response = client.post(
        "/studio/ecosystems/relationship/add/",
        {"source": str(source.pk), "target": str(target.pk), "kind": "friend", "strength": 0,
         "trust": 0, "familiarity": 0, "attraction": 0},
    )  # fmt: skip
    assert response.status_code == 200
    assert "allows 10 relationships" in response.content.decode()
    assert Relationship.objects.filter(ecosystem=world).count() == 10


def _downgraded_with_eight_characters(owner):
    """The owner on pro with 8 characters in a running world, then moved to free (5)."""
    from django.utils import timezone

    from billing.signals import plan_changed
    from ecosystems.models import Ecosystem

    pro, free = Plan.objects.get(code="pro"), Plan.objects.get(code="free")
    Subscription.objects.filter(user=owner).update(plan=pro)
    world = EcosystemFactory(
        owner=owner, status=Ecosystem.Status.RUNNING, next_tick_at=timezone.now()
    )
    characters = [CharacterFactory(ecosystem=world, name=f"Guest {n}") for n in range(8)]
    Subscription.objects.filter(user=owner).update(plan=free)
    plan_changed.send(sender=None, user=owner, old_plan=pro, new_plan=free)
    return world, characters


OVER_BY_THREE = (
    "Your plan 'Free' allows 5 characters; you have 8. Remove 3 characters or upgrade at /pricing/."
)


def test_after_a_downgrade_the_api_reads_everything_and_refuses_changes_with_a_402(owner, as_owner):
    world, characters = _downgraded_with_eight_characters(owner)
    base = f"/api/v1/ecosystems/{world.pk}"

    got = as_owner.get(f"{base}/")
    assert got.status_code == 200
    assert got.json()["status"] == "paused" and got.json()["paused_by_plan"] is True
    assert as_owner.get(f"{base}/characters/").json()["count"] == 8
    assert as_owner.get(f"/api/v1/characters/{characters[0].pk}/").status_code == 200

    refused = [
        as_owner.post(f"{base}/characters/", {"name": "Ninth"}, format="json"),
        as_owner.patch(
            f"/api/v1/characters/{characters[0].pk}/", {"backstory": "New."}, format="json"
        ),
        as_owner.post(f"{base}/start/"),
        as_owner.post(f"{base}/tick/", {"ticks": 1}, format="json"),
        as_owner.post(
            "/api/v1/interactions/",
            {
                "initiator_id": str(characters[0].pk),
                "target_id": str(characters[1].pk),
                "interaction_type": "small_talk",
            },
            format="json",
        ),
    ]
    for response in refused:
        assert response.status_code == 402, response.content
        error = error_of(response)
        assert error["code"] == "plan_limit" and error["message"].startswith(OVER_BY_THREE)
    assert Character.objects.filter(ecosystem=world).count() == 8

    assert as_owner.delete(f"/api/v1/characters/{characters[0].pk}/").status_code == 204


def test_back_on_pro_the_world_runs_again_and_edits_are_accepted(owner, as_owner):
    from billing.signals import plan_changed

    world, characters = _downgraded_with_eight_characters(owner)
    pro, free = Plan.objects.get(code="pro"), Plan.objects.get(code="free")
    Subscription.objects.filter(user=owner).update(plan=pro)
    plan_changed.send(sender=None, user=owner, old_plan=free, new_plan=pro)

    body = as_owner.get(f"/api/v1/ecosystems/{world.pk}/").json()
    assert body["status"] == "running" and body["paused_by_plan"] is False
    response = as_owner.patch(
        f"/api/v1/characters/{characters[0].pk}/", {"backstory": "New."}, format="json"
    )
    assert response.status_code == 200


def test_after_a_downgrade_the_studio_refuses_edits_and_still_deletes(owner):
    world, characters = _downgraded_with_eight_characters(owner)
    kept = characters[0]
    client = Client()
    client.force_login(owner)
    response = client.post(
        f"/studio/characters/character/{kept.pk}/change/",
        {"ecosystem": str(world.pk), "name": "Renamed", "openness": 0.5,
         "conscientiousness": 0.5, "extraversion": 0.5, "agreeableness": 0.5,
         "neuroticism": 0.5, "values": "[]", "core_motivations": "[]", "long_term_goals": "[]",
         "short_term_goals": "[]", "emotions": "{}", "social_energy": 1, "autonomy_level": 0.5,
         "secrets": "[]",
         "relationships_out-TOTAL_FORMS": 0, "relationships_out-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with the error
    assert "Remove 3 characters or upgrade at /pricing/." in response.content.decode()
    kept.refresh_from_db()
    assert kept.name == "Guest 0"

    response = client.post(f"/studio/characters/character/{kept.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Character.objects.filter(pk=kept.pk).exists()
