"""A secret travels: what a listener learns when someone shares a secret or gossips, the
``Knowledge`` it leaves and the ``gossip_spread`` event it logs.

One home for both paths: ``interaction_process`` (one act through the API) calls
``hearsay_pass``; the tick logs the hops its engine found (``told_in_scenes`` and
``spread_gossip``) through ``hearsay_events``. The engine decides what travels
(``ecosystems.engine.groups.told_hop``), so a secret shared and then gossiped reads the same
in the log, and to the story sifter, whichever path did it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from characters.models import Character
from ecosystems.engine.events import ref_from
from ecosystems.engine.groups import GossipHop, told_hop
from ecosystems.engine.knowledge import LORE, OWN, SECRET, KnowledgeItem, secret_key
from ecosystems.engine.lore import first_hand_items
from ecosystems.engine.names import NameIndex
from ecosystems.events import NewEvent, builders
from ecosystems.models import Ecosystem, Knowledge
from ecosystems.selectors import lore_facts, lore_groups


def hearsay_events(*, hops: Iterable[GossipHop], names: Mapping[str, str]) -> list[NewEvent]:
    """One ``gossip_spread`` per hop (``names``: character id -> name)."""
    return [
        builders.gossip_spread(
            teller=ref_from(hop.teller_id, names),
            listener=ref_from(hop.listener_id, names),
            subject=ref_from(hop.subject_id, names) if hop.subject_id else None,
            fact=hop.item.content,
            text=hop.text,
        )
        for hop in hops
    ]


def hearsay_pass(
    *,
    world: Ecosystem,
    teller: Character,
    listener: Character,
    subject: Character | None,
    kind: str,
    secret: str | None,
) -> list[NewEvent]:
    """Pass on what a ``share_secret`` or ``gossip`` interaction tells: the listener learns
    the fact (a ``Knowledge`` row, told by the teller) and a ``gossip_spread`` is returned for
    the caller to publish with the interaction's events. Empty when nothing travelled (no
    secret to share, nothing known about the subject, or the listener knew it already).

    Caller holds the interaction's transaction; ``secret`` is the text shared (the teller's
    first secret when None, as the dialogue engine chooses it)."""
    people = {str(pk): name for pk, name in world.characters.values_list("pk", "name")}
    index = NameIndex(people)
    known = _known(world, [teller, listener], index)
    teller_id, listener_id = str(teller.pk), str(listener.pk)
    told = secret or (teller.secrets[0] if teller.secrets else None)
    hop = told_hop(
        kind=kind,
        teller_id=teller_id,
        listener_id=listener_id,
        subject_id=str(subject.pk) if subject is not None else None,
        teller_knows=known.get(teller_id, {}),
        listener_knows=known.get(listener_id, {}),
        secret=_secret_item(teller, told, known.get(teller_id, {}), index) if told else None,
        tick=world.current_tick,
        name=lambda cid: people.get(cid, "someone"),
    )
    if hop is None:
        return []
    item = hop.item
    Knowledge.objects.bulk_create(
        [
            Knowledge(
                character=listener, fact_key=item.key[:200], content=item.content,
                source=Knowledge.Source.TOLD, told_by=teller, tick=item.tick,
                data=item.as_dict(),
            )
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    return hearsay_events(hops=[hop], names=people)


def _known(
    world: Ecosystem, characters: list[Character], index: NameIndex
) -> dict[str, dict[str, KnowledgeItem]]:
    """What each of ``characters`` knows (their own secrets count), by fact key."""
    known: dict[str, dict[str, KnowledgeItem]] = {str(c.pk): {} for c in characters}
    for character in characters:
        for text in character.secrets:
            item = _own(character, text, index)
            known[str(character.pk)][item.key] = item
    rows = Knowledge.objects.filter(character__in=characters).order_by("tick", "fact_key")
    for row in rows:
        item = KnowledgeItem.from_dict(row.data) if row.data else KnowledgeItem.from_fact(
            row.fact_key, row.content, source=row.source, tick=row.tick, names=index,
            source_id=str(row.told_by_id) if row.told_by_id else None,
        )  # fmt: skip
        known[str(row.character_id)].setdefault(item.key, item)
    facts = lore_facts(ecosystem_id=world.pk)  # lore its group or a secret lets it in on
    if facts:
        lore = first_hand_items(
            facts, characters=list(known), groups=lore_groups(ecosystem_id=world.pk),
            include_public=False,
        )  # fmt: skip
        for cid, items in lore.items():
            for item in items:
                known[cid].setdefault(item.key, item)
    return known


def _own(character: Character, text: str, index: NameIndex) -> KnowledgeItem:
    cid = str(character.pk)
    return KnowledgeItem(
        key=secret_key(cid, text), content=text, kind=SECRET, about_id=cid,
        mentions=tuple(index.find(text, exclude=(cid,))), source=OWN,
    )  # fmt: skip


def _secret_item(
    teller: Character, text: str, teller_knows: Mapping[str, KnowledgeItem], index: NameIndex
) -> KnowledgeItem:
    """The secret being shared: one the teller was told, if it is that text; else the
    teller's own (a secret given in the call is the teller's to tell)."""
    for item in teller_knows.values():
        if item.kind == SECRET and item.content == text:
            return item
        if item.kind == LORE and (item.content == text or item.content.endswith(f": {text}")):
            return item  # lore the teller knows, told in its own words or by its text
    return _own(teller, text, index)
