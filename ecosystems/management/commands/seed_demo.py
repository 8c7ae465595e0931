"""``python manage.py seed_demo [--owner <username>]``: create the demo world if it is missing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecosystems.demo import DEMO_USERNAME, demo_world_seed


class Command(BaseCommand):
    help = "Seed the demo world, The Garden Party. Safe to run again: it only adds what is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--owner",
            metavar="USERNAME",
            help=f"Existing user to own the world (default: {DEMO_USERNAME!r}, created if needed).",
        )

    def handle(self, *args: Any, owner: str | None = None, **options: Any) -> None:
        user = None
        if owner:
            user = get_user_model().objects.filter(username=owner).first()
            if user is None:
                raise CommandError(
                    f"No user {owner!r}. Create it first (manage.py createsuperuser) "
                    f"or leave out --owner to use {DEMO_USERNAME!r}."
                )
        result = demo_world_seed(owner=user)
        world = result.ecosystem
        label = f"{world.name!r} (id {world.id}) owned by {world.owner.get_username()!r}"
        if result.created:
            message = f"Created demo world {label}"
        elif result.characters_created or result.relationships_created:
            message = f"Completed demo world {label}"
        else:
            self.stdout.write(f"Demo world {label} already exists; nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{message}: {result.characters_created} characters and "
                f"{result.relationships_created} relationships added."
            )
        )
