"""Contexts of any JSON shape become the same fixed-length vector, deterministically."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ecosystems.engine.games import FeatureConfig, GameInputError, encode_context
from ecosystems.engine.games.features import MAX_DEPTH, MAX_FEATURES, feature_slot


def test_an_empty_context_is_only_the_bias():
    encoded = encode_context({})
    assert encoded.vector.shape == (FeatureConfig().dimension,)
    assert encoded.vector[0] == 1.0
    assert np.count_nonzero(encoded.vector) == 1
    assert encoded.description == ""


def test_the_vector_does_not_depend_on_key_order():
    a = {"dodge_frequency": 0.8, "environment": "cave", "attacks": ["roll", "light"]}
    b = dict(reversed(list(a.items())))
    assert encode_context(a).vector.tolist() == encode_context(b).vector.tolist()


def test_feature_slots_are_stable_across_processes():
    # BLAKE2b, not hash(): these values are the same on every machine and run
    assert feature_slot("environment=cave", 24) == feature_slot("environment=cave", 24)
    bucket, sign = feature_slot("dodge_frequency", 24)
    assert 1 <= bucket <= 24
    assert sign in (1.0, -1.0)


def test_nested_objects_are_flattened_with_dotted_keys():
    encoded = encode_context({"player": {"stats": {"hp": 0.5}}, "boss": {"phase": "two"}})
    names = {item.name for item in encoded.items}
    assert names == {"player.stats.hp", "boss.phase=two"}
    assert "player.stats.hp 0.5" in encoded.description


def test_numbers_use_the_declared_scale_and_clip():
    config = FeatureConfig(scales={"health": 100})
    health = {i.name: i for i in encode_context({"health": 50}, config).items}["health"]
    assert health.value == 0.5
    over = {i.name: i for i in encode_context({"health": 250}, config).items}["health"]
    assert over.value == 1.0
    assert encode_context({"health": 250}, config).new_scales == {}  # declared: never grows


def test_undeclared_numbers_use_the_running_scale_and_report_a_new_maximum():
    first = encode_context({"distance": 20})
    assert first.new_scales == {"distance": 20}
    assert first.items[0].value == 1.0  # clipped until the scale is learned
    later = encode_context({"distance": 5}, running_scales={"distance": 20})
    assert later.items[0].value == 0.25
    assert later.new_scales == {}
    # shares in 0..1 pass unchanged (the running scale is at least 1)
    assert encode_context({"dodge_frequency": 0.8}).items[0].value == 0.8


def test_strings_are_one_hot_and_bools_are_zero_or_one():
    items = {i.name: i for i in encode_context({"env": "cave", "potion": True}).items}
    assert items["env=cave"].value == 1.0
    assert items["potion"].value == 1.0
    assert {i.name: i.value for i in encode_context({"potion": False}).items} == {"potion": 0.0}


def test_lists_give_their_length_mean_and_the_share_of_each_string():
    items = {
        i.name: i.value for i in encode_context({"attacks": ["roll", "roll", "light", 2, 4]}).items
    }
    assert items["attacks[]=roll"] == pytest.approx(0.4)
    assert items["attacks[]=light"] == pytest.approx(0.2)
    assert items["attacks.mean"] == 1.0  # 3 / running scale clipped to 1 at first
    assert items["attacks.len"] == 1.0
    assert "attacks: " in encode_context({"attacks": ["roll"]}).description


def test_unicode_strings_are_normalised_so_both_spellings_are_one_feature():
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert (
        encode_context({"zone": composed}).vector.tolist()
        == encode_context({"zone": decomposed}).vector.tolist()
    )
    assert "zone 🐉 dragon's lair" in encode_context({"zone": "🐉 dragon's lair"}).description


def test_huge_numbers_are_clamped_not_an_error():
    encoded = encode_context({"gold": 10**400, "debt": -1e308, "tiny": 1e-300})
    assert np.isfinite(encoded.vector).all()
    assert math.isfinite(encoded.new_scales["gold"])


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_rejected_with_the_key(bad):
    with pytest.raises(GameInputError) as caught:
        encode_context({"player": {"speed": bad}})
    assert caught.value.code == "not_finite"
    assert caught.value.field == "player.speed"
    assert "player.speed" in caught.value.message


def test_nan_inside_a_list_is_rejected():
    with pytest.raises(GameInputError, match="finite"):
        encode_context({"speeds": [1.0, math.nan]})


def test_odd_shapes_are_rejected_clearly():
    with pytest.raises(GameInputError, match="JSON object"):
        encode_context(["not", "an", "object"])  # type: ignore[arg-type]
    with pytest.raises(GameInputError, match="set"):
        encode_context({"tags": {1, 2}})
    deep: dict = {}
    node = deep
    for _ in range(MAX_DEPTH + 1):
        node["x"] = {}
        node = node["x"]
    node["y"] = 1
    with pytest.raises(GameInputError) as caught:
        encode_context(deep)
    assert caught.value.code == "too_deep"
    with pytest.raises(GameInputError) as caught:
        encode_context({f"k{i}": i for i in range(MAX_FEATURES + 1)})
    assert caught.value.code == "too_large"


def test_nulls_and_nested_lists_do_not_break_anything():
    encoded = encode_context({"target": None, "grid": [[1, 2], {"a": 1}, "x"]})
    names = {i.name for i in encoded.items}
    assert names == {"grid.len", "grid[]=x"}


def test_bad_feature_configs_are_refused():
    with pytest.raises(GameInputError, match="buckets"):
        FeatureConfig(buckets=1)
    with pytest.raises(GameInputError, match="scale"):
        FeatureConfig(scales={"health": 0})
