"""``book_import_world_create``: the reviewed cast becomes a world that runs like any other."""

from __future__ import annotations

import pytest

from billing.models import Plan, Subscription
from characters.models import Character
from core.errors import InvalidInput, InvalidTransition, PlanLimitReached
from ecosystems.imports.review import CastChoice
from ecosystems.imports.services import book_import_world_create, relationship_axes
from ecosystems.models import BookImport, Ecosystem, Relationship
from ecosystems.services.ticks import ecosystem_tick
from ecosystems.services.worlds import ecosystem_start
from tests.ecosystems.imports.analyses import analysed_import
from tests.factories import CharacterFactory, EcosystemFactory

pytestmark = pytest.mark.django_db


def _pro(user) -> None:
    Subscription.objects.filter(user=user).update(plan=Plan.objects.get(code="pro"))


def test_the_chosen_people_become_characters_with_the_books_traits(owner):
    book_import = analysed_import(owner)

    made = book_import_world_create(
        book_import=book_import,
        choices=[CastChoice("Mara Ellison"), CastChoice("Tobias Quill")],
    )

    world = made.world
    assert world.name == "The Lighthouse Keeper's Niece"
    assert world.status == Ecosystem.Status.DRAFT and world.owner == owner
    assert world.origin == "Imported from the book lighthouse.txt"
    mara = Character.objects.get(ecosystem=world, name="Mara Ellison")
    assert mara.openness == pytest.approx(0.8)
    assert mara.agreeableness == pytest.approx(0.7)
    assert mara.values == ["courage", "family"]
    assert mara.speaking_style == "Short, plain sentences; asks questions."
    assert "Mara Ellison was brave and curious." in mara.backstory
    # suggestions are kept and marked as such
    assert mara.long_term_goals == [
        {"description": "Find what Mara Ellison lost", "progress": 0.0, "suggested": True,
         "source": "rules"}
    ]  # fmt: skip
    assert mara.secrets == ["Mara Ellison is afraid of the dark"]
    about = mara.card_extensions["dramatis/book_import"]
    assert about["suggested_secrets"] == mara.secrets
    assert about["aliases"] == ["Mara"] and about["mentions"] == 40
    assert about["import_id"] == str(book_import.pk)
    book_import.refresh_from_db()
    assert book_import.world == world
    assert made.characters == ["Mara Ellison", "Tobias Quill"] and made.notes == []


def test_relationships_between_the_chosen_take_their_kind_and_axes_from_the_book(owner):
    book_import = analysed_import(owner)

    book_import_world_create(
        book_import=book_import,
        choices=[CastChoice("Tobias Quill"), CastChoice("Captain Rourke"),
                 CastChoice("Ada Quill")],
    )  # fmt: skip

    ties = {(r.source.name, r.target.name): r for r in Relationship.objects.select_related(
        "source", "target")}  # fmt: skip
    assert set(ties) == {("Captain Rourke", "Tobias Quill"), ("Tobias Quill", "Captain Rourke"),
                         ("Ada Quill", "Tobias Quill"), ("Tobias Quill", "Ada Quill")}  # fmt: skip
    enemy = ties[("Tobias Quill", "Captain Rourke")]
    assert enemy.kind == "enemy" and enemy.strength < -0.5 and enemy.trust < -0.5
    spouse = ties[("Ada Quill", "Tobias Quill")]
    assert spouse.kind == "partner" and spouse.strength > 0.5 and spouse.attraction > 0.2
    assert spouse.familiarity == pytest.approx(0.2 + 0.8 * 0.3)


def test_axes_stay_in_range_whatever_the_pair_says():
    axes = relationship_axes({"kind": "martian", "weight": 7, "sentiment": -9})

    assert axes["kind"] == "acquaintance"
    assert axes["familiarity"] == 1.0 and axes["strength"] == -1.0 and axes["trust"] == -1.0


def test_a_free_plan_keeps_the_top_five_and_says_so(owner):
    book_import = analysed_import(owner)
    everyone = [CastChoice(m["name"]) for m in book_import.result["cast"]]

    made = book_import_world_create(book_import=book_import, choices=list(reversed(everyone)))

    top_five = ["Mara Ellison", "Tobias Quill", "Hester Bryce", "Captain Rourke", "Old Finch"]
    assert made.characters == top_five
    assert made.left_out == ["Ada Quill", "The Ferryman", "Mara E."]
    assert set(made.world.characters.values_list("name", flat=True)) == set(top_five)
    assert made.notes[0].startswith("Plan 'Free' allows 5 characters across your worlds, so the "
                                    "top five of the book were kept")  # fmt: skip
    assert "left out: Ada Quill, The Ferryman, Mara E. (upgrade" in made.notes[0]
    # free allows ten relationships: the strongest ten among the five are kept
    assert made.relationships == 10
    assert made.relationships_left_out == 1
    assert "the ten strongest were kept and 1 left out" in made.notes[1]
    weakest = Relationship.objects.filter(ecosystem=made.world).order_by("familiarity").first()
    assert (weakest.source.name, weakest.target.name) != ("Old Finch", "Captain Rourke")


def test_characters_in_other_worlds_leave_less_room(owner):
    other = EcosystemFactory(owner=owner)
    CharacterFactory(ecosystem=other, name="A")
    CharacterFactory(ecosystem=other, name="B")
    book_import = analysed_import(owner)

    made = book_import_world_create(book_import=book_import)

    assert made.characters == ["Mara Ellison", "Tobias Quill", "Hester Bryce"]
    assert "top three" in made.notes[0]


def test_with_no_room_left_nothing_is_created(owner):
    other = EcosystemFactory(owner=owner)
    for name in "ABCDE":
        CharacterFactory(ecosystem=other, name=name)
    book_import = analysed_import(owner)

    with pytest.raises(PlanLimitReached, match="Upgrade at /pricing/"):
        book_import_world_create(book_import=book_import)

    assert Ecosystem.objects.count() == 1
    book_import.refresh_from_db()
    assert book_import.world is None


def test_a_pro_plan_takes_the_whole_cast(owner):
    _pro(owner)
    book_import = analysed_import(owner)

    made = book_import_world_create(book_import=book_import)

    assert len(made.characters) == 8 and made.left_out == [] and made.notes == []


def test_the_world_is_made_once(owner):
    book_import = analysed_import(owner)
    book_import_world_create(book_import=book_import, choices=[CastChoice("Mara Ellison")])

    with pytest.raises(InvalidTransition, match="was already made from this book"):
        book_import_world_create(book_import=book_import, choices=[CastChoice("Hester Bryce")])
    assert Ecosystem.objects.count() == 1


@pytest.mark.parametrize("status", ["queued", "running", "failed"])
def test_no_world_before_the_analysis_is_done(owner, status):
    book_import = analysed_import(owner, status=status, result=None, error="No people.")

    with pytest.raises(InvalidTransition):
        book_import_world_create(book_import=book_import)
    assert not Ecosystem.objects.exists()


def test_a_bad_choice_creates_nothing(owner):
    book_import = analysed_import(owner)

    with pytest.raises(InvalidInput, match="No one called 'Nobody'"):
        book_import_world_create(book_import=book_import, choices=[CastChoice("Nobody")])
    assert not Ecosystem.objects.exists() and not Character.objects.exists()


def test_the_new_world_runs_like_any_other(owner):
    book_import = analysed_import(owner)
    made = book_import_world_create(book_import=book_import)
    ecosystem_start(ecosystem=made.world)

    result = ecosystem_tick(ecosystem_id=made.world.pk)

    assert result.ran
    made.world.refresh_from_db()
    assert made.world.current_tick == 1
    assert made.world.events.filter(tick=1).exists()


def test_deleting_the_world_keeps_the_import_for_another_try(owner):
    book_import = analysed_import(owner)
    made = book_import_world_create(book_import=book_import, choices=[CastChoice("Mara Ellison")])
    made.world.delete()

    again = book_import_world_create(
        book_import=BookImport.objects.get(pk=book_import.pk), choices=[CastChoice("Hester Bryce")]
    )

    assert again.characters == ["Hester Bryce"]
