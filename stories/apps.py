import datetime as dt

from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        # A tick (ecosystems) cannot import stories; it calls what stories registers.
        from ecosystems.hooks import after_events_register, after_tick_register

        after_tick_register(_sift_after_tick)
        after_tick_register(_society_after_tick)
        after_events_register(_sift_soon)

        from billing.limits import Usage, usage_register
        from stories.selectors import story_exports_this_month

        usage_register(
            Usage(
                name="story_exports",
                limit="story_exports_per_month",
                noun="story exports a month",
                count=story_exports_this_month,
                counted="this month",
                hint=_exports_hint,
                kept=False,  # a monthly quota: used up, never held over after a downgrade
            )
        )


def _exports_hint() -> str:
    from stories.selectors import month_start

    next_month = (month_start() + dt.timedelta(days=32)).replace(day=1)
    return f"Upgrade at /pricing/ or wait until {next_month:%B} 1."


def _sift_after_tick(ecosystem_id: str, tick: int, queue: str) -> None:
    """Sift on the tick's own queue: a priority world's stories keep up with its ticks."""
    from stories.tasks import stories_sift_task

    stories_sift_task.apply_async((ecosystem_id,), queue=queue)


def _sift_soon(ecosystem_id: str) -> None:
    """One sift a short while after a burst of interactions logged outside a tick (a script
    posting twenty interactions asks for one sift, not twenty). The first interaction of a
    burst sets a marker that lives as long as the countdown; later ones see it and leave the
    sift already on its way to read their events too. An event that lands in the instant
    the marker lapses is picked up by the next burst or the beat's sweep."""
    from django.conf import settings
    from django.core.cache import cache

    from ecosystems.queues import tick_queue_for_id
    from stories.tasks import stories_sift_task

    wait = settings.STORIES_SIFT_DEBOUNCE_SECONDS
    if cache.add(f"stories:sift-soon:{ecosystem_id}", 1, timeout=wait):
        queue = tick_queue_for_id(ecosystem_id=ecosystem_id)
        stories_sift_task.apply_async((ecosystem_id,), countdown=wait, queue=queue)


def _society_after_tick(ecosystem_id: str, tick: int, queue: str) -> None:
    """One social snapshot per world per debounce window, taken at the window's end so it
    sees the window's last tick: the first tick of a window sets a marker that lives as long
    as the countdown, later ticks see it and leave the snapshot on its way. A tick in the
    instant the marker lapses is seen by the next tick's snapshot."""
    from django.conf import settings
    from django.core.cache import cache

    from stories.tasks import social_snapshot_task

    wait = settings.STORIES_SOCIAL_DEBOUNCE_SECONDS
    if cache.add(f"stories:social-soon:{ecosystem_id}", 1, timeout=max(wait, 1)):
        social_snapshot_task.apply_async((ecosystem_id,), countdown=wait, queue=queue)
