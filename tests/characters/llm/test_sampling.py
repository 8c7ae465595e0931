from characters.llm.sampling import (
    MAX_TOKENS_MAX,
    MAX_TOKENS_MIN,
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    sampling_for_personality,
)
from tests.characters.llm.builders import OUTGOING, SHY


def test_a_shy_character_samples_cooler_and_shorter_than_an_outgoing_one():
    shy = sampling_for_personality(big_five=SHY)
    outgoing = sampling_for_personality(big_five=OUTGOING)

    assert shy.temperature < 0.7 < outgoing.temperature
    assert shy.max_tokens < 80 < outgoing.max_tokens


def test_the_extremes_of_personality_reach_the_documented_ranges():
    closed = {trait: 0.0 for trait in SHY}
    open_ = {trait: 1.0 for trait in SHY}

    assert sampling_for_personality(big_five=closed).temperature == TEMPERATURE_MIN
    assert sampling_for_personality(big_five=closed).max_tokens == MAX_TOKENS_MIN
    assert sampling_for_personality(big_five=open_).temperature == TEMPERATURE_MAX
    assert sampling_for_personality(big_five=open_).max_tokens == MAX_TOKENS_MAX


def test_traits_outside_the_unit_interval_are_clamped():
    wild = sampling_for_personality(big_five={"openness": 7.0, "extraversion": -3.0})

    assert TEMPERATURE_MIN <= wild.temperature <= TEMPERATURE_MAX
    assert MAX_TOKENS_MIN <= wild.max_tokens <= MAX_TOKENS_MAX


def test_missing_traits_count_as_average():
    assert sampling_for_personality(big_five={}) == sampling_for_personality(
        big_five={"openness": 0.5, "extraversion": 0.5}
    )
