"""Talking with a character: answer options, goals, secrets and the emotional arc."""

from __future__ import annotations

import itertools

import pytest

from characters.engine.intent import INTENT_KINDS, read_intent
from characters.engine.relationships import AXES
from characters.engine.talk import (
    ARC_SWING_MIN,
    CALM_TARGET,
    GOAL_MIN_GAIN,
    KNOWLEDGE_ASKING_CAP,
    KNOWLEDGE_QUESTION_CREDIT,
    KNOWLEDGE_READINESS_SHARE,
    LIKE_TARGET,
    REVEAL_MIN_STRENGTH,
    REVEAL_MIN_TRUST,
    AnswerOption,
    ArcPoint,
    TalkGoal,
    anchor_goal,
    answer_options,
    arc_swing,
    goal_progress,
    parse_goal,
    revealable,
)
from characters.engine.words import content_words

NAMES = ("Diana", "Eve", "Bob", "Alice", "Sam")
SITUATIONS = [
    ("greeting", "Hello! I was just polishing the locket my mother left me.",
     ("the locket", "Eve", "win the garden prize")),
    ("insult", "How dare you. Eve would never speak to me like that.", ("the locket", "Eve")),
    ("question", "I couldn't say.", ()),
    ("compliment", "Oh, thank you. Bob gave me this scarf last winter.", ("gardening", "Bob")),
    ("farewell", "Goodbye then, and mind the roses on your way out.", ("the roses",)),
    ("gossip", "Eve? She has been seen with Bob at the mill every night.", ("Eve", "Bob")),
    ("threat", "You don't frighten me. My brother will hear of this.", ("the mill",)),
    ("apology", "I forgive you. The letters were never yours to read.", ("the letters", "Alice")),
    ("joke", "Ha! You have a wicked tongue. The vicar would faint.", ()),
    ("small_talk", "", ("the harvest fair", "Alice", "my sister's wedding")),
]  # fmt: skip
CLOSENESS = (-0.8, -0.3, 0.0, 0.4, 0.9)


def _options(heard, reply, topics, closeness, seed, **extra):
    return answer_options(
        character_name="Diana",
        persona_name="Sam",
        heard_kind=heard,
        reply_text=reply,
        topics=topics,
        closeness=closeness,
        seed=seed,
        **extra,
    )


def _all_options():
    for (heard, reply, topics), closeness, seed in itertools.product(
        SITUATIONS, CLOSENESS, range(8)
    ):
        yield (heard, reply, topics), _options(heard, reply, topics, closeness, seed)


def test_there_are_always_three_options_in_order_with_different_texts():
    for _situation, options in _all_options():
        assert len(options) == 3
        assert all(isinstance(o, AnswerOption) for o in options)
        assert [o.kind for o in options] == ["follow_up", "share", "way_out"]
        assert len({o.text for o in options}) == 3, options
        assert all(o.text.strip() for o in options)


def test_each_option_carries_the_intent_the_conversation_will_read_in_it():
    for _situation, options in _all_options():
        for option in options:
            assert option.intent == read_intent(option.text).kind, option
            assert option.intent == read_intent(option.text, names=NAMES).kind, option
        follow_up, share, way_out = options
        assert follow_up.intent == "question" and follow_up.text.endswith("?")
        assert way_out.intent in {"farewell", "small_talk"}
        assert share.intent not in {"insult", "threat", "question", "disagreement"}


def test_a_follow_up_picks_up_the_reply_or_a_topic():
    for (_heard, reply, topics), options in _all_options():
        if not content_words(reply) and not topics:
            continue
        follow_up = options[0].text
        thread = content_words(reply) | content_words(" ".join(topics))
        assert content_words(follow_up) & thread, (follow_up, reply, topics)


def test_a_follow_up_on_a_named_topic_uses_it():
    options = _options(
        "greeting", "Hello! I was just polishing the locket.", ("the locket",), 0.0, 3
    )

    assert "the locket" in options[0].text


def test_the_same_seed_gives_the_same_options_and_seeds_give_variety():
    heard, reply, topics = SITUATIONS[0]
    first = _options(heard, reply, topics, 0.4, 7)

    assert _options(heard, reply, topics, 0.4, 7) == first
    texts = {o.text for seed in range(20) for o in _options(heard, reply, topics, 0.4, seed)}
    assert len(texts) >= 9


def test_warm_and_cold_wording_differ():
    heard, reply, topics = SITUATIONS[0]
    warm = {o.text for s in range(10) for o in _options(heard, reply, topics, 0.9, s)}
    cold = {o.text for s in range(10) for o in _options(heard, reply, topics, -0.8, s)}

    assert warm != cold
    assert any("Diana" in text for text in warm)


def test_an_unknown_heard_kind_is_refused():
    with pytest.raises(ValueError, match="heard_kind"):
        _options("wave", "Hello.", (), 0.0, 1)
    assert "question" in INTENT_KINDS


# --- goals -------------------------------------------------------------------------------------

GOALS = [
    ("win Bob's trust", "relationship", "trust", "Bob"),
    ("Gain Eve's trust", "relationship", "trust", "Eve"),
    ("make Diana trust me", "relationship", "trust", "Diana"),
    ("make Bob like me", "relationship", "strength", "Bob"),
    ("be friends with Eve", "relationship", "strength", "Eve"),
    ("become Alice's best friend", "relationship", "strength", "Alice"),
    ("charm Diana", "relationship", "attraction", "Diana"),
    ("seduce Bob", "relationship", "attraction", "Bob"),
    ("win Eve's heart", "relationship", "attraction", "Eve"),
    ("get to know Diana", "relationship", "familiarity", "Diana"),
    ("have a nice chat", "relationship", "strength", None),
]


@pytest.mark.parametrize(("text", "kind", "axis", "person"), GOALS)
def test_a_relationship_goal_names_its_axis(text, kind, axis, person):
    goal = parse_goal(text)

    assert (goal.kind, goal.axis, goal.person) == (kind, axis, person)
    assert goal.axis in AXES and 0 < goal.target <= 1


def test_a_knowledge_goal_keeps_its_topic_words():
    goal = parse_goal("find out who has the locket")

    assert (goal.kind, goal.topic, goal.axis) == ("knowledge", ("locket",), None)
    assert parse_goal("Learn where Diana hid the letters").topic == ("letter",)
    assert parse_goal("discover Bob's secret plan").topic == ("plan",)


def test_emotion_goals():
    laugh = parse_goal("make Eve laugh")
    calm = parse_goal("calm Bob down")

    assert (laugh.kind, laugh.emotion, laugh.rising, laugh.person) == (
        "emotion",
        "joy",
        True,
        "Eve",
    )
    assert (calm.kind, calm.emotion, calm.rising, calm.target) == (
        "emotion",
        "anger",
        False,
        CALM_TARGET,
    )
    assert parse_goal("cheer Diana up").emotion == "joy"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_a_blank_goal_is_refused_with_examples(text):
    with pytest.raises(ValueError, match="win Bob's trust"):
        parse_goal(text)


def test_a_trust_goal_reaches_one_along_a_scripted_path():
    goal = parse_goal("win Bob's trust")
    start = {"strength": 0.1, "trust": 0.05, "familiarity": 0.1, "attraction": 0.0}
    path = [0.05, 0.12, 0.2, 0.31, 0.4, 0.47]
    progress = [
        goal_progress(
            goal, start=start, now={**start, "trust": t}, revealed=(), heard=(), emotions={}
        )
        for t in path
    ]

    assert progress[0] == 0.0
    assert progress == sorted(progress)
    assert 0 < progress[2] < 1 and progress[-1] == 1.0


def test_a_relationship_that_moves_away_makes_no_progress():
    goal = parse_goal("make Bob like me")
    start = {"strength": 0.1}

    assert (
        goal_progress(goal, start=start, now={"strength": -0.2}, revealed=(), heard=(), emotions={})
        == 0.0
    )


def test_a_knowledge_goal_is_done_when_the_character_reveals_it_and_asking_counts_half():
    goal = parse_goal("find out who has the locket")
    heard = []
    steps = []
    for line in [
        "Lovely day.",
        "Do you know anything of a locket?",
        "Who took the locket?",
        "Please, the locket matters to me.",
        "Is the locket in the house?",
    ]:
        heard.append(line)
        steps.append(goal_progress(goal, start={}, now={}, revealed=(), heard=heard, emotions={}))

    assert steps[0] == 0.0 and 0 < steps[1] < steps[2]
    assert steps[-1] == KNOWLEDGE_ASKING_CAP
    done = goal_progress(
        goal,
        start={},
        now={},
        heard=heard,
        emotions={},
        revealed=["Eve keeps the lockets in her sewing box."],
    )
    assert done == 1.0


def test_an_emotion_goal_follows_the_character_feeling():
    laugh = parse_goal("make Eve laugh")
    calm = parse_goal("calm Eve down")

    def joy(value):
        return goal_progress(
            laugh, start={}, now={}, revealed=(), heard=(), emotions={"joy": value}
        )

    assert joy(0.0) == 0.0 and 0 < joy(0.25) < 1 and joy(0.6) == 1.0
    start = {"anger": 0.8}
    half = goal_progress(calm, start=start, now={}, revealed=(), heard=(), emotions={"anger": 0.5})
    assert 0 < half < 1
    assert (
        goal_progress(calm, start=start, now={}, revealed=(), heard=(), emotions={"anger": 0.1})
        == 1.0
    )


def test_an_unknown_axis_is_refused():
    goal = TalkGoal("x", "relationship", "luck", 0.5)

    with pytest.raises(ValueError, match="axis"):
        goal_progress(goal, start={}, now={}, revealed=(), heard=(), emotions={})


# --- secrets -----------------------------------------------------------------------------------

SECRETS = ("I keep my mother's locket hidden in the chapel.", "I burned Bob's letters.")


def test_a_trusted_friend_who_asks_about_it_hears_the_secret():
    told = revealable(secrets=SECRETS, asked="Where is the locket?", trust=0.5, strength=0.4)

    assert told == SECRETS[0]
    assert (
        revealable(secrets=SECRETS, asked="What happened to the letters?", trust=0.5, strength=0.4)
        == SECRETS[1]
    )


def test_no_secret_below_the_thresholds_or_off_topic():
    asked = "Where is the locket?"

    low_trust = REVEAL_MIN_TRUST - 0.01
    low_strength = REVEAL_MIN_STRENGTH - 0.01
    assert revealable(secrets=SECRETS, asked=asked, trust=low_trust, strength=0.9) is None
    assert revealable(secrets=SECRETS, asked=asked, trust=0.9, strength=low_strength) is None
    at = revealable(
        secrets=SECRETS, asked=asked, trust=REVEAL_MIN_TRUST, strength=REVEAL_MIN_STRENGTH
    )
    assert at == SECRETS[0]
    assert revealable(secrets=SECRETS, asked="Nice weather.", trust=0.9, strength=0.9) is None
    assert revealable(secrets=(), asked=asked, trust=0.9, strength=0.9) is None


# --- the arc -----------------------------------------------------------------------------------


def test_a_sharp_turn_is_a_swing_and_drift_is_not():
    calm = ArcPoint(0.1, {"joy": 0.3, "anger": 0.0})
    drift = ArcPoint(0.2, {"joy": 0.35, "anger": 0.05})
    furious = ArcPoint(-0.7, {"joy": 0.05, "anger": 0.7})

    assert arc_swing(None, calm) is None
    assert arc_swing(calm, drift) is None
    size = arc_swing(drift, furious)
    assert size is not None and size >= ARC_SWING_MIN
    assert arc_swing(drift, furious) == arc_swing(furious, drift)


def test_an_emotional_jump_alone_can_be_a_swing():
    before = ArcPoint(0.0, {"joy": 0.7, "fear": 0.0})
    after = ArcPoint(0.0, {"joy": 0.1, "fear": 0.6})

    assert arc_swing(before, after) is not None


def test_people_the_reply_names_are_picked_up_even_at_the_start_of_a_sentence():
    texts = {
        o.text
        for seed in range(6)
        for o in _options(
            "question", "Oh, thank you. Bob gave it to me.", (), 0.0, seed, names=NAMES
        )
    }

    assert any("Bob" in text for text in texts)


@pytest.fixture(scope="module")
def prototypes():
    from characters import embeddings

    return embeddings.intent_prototypes()


def test_options_read_the_same_with_the_embedding_prototypes(prototypes):
    for (heard, reply, topics), closeness, seed in itertools.product(
        SITUATIONS, (-0.5, 0.5), range(3)
    ):
        options = _options(
            heard, reply, topics, closeness, seed, names=NAMES, prototypes=prototypes
        )
        for option in options:
            read = read_intent(option.text, names=NAMES, prototypes=prototypes).kind
            assert option.intent == read == read_intent(option.text).kind, option
        assert options[0].intent == "question"


def test_a_goal_without_topic_words_is_done_by_any_secret_told():
    goal = parse_goal("learn Eve's secret")

    assert (goal.kind, goal.topic, goal.person) == ("knowledge", (), "Eve")
    asked = goal_progress(
        goal,
        start={},
        now={},
        revealed=(),
        emotions={},
        heard=["Is something wrong?", "You can tell me."],
    )
    assert 0 < asked < KNOWLEDGE_ASKING_CAP
    assert (
        goal_progress(
            goal, start={}, now={}, revealed=["I burned the letters."], heard=(), emotions={}
        )
        == 1.0
    )


def test_an_anchored_goal_is_never_done_before_the_talk_starts():
    start = {"strength": 0.1, "trust": 0.5, "familiarity": 0.1, "attraction": 0.0, "joy": 0.6}
    trust = anchor_goal(parse_goal("win Bob's trust"), start=start)
    laugh = anchor_goal(parse_goal("make Bob laugh"), start=start)

    assert trust.target == pytest.approx(0.5 + GOAL_MIN_GAIN)
    assert goal_progress(trust, start=start, now=start, revealed=(), heard=(), emotions={}) == 0
    assert laugh.target == pytest.approx(0.6 + GOAL_MIN_GAIN)
    assert anchor_goal(parse_goal("make Bob like me"), start=start).target == LIKE_TARGET
    knowledge = parse_goal("find out who has the locket")
    assert anchor_goal(knowledge, start=start) == knowledge


def test_winning_trust_shows_as_progress_toward_a_secret_before_it_is_told():
    goal = parse_goal("find out who has the locket")
    heard = ["Who has the locket?"]

    def progress(trust: float, strength: float) -> float:
        now = {"trust": trust, "strength": strength}
        return goal_progress(goal, start={}, now=now, revealed=(), heard=heard, emotions={})

    stranger, warming, trusted = progress(0.0, 0.0), progress(0.2, 0.15), progress(0.5, 0.3)
    assert stranger == KNOWLEDGE_QUESTION_CREDIT
    assert stranger < warming < trusted < 1.0
    assert trusted == KNOWLEDGE_QUESTION_CREDIT + KNOWLEDGE_READINESS_SHARE
