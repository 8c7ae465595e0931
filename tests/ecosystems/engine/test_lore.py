"""World lore as knowledge, without a database: who knows an entry, that group and secret lore
travel like secrets while common knowledge does not, that pruning keeps lore, and which entry a
character cites for the words it heard."""

from __future__ import annotations

import itertools
import random

from ecosystems.engine.groups import hops_as_learned, spread_gossip
from ecosystems.engine.knowledge import LORE, KnowledgeItem, prune_knowledge
from ecosystems.engine.lore import (
    LoreFact,
    citation,
    first_hand_items,
    knowers_of,
    lore_item,
    lore_to_cite,
    with_citation,
)
from tests.ecosystems.engine.builders import FRIENDS, both, build, person

FOUNTAIN = LoreFact(
    id="f1", title="The Ancient Fountain", tags=("places",),
    text="The fountain in the square is older than the town, and grants a wish at midnight.",
)  # fmt: skip
PACT = LoreFact(
    id="p1", title="The Rose Garden Pact", visibility="group", group="Rose Garden Pact",
    text="The pact meets at the gazebo on Sundays to plan the harvest fair.",
)  # fmt: skip
LOCKET = LoreFact(
    id="s1", title="The Lost Locket", visibility="secret", knowers=("anna",),
    text="The locket lies at the bottom of the lily pond.",
)  # fmt: skip
CAST = ["anna", "beth", "cora"]
GROUPS = {"rose garden pact": ["beth", "cora"]}


def test_public_lore_is_known_by_everyone_group_lore_by_members_secret_lore_by_the_named():
    assert knowers_of(FOUNTAIN, characters=CAST, groups=GROUPS) == CAST
    assert knowers_of(PACT, characters=CAST, groups=GROUPS) == ["beth", "cora"]
    assert knowers_of(LOCKET, characters=CAST, groups=GROUPS) == ["anna"]
    assert knowers_of(PACT, characters=CAST, groups={}) == []  # no such group stands now


def test_lore_items_carry_the_entry_key_and_the_tick_may_leave_common_knowledge_out():
    known = first_hand_items([FOUNTAIN, PACT, LOCKET], characters=CAST, groups=GROUPS)
    assert [i.key for i in known["anna"]] == ["lore:f1", "lore:s1"]
    assert [i.key for i in known["beth"]] == ["lore:f1", "lore:p1"]
    assert all(i.kind == LORE for items in known.values() for i in items)
    carried = first_hand_items(
        [FOUNTAIN, PACT, LOCKET], characters=CAST, groups=GROUPS, include_public=False
    )
    assert {cid: [i.key for i in items] for cid, items in carried.items()} == {
        "anna": ["lore:s1"], "beth": ["lore:p1"], "cora": ["lore:p1"],
    }  # fmt: skip


def test_a_stored_lore_fact_reads_back_as_lore():
    item = KnowledgeItem.from_fact("lore:p1", "The Rose Garden Pact: ...", source="told")
    assert item.kind == LORE and item.source == "told" and item.about_id is None


def test_pruning_keeps_lore_however_old():
    old = lore_item(LOCKET, tick=1)
    event = KnowledgeItem("event:1:a:b:insult", "A insulted B", kind="event", tick=1)
    assert prune_knowledge([old, event], tick=10_000) == (old,)


def test_secret_lore_travels_along_the_graph_but_common_knowledge_stays_put():
    chain = ["anna", "beth", "cora"]
    talkers = [
        person(n.title(), openness=1.0, extraversion=1.0, conscientiousness=0.0, agreeableness=0.0)
        for n in chain
    ]
    rels = [r for a, b in itertools.pairwise(chain) for r in both(a, b, FRIENDS)]
    known = first_hand_items([FOUNTAIN, LOCKET], characters=chain, groups={})
    world = build(talkers, rels, knowledge=known)
    rng = random.Random(3)
    told: list[tuple[str, str, str]] = []
    for tick in range(1, 40):
        hops = spread_gossip(world, tick=tick, rng=rng)
        told += [(h.teller_id, h.listener_id, h.item.key) for h in hops]
        world = world.evolve(knowledge=world.knowledge.merged(hops_as_learned(hops)))
        if world.knowledge.knows("cora", "lore:s1"):
            break
    assert ("anna", "beth", "lore:s1") in told
    assert world.knowledge.knows("cora", "lore:s1")
    assert world.knowledge.item("beth", "lore:s1").source == "told"
    assert all(key != "lore:f1" for _, _, key in told)


def test_a_character_cites_the_entry_the_words_are_about():
    heard = "Have you ever made a wish at the fountain?"
    assert lore_to_cite([PACT, FOUNTAIN, LOCKET], heard) == FOUNTAIN
    assert lore_to_cite([PACT, FOUNTAIN], "Lovely weather for croquet today.") is None
    assert lore_to_cite([PACT], "Is the pact meeting at the gazebo?") == PACT
    assert lore_to_cite([], heard) is None


def test_a_citation_is_the_same_every_time_and_quotes_the_entry():
    line = with_citation("Oh, hello.", FOUNTAIN)
    assert line == with_citation("Oh, hello.", FOUNTAIN)
    assert line.startswith("Oh, hello. ")
    assert "older than the town" in line
    assert citation(LOCKET) != citation(FOUNTAIN)
    assert with_citation("Oh, hello.", None) == "Oh, hello."
    long = LoreFact(id="x", title="Long", text="word " * 200)
    assert len(citation(long)) < 220 and citation(long).endswith("…")
