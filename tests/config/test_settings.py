from django.conf import settings


def test_the_suite_runs_on_the_test_settings_whatever_launched_it():
    # `make test` goes through the launcher, whose import of config/ sets
    # DJANGO_SETTINGS_MODULE; the test settings must still win (their prefixes keep tests
    # away from a running `make run`).
    assert settings.SETTINGS_MODULE == "config.settings_test"
    assert settings.CACHES["default"]["KEY_PREFIX"] == "dramatis-test"
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "dramatis-test"
