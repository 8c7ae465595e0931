"""Test settings: the same real servers, kept apart from a running `make run` by prefixes."""

from config.queues import queue_names
from config.settings import *  # noqa: F403
from config.settings import CACHES, CHANNEL_LAYERS, celery_queues, celery_routes

CACHES["default"]["KEY_PREFIX"] = "dramatis-test"
CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = "asgi-test"
# Workers started by tests consume these queues only (both: no -Q), never the development
# world's. (A `make run` started by a test names its own queues in the environment.)
CELERY_TASK_DEFAULT_QUEUE, PRIORITY_QUEUE = queue_names(
    defaults=("dramatis-test", "dramatis-test-priority")
)
CELERY_TASK_QUEUES = celery_queues(CELERY_TASK_DEFAULT_QUEUE, PRIORITY_QUEUE)
CELERY_TASK_ROUTES = celery_routes(PRIORITY_QUEUE)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; tests only
EVENTS_CHECK_SCHEMAS = True  # every published payload is checked against its schema
# A social snapshot a second after a tick, not 30 s: the browser tests watch the page update.
STORIES_SOCIAL_DEBOUNCE_SECONDS = 1
