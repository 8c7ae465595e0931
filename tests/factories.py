"""Plain factories: keyword arguments override sensible defaults; every call saves a row."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from characters.models import Character, Memory
from ecosystems.models import Ecosystem, Event, Interaction, Relationship, Scenario

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def UserFactory(**fields: Any):
    n = next(_counter)
    fields.setdefault("username", f"user{n}")
    fields.setdefault("email", f"{fields['username']}@example.com")
    password = fields.pop("password", PASSWORD)
    user = get_user_model()(**fields)
    user.set_password(password)
    user.save()
    return user


def EcosystemFactory(**fields: Any) -> Ecosystem:
    n = next(_counter)
    fields.setdefault("name", f"World {n}")
    fields.setdefault("slug", slugify(fields["name"]) + f"-{n}")
    if "owner" not in fields:
        fields["owner"] = UserFactory()
    fields.setdefault("seed", 42)
    return Ecosystem.objects.create(**fields)


def CharacterFactory(**fields: Any) -> Character:
    n = next(_counter)
    fields.setdefault("name", f"Character {n}")
    if "ecosystem" not in fields:
        fields["ecosystem"] = EcosystemFactory()
    return Character.objects.create(**fields)


def RelationshipFactory(**fields: Any) -> Relationship:
    source = fields["source"]
    fields.setdefault("ecosystem", source.ecosystem)
    return Relationship.objects.create(**fields)


def ScenarioFactory(**fields: Any) -> Scenario:
    n = next(_counter)
    fields.setdefault("title", f"Scenario {n}")
    if "ecosystem" not in fields:
        fields["ecosystem"] = EcosystemFactory()
    cast = fields.pop("characters", [])
    scenario = Scenario.objects.create(**fields)
    scenario.characters.set(cast)
    return scenario


def MemoryFactory(**fields: Any) -> Memory:
    fields.setdefault("content", "Saw the roses bloom.")
    return Memory.objects.create(**fields)


def InteractionFactory(**fields: Any) -> Interaction:
    initiator = fields["initiator"]
    fields.setdefault("ecosystem", initiator.ecosystem)
    fields.setdefault("interaction_type", "greeting")
    fields.setdefault("content", "Hello!")
    return Interaction.objects.create(**fields)


def EventFactory(**fields: Any) -> Event:
    """Appends to the world's log with the next seq (tests only; services own the real path)."""
    ecosystem = fields["ecosystem"]
    last = Event.objects.filter(ecosystem=ecosystem).order_by("-seq").first()
    fields.setdefault("seq", (last.seq if last else 0) + 1)
    fields.setdefault("kind", "ecosystem_status")
    return Event.objects.create(**fields)


def ApiKeyFactory(**fields: Any):
    """An API key; the returned row carries the whole key as ``.key`` (tests only)."""
    from billing.services import api_key_create

    user = fields.pop("user", None) or UserFactory()
    created = api_key_create(user=user, name=fields.pop("name", "test key"))
    created.api_key.key = created.key
    return created.api_key


def StoryFactory(**fields: Any):
    from stories.models import Story

    n = next(_counter)
    fields.setdefault("key", f"story-{n}")
    fields.setdefault("title", f"Story {n}")
    fields.setdefault("genre", "drama")
    fields.setdefault("pattern", "rivalry")
    if "ecosystem" not in fields:
        fields["ecosystem"] = EcosystemFactory()
    participants = fields.pop("participants", [])
    story = Story.objects.create(**fields)
    story.participants.set(participants)
    return story


def InvoiceFactory(**fields: Any):
    """A paid invoice for the user's plan by default (amount from the plan's price); pass
    ``status``, ``amount_paid``, ``attempt_count``… for the others."""
    from django.utils import timezone

    from billing.models import Invoice

    n = next(_counter)
    if "user" not in fields:
        fields["user"] = UserFactory()
    fields.setdefault("plan", fields["user"].subscription.plan)
    plan = fields["plan"]
    fields.setdefault("stripe_invoice_id", f"in_test_{n}")
    fields.setdefault("currency", plan.currency if plan else "usd")
    fields.setdefault("amount_due", plan.price_cents_per_month if plan else 0)
    fields.setdefault("status", Invoice.Status.PAID)
    fields.setdefault("issued_at", fields.get("paid_at") or timezone.now())
    if fields["status"] == Invoice.Status.PAID:
        fields.setdefault("amount_paid", fields["amount_due"])
        fields.setdefault("paid_at", fields["issued_at"])
    return Invoice.objects.create(**fields)


def StripeEventFactory(**fields: Any):
    """A stored payment-server event (as the webhook records it once)."""
    from django.utils import timezone

    from billing.models import StripeEvent

    n = next(_counter)
    fields.setdefault("event_id", f"evt_test_{n}")
    fields.setdefault("type", "invoice.payment_failed")
    fields.setdefault("created", timezone.now())
    fields.setdefault("outcome", StripeEvent.Outcome.APPLIED)
    fields.setdefault("payload", {})
    return StripeEvent.objects.create(**fields)


def ListingFactory(**fields: Any):
    """A listing with a first version ("1.0", holding ``content``); an approved (or unlisted)
    listing has it as its current version. Pending review by default; pass ``status`` for the
    others. Search fields are indexed, as the services do."""
    from django.utils import timezone

    from marketplace.models import Listing, ListingVersion
    from marketplace.search import listing_reindex

    n = next(_counter)
    # An empty world bundle by default (ecosystems.bundles' format): installable as it is.
    content = fields.pop(
        "content",
        {"format": "dramatis.world", "version": 1, "world": {"name": "Empty"}, "characters": []},
    )
    fields.setdefault("title", f"Listing {n}")
    fields.setdefault("kind", Listing.Kind.WORLD)
    fields.setdefault("status", Listing.Status.PENDING_REVIEW)
    if "publisher" not in fields:
        fields["publisher"] = UserFactory()
    approved = fields["status"] in (Listing.Status.APPROVED, Listing.Status.UNLISTED)
    if approved:
        fields.setdefault("approved_at", timezone.now())
    listing = Listing.objects.create(**fields)
    version = ListingVersion.objects.create(
        listing=listing,
        number="1.0",
        content=content,
        status=ListingVersion.Status.APPROVED if approved else ListingVersion.Status.PENDING_REVIEW,
    )
    if approved:
        listing.current_version = version
        listing.save(update_fields=["current_version"])
    listing_reindex(listing=listing)
    listing.refresh_from_db()
    return listing


def ApprovedListingFactory(**fields: Any):
    """A listing anyone can find: approved, with version 1.0 current."""
    fields.setdefault("status", "approved")
    return ListingFactory(**fields)


def ListingVersionFactory(**fields: Any):
    from marketplace.models import ListingVersion

    listing = fields["listing"]
    fields.setdefault("number", f"1.{listing.versions.count()}")
    fields.setdefault("content", {"format": "dramatis.world", "characters": []})
    return ListingVersion.objects.create(**fields)


def InstallFactory(**fields: Any):
    """An install of the listing's current version; bumps the listing's install count."""
    from django.db.models import F

    from marketplace.models import Install, Listing

    listing = fields["listing"]
    fields.setdefault("version", listing.current_version)
    if "user" not in fields:
        fields["user"] = UserFactory()
    install = Install.objects.create(**fields)
    Listing.objects.filter(pk=listing.pk).update(install_count=F("install_count") + 1)
    return install


def ReviewFactory(**fields: Any):
    """A review; keeps the listing's rating sum and count in step."""
    from django.db.models import F

    from marketplace.models import Listing, Review

    fields.setdefault("rating", 5)
    if "user" not in fields:
        fields["user"] = UserFactory()
    review = Review.objects.create(**fields)
    Listing.objects.filter(pk=review.listing_id).update(
        rating_sum=F("rating_sum") + review.rating, rating_count=F("rating_count") + 1
    )
    return review
