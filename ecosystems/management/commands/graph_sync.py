"""``python manage.py graph_sync <world> [--rebuild]``: project a world's relationship graph
into the graph database (``NEO4J_BOLT_URL``) up to its log's last event."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from ecosystems.graph.services import graph_sync
from ecosystems.management import world_named


class Command(BaseCommand):
    help = "Project a world's relationship graph into the graph database (NEO4J_BOLT_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("world", help="world name or id")
        parser.add_argument(
            "--rebuild", action="store_true", help="drop the world's graph and load it again"
        )

    def handle(self, *args: object, **options: object) -> None:
        world = world_named(str(options["world"]))
        try:
            result = graph_sync(ecosystem=world, rebuild=bool(options["rebuild"]))
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from None
        how = "rebuilt" if result.rebuilt else f"synced from #{result.from_seq}"
        self.stdout.write(
            f"{world.name}: {how} to #{result.to_seq}: {result.events_read} events read, "
            f"{result.characters_written} characters and {result.relationships_written} "
            f"relationships written, {result.characters_removed} characters removed."
        )
