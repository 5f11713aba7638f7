"""Polling in the foreground: `wiredesk poll` and the demo's first ingest."""

from __future__ import annotations

import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection
from tqdm import tqdm

from wiredesk.ingest.pipeline import CheckReport
from wiredesk.sources import scheduling
from wiredesk.sources.fetchers import build_fetchers
from wiredesk.sources.worker import drain, start_workers, worker_name
from wiredesk.stories.placement import place_all


def poll_once(progress: bool = True, threads: int | None = None) -> list[CheckReport]:
    """Check every source due now, `threads` at a time (each on its own host), place what was
    stored into stories, then return."""
    count = threads or settings.WIREDESK["WIREDESK_WORKERS"]
    due = scheduling.due_count()
    bar = tqdm(total=due, unit="source", desc="Polling", disable=not progress or due == 0)
    lock = threading.Lock()

    def tick(report: CheckReport) -> None:
        with lock:
            bar.update(1)
            bar.set_postfix(new=report.new_articles, pages=report.pages_ok)

    def one_worker() -> list[CheckReport]:
        fetchers = build_fetchers()
        try:
            return drain(worker_name(), fetchers, on_report=tick)
        finally:
            fetchers.client.close()
            connection.close()

    # Per-source log lines would tear the progress bar; the bar's summary says the same.
    ingest_log = logging.getLogger("wiredesk.ingest")
    level = ingest_log.level
    if progress:
        ingest_log.setLevel(logging.WARNING)
    try:
        with ThreadPoolExecutor(max_workers=count) as pool:
            results = [f.result() for f in [pool.submit(one_worker) for _ in range(count)]]
    finally:
        ingest_log.setLevel(level)
        bar.close()
    place_all(worker_name())
    return [report for chunk in results for report in chunk]


def poll_forever() -> int:
    """Run worker threads until SIGINT or SIGTERM."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threads = start_workers(settings.WIREDESK["WIREDESK_WORKERS"], stop)
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        stop.set()
    for thread in threads:
        thread.join(timeout=30)
    return 0
