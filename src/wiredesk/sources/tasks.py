"""Celery tasks: thin wrappers over the same claim-and-check job the in-process worker runs."""

from __future__ import annotations

import time
from datetime import timedelta
from functools import lru_cache

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from wiredesk.ingest.pipeline import Fetchers, check_source, feed_due
from wiredesk.sources import scheduling
from wiredesk.sources.fetchers import build_fetchers
from wiredesk.sources.models import Source
from wiredesk.sources.worker import worker_name
from wiredesk.stories.placement import place_waiting


@lru_cache(maxsize=1)
def _process_fetchers() -> tuple[str, Fetchers]:
    """One client (connection pool, pacing, robots cache) per worker process."""
    return worker_name(), build_fetchers()


DISPATCH_BATCH = 2000


@shared_task(name="wiredesk.dispatch_due_sources")
def dispatch_due_sources() -> int:
    """Queue one job per due source, at most one per host per round, only on hosts that may be asked
    now (politeness); up to DISPATCH_BATCH a round, so thousands of feeds on hundreds of hosts keep
    every worker busy between two rounds.

    A source whose job is still waiting in the queue is not queued again (`Source.queued_until`,
    for one lease at most, so a job lost with a killed worker is queued anew): otherwise every round
    queued every due source once more while the queue was long, and the duplicates, each a refused
    claim, stood ahead of the jobs that mattered, such as a killed job's source due again."""
    now = timezone.now()
    chosen: dict[str, int] = {}
    for source in scheduling.due_sources(now, on_free_hosts=True, unqueued=True, limit=DISPATCH_BATCH):
        chosen.setdefault(source.host, source.pk)
    ids = list(chosen.values())
    scheduling.mark_queued(ids, now + timedelta(seconds=settings.WIREDESK["WIREDESK_LEASE_SECONDS"]))
    for source_id in ids:
        poll_source.delay(source_id)
    return len(ids)


@shared_task(name="wiredesk.poll_source")
def poll_source(source_id: int) -> str:
    """Claim and check one source; a duplicate or late delivery finds it claimed or not due and stops."""
    worker_id, fetchers = _process_fetchers()
    lease = timedelta(seconds=settings.WIREDESK["WIREDESK_LEASE_SECONDS"])
    scheduling.arrived(source_id)
    if not scheduling.claim(source_id, worker_id, lease):
        return "skipped"
    source = Source.objects.select_related("outlet", "section").get(pk=source_id)
    claimed_host = source.host
    try:
        report = check_source(source, fetchers, pages_per_job=settings.WIREDESK["WIREDESK_PAGES_PER_JOB"],
                              pages_only=not feed_due(source))
    finally:
        scheduling.release(source_id, worker_id, claimed_host)
    if report.pages_ok or report.pages_failed:
        place_stories.delay()
    return report.status


PLACEMENT_ROUND_SECONDS = 60.0


@shared_task(name="wiredesk.place_stories")
def place_stories() -> int:
    """Place waiting articles into stories until none are left (or for PLACEMENT_ROUND_SECONDS, and
    then queue the rest as a new task, so a worker that also polls gets its turn); a no-op while
    another worker holds the placement lease. Draining in one task keeps the placer's decoded
    stories warm and does not leave a backlog waiting for the next trigger behind feed checks."""
    worker_id, _ = _process_fetchers()
    started = time.monotonic()
    total = 0
    while (placed := place_waiting(worker_id)):
        total += placed
        if time.monotonic() - started > PLACEMENT_ROUND_SECONDS:
            place_stories.delay()
            break
    return total
