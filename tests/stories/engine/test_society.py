"""The social analytics engine on constructed worlds with known answers."""

from __future__ import annotations

from itertools import combinations

from stories.engine.society import (
    Band,
    Clash,
    Feeling,
    Person,
    Tally,
    Tie,
    World,
    society_analyse,
)

CLIQUE_A = ["alice", "bob", "carol", "dave"]
CLIQUE_B = ["eve", "frank", "grace", "heidi"]
BROKER = "diana"


def _people(*ids: str) -> list[Person]:
    return [Person(id=i, name=i.capitalize()) for i in ids]


def _friends(a: str, b: str, strength: float = 0.8) -> list[Tie]:
    return [Tie(a, b, strength, strength), Tie(b, a, strength, strength)]


def two_cliques_and_a_broker() -> World:
    ties = [t for clique in (CLIQUE_A, CLIQUE_B) for a, b in combinations(clique, 2)
            for t in _friends(a, b)]  # fmt: skip
    ties += _friends(BROKER, "alice", 0.5) + _friends(BROKER, "eve", 0.5)
    return World(people=_people(*CLIQUE_A, *CLIQUE_B, BROKER, "ivan"), ties=ties)


def test_two_cliques_joined_by_one_broker_are_two_communities() -> None:
    analysis = society_analyse(two_cliques_and_a_broker())

    circles = sorted(sorted(c.members) for c in analysis.communities)
    assert len(circles) == 2
    assert sorted(CLIQUE_A) in [sorted(set(c) - {BROKER}) for c in circles]
    assert sorted(CLIQUE_B) in [sorted(set(c) - {BROKER}) for c in circles]


def test_the_broker_has_the_top_betweenness_and_a_finding_names_it() -> None:
    analysis = society_analyse(two_cliques_and_a_broker())

    top = max(analysis.standings.values(), key=lambda s: s.betweenness)
    assert top.id == BROKER
    assert analysis.brokers[0] == BROKER
    assert "Diana brokers between the two circles." in analysis.findings


def test_a_character_with_no_ties_is_an_isolate() -> None:
    analysis = society_analyse(two_cliques_and_a_broker())

    assert analysis.isolates == ["ivan"]
    assert analysis.standings["ivan"].community is None
    assert any("Ivan stands alone" in f for f in analysis.findings)


def test_a_chain_of_anger_gives_its_contagion_order() -> None:
    world = World(
        people=_people("alice", "bob", "carol", "eve"),
        feelings=[
            Feeling(seq=1, tick=1, character="eve", emotion="anger"),
            Feeling(seq=2, tick=2, character="alice", emotion="anger", source="eve"),
            Feeling(seq=3, tick=3, character="bob", emotion="anger", source="alice"),
            Feeling(seq=4, tick=4, character="carol", emotion="anger", source="bob"),
            Feeling(seq=5, tick=5, character="bob", emotion="anger", source="eve"),
        ],
    )

    analysis = society_analyse(world)

    assert analysis.chains[0].emotion == "anger"
    assert analysis.chains[0].path == ("eve", "alice", "bob", "carol")
    assert analysis.chains[0].ticks == (2, 3, 4)
    assert analysis.spreaders[0] == ("eve", "anger", 2)
    assert "Anger spreads from Eve (2 times)." in analysis.findings
    assert "Anger travelled Eve → Alice → Bob → Carol." in analysis.findings


def test_a_feeling_from_someone_who_did_not_feel_it_is_not_contagion() -> None:
    world = World(
        people=_people("alice", "bob"),
        feelings=[
            Feeling(seq=1, tick=1, character="alice", emotion="joy"),
            Feeling(seq=2, tick=2, character="bob", emotion="anger", source="alice"),
        ],
    )

    assert society_analyse(world).chains == []


def test_community_ids_are_stable_across_snapshots() -> None:
    first = society_analyse(two_cliques_and_a_broker())
    previous = {c.id: c.members for c in first.communities}
    # The next snapshot: a newcomer joins the second clique, which must keep its id.
    world = two_cliques_and_a_broker()
    newcomer = [t for m in CLIQUE_B for t in _friends("judy", m)]
    second = society_analyse(
        World(people=[*world.people, Person("judy", "Judy")], ties=[*world.ties, *newcomer]),
        previous=previous,
        next_community=first.next_community,
    )

    def id_of(analysis, member: str) -> str:
        return analysis.standings[member].community

    assert id_of(second, "eve") == id_of(first, "eve")
    assert id_of(second, "alice") == id_of(first, "alice")
    assert id_of(second, "judy") == id_of(first, "eve")
    assert second.next_community == first.next_community


def test_a_new_circle_gets_a_new_id() -> None:
    first = society_analyse(two_cliques_and_a_broker())
    world = two_cliques_and_a_broker()
    trio = ["kim", "lee", "max"]
    ties = [t for a, b in combinations(trio, 2) for t in _friends(a, b)]
    second = society_analyse(
        World(people=[*world.people, *_people(*trio)], ties=[*world.ties, *ties]),
        previous={c.id: c.members for c in first.communities},
        next_community=first.next_community,
    )

    assert second.standings["kim"].community == f"c{first.next_community}"
    assert len({c.id for c in second.communities}) == 3


def test_who_prevails_comes_from_cowed_targets_and_apologies() -> None:
    world = World(
        people=_people("alice", "bob", "carol"),
        clashes=[
            Clash("bob", "alice", "threaten", 1, target_fear=0.4, target_anger=0.1),
            Clash("bob", "alice", "insult", 2, target_fear=0.3, target_anger=0.1),
            Clash("carol", "bob", "apologise", 3),
            Clash("alice", "carol", "argue", 4, target_fear=0.05, target_anger=0.3),
        ],
    )

    analysis = society_analyse(world)

    assert analysis.dominance[0].winner == "bob"
    assert analysis.dominance[0].loser == "alice"
    assert (analysis.dominance[0].wins, analysis.dominance[0].losses) == (2, 0)
    assert analysis.standings["bob"].power == 1.0
    assert analysis.standings["bob"].wins == 3
    assert analysis.standings["alice"].wins == 0  # carol bristled: nothing decided
    assert "Bob prevails over Alice (2 to 0)." in analysis.findings


def test_the_heatmap_says_how_warmly_people_talk() -> None:
    world = World(
        people=_people("alice", "bob"),
        tallies=[Tally("alice", "bob", "compliment", 3), Tally("bob", "alice", "insult", 1)],
    )

    cells = {(c.initiator, c.target): c for c in society_analyse(world).heatmap}

    assert cells[("alice", "bob")].count == 3
    assert cells[("alice", "bob")].warmth > 0
    assert cells[("bob", "alice")].warmth < 0


def test_alliances_are_reported_with_their_members() -> None:
    world = World(
        people=_people("alice", "bob"),
        alliances=[Band("The Pact", ("alice", "bob"), 3)],
    )

    analysis = society_analyse(world)

    assert analysis.alliances[0].name == "The Pact"
    assert "The Pact stands together (Alice and Bob)." in analysis.findings


def test_an_empty_world_has_nothing_to_say() -> None:
    analysis = society_analyse(World(people=[]))

    assert analysis.communities == [] and analysis.findings == []


def test_the_same_chain_run_again_is_listed_once_from_its_first_run() -> None:
    world = World(
        people=_people("alice", "frank"),
        feelings=[
            Feeling(seq=1, tick=1, character="frank", emotion="joy", source="alice",
                    source_felt=True),
            Feeling(seq=2, tick=2, character="frank", emotion="calm"),
            Feeling(seq=3, tick=5, character="frank", emotion="joy", source="alice",
                    source_felt=True),
        ],
    )  # fmt: skip

    chains = society_analyse(world).chains

    assert [(c.path, c.ticks) for c in chains] == [(("alice", "frank"), (1,))]
