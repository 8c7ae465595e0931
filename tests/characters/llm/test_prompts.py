from characters.llm.prompts import (
    MAX_PROMPT_MEMORIES,
    RelationshipSummary,
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
