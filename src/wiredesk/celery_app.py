"""Scale-out mode: Celery workers on any number of machines run the same pipeline as the embedded worker.

Start with BROKER_URL and DATABASE_URL set on every machine:
    celery -A wiredesk.celery_app worker --beat --loglevel=INFO     (one machine runs --beat)
    celery -A wiredesk.celery_app worker --loglevel=INFO            (the others)

Story placement has a queue of its own ("placement"): a worker consumes both queues unless told
otherwise, and a busy desk gives placement a process of its own so it never waits behind thousands
of feed checks:
    celery -A wiredesk.celery_app worker -X placement ...                  (fetch workers)
    celery -A wiredesk.celery_app worker -Q placement --concurrency=1 ...  (the placer)
"""

from __future__ import annotations

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiredesk.settings")

import django  # noqa: E402  (Django must be set up before the tasks import models)

django.setup()

from django.conf import settings  # noqa: E402

app = Celery("wiredesk")
app.conf.update(
    broker_url=settings.WIREDESK["BROKER_URL"] or "memory://",
    # A worker killed mid-job leaves its message unacknowledged, so the broker redelivers it; the
    # database claim makes that redelivery (and any duplicate) harmless.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_default_queue="celery",
    task_queues=(Queue("celery"), Queue("placement")),
    task_routes={"wiredesk.place_stories": {"queue": "placement"}},
    beat_schedule={
        "dispatch-due-sources": {"task": "wiredesk.dispatch_due_sources", "schedule": 30.0},
        "place-stories": {"task": "wiredesk.place_stories", "schedule": 15.0},
    },
)
app.autodiscover_tasks(["wiredesk.sources"])
