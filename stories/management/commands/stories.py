"""``python manage.py stories <world>``: sift the world's new events, then list its stories;
``--read <story id>`` prints one story's chapters (the Markdown export, not metered: an
operator's tool on their own machine)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecosystems.management import world_named
from stories.engine.exports import export_markdown
from stories.selectors import stories_for_world, story_document, story_with_beats
from stories.services import stories_sift, story_chapters


class Command(BaseCommand):
    help = "Sift a world's new events into stories and list them (or read one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("world", help="world name or id")
        parser.add_argument("--status", help="only stories with this status (or 'live')")
        parser.add_argument("--read", metavar="STORY_ID", help="print this story's chapters")

    def handle(self, *args: object, **options: object) -> None:
        world = world_named(str(options["world"]))
        result = stories_sift(ecosystem_id=world.pk)
        self.stdout.write(
            f"Sifted {result.events} new events of {world.name}: "
            f"{result.detected} new stories, {result.updated} updated."
        )
        if options["read"]:
            story = story_with_beats(story_id=options["read"])
            if story is None or story.ecosystem_id != world.pk:
                raise CommandError(f"No story {options['read']} in {world.name}.")
            doc = story_document(story=story)
            self.stdout.write(export_markdown(doc, story_chapters(story=story)))
            return
        for story in stories_for_world(ecosystem=world, status=options["status"] or None):
            self.stdout.write(
                f"{story.pk}  {story.status:<10} {story.genre:<14} "
                f"tension {story.tension:.2f}  {story.title}  ({story.beats.count()} beats)"
            )
