from characters.llm.prompts import (
    MAX_PROMPT_MEMORIES,
    MAX_TALK_TURNS,
    RelationshipSummary,
    TalkContext,
    dialogue_messages,
    personality_in_words,
)
from tests.characters.llm.builders import OUTGOING, dialogue_request


def test_the_prompt_carries_personality_emotions_relationship_and_memories():
    system, user = dialogue_messages(request=dialogue_request())

    assert system["role"] == "system"
    assert "You are Alice" in system["content"]
    assert "very reserved and shy" in system["content"]
    assert "warm and kind" in system["content"]
    assert "Soft, hesitant, trails off with ellipses." in system["content"]
    assert user["role"] == "user"
    assert "noticeably joyful and a little afraid" in user["content"]
    assert "angry" not in user["content"]
    assert "Your relationship with Bob: friend." in user["content"]
    assert "trust them" in user["content"]
    assert "Bob lent you a book." in user["content"]
    assert "- Bob laughed at my hat at the fair." in user["content"]
    assert "- Bob returned the locket." in user["content"]
    assert "small talk" in user["content"]
    assert "Lovely morning, isn't it, Alice?" in user["content"]


def test_the_system_prompt_asks_to_stay_in_character_and_reply_with_only_the_line():
    system, _ = dialogue_messages(request=dialogue_request())

    assert "Stay in character" in system["content"]
    assert "Reply with only the words Alice says aloud to Bob" in system["content"]
    assert "never say you are an AI" in system["content"]


def test_strangers_who_open_a_conversation_are_told_so():
    request = dialogue_request(relationship=None, other_line="", interaction_type="greeting")

    _, user = dialogue_messages(request=request)

    assert "You have never met Bob before." in user["content"]
    assert "You speak first." in user["content"]


def test_an_enemy_reads_as_loathed_and_distrusted():
    enemy = RelationshipSummary(kind="enemy", affinity=-0.9, trust=-0.8, familiarity=0.9)

    _, user = dialogue_messages(request=dialogue_request(relationship=enemy))

    assert "You loathe Bob, deeply distrust them, and know them intimately." in user["content"]


def test_only_the_most_relevant_memories_fit_in_the_prompt():
    memories = tuple(f"memory number {n}" for n in range(20))

    _, user = dialogue_messages(request=dialogue_request(memories=memories))

    assert f"memory number {MAX_PROMPT_MEMORIES - 1}" in user["content"]
    assert f"memory number {MAX_PROMPT_MEMORIES}" not in user["content"]


def test_an_outgoing_open_personality_reads_as_such():
    words = personality_in_words(big_five=OUTGOING)

    assert "very outgoing and talkative" in words
    assert "very curious and imaginative" in words
    assert "calm and emotionally steady" in words


def test_a_conversation_prompt_names_the_person_what_they_said_before_and_their_intent():
    talk = TalkContext(
        description="A traveller from Kent who grows roses.",
        recent_turns=(
            ("Tom", "Hello Bob."),
            ("Bob", "Good day to you, Tom."),
            ("Tom", "I grew roses in Kent."),
        ),
        intent="compliment",
    )
    request = dialogue_request(listener="Tom", other_line="You look lovely today", talk=talk)

    _, user = dialogue_messages(request=request)

    content = user["content"]
    assert "Tom is a person talking with you." in content
    assert "About Tom: A traveller from Kent who grows roses." in content
    assert "Earlier in this conversation:" in content
    assert (
        '- Tom: "Hello Bob."\n- Bob: "Good day to you, Tom."\n- Tom: "I grew roses in Kent."'
        in (content)
    )
    assert "Tom's words now read as a compliment." in content
    assert content.index("Earlier in this conversation") < content.index("You look lovely today")


def test_a_conversation_prompt_keeps_only_the_last_turns_each_trimmed():
    turns = tuple(("Tom", f"Line number {n}.") for n in range(MAX_TALK_TURNS + 4))
    long_turn = ("Tom", "word " * 200)
    talk = TalkContext(recent_turns=(*turns, long_turn), intent="insult")

    _, user = dialogue_messages(request=dialogue_request(listener="Tom", talk=talk))

    content = user["content"]
    assert "Line number 4." not in content  # only the last MAX_TALK_TURNS turns are kept
    assert f"Line number {MAX_TALK_TURNS + 3}." in content
    assert content.count("- Tom:") == MAX_TALK_TURNS
    assert ("word " * 200).strip() not in content
    assert "About Tom" not in content  # no description given, none invented
    assert "Tom's words now read as an insult." in content


def test_without_a_conversation_the_prompt_says_nothing_about_a_person():
    _, user = dialogue_messages(request=dialogue_request())

    assert "a person talking with you" not in user["content"]
    assert "Earlier in this conversation" not in user["content"]
