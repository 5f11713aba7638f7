"""The extraction pool with real worker processes: pages and feeds go out as bytes, and results and
readable errors come back the same as in the calling thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wiredesk.core.errors import ExtractionError, FeedError
from wiredesk.ingest.extract_pool import ExtractionPool
from wiredesk.ingest.feeds import parse_feed

TESTDATA = Path(__file__).resolve().parents[2] / "src" / "wiredesk" / "ingest" / "testdata"


@pytest.fixture(scope="module")
def pool() -> Iterator[ExtractionPool]:
    started = ExtractionPool(1)
    yield started
    started.close()


def test_a_pool_process_parses_feeds_as_the_caller_would(pool: ExtractionPool) -> None:
    body = (TESTDATA / "rss20.xml").read_bytes()
    assert pool.parse_feed(body, "application/rss+xml", "https://gazette.example/feed") == \
        parse_feed(body, "application/rss+xml", "https://gazette.example/feed")


def test_a_malformed_feed_comes_back_as_a_readable_error(pool: ExtractionPool) -> None:
    with pytest.raises(FeedError) as caught:
        pool.parse_feed((TESTDATA / "malformed.xml").read_bytes(), "application/rss+xml", "")
    assert caught.value.code == "malformed_feed"


def test_a_pool_process_extracts_pages_and_reports_empty_ones(pool: ExtractionPool) -> None:
    page = (TESTDATA / "article_clutter.html").read_bytes()
    extracted = pool.submit(page, "https://gazette.example/news/1").result()
    assert len(extracted.text) > 200
    with pytest.raises(ExtractionError) as caught:
        pool.submit(b"", "https://gazette.example/empty").result()
    assert caught.value.code == "empty_page"


def test_without_processes_the_same_work_runs_in_the_calling_thread() -> None:
    inline = ExtractionPool(0)
    body = (TESTDATA / "atom10.xml").read_bytes()
    assert inline.parse_feed(body, "application/atom+xml", "").entries[0].title == "Scientists map deep reef"
