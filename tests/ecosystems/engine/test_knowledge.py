"""Knowledge: who learns what, only by being there."""

from __future__ import annotations

import random
from dataclasses import replace

from ecosystems.engine.groups import told_hop, told_in_scenes
from ecosystems.engine.knowledge import (
    EVENT,
    SLIP_MAX,
    TOLD,
    WITNESSED,
    Knowledge,
    KnowledgeItem,
    prune_knowledge,
    secret_key,
    slip_chance,
)
from ecosystems.engine.learning import knowledge_after_scene
from ecosystems.engine.names import NameIndex
from tests.ecosystems.engine.builders import FRIENDS, RIVALS, act, both, build, person, play, view

LOCKET = "I have Lady Ashworth's locket in my parasol."


def _party(knowledge=None, goals=None, **people):
    diana = person("Diana", secrets=[LOCKET], **people.get("diana", {}))
    return build(
        [diana, person("Charlie"), person("Bob"), person("Eve"), person("Frank")],
        [
            *both("diana", "charlie", FRIENDS),
            *both("charlie", "bob", FRIENDS),
            *both("eve", "diana", RIVALS),
            *both("eve", "frank", view(0.1, 0.1, 0.3)),
        ],
        knowledge=knowledge,
        goals=goals,
    )


def _own(world, cid="diana"):
    return world.knowledge.item(cid, secret_key(cid, LOCKET))


def test_a_characters_own_secrets_are_known_to_it_from_the_start():
    world = build([person("Frank", secrets=["I saw Diana near the rooms."]), person("Diana")])
    (item,) = world.knowledge.items("frank")
    assert (item.source, item.about_id, item.mentions) == ("own", "frank", ("diana",))
    assert not world.knowledge.items("diana")


def test_only_the_scene_learns_a_shared_secret():
    world = _party()
    secret = _own(world)
    scene = play(
        world, ["diana", "charlie", "bob"], [act("diana", "charlie", "share_secret", fact=secret)]
    )
    assert scene.executed[0].outcome.ok
    learned = knowledge_after_scene(scene, world, tick=7, rng=random.Random(0))
    assert set(learned) == {"charlie", "bob"}
    (told,) = learned["charlie"]
    (overheard,) = learned["bob"]
    assert (told.source, told.source_id, told.tick) == (TOLD, "diana", 7)
    assert (overheard.source, overheard.source_id) == (WITNESSED, "diana")
    assert told.key == overheard.key == secret.key
    assert "overheard Diana telling Charlie" in overheard.how
    elsewhere = play(world, ["eve", "frank"], [act("eve", "frank", "small_talk")])
    assert knowledge_after_scene(elsewhere, world, tick=7, rng=random.Random(0)) == {}


def test_the_subject_of_gossip_learns_it_only_if_present():
    rumour = KnowledgeItem(
        "event:2:eve:frank:deceive",
        "Eve deceived Frank at tick 2",
        EVENT,
        "eve",
        ("frank",),
        WITNESSED,
        None,
        2,
        0.7,
    )
    world = _party(knowledge={"charlie": [rumour]})
    gossip = act("charlie", "bob", "gossip", subject="eve", fact=rumour)
    away = knowledge_after_scene(
        play(world, ["charlie", "bob"], [gossip]), world, tick=7, rng=random.Random(0)
    )
    assert set(away) == {"bob"}
    present = knowledge_after_scene(
        play(world, ["charlie", "bob", "eve"], [gossip]), world, tick=7, rng=random.Random(0)
    )
    assert set(present) == {"bob", "eve"}


def test_everyone_present_sees_a_notable_act_but_not_small_talk():
    world = _party()
    scene = play(
        world,
        ["eve", "diana", "charlie"],
        [act("eve", "diana", "threaten"), act("charlie", "diana", "small_talk")],
        tick=7,
    )
    learned = knowledge_after_scene(scene, world, tick=7, rng=random.Random(0))
    assert set(learned) == {"eve", "diana", "charlie"}
    for items in learned.values():
        (item,) = items
        assert (item.kind, item.about_id, item.mentions) == (EVENT, "eve", ("diana",))
        assert item.content == "Eve threatened Diana"


def test_an_action_that_did_not_happen_teaches_nothing():
    world = _party()
    scene = play(world, ["diana", "eve"], [act("diana", "eve", "share_secret", fact=_own(world))])
    assert not scene.executed[0].outcome.ok  # Diana distrusts Eve too much
    assert knowledge_after_scene(scene, world, tick=7, rng=random.Random(0)) == {}


def test_a_pressed_character_may_let_a_matching_secret_slip_to_everyone_present():
    world = _party(
        goals={"eve": ["Find out who took the locket"]},
        diana={"neuroticism": 1.0, "conscientiousness": 0.0},
    )
    goal = world.agents["eve"].goals[0]
    press = act("eve", "diana", "threaten", intent="investigate", goal_key=goal.key)
    assert slip_chance(world.agents["diana"].snapshot, "threaten", -0.8, True) == SLIP_MAX
    slips = 0
    for seed in range(20):
        scene = play(world, ["eve", "diana", "charlie"], [press], seed=seed)
        learned = knowledge_after_scene(scene, world, tick=7, rng=random.Random(seed))
        secrets = {cid: [i for i in items if i.kind == "secret"] for cid, items in learned.items()}
        if secrets.get("eve"):
            slips += 1
            assert secrets["eve"][0].key == _own(world).key
            assert "Diana let it slip when Eve pressed" in secrets["eve"][0].how
            assert secrets["charlie"]
        assert "diana" not in learned or not [i for i in learned["diana"] if i.kind == "secret"]
    assert 5 <= slips <= 19


def test_knowledge_round_trips_and_prunes_old_events():
    item = KnowledgeItem("secret:x:1", "I cheat at croquet.", about_id="x", mentions=("y",))
    assert KnowledgeItem.from_dict(item.as_dict()) == item
    old = KnowledgeItem("event:1:a:b:insult", "A insulted B", EVENT, "a", ("b",), tick=1)
    new = KnowledgeItem("event:99:a:b:insult", "A insulted B", EVENT, "a", ("b",), tick=99)
    assert prune_knowledge([item, old, new], tick=200, event_ttl=144) == (item, new)
    assert Knowledge({"x": [item]}).merged({"y": [item]}).knows("y", "secret:x:1")


def test_an_item_is_rebuilt_from_the_stored_minimum():
    names = NameIndex({"frank": "Frank", "diana": "Diana"})
    text = "I saw Diana near the rooms."
    secret = KnowledgeItem.from_fact(
        secret_key("frank", text), text, source=TOLD, source_id="eve", tick=3, names=names
    )
    assert (secret.kind, secret.about_id, secret.mentions) == ("secret", "frank", ("diana",))
    event = KnowledgeItem.from_fact(
        "event:4:eve:diana:threaten", "Eve threatened Diana", source=WITNESSED, tick=4
    )
    assert (event.kind, event.about_id, event.mentions, event.juice) == (
        EVENT,
        "eve",
        ("diana",),
        0.8,
    )


# -- what a telling act passes on: one rule for a scene and an API call -----------------------


def test_a_secret_shared_in_a_scene_travels_as_the_same_hop_an_api_call_makes():
    world = _party()
    secret = _own(world)
    scene = play(
        world, ["diana", "charlie"], [act("diana", "charlie", "share_secret", fact=secret)]
    )

    (hop,) = told_in_scenes([scene], world, tick=7)
    api = told_hop(
        kind="share_secret", teller_id="diana", listener_id="charlie", subject_id=None,
        teller_knows=world.knowledge.of("diana"), listener_knows=world.knowledge.of("charlie"),
        secret=secret, tick=7, name=world.name,
    )  # fmt: skip

    assert hop == api
    assert (hop.teller_id, hop.listener_id, hop.item.source, hop.item.content) == (
        "diana", "charlie", TOLD, LOCKET
    )  # fmt: skip


def test_gossip_about_a_confider_passes_on_what_they_confided():
    told = replace(_own(_party()), source=TOLD, source_id="diana", tick=3)
    world = _party(knowledge={"charlie": [told]})

    hop = told_hop(
        kind="gossip", teller_id="charlie", listener_id="bob", subject_id="diana",
        teller_knows=world.knowledge.of("charlie"), listener_knows=world.knowledge.of("bob"),
        secret=None, tick=7, name=world.name,
    )  # fmt: skip

    assert hop is not None and (hop.subject_id, hop.item.content) == ("diana", LOCKET)
    assert "Charlie told Bob about Diana" in hop.text


def test_gossip_about_someone_the_teller_knows_nothing_of_passes_nothing_on():
    world = _party()

    hop = told_hop(
        kind="gossip", teller_id="charlie", listener_id="bob", subject_id="diana",
        teller_knows=world.knowledge.of("charlie"), listener_knows=world.knowledge.of("bob"),
        secret=None, tick=7, name=world.name,
    )  # fmt: skip

    assert hop is None


def test_a_secret_the_listener_already_knows_does_not_travel_again():
    world = _party(knowledge={"charlie": [replace(_own(_party()), source=TOLD, source_id="diana")]})
    scene = play(
        world, ["diana", "charlie"], [act("diana", "charlie", "share_secret", fact=_own(world))]
    )

    assert told_in_scenes([scene], world, tick=7) == ()
