"""resolve_interaction: the one call the service makes."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from characters.engine.interaction import resolve_interaction
from characters.engine.interactions import INTERACTION_KINDS
from characters.engine.types import CharacterRef, EmotionState, RelationshipState
from tests.characters.engine.personas import (
    ALICE,
    BOB,
    CAROL,
    DESPISED,
    FRIENDS,
    STRANGERS,
    context,
    person,
)

RIFT = RelationshipState(strength=-0.1, trust=0.1, familiarity=0.4, kind="acquaintance")


def resolve(
    kind="greeting",
    initiator=ALICE,
    target=BOB,
    i_view=STRANGERS,
    t_view=STRANGERS,
    content=None,
    seed=1,
    **ctx,
):
    return resolve_interaction(
        initiator, target, kind, i_view, t_view, content, context(**ctx), random.Random(seed)
    )


def test_a_friendly_greeting_changes_both_sides_a_little():
    outcome = resolve("greeting")
    assert outcome.ok
    assert outcome.content and outcome.response and outcome.content != outcome.response
    assert (outcome.content_tone, outcome.response_tone) == ("warm", "cold")
    assert outcome.summary == "Alice greeted Bob"
    deltas = outcome.target_view.deltas()
    assert 0 < deltas["strength_delta"] < 0.05 and 0 <= deltas["trust_delta"] < 0.02
    assert outcome.target_view.source_id == BOB.id
    assert outcome.initiator_view.source_id == ALICE.id
    assert outcome.target_emotions.after.joy > outcome.target_emotions.before.joy
    assert outcome.initiator_energy.cost > 0 and outcome.target_energy.cost > 0
    assert 1 <= outcome.importance <= 3


@pytest.mark.parametrize("kind", INTERACTION_KINDS)
def test_the_same_seed_gives_the_same_outcome(kind):
    kwargs = {
        "i_view": FRIENDS,
        "t_view": RIFT,
        "subject": CAROL.ref,
        "shared_history": ("the picnic",),
    }
    first = resolve(kind, seed=42, **kwargs)
    assert first.ok, first.feasibility.reason
    assert resolve(kind, seed=42, **kwargs) == first


def test_different_seeds_give_different_lines():
    lines = {(o.content, o.response) for o in (resolve("small_talk", seed=s) for s in range(10))}
    assert len(lines) > 5


def test_an_impossible_interaction_changes_nothing_and_says_why():
    outcome = resolve("flirt", i_view=DESPISED)
    assert not outcome.ok
    assert outcome.feasibility.code == "despises_target"
    assert outcome.summary == outcome.feasibility.reason
    assert outcome.changes == () and outcome.content == "" and outcome.target_view is None


def test_the_callers_content_is_used_as_given():
    outcome = resolve("greeting", content="Hello Bob! How are you today?")
    assert outcome.content == "Hello Bob! How are you today?"
    assert outcome.response != outcome.content


def test_lines_already_said_are_not_repeated():
    said: set[str] = set()
    for seed in range(30):
        outcome = resolve("greeting", seed=seed % 3, lines_said=frozenset(said))
        assert outcome.content not in said and outcome.response not in said
        said |= {outcome.content, outcome.response}
    assert len(said) == 60


def test_a_betrayal_hurts_the_target_and_breaks_trust():
    outcome = resolve("betray", initiator=BOB, target=ALICE, t_view=FRIENDS)
    feelings = outcome.target_emotions.deltas()
    assert feelings["anger"] > 0.1 and feelings["sadness"] > 0.1
    assert outcome.target_view.after.trust < 0 < FRIENDS.trust
    assert outcome.conflict and outcome.importance >= 8
    assert outcome.response_tone in ("cold", "hostile", "neutral")


def test_an_extravert_spends_more_energy_than_an_introvert():
    loud = person("Loud", extraversion=0.95)
    quiet = person("Quiet", extraversion=0.05)
    assert (
        resolve("argue", initiator=loud, target=BOB).initiator_energy.cost
        > resolve("argue", initiator=quiet, target=BOB).initiator_energy.cost
    )


def test_an_exhausted_character_cannot_start_an_argument():
    outcome = resolve("argue", initiator=replace(ALICE, social_energy=0.05))
    assert not outcome.ok and outcome.feasibility.code == "too_tired"


def test_gossip_shifts_the_listeners_view_of_the_subject_when_given():
    outcome = resolve(
        "gossip",
        i_view=FRIENDS,
        t_view=FRIENDS,
        subject=CAROL.ref,
        target_view_of_subject=RelationshipState(0.2, 0.2, 0.3, kind="acquaintance"),
    )
    assert "Carol" in outcome.content
    assert outcome.summary == "Alice gossiped to Bob about Carol"
    assert outcome.subject_view.source_id == BOB.id
    assert outcome.subject_view.target_id == CAROL.id
    assert outcome.subject_view.after.strength < 0.2
    assert len(outcome.changes) > len(outcome.target_view.changes)


def test_gossip_about_someone_unknown_is_refused():
    assert resolve("gossip").feasibility.code == "no_subject"
    assert resolve("gossip", subject=CharacterRef(BOB.id, "Bob")).feasibility.code == "no_subject"


def test_a_lie_is_sometimes_believed_and_sometimes_seen_through():
    outcomes = [resolve("deceive", BOB, ALICE, t_view=FRIENDS, seed=s) for s in range(40)]
    believed = [o for o in outcomes if not o.detected]
    caught = [o for o in outcomes if o.detected]
    assert believed and caught
    assert all(o.response_tone in ("warm", "neutral") for o in believed)
    assert all(o.response_tone in ("cold", "hostile") for o in caught)
    assert all(o.target_view.after.trust >= FRIENDS.trust for o in believed)
    assert all(o.target_view.after.trust < FRIENDS.trust for o in caught)


def test_a_shared_secret_is_spoken():
    outcome = resolve("share_secret", i_view=FRIENDS, t_view=FRIENDS)
    assert "I read Bob's letters" in outcome.content


def test_the_initiators_line_refers_to_shared_history():
    outcome = resolve(
        "small_talk", i_view=FRIENDS, t_view=FRIENDS, shared_history=("the picnic", "the flood")
    )
    assert "the picnic" in outcome.content or "the flood" in outcome.content


def test_an_angry_target_catches_less_joy_and_answers_colder():
    calm = resolve("joke", target=person("Dee"), seed=3)
    angry = resolve("joke", target=replace(person("Dee"), emotions=EmotionState(anger=0.9)), seed=3)
    order = ("warm", "neutral", "cold", "hostile")
    assert order.index(angry.response_tone) >= order.index(calm.response_tone)
    assert angry.target_emotions.after.anger > calm.target_emotions.after.anger


def test_a_relationship_that_changes_kind_is_more_memorable():
    near_friend = RelationshipState(strength=0.29, trust=0.2, familiarity=0.3, kind="acquaintance")
    outcome = resolve("help", initiator=BOB, target=ALICE, t_view=near_friend)
    assert outcome.target_view.kind_changed
    assert outcome.target_view.after.kind == "friend"
    assert outcome.importance > resolve("help", initiator=BOB, target=ALICE).importance


# --- the words decide what the act was ---------------------------------------------------------


def test_a_threat_sent_as_small_talk_lands_as_a_threat():
    words = "I am going to burn your house down tonight."
    chat = resolve("small_talk", content="Lovely roses this year.")
    threat = resolve("small_talk", content=words)

    assert (threat.stated_kind, threat.kind, threat.intent.kind) == (
        "small_talk",
        "threaten",
        "threat",
    )
    assert threat.content == words
    assert threat.target_view.after.strength < 0 < chat.target_view.after.strength
    assert threat.target_emotions.after.fear > chat.target_emotions.after.fear
    assert threat.conflict and not chat.conflict


def test_an_insult_sent_as_a_compliment_lands_as_an_insult():
    outcome = resolve("compliment", content="You're a disgrace, Bob.")

    assert outcome.kind == "insult"
    assert outcome.felt_valence < 0


def test_words_that_agree_with_the_act_keep_it():
    outcome = resolve("compliment", content="You look lovely today")

    assert (outcome.kind, outcome.stated_kind) == ("compliment", "compliment")


def test_a_deceit_keeps_its_kind_however_sweet_the_words():
    outcome = resolve("deceive", content="You look lovely today", seed=3)

    assert outcome.kind == "deceive"


def test_an_apology_with_nothing_to_apologise_for_stays_what_was_stated():
    outcome = resolve("small_talk", content="I'm sorry", i_view=FRIENDS, t_view=FRIENDS)

    assert outcome.ok and outcome.kind == "small_talk"


# --- a reply never contradicts the line it answers ---------------------------------------------

_CHEERFUL_MARKS = ("Ha!", "(beaming)", "(laughing)", "(brightly)", "Oh, happy day!")
_WARM_LOOK_BACK = ("Just like at", "Remember ", "It reminds me of")
_WARM_TAILS = ("We should do this more often", "brighten my day", "good to see you")


def _from_reply_bank(kind: str, reply: str, initiator: str) -> bool:
    from characters.engine.dialogue import STAGES, TONES, templates

    said = reply.lower()
    return any(
        template.format(name=initiator, me="Pat", subject="someone").lower().rstrip(".!?") in said
        for tone in TONES
        for stage in STAGES
        for template in templates(kind, "target", tone, stage)
    )


@pytest.mark.parametrize(
    ("stated", "words", "landed"),
    [
        ("small_talk", "I am going to burn your house down tonight.", "threaten"),
        ("compliment", "You're a disgrace, Pat.", "insult"),
        ("greeting", "You're a liar.", "insult"),
        ("insult", None, "insult"),
        ("threaten", None, "threaten"),
        ("argue", None, "argue"),
    ],
)
@pytest.mark.parametrize("views", [STRANGERS, FRIENDS, RelationshipState(0.8, 0.7, 0.85, 0.2)])
def test_a_reply_to_an_unkind_line_is_never_warm_about_it(stated, words, landed, views):
    joyful = person("Pat", agreeableness=0.95, extraversion=0.9, openness=0.9)
    joyful = replace(joyful, emotions=EmotionState(joy=0.95, anticipation=0.8))
    for seed in range(12):
        outcome = resolve(
            stated,
            initiator=person("Sam", agreeableness=0.2),
            target=joyful,
            i_view=views,
            t_view=views,
            content=words,
            seed=seed,
            shared_history=("the picnic", "the boat race"),
            recent_conflict=True,
        )
        reply = outcome.response
        assert outcome.kind == landed, (stated, words, outcome.kind)
        assert not reply.startswith(_CHEERFUL_MARKS), reply
        assert not any(p in reply for p in (*_WARM_LOOK_BACK, *_WARM_TAILS)), reply
        assert _from_reply_bank(landed, reply, "Sam"), reply
