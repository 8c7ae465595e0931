"""The spaCy model decides the names that no rule can: no title, not in the name lexicon."""

from __future__ import annotations

import ecosystems.engine.book.nlp as nlp
from ecosystems.engine.book import analyse

HARBOUR = """Zamir walked down to the harbour of Qarthen before dawn. The fishing boats of Qarthen \
were already out.

"You are late again," said Oduya, who was mending a net on the quay.

"The tide waits for nobody," Zamir answered, "but it waited for me."

Oduya laughed. Zamir sat beside her and took up the other end of the net. Behind them the bells \
of Qarthen rang for the morning market, and Oduya sang softly as she worked.

"Will you sail to Velmoor tomorrow?" asked Oduya.

"If the wind holds," said Zamir. "Velmoor pays well for salt fish."

Later Zamir told Oduya about the storm, and Oduya told Zamir about her brother. They talked \
until the boats came home to Qarthen."""


def test_the_packaged_english_model_loads_offline() -> None:
    model = nlp.load()
    assert model is not None and "ner" in model.pipe_names
    labels = nlp.entity_labels(model, ["Mr. Darcy walked with Elizabeth Bennet to London."])
    assert labels["Darcy"]["PERSON"] >= 1


def test_unknown_names_are_people_and_unknown_places_are_not() -> None:
    result = analyse(HARBOUR)
    assert {c.name for c in result.cast} == {"Zamir", "Oduya"}
    speakers = [q.speaker for q in result.quotes]
    assert speakers == ["Oduya", "Zamir", "Oduya", "Zamir"]


def test_without_the_model_the_rules_alone_say_so() -> None:
    result = analyse(HARBOUR, use_ner=False)
    assert "Qarthen" not in {c.name for c in result.cast}
    assert any("spaCy" in w for w in result.warnings)
