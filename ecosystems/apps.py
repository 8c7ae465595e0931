from django.apps import AppConfig


class EcosystemsConfig(AppConfig):
    name = "ecosystems"
    verbose_name = "Ecosystems"

    def ready(self) -> None:
        from billing.signals import plan_changed
        from ecosystems.quotas import usages_register
        from ecosystems.receivers import plan_changed_apply

        usages_register()
        plan_changed.connect(plan_changed_apply, dispatch_uid="ecosystems.plan_changed_apply")

        from ecosystems.hooks import after_tick_register

        after_tick_register(_graph_sync_after_tick)


def _graph_sync_after_tick(ecosystem_id: str, tick: int, queue: str) -> None:
    """With a graph database configured, one projection per world per debounce window, taken
    at the window's end so it sees the window's last tick (as stories' social snapshots are):
    the first tick of a window sets a marker that lives as long as the countdown; later ticks
    see it and leave the sync on its way. Without one, nothing is enqueued."""
    from django.conf import settings
    from django.core.cache import cache

    if not settings.NEO4J_BOLT_URL:
        return
    from ecosystems.tasks import graph_sync_task

    wait = settings.GRAPH_SYNC_DEBOUNCE_SECONDS
    if cache.add(f"ecosystems:graph-sync-soon:{ecosystem_id}", 1, timeout=max(wait, 1)):
        graph_sync_task.apply_async((ecosystem_id,), countdown=wait, queue=queue)
