from characters.llm.sampling import (
    MAX_TOKENS_MAX,
    MAX_TOKENS_MIN,
    SHAPED_MAX_TOKENS_MAX,
    SHAPED_MAX_TOKENS_MIN,
    SHAPED_TEMPERATURE_MAX,
    SHAPED_TEMPERATURE_MIN,
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    Sampling,
    sampling_for_closeness,
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


# --- shaped by closeness to a person ------------------------------------------------------------

BASE = Sampling(temperature=0.7, max_tokens=100)


def test_a_stranger_of_no_familiarity_leaves_the_characters_own_sampling_alone():
    assert sampling_for_closeness(BASE, closeness=0.0, familiarity=0.0) == BASE


def test_warmth_raises_temperature_by_up_to_015_and_length_by_up_to_20_percent():
    assert sampling_for_closeness(BASE, closeness=1.0, familiarity=0.0) == Sampling(0.85, 120)
    assert sampling_for_closeness(BASE, closeness=0.4, familiarity=0.0) == Sampling(0.76, 108)


def test_coldness_lowers_temperature_by_up_to_015_and_halves_the_length():
    assert sampling_for_closeness(BASE, closeness=-1.0, familiarity=0.0) == Sampling(0.55, 50)
    assert sampling_for_closeness(BASE, closeness=-0.4, familiarity=0.0) == Sampling(0.64, 80)


def test_full_familiarity_adds_010_to_temperature_and_nothing_to_length():
    assert sampling_for_closeness(BASE, closeness=0.0, familiarity=1.0) == Sampling(0.8, 100)
    assert sampling_for_closeness(BASE, closeness=1.0, familiarity=1.0) == Sampling(0.95, 120)


def test_shaped_sampling_is_clamped_to_03_12_and_30_160_tokens():
    hot = sampling_for_closeness(
        Sampling(temperature=1.1, max_tokens=150), closeness=1.0, familiarity=1.0
    )
    cold = sampling_for_closeness(
        Sampling(temperature=0.4, max_tokens=40), closeness=-1.0, familiarity=0.0
    )

    assert (hot.temperature, hot.max_tokens) == (SHAPED_TEMPERATURE_MAX, SHAPED_MAX_TOKENS_MAX)
    assert (cold.temperature, cold.max_tokens) == (SHAPED_TEMPERATURE_MIN, SHAPED_MAX_TOKENS_MIN)
    assert (SHAPED_TEMPERATURE_MIN, SHAPED_TEMPERATURE_MAX) == (0.3, 1.2)
    assert (SHAPED_MAX_TOKENS_MIN, SHAPED_MAX_TOKENS_MAX) == (30, 160)


def test_closeness_and_familiarity_outside_their_ranges_are_clamped():
    assert sampling_for_closeness(BASE, closeness=7.0, familiarity=3.0) == sampling_for_closeness(
        BASE, closeness=1.0, familiarity=1.0
    )
    assert sampling_for_closeness(BASE, closeness=-7.0, familiarity=-3.0) == (
        sampling_for_closeness(BASE, closeness=-1.0, familiarity=0.0)
    )


def test_warmer_always_samples_hotter_and_longer_from_a_shy_characters_base():
    base = sampling_for_personality(big_five=SHY)
    shaped = [
        sampling_for_closeness(base, closeness=c / 10, familiarity=0.5) for c in range(-10, 11)
    ]

    assert [s.temperature for s in shaped] == sorted(s.temperature for s in shaped)
    assert [s.max_tokens for s in shaped] == sorted(s.max_tokens for s in shaped)
    assert shaped[0].max_tokens < base.max_tokens < shaped[-1].max_tokens
