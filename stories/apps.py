from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self) -> None:
        # A tick (ecosystems) cannot import stories; it calls what stories registers.
        from ecosystems.hooks import after_tick_register

        after_tick_register(_sift_after_tick)


def _sift_after_tick(ecosystem_id: str, tick: int) -> None:
    from stories.tasks import stories_sift_task

    stories_sift_task.delay(ecosystem_id)
