"""``python manage.py run_ticks <world> --ticks N``: run N ticks now, printing each."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from ecosystems.management import world_named
from ecosystems.services.ticks import MAX_TICKS_PER_CALL, ecosystem_run_ticks


class Command(BaseCommand):
    help = "Run N ticks of a world now (it need not be running)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("world", help="world name or id")
        parser.add_argument(
            "--ticks", type=int, default=1, help=f"how many (1 to {MAX_TICKS_PER_CALL})"
        )

    def handle(self, *args: object, **options: object) -> None:
        world = world_named(str(options["world"]))
        try:
            results = ecosystem_run_ticks(ecosystem=world, ticks=int(options["ticks"]))
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from None
        for result in results:
            self.stdout.write(
                f"tick {result.number}: {result.interactions} interactions, "
                f"{result.events} events, {result.duration_ms} ms"
            )
        self.stdout.write(
            f"{world.name} is now at tick {world.current_tick} ({world.world_clock:%A %H:%M})."
        )
