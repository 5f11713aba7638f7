"""Downloading article pages ahead of extraction.

Pure network work (no models), so it can run on a helper thread while the caller extracts the
previous page. Still one request at a time per job, so per-host politeness is unchanged.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

from wiredesk.core.errors import FetchError
from wiredesk.core.http import FetchResult

if TYPE_CHECKING:
    from wiredesk.ingest.pipeline import Fetchers

ROBOTS_DISALLOWED = "robots_disallowed"
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
Item = TypeVar("Item")
Result = TypeVar("Result")


def download_page(url: str, fetchers: Fetchers) -> FetchResult:
    """The page at `url`, unless robots.txt forbids it (FetchError with code robots_disallowed)."""
    if fetchers.robots is not None and not fetchers.robots.allows(url):
        raise FetchError(ROBOTS_DISALLOWED, "robots.txt disallows this page")
    return fetchers.client.fetch(url, accept=PAGE_ACCEPT)


def prefetch(items: Iterable[Item], work: Callable[[Item], Result],
             lookahead: int) -> Iterator[tuple[Item, Future[Result]]]:
    """Yield (item, future) in order while one thread works at most `lookahead` items ahead."""
    queue: deque[tuple[Item, Future[Result]]] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wiredesk-download") as pool:
        for item in items:
            queue.append((item, pool.submit(work, item)))
            if len(queue) > lookahead:
                yield queue.popleft()
        while queue:
            yield queue.popleft()
