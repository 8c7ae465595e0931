"""The event contract: one builder, one payload type and one JSON schema per kind, and no event
made any other way."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from ecosystems.engine.events import PAYLOADS, EventKind, ref
from ecosystems.events import NewEvent, builders, publish
from ecosystems.events.schemas import InvalidEventPayload, payload_check, payload_schema

ROOT = Path(__file__).resolve().parents[3]
ALICE, BOB, CAROL = ref("a1", "Alice"), ref("b2", "Bob"), ref("c3", "Carol")
DELTAS = {"strength_delta": 0.02, "trust_delta": 0.01, "familiarity_delta": 0.0,
          "attraction_delta": 0.0}  # fmt: skip
STORY = {"story_id": "s1", "title": "A Quarrel", "genre": "drama", "status": "brewing",
         "tension": 0.4, "summary": "Alice and Bob quarrel.",
         "participants": [{"id": "a1", "name": "Alice", "role": "rival"}],
         "predictions": ["They may make peace."], "changed": ["status"], "beat": None}  # fmt: skip
ALLIANCE = {"alliance_id": "al1", "name": "The Gardeners", "members": [ALICE, BOB],
            "reason": "A common foe."}  # fmt: skip
LINES = {"interaction_id": "i1", "initiator": ALICE, "responder": BOB,
         "interaction_type": "greeting", "content": "Hello Bob!", "response": "Hello."}  # fmt: skip
# One call per builder, with every argument a real caller passes.
SAMPLES: dict[EventKind, dict[str, Any]] = {
    EventKind.CHARACTER_INTERACTION: {
        **LINES, "summary": "Alice greeted Bob", "relationship_change": DELTAS,
        "response_relationship_change": DELTAS, "emotional_states": {"a1": {"joy": 0.6}},
    },
    EventKind.LINE_VOICED: {**LINES, "previous_content": "Hi.", "previous_response": "Hi."},
    EventKind.RELATIONSHIP_CHANGED: {
        "source": ALICE, "target": BOB, "kind": "friend", "previous_kind": "acquaintance",
        "strength": 0.4, "trust": 0.3, "familiarity": 0.2, "attraction": 0.0, "deltas": DELTAS,
        "cause": "Alice helped Bob",
    },
    EventKind.EMOTION_CHANGED: {
        "character": ALICE, "dominant": "joy", "intensity": 0.7, "previous_dominant": "trust",
        "cause": "Bob complimented Alice",
    },
    EventKind.GOAL_PROGRESS: {
        "character": ALICE, "goal_key": "short:befriend:b2", "description": "Befriend Bob",
        "kind": "progress", "intent": "befriend", "target_id": "b2", "progress_before": 0.1,
        "progress_after": 0.2, "text": "Alice moved closer to befriending Bob",
    },
    EventKind.MEMORY_REFLECTION: {
        "character": ALICE, "importance_spent": 30,
        "insights": [{"memory_id": "m9", "content": "Bob is kind.", "importance": 6,
                      "about": "Bob", "tone": "warm", "evidence_ids": ["m1", "m2"]}],
    },
    EventKind.MEMORY_CONSOLIDATED: {
        "character": ALICE, "consolidation_id": "k1", "memory_count": 12,
        "summary": "A quiet week.", "drift": {"openness": 0.01},
        "personality": {"openness": 0.51},
    },
    EventKind.ALLIANCE_FORMED: ALLIANCE,
    EventKind.ALLIANCE_BROKEN: ALLIANCE,
    EventKind.STORY_DETECTED: STORY,
    EventKind.STORY_UPDATED: STORY,
    EventKind.SCENARIO_STARTED: {
        "scenario_id": "sc1", "title": "The Fête", "setting": "The green", "mood": "festive",
        "characters": [ALICE], "primary": "Win the prize", "subplots": [], "hidden_count": 1,
    },
    EventKind.DIRECTOR_INTERVENTION: {
        "kind": "meet", "text": "Alice and Bob were brought together.",
        "reason": "Directed by the world's owner.", "source": "user", "characters": [ALICE, BOB],
    },
    EventKind.ECOSYSTEM_STATUS: {"status": "running"},
    EventKind.TICK: {
        "tick": 3, "world_clock": "2026-01-15T10:30:00+00:00", "scenes": 1, "interactions": 2,
        "resting": 0, "idle": 1, "memories": 4, "learned": 0, "alliance_changes": 0,
        "goal_events": 1,
    },
    EventKind.GOSSIP_SPREAD: {
        "teller": ALICE, "listener": BOB, "subject": CAROL, "fact": "Carol owes money.",
        "text": "Alice told Bob that Carol owes money.",
    },
    EventKind.CONFLICT_ESCALATED: {
        "change": "escalated", "initiator": ALICE, "target": BOB, "rung_before": 0,
        "rung_after": 1, "text": "Alice and Bob's quarrel grew into insults.",
    },
    EventKind.CONVERSATION_GOAL_COMPLETED: {
        "conversation_id": "cv1", "persona": CAROL, "characters": [ALICE],
        "goal": "find out who has the locket", "text": "Carol found out who has the locket.",
    },
    EventKind.CONVERSATION_ARC_SWING: {
        "conversation_id": "cv1", "persona": CAROL, "character": ALICE, "swing": 0.6,
        "sentiment_before": 0.5, "sentiment_after": -0.4, "dominant_before": "joy",
        "dominant_after": "anger", "text": "Alice turned from joy to anger talking with Carol.",
    },
    EventKind.SOCIAL_UPDATED: {
        "snapshot_id": "ss1", "tick": 4, "communities": 2,
        "headline": "Diana brokers between the two circles.",
    },
    EventKind.LORE_CHANGED: {
        "entry_id": "le1", "title": "The Ancient Fountain", "change": "created",
        "visibility": "public", "group": "", "tags": ["places"],
    },
}  # fmt: skip


def built(kind: EventKind) -> NewEvent:
    return getattr(builders, kind.value)(**SAMPLES[kind])


def test_every_kind_has_a_payload_type_a_builder_a_sample_and_a_valid_schema():
    assert set(PAYLOADS) == set(EventKind) == set(SAMPLES)
    assert sorted(builders.__all__) == sorted(k.value for k in EventKind)
    for kind in EventKind:
        Draft202012Validator.check_schema(payload_schema(kind))


@pytest.mark.parametrize("kind", list(EventKind), ids=str)
def test_each_builder_makes_its_kind_and_a_payload_its_schema_accepts(kind):
    event = built(kind)

    assert event.kind == kind
    payload_check(kind=kind, data=event.data)
    assert set(payload_schema(kind)["required"]) <= set(event.data)


@pytest.mark.parametrize("kind", list(EventKind), ids=str)
def test_each_schema_refuses_a_stray_key_and_a_missing_one(kind):
    data = built(kind).data
    with pytest.raises(InvalidEventPayload, match="Additional properties"):
        payload_check(kind=kind, data={**data, "surprise": 1})
    first_required = payload_schema(kind)["required"][0]
    with pytest.raises(InvalidEventPayload, match="required"):
        payload_check(kind=kind, data={k: v for k, v in data.items() if k != first_required})


def test_a_wrongly_typed_field_is_named_in_the_error():
    data = {**built(EventKind.GOSSIP_SPREAD).data, "teller": {"id": 7, "name": "Alice"}}
    with pytest.raises(InvalidEventPayload, match="teller/id: 7 is not of type 'string'"):
        payload_check(kind=EventKind.GOSSIP_SPREAD, data=data)


def test_the_frame_of_design_md_fits_the_interaction_schema():
    """DESIGN.md's example frame, with the keys the log adds since, passes the schema."""
    data = built(EventKind.CHARACTER_INTERACTION).data
    assert {"participants", "interaction_type", "content", "response", "relationship_change",
            "emotional_states"} <= set(data)  # fmt: skip
    assert [p["role"] for p in data["participants"]] == ["initiator", "responder"]
    assert "ecosystem_id" not in data  # the frame adds it


@pytest.mark.django_db
def test_publish_checks_every_payload_against_its_schema_in_the_tests(world, settings):
    assert settings.EVENTS_CHECK_SCHEMAS  # config/settings_test.py
    with pytest.raises(InvalidEventPayload, match="ecosystem_status"):
        publish(ecosystem=world, events=[NewEvent(EventKind.ECOSYSTEM_STATUS, {"n": 1})])

    (event,) = publish(ecosystem=world, events=[builders.ecosystem_status(status="draft")])
    assert event.payload == {"status": "draft"}


FOLDERS = ("billing", "characters", "core", "ecosystems", "stories", "marketplace", "config",
           "bench", "examples", "tests")  # fmt: skip


def test_only_the_builders_make_new_events():
    allowed = {ROOT / "ecosystems/events/builders.py", Path(__file__).resolve()}
    makers = re.compile(r"\bNewEvent\(")
    found = [
        str(path.relative_to(ROOT))
        for folder in FOLDERS
        if (ROOT / folder).exists()
        for path in (ROOT / folder).rglob("*.py")
        if path.resolve() not in allowed and makers.search(path.read_text())
    ]
    assert found == []


def test_readers_import_the_payload_types_without_django():
    code = (
        "import sys\n"
        "import ecosystems.engine.events, stories.engine\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'channels'))\n"
        "assert not leaked, leaked\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-800:]
