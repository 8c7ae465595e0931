"""What a listing packages and how an install unpacks it: the one place that knows which
portable format belongs to which kind.

A world is a world bundle (``ecosystems.bundles``), a character a Character Card V3
(``characters.cards``), a scenario a scenario package (``ecosystems.bundles``). Snapshots are
taken with their export functions when a version is submitted; installs hand the snapshot to
their import functions, which check it and the installer's plan (402) themselves. The imports
sit inside the functions so this module loads while those formats are optional.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from characters.models import Character
from ecosystems.models import Ecosystem, Scenario
from marketplace.models import Listing


@dataclass(frozen=True)
class Unpacked:
    """Where an install put the copy: the world it lives in and, for a card, the character."""

    ecosystem: Ecosystem
    character: Character | None = None


def content_snapshot(*, listing: Listing) -> dict[str, Any]:
    """The listing's source, exported now, as the JSON document installers will get."""
    if listing.kind == Listing.Kind.WORLD:
        from ecosystems.bundles import bundle_export

        return bundle_export(ecosystem=listing.source_ecosystem)
    if listing.kind == Listing.Kind.CHARACTER:
        from characters.cards import card_export

        return card_export(character=listing.source_character)
    from ecosystems.bundles import scenario_package_export

    return scenario_package_export(scenario=listing.source_scenario)


def content_unpack(
    *, kind: str, content: dict[str, Any], user: Any, ecosystem: Ecosystem | None
) -> Unpacked:
    """Import ``content`` into ``user``'s account: a world bundle becomes a new world; a card
    and a scenario package go into ``ecosystem`` (a world of the user's, made by the caller
    when they chose none). Caller holds the transaction, so a refusal leaves nothing."""
    if kind == Listing.Kind.WORLD:
        from ecosystems.bundles import bundle_import

        return Unpacked(ecosystem=_world_of(bundle_import(owner=user, document=content)))
    assert ecosystem is not None, "a card or a package goes into a world"
    if kind == Listing.Kind.CHARACTER:
        from characters.cards import card_import

        character = _character_of(card_import(ecosystem=ecosystem, card=content))
        return Unpacked(ecosystem=ecosystem, character=character)
    from ecosystems.bundles import scenario_package_import

    scenario_package_import(ecosystem=ecosystem, document=content)
    return Unpacked(ecosystem=ecosystem)


def _world_of(result: Any) -> Ecosystem:
    """The world an import made (the import may answer the world or a result holding it)."""
    return result if isinstance(result, Ecosystem) else result.ecosystem


def _character_of(result: Any) -> Character:
    return result if isinstance(result, Character) else result.character


def source_of(
    *, kind: str, source_id: Any, publisher: Any
) -> Ecosystem | Character | Scenario | None:
    """The publisher's own world, character or scenario with this id, or ``None``."""
    if kind == Listing.Kind.WORLD:
        return Ecosystem.objects.filter(pk=source_id, owner=publisher).first()
    model: type[Character] | type[Scenario] = (
        Character if kind == Listing.Kind.CHARACTER else Scenario
    )
    return model.objects.filter(pk=source_id, ecosystem__owner=publisher).first()


@dataclass(frozen=True)
class Sources:
    """What a publisher may package: their own worlds, characters and scenarios (each of the
    last two with its world joined, for grouping by world)."""

    worlds: list[Ecosystem]
    characters: list[Character]
    scenarios: list[Scenario]


def sources_of(*, publisher: Any) -> Sources:
    """The publisher's own worlds, characters and scenarios, by world name then name: the
    choices of the publish form (``source_of`` answers for one of them)."""
    return Sources(
        worlds=list(Ecosystem.objects.filter(owner=publisher).order_by("name", "pk")),
        characters=list(
            Character.objects.filter(ecosystem__owner=publisher)
            .select_related("ecosystem")
            .order_by("ecosystem__name", "ecosystem_id", "name", "pk")
        ),
        scenarios=list(
            Scenario.objects.filter(ecosystem__owner=publisher)
            .select_related("ecosystem")
            .order_by("ecosystem__name", "ecosystem_id", "title", "pk")
        ),
    )
