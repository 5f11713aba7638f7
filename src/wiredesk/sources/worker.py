"""The in-process worker: threads that claim due sources and run the pipeline on them.

`wiredesk demo` and `wiredesk run` start it beside the web server; `wiredesk poll` runs it in the
foreground. At scale the Celery tasks call the same `run_job`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection

from wiredesk.core.dbstats import refresh_statistics
from wiredesk.ingest.pipeline import CheckReport, Fetchers, check_source, feed_due
from wiredesk.sources import scheduling
from wiredesk.sources.fetchers import build_fetchers
from wiredesk.stories.placement import place_waiting

log = logging.getLogger("wiredesk.worker")
STATISTICS_EVERY = 3600.0  # seconds between planner-statistics refreshes (core.dbstats)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def run_job(worker_id: str, fetchers: Fetchers) -> CheckReport | None:
    """Claim one due source, check it, release it. None when nothing is due."""
    lease = timedelta(seconds=settings.WIREDESK["WIREDESK_LEASE_SECONDS"])
    source = scheduling.claim_due_source(worker_id, lease)
    if source is None:
        return None
    claimed_host = source.host
    try:
        return check_source(source, fetchers, pages_per_job=settings.WIREDESK["WIREDESK_PAGES_PER_JOB"],
                            pages_only=not feed_due(source))
    finally:
        scheduling.release(source.pk, worker_id, claimed_host)


PACED_WAIT = 0.05  # seconds between looks while every due source's host is being paced


def drain(worker_id: str, fetchers: Fetchers, on_report: object = None) -> list[CheckReport]:
    """Run jobs until no source is due that no one holds (used by `poll --once` and tests). When the
    only due sources are on hosts asked a moment ago, wait for their pause rather than stop."""
    reports = []
    while True:
        report = run_job(worker_id, fetchers)
        if report is None:
            if not scheduling.any_due():
                return reports
            time.sleep(PACED_WAIT)
            continue
        reports.append(report)
        if callable(on_report):
            on_report(report)


class WorkerThread(threading.Thread):
    """One polling loop; sleeps until the next source is due or `stop` is set."""

    def __init__(self, stop: threading.Event, idle_seconds: float = 2.0) -> None:
        super().__init__(name="wiredesk-worker", daemon=True)
        self.stop_event = stop
        self.idle_seconds = idle_seconds
        self.worker_id = worker_name()
        self.next_statistics_at = 0.0

    def run(self) -> None:
        fetchers = build_fetchers()
        try:
            while not self.stop_event.is_set():
                close_old_connections()
                self._refresh_statistics_when_due()
                try:
                    report = run_job(self.worker_id, fetchers)
                    placed = place_waiting(self.worker_id)
                except Exception:  # a bug in one job must not stop the worker; it is logged
                    log.exception("event=job_crashed worker=%s", self.worker_id)
                    report, placed = None, None
                if report is None and not placed:
                    wait = scheduling.next_due_in()
                    self.stop_event.wait(max(0.2, min(self.idle_seconds, self.idle_seconds if wait is None else wait)))
        finally:
            fetchers.client.close()
            connection.close()


    def _refresh_statistics_when_due(self) -> None:
        if time.monotonic() < self.next_statistics_at:
            return
        self.next_statistics_at = time.monotonic() + STATISTICS_EVERY
        try:
            refresh_statistics()
        except Exception:  # statistics are an optimisation: never a reason to stop polling
            log.exception("event=statistics_failed worker=%s", self.worker_id)


def start_workers(count: int, stop: threading.Event) -> list[WorkerThread]:
    threads = [WorkerThread(stop) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads
