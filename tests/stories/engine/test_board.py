"""Stories from matches: merging, status, tension, titles, summaries, predictions."""

from __future__ import annotations

import json

from stories.engine.board import (
    BREWING,
    CLIMAX,
    CLOSED_RETENTION_TICKS,
    CREATED,
    DEVELOPING,
    FIZZLED,
    RESOLVED,
    STALE_TICKS,
    StoryBoard,
    StoryChange,
    StoryView,
    world_tension,
)
from stories.engine.patterns import PATTERNS
from stories.engine.script import Script
from stories.engine.sifting import Pattern, Sifter, Step, interaction


class World:
    """A sifter and a board fed tick by tick, the way the simulation drives them."""

    def __init__(self, patterns: tuple[Pattern, ...] = PATTERNS) -> None:
        self.log = Script()
        self.sifter = Sifter(patterns)
        self.board = StoryBoard()
        self.fed = 0
        self.changes: list[StoryChange] = []

    def run(self, tick: int | None = None) -> list[StoryChange]:
        """Feed what was scripted since the last run, then apply at ``tick``."""
        fresh = self.log.events[self.fed :]
        self.fed = len(self.log.events)
        changes = self.board.apply(self.sifter.feed(fresh), tick=tick or self.log.tick)
        self.changes += changes
        return changes

    def stories(self) -> list[StoryView]:
        return self.board.stories()


def quarrel(world: World, a: str = "Alice", b: str = "Bob") -> None:
    world.log.act(a, "argue", b)
    world.log.wait(1)
    world.log.act(b, "insult", a)


def test_a_shown_match_becomes_a_brewing_story_with_title_people_and_prediction():
    world = World()
    quarrel(world)

    [change] = world.run()

    story = change.story
    assert (change.kind, change.event_kind) == (CREATED, "story_detected")
    assert story.status == BREWING
    assert story.genre == "conflict"
    assert story.title in {
        "A Quarrel Between Alice and Bob",
        "Bad Blood Between Alice and Bob",
        "The Feud of Alice and Bob",
    }
    assert [(p.name, p.role) for p in story.participants] == [
        ("Alice", "aggressor"),
        ("Bob", "opponent"),
    ]
    assert story.predictions[0] == "Threats may follow between Alice and Bob"
    assert story.summary == "Alice argued with Bob. Most recently, Bob insulted Alice."
    assert [b.seq for b in story.beats] == [1, 2]


def test_a_story_key_is_the_id_of_its_first_match_and_the_same_on_every_run():
    keys = []
    for _ in range(2):
        world = World()
        quarrel(world)
        world.run()
        keys.append([s.key for s in world.stories()])

    assert keys[0] == keys[1] == ["escalating_conflict:1"]


def test_a_story_climbs_from_brewing_through_developing_to_climax():
    slow_burn = Pattern(
        key="slow_burn",
        genre="conflict",
        roles={"a": "a", "b": "b"},
        steps=tuple(
            Step(interaction(kind, by="a", to="b"), kind, prediction=f"{{a}} may {kind} {{b}}")
            for kind in ("disagree", "argue", "insult", "threaten")
        ),
        titles=("{a} and {b}",),
        min_steps=2,
    )
    world = World((slow_burn,))
    statuses = []
    for kind in ("disagree", "argue", "insult", "threaten"):
        world.log.act("Alice", kind, "Bob")
        statuses += [c.story.status for c in world.run()]

    assert statuses == [BREWING, DEVELOPING, CLIMAX]


def test_a_courtship_that_ends_in_a_couple_is_resolved():
    world = World()
    world.log.act("Alice", "flirt", "Bob")
    world.log.rel("Bob", "Alice", "romantic_interest")
    world.log.rel("Alice", "Bob", "partner", previous="romantic_interest")

    world.run()

    [story] = world.stories()
    assert story.status == RESOLVED
    assert story.predictions == ()
    assert story.summary.endswith("In the end, Alice and Bob became a couple.")


def test_a_story_whose_matches_expire_before_the_climax_fizzles():
    world = World()
    quarrel(world)
    world.run()
    world.log.wait(60)
    world.log.act("Carol", "small_talk", "Dave")  # time passes in the log

    world.run()

    [story] = world.stories()
    assert story.status == FIZZLED
    assert story.tension == 0.0


def test_a_quiet_story_after_its_climax_is_resolved():
    world = World()
    world.log.act("Diana", "confide", "Eve")
    world.log.act("Eve", "betray", "Diana")
    world.run()

    world.run(tick=world.log.tick + STALE_TICKS + 1)

    assert world.stories()[0].status == RESOLVED


def test_escalating_conflict_and_rivalry_on_the_same_pair_are_one_story():
    world = World()
    world.log.rel("Alice", "Bob", "rival")
    quarrel(world)
    world.log.act("Alice", "threaten", "Bob")

    world.run()

    [story] = world.stories()
    assert len(story.matches) == 2
    assert {m.split(":")[0] for m in story.matches} == {"escalating_conflict", "rivalry"}


def test_quarrels_between_different_pairs_are_different_stories():
    world = World()
    quarrel(world, "Alice", "Bob")
    quarrel(world, "Carol", "Dave")

    world.run()

    assert len(world.stories()) == 2


def test_a_match_on_a_superset_of_the_people_joins_their_story():
    world = World()
    quarrel(world, "Alice", "Carol")
    world.run()
    world.log.rel("Alice", "Bob", "partner", previous="romantic_interest")
    world.log.act("Carol", "flirt", "Bob")
    world.log.act("Alice", "threaten", "Carol")

    world.run()

    [story] = world.stories()
    assert [p.name for p in story.participants] == ["Alice", "Carol", "Bob"]
    assert story.status == CLIMAX


def test_a_reconciliation_turns_the_quarrel_into_a_story_of_peace():
    world = World()
    quarrel(world)
    world.log.act("Bob", "apologise", "Alice")

    world.run()

    [story] = world.stories()
    assert story.genre == "reconciliation"
    assert story.status == CLIMAX
    assert story.beats[-1].text == "Bob apologised to Alice"


def test_one_beat_per_event_even_when_several_matches_share_it():
    world = World()
    world.log.rel("Alice", "Bob", "rival")
    quarrel(world)

    world.run()

    [story] = world.stories()
    seqs = [b.seq for b in story.beats]
    assert seqs == sorted(set(seqs))


def test_nothing_is_emitted_when_nothing_changed():
    world = World()
    quarrel(world)
    world.run()

    assert world.run() == []
    assert world.board.apply([], tick=world.log.tick + 1) == []


def test_tension_decays_with_inactivity_and_is_reported_on_a_real_move():
    world = World()
    quarrel(world)
    [created] = world.run()
    start = created.story.tension

    [later] = world.board.apply([], tick=world.log.tick + 24)

    assert later.changed == ("tension",)
    assert later.story.tension < start
    assert [p[0] for p in later.story.tension_curve] == [world.log.tick, world.log.tick + 24]


def test_tension_rises_with_each_beat():
    world = World()
    quarrel(world)
    [first] = world.run()
    world.log.act("Alice", "threaten", "Bob")

    [second] = world.run()

    assert second.story.tension > first.story.tension
    assert {"status", "beats", "tension"} <= set(second.changed)


def test_a_participants_plan_is_the_first_prediction():
    world = World()
    quarrel(world)
    world.run()
    world.log.goal("Bob", "scheme", target="Alice", text="Bob plans to search Alice's room")

    [change] = world.run()

    assert change.changed == ("predictions",)
    assert change.story.predictions[0] == "Bob plans to search Alice's room"


def test_the_board_resumes_from_its_json_state():
    world = World()
    quarrel(world)
    world.run()
    saved = json.loads(json.dumps(world.board.state()))
    world.log.act("Alice", "threaten", "Bob")
    updates = world.sifter.feed(world.log.events[world.fed :])

    resumed = StoryBoard(state=saved).apply(updates, tick=world.log.tick)
    original = world.board.apply(updates, tick=world.log.tick)

    assert resumed == original
    assert resumed[0].story.status == CLIMAX


def test_world_tension_summarises_live_stories_only():
    world = World()
    assert world_tension(world.stories()) == 0.0

    quarrel(world)
    world.run()
    one = world_tension(world.stories())
    quarrel(world, "Carol", "Dave")
    world.run()
    two = world_tension(world.stories())

    assert 0.0 < one < two <= 1.0
    world.board.apply([], tick=world.log.tick + 200)
    assert world_tension(world.board.stories()) == 0.0


def test_a_story_view_is_json_ready_for_the_story_events():
    world = World()
    quarrel(world)
    [change] = world.run()

    data = json.loads(json.dumps(change.story.as_dict()))

    assert data["key"] == change.story.key
    assert data["participants"][0] == {"id": "id-alice", "name": "Alice", "role": "aggressor"}
    assert data["beats"][0]["seq"] == 1


def test_a_closed_story_leaves_the_board_after_its_retention():
    world = World()
    quarrel(world)
    world.run()
    world.board.apply([], tick=world.log.tick + STALE_TICKS + 1)

    world.board.apply([], tick=world.log.tick + STALE_TICKS + 1 + CLOSED_RETENTION_TICKS + 1)

    assert world.board.stories() == []
    assert world.board.state()["stories"] == []


def test_predictions_that_only_swap_the_names_are_given_once():
    world = World()
    world.log.act("Alice", "gift", "Frank")
    world.log.act("Frank", "flirt", "Alice")
    world.log.rel("Alice", "Frank", "romantic_interest")
    world.log.rel("Frank", "Alice", "romantic_interest")

    world.run()

    [story] = world.stories()
    couples = [p for p in story.predictions if "may become a couple" in p]
    assert len(couples) == 1


def test_a_story_at_its_climax_predicts_its_aftermath():
    world = World()
    world.log.act("Alice", "argue", "Bob")
    world.log.act("Bob", "insult", "Alice")
    world.log.act("Alice", "threaten", "Bob")

    world.run()

    [story] = world.stories()
    assert story.status == CLIMAX
    assert "may come to blows, unless one of them backs down" in " ".join(story.predictions)


def test_a_prediction_that_came_true_is_retired():
    world = World()
    world.log.rel("Eve", "Diana", "rival")
    world.log.act("Eve", "insult", "Diana")
    world.log.rel("Diana", "Eve", "rival")  # the mirror rivalry starts a step behind
    world.log.act("Diana", "threaten", "Eve")  # open enmity: it came true
    world.run()

    [story] = [s for s in world.stories() if s.pattern == "rivalry"]

    assert "open enmity" in {b.label for b in story.beats}
    assert not [p for p in story.predictions if "open enemies" in p], story.predictions


def test_a_prediction_another_patterns_match_already_told_is_retired():
    world = World()
    world.log.act("Eve", "argue", "Diana")
    world.log.act("Diana", "insult", "Eve")
    world.log.rel("Eve", "Diana", "rival")  # the rivalry begins here
    # The quarrel's threat: Eve and Diana are open enemies now, although for the rivalry it is
    # only its second step (hostility), whose prediction would be "may become open enemies".
    world.log.act("Eve", "threaten", "Diana")
    world.run()

    [story] = world.stories()
    assert {"threat", "rift"} <= {b.label for b in story.beats}
    assert not [p for p in story.predictions if "enemies" in p], story.predictions


def test_an_outcome_told_before_the_match_began_does_not_retire_its_prediction():
    world = World()
    world.log.act("Eve", "argue", "Diana")
    world.log.act("Diana", "insult", "Eve")
    world.log.act("Eve", "threaten", "Diana")  # enmity, told before any rivalry
    world.run()
    world.log.wait(200)  # the quarrel is long over
    world.run()
    world.log.rel("Eve", "Diana", "rival")
    world.log.act("Eve", "disagree", "Diana")
    world.run()

    rivalry = [s for s in world.stories() if s.pattern == "rivalry" and s.live]
    assert rivalry, [s.pattern for s in world.stories()]
    assert "Eve and Diana may become open enemies" in rivalry[0].predictions


def test_the_told_outcomes_survive_a_resume_from_the_state():
    world = World()
    world.log.act("Eve", "argue", "Diana")
    world.log.act("Diana", "insult", "Eve")
    world.log.rel("Eve", "Diana", "rival")
    world.log.act("Eve", "threaten", "Diana")
    world.run()

    resumed = StoryBoard(state=json.loads(json.dumps(world.board.state())))

    assert resumed.stories() == world.board.stories()


def test_a_prediction_that_can_no_longer_happen_is_retired():
    world = World()
    world.log.rel("Eve", "Diana", "rival")  # the rivalry begins: "may become open enemies"
    world.log.act("Eve", "insult", "Diana")
    world.log.act("Diana", "apologise", "Eve")  # they make peace: enmity no longer fits
    world.run()

    predictions = [p for s in world.stories() if s.live for p in s.predictions]
    assert not [p for p in predictions if "open enemies" in p], predictions
