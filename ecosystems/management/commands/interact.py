"""``python manage.py interact "The Garden Party" Alice Bob greeting``: one interaction, printed."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from characters.models import Character
from core.errors import DomainError
from ecosystems.services import interaction_process


class Command(BaseCommand):
    help = "Make one character interact with another and print what happened."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("world", help="world name or id")
        parser.add_argument("initiator", help="character name")
        parser.add_argument("target", help="character name")
        parser.add_argument("interaction_type", help="e.g. greeting, compliment, insult, gossip")
        parser.add_argument("--content", default="", help="the initiator's line (else generated)")
        parser.add_argument("--about", default="", help="for gossip: the third character's name")

    def handle(self, *args: object, **options: str) -> None:
        people = self._characters(options["world"])
        context = {}
        if options["about"]:
            context["subject_id"] = str(self._named(people, options["about"]).pk)
        try:
            result = interaction_process(
                initiator=self._named(people, options["initiator"]),
                target=self._named(people, options["target"]),
                interaction_type=options["interaction_type"],
                content=options["content"],
                context=context,
            )
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from None
        interaction = result.interaction
        self.stdout.write(f"{interaction.initiator.name}: {interaction.content}")
        self.stdout.write(f"{interaction.target.name}: {result.response}")
        for direction, deltas in result.relationship_change.items():
            moved = ", ".join(
                f"{k.removesuffix('_delta')} {v:+.3f}" for k, v in deltas.items() if v
            )
            self.stdout.write(f"  {direction.replace('_', ' ')}: {moved or 'no change'}")
        self.stdout.write(f"  events: {', '.join(f'#{e.seq} {e.kind}' for e in result.events)}")

    def _characters(self, world: str) -> list[Character]:
        people = Character.objects.select_related("ecosystem").filter(ecosystem__name=world)
        if not people and len(world) == 36:
            people = Character.objects.select_related("ecosystem").filter(ecosystem_id=world)
        if not people:
            raise CommandError(f"No world named {world!r} with characters; try `seed_demo`.")
        return list(people)

    def _named(self, people: list[Character], name: str) -> Character:
        for person in people:
            if person.name.lower() == name.lower():
                return person
        names = ", ".join(p.name for p in people)
        raise CommandError(f"No character {name!r} in this world; choose one of: {names}.")
