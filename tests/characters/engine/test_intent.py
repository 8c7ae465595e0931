"""read_intent: what a line does, how it feels, whom it names."""

from __future__ import annotations

import pytest

from characters.engine.intent import INTENT_KINDS, INTERACTION_OF, Prototypes, read_intent

NAMES = ("Alice", "Bob", "Eve", "Diana")

PHRASES = [
    ("You look lovely today", "compliment"),
    ("You're a liar", "insult"),
    ("I am going to burn your house down tonight.", "threat"),
    ("You're a disgrace, Alice.", "insult"),
    ("You're not bad at all", "compliment"),
    ("I'm sorry", "apology"),
    ("Please forgive me, I was wrong.", "apology"),
    ("Did you hear about Eve?", "gossip"),
    ("Have you heard what Bob did at the fountain?", "gossip"),
    ("Hello, Bob!", "greeting"),
    ("Good morning, Diana.", "greeting"),
    ("Could you help me carry the chairs?", "request"),
    ("Thank you, that was kind.", "thanks"),
    ("You will regret this.", "threat"),
    ("Watch your back, Eve.", "threat"),
    ("You have the loveliest smile; walk with me?", "flirt"),
    ("I've never told anyone this, but I am frightened.", "confession"),
    ("Why did the gardener plant a light bulb? He wanted a power plant.", "joke"),
    ("That's not true and you know it.", "disagreement"),
    ("Where were you this morning?", "question"),
    ("The roses are out early this year.", "small_talk"),
    ("I'll get you a drink.", "small_talk"),
    ("I could strangle you.", "threat"),
    ("Your garden puts everyone else to shame.", "compliment"),
    ("Such a splendid hat.", "compliment"),
    ("What a dreadful party.", "small_talk"),
]


@pytest.mark.parametrize(("text", "kind"), PHRASES)
def test_a_line_reads_as_what_it_does(text, kind):
    assert read_intent(text, names=NAMES).kind == kind


def test_praise_with_a_negation_is_still_praise_and_no_insult():
    intent = read_intent("You're not bad at all")

    assert intent.kind != "insult" and intent.valence > 0


def test_threats_and_insults_feel_hostile_and_compliments_warm():
    assert read_intent("I am going to burn your house down tonight.").valence <= -0.8
    assert read_intent("You're a disgrace, Alice.").valence <= -0.5
    assert read_intent("You look lovely today").valence >= 0.5


def test_shouting_makes_a_line_more_intense():
    calm = read_intent("You're a liar.")
    loud = read_intent("YOU'RE A LIAR!!")

    assert loud.kind == calm.kind == "insult"
    assert loud.intensity > calm.intensity


def test_the_people_named_are_reported_in_order():
    intent = read_intent("Did you see Eve with Bob?", names=NAMES)

    assert intent.mentions == ("Eve", "Bob") and intent.mentioned == "Eve"
    assert read_intent("Evening, all.", names=NAMES).mentions == ()


def test_blank_text_is_featureless_small_talk():
    intent = read_intent("   ")

    assert (intent.kind, intent.valence, intent.intensity) == ("small_talk", 0.0, 0.0)


def test_every_intent_lands_as_a_catalogue_interaction():
    from characters.engine.interactions import CATALOGUE

    assert set(INTERACTION_OF) == set(INTENT_KINDS)
    assert set(INTERACTION_OF.values()) <= set(CATALOGUE)
    assert read_intent("I'll make you pay").interaction_kind == "threaten"


def _bag_of_words(texts):
    """A tiny deterministic embedding: counts of a fixed vocabulary."""
    vocab = ["sorrow", "grief", "party", "cake", "weather", "sun"]
    return [[float(t.lower().count(w)) + 0.01 for w in vocab] for t in texts]


def test_prototypes_read_lines_no_rule_knows():
    prototypes = Prototypes.build(
        _bag_of_words,
        {"confession": ("My grief and sorrow.",), "small_talk": ("Sun and weather.",)},
    )

    intent = read_intent("Such grief, such sorrow.", prototypes=prototypes)

    assert (intent.kind, intent.source) == ("confession", "prototype")
    assert read_intent("Sorrow!", prototypes=None).source == "default"


def test_rules_win_over_prototypes():
    prototypes = Prototypes.build(_bag_of_words, {"small_talk": ("You liar, sun and weather.",)})

    assert read_intent("You liar, sun and weather.", prototypes=prototypes).kind == "insult"
