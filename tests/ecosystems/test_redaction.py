"""The redactor: every passage of a secret is hidden from visitors, in any text it lands in."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape

from ecosystems.redaction import REDACTED, Redactor

LOCKET = (
    "I have Lady Ashworth's missing locket, hidden in the lining of my parasol; "
    "I took it to stop my brother pawning it."
)
PLAN = "Make Charlie confess before the fireworks"


def visitor() -> Redactor:
    return Redactor.of(secrets=[LOCKET], hidden_goals=[PLAN])


def test_a_quoted_secret_is_hidden_inside_the_gossip_that_carries_it():
    line = f'Eve whispered to Frank about Diana: "{LOCKET}"'

    shown = visitor().text(line)

    assert shown == f'Eve whispered to Frank about Diana: "{REDACTED}"'


def test_a_clause_of_a_secret_is_hidden_whatever_its_case_and_spacing():
    line = "Apparently the thing is HIDDEN IN THE LINING\n of my parasol, she said."

    assert visitor().text(line) == f"Apparently the thing is {REDACTED}, she said."


def test_ordinary_talk_sharing_only_short_words_with_a_secret_is_untouched():
    line = "I took it to the garden. My brother is late."

    assert visitor().text(line) == line


def test_a_page_is_redacted_as_django_escaped_it():
    html = f"<p>{escape(LOCKET)}</p><p title='{escape(PLAN)}'>x</p>"

    shown = visitor().html(html)

    assert "locket" not in shown.lower() and "fireworks" not in shown
    assert shown.startswith(f"<p>{REDACTED}")


def test_event_data_is_redacted_in_every_nested_string_and_left_whole_otherwise():
    data = {"fact": LOCKET, "teller": {"name": "Eve"}, "lines": [f"Psst: {LOCKET}"], "n": 3}

    shown = visitor().value(data)

    assert shown == {
        "fact": REDACTED,
        "teller": {"name": "Eve"},
        "lines": [f"Psst: {REDACTED}"],
        "n": 3,
    }
    assert data["fact"] == LOCKET  # the log's own copy is not touched


@dataclass(frozen=True)
class Chapter:
    title: str
    paragraphs: tuple[str, ...]


def test_frozen_documents_are_copied_with_their_secrets_hidden():
    chapter = Chapter(title="The parasol", paragraphs=(f"She said: {LOCKET}", "Rain."))

    shown = visitor().value(chapter)

    assert shown == Chapter(title="The parasol", paragraphs=(f"She said: {REDACTED}", "Rain."))


def test_hidden_goals_are_dropped_and_the_secrets_list_is_emptied_for_visitors():
    goals = [
        {"description": "Find the locket", "progress": 0.2},
        {"description": PLAN, "progress": 0.0},
        {"description": "Win the croquet", "progress": 0.5, "hidden": True},
    ]

    assert visitor().goals(goals) == [{"description": "Find the locket", "progress": 0.2}]
    assert visitor().secrets([LOCKET]) == []


def test_the_owner_sees_everything():
    owner = Redactor.none()
    data = {"fact": LOCKET}

    assert owner.value(data) is data
    assert owner.text(LOCKET) == LOCKET and owner.secrets([LOCKET]) == [LOCKET]
    assert owner.goals([{"description": PLAN}]) == [{"description": PLAN}]


def test_a_visitor_of_a_world_without_secrets_still_sees_no_secrets_list():
    nothing_hidden = Redactor.of(secrets=[])

    assert not nothing_hidden.hides_anything
    assert nothing_hidden.secrets(["stray"]) == []
