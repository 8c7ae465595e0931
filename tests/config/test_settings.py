from django.conf import settings


def test_the_suite_runs_on_the_test_settings_whatever_launched_it():
    # `make test` goes through the launcher, whose import of config/ sets
    # DJANGO_SETTINGS_MODULE; the test settings must still win (their prefixes keep tests
    # away from a running `make run`).
    assert settings.SETTINGS_MODULE == "config.settings_test"
    assert settings.CACHES["default"]["KEY_PREFIX"] == "dramatis-test"
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "dramatis-test"


def test_the_suite_has_its_own_priority_queue_and_its_workers_consume_both():
    from config.celery import app

    assert settings.PRIORITY_QUEUE == "dramatis-test-priority"
    # A worker started without -Q (tests/live.py) consumes every declared queue.
    assert set(app.amqp.queues) == {"dramatis-test", "dramatis-test-priority"}
    # The beat's fan-out is never stuck behind the free worlds' ticks it enqueued.
    route = app.amqp.router.route({}, "ecosystems.ticks_schedule_due_task")
    assert route["queue"].name == "dramatis-test-priority"
