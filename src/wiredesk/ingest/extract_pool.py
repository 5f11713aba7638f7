"""Extraction (and feed parsing) in worker processes.

Parsing HTML and feeds is CPU-bound and holds Python's GIL, so threads cannot extract two pages at once.
A small process pool extracts on every core while the worker thread downloads the next page and
writes the last batch. One pool serves every worker thread of a process; with 0 processes
extraction runs in the calling thread (tests, tiny machines).
"""

from __future__ import annotations

import atexit
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor

from wiredesk.core.errors import WiredeskError
from wiredesk.ingest.extract import ExtractedArticle, extract_article
from wiredesk.ingest.feeds import ParsedFeed, parse_feed


class ExtractionPool:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool = (ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"))
                      if processes > 0 else None)

    def submit(self, page: bytes, url: str) -> Future[ExtractedArticle]:
        if self._pool is not None:
            return self._pool.submit(extract_article, page, url)
        future: Future[ExtractedArticle] = Future()
        try:
            future.set_result(extract_article(page, url))
        except WiredeskError as error:
            future.set_exception(error)
        return future

    def parse_feed(self, body: bytes, content_type: str, url: str) -> ParsedFeed:
        """Parse a feed in a pool process: feedparser is as CPU-bound as extraction, and parsing it
        here leaves the worker's process free to download and write for the other workers."""
        if self._pool is None:
            return parse_feed(body, content_type, url)
        return self._pool.submit(parse_feed, body, content_type, url).result()

    def warm(self) -> None:
        """Start every process now (each imports the extractor once), not on the first page."""
        if self._pool is not None:
            page = b"<html><body><article>" + b"<p>Warm-up paragraph with a few words in it.</p>" * 8 + b"</article></body></html>"
            for future in [self._pool.submit(extract_article, page, "") for _ in range(self.processes * 2)]:
                future.result()

    def close(self, wait: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)


_shared: dict[int, ExtractionPool] = {}
_lock = threading.Lock()


def shared_pool(processes: int) -> ExtractionPool:
    """The process-wide pool of that size, started on first use and stopped at exit."""
    with _lock:
        if processes not in _shared:
            _shared[processes] = ExtractionPool(processes)
            atexit.register(_shared[processes].close)
        return _shared[processes]


def close_shared(wait: bool = True) -> None:
    """Stop every shared pool now: a process that ends with os._exit (a forked child of the embedded
    supervisor) runs no atexit hooks, and would leave its extraction processes' semaphores behind."""
    with _lock:
        for pool in _shared.values():
            pool.close(wait=wait)
        _shared.clear()
