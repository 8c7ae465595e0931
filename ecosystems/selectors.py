"""Ecosystem reads, returned as querysets already annotated and joined."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from characters.models import Character
from ecosystems.models import Ecosystem, Event, Relationship


def _count_in_world(model: type[Character] | type[Relationship]) -> Coalesce:
    """A correlated COUNT per world; two joins with Count(distinct) would multiply rows."""
    counts = (
        model.objects.filter(ecosystem=OuterRef("pk"))
        .order_by()
        .values("ecosystem")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def ecosystems_for_owner(*, owner: AbstractBaseUser) -> QuerySet[Ecosystem]:
    """The owner's worlds, newest first, with ``character_count`` and ``relationship_count``."""
    return Ecosystem.objects.filter(owner=owner).annotate(
        character_count=_count_in_world(Character),
        relationship_count=_count_in_world(Relationship),
    )


def ecosystem_visible_to(*, user: AbstractBaseUser, ecosystem_id: object) -> bool:
    """Owner sees their world; anyone signed in sees a public one; nobody else learns it exists."""
    if not user.is_authenticated:
        return False
    return (
        Ecosystem.objects.filter(pk=ecosystem_id)
        .filter(Q(owner=user) | Q(visibility=Ecosystem.Visibility.PUBLIC))
        .exists()
    )


def events_after(
    *, ecosystem_id: object, after: int, until: int | None = None, limit: int = 500
) -> QuerySet[Event]:
    """The log of one world after ``after`` (and up to ``until``), oldest first."""
    events = Event.objects.filter(ecosystem_id=ecosystem_id, seq__gt=after)
    if until is not None:
        events = events.filter(seq__lte=until)
    return events.order_by("seq")[:limit]
