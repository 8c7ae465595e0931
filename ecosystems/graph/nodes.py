"""The graph database's schema (neomodel): a character node per character and one ``RELATES``
edge per directed relationship, with the four axes, its kind and the event ``seq`` it was last
written at, plus a bare ``TRUSTS`` edge beside each one whose trust is positive. Imported only
when ``NEO4J_BOLT_URL`` is set (``ecosystems.graph.services``), so a
deployment without a graph database never registers these classes."""

from __future__ import annotations

from neomodel import (
    FloatProperty,
    IntegerProperty,
    RelationshipTo,
    StringProperty,
    StructuredNode,
    StructuredRel,
)


class RelatesRel(StructuredRel):
    """How the source regards the target: ``Relationship`` projected (axes as in
    ``ecosystems.models.Relationship``); ``updated_seq`` makes writes idempotent by event."""

    strength = FloatProperty(default=0.0)
    trust = FloatProperty(default=0.0)
    familiarity = FloatProperty(default=0.0)
    attraction = FloatProperty(default=0.0)
    kind = StringProperty(default="stranger")
    updated_seq = IntegerProperty(default=0)


class CharacterNode(StructuredNode):
    uid = StringProperty(unique_index=True, required=True)  # Character.id as text
    world = StringProperty(index=True, required=True)  # Ecosystem.id as text
    name = StringProperty(default="")

    relates = RelationshipTo("CharacterNode", "RELATES", model=RelatesRel)
    # Kept beside RELATES where trust > 0: what influence travels along (services.py).
    trusts = RelationshipTo("CharacterNode", "TRUSTS")
