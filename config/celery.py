"""The Celery app: broker and results on the embedded Redis unless configured otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dramatis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.echo_task")
def echo_task(value: str) -> str:
    """Round-trips a value through broker, worker and result backend (health and setup checks)."""
    return value
