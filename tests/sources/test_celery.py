"""Scale-out mode: a real Celery worker on a real Redis broker runs the same pipeline."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator

import pytest

from tests.factories import article_html, make_source, rss
from tests.localserver import LocalServer, Reply
from wiredesk.articles.models import Article
from wiredesk.sources.models import Source
from wiredesk.stories.models import StoryMember

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = os.environ.get("WIREDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    host_port = REDIS_URL.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, int(port))) == 0


@pytest.fixture
def celery_worker(settings) -> Iterator[object]:  # type: ignore[no-untyped-def]
    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    settings.WIREDESK = dict(settings.WIREDESK, WIREDESK_HTTP_ALLOW_PRIVATE=["127.0.0.1/32"], WIREDESK_HOST_DELAY=0.0)
    from celery.contrib.testing.worker import start_worker

    from wiredesk.celery_app import app
    from wiredesk.sources import tasks

    tasks._process_fetchers.cache_clear()
    app.conf.broker_url = REDIS_URL
    app.conf.result_backend = REDIS_URL  # so the test can wait for a task's answer
    app.conf.broker_connection_retry_on_startup = False
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # a clean test database on the broker
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as worker:
        yield worker
    tasks._process_fetchers.cache_clear()


def _wait_for(predicate, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_the_celery_worker_polls_due_sources(celery_worker: object, server: LocalServer) -> None:
    from wiredesk.sources.tasks import dispatch_due_sources, poll_source

    for i in range(3):
        server.route(f"/feed{i}", Reply(body=rss([(f"c{i}", f"Celery story {i}", "world")], server.base),
                                        content_type="application/rss+xml"))
        server.route(f"/p/c{i}", Reply(body=article_html(f"Celery story {i}")))
        source = make_source(server.url(f"/feed{i}"))
        Source.objects.filter(pk=source.pk).update(host=f"host{i}")
    assert dispatch_due_sources() == 3
    assert _wait_for(lambda: Article.objects.filter(fetch_status=Article.FetchStatus.OK).count() == 3)
    assert _wait_for(lambda: not Source.objects.filter(claimed_until__isnull=False).exists())
    assert _wait_for(lambda: StoryMember.objects.count() == 3)  # the story stage ran as its own task
    # A duplicate delivery of a job already done is harmless: the source is no longer due.
    first = Source.objects.order_by("pk").first()
    assert first is not None
    answers = [poll_source.apply_async((first.pk,), ignore_result=False) for _ in range(2)]
    assert [a.get(timeout=20) for a in answers] == ["skipped", "skipped"]
    assert server.hits("/feed0") == 1
    assert Article.objects.count() == 3


def test_placement_has_a_queue_of_its_own_and_a_dedicated_placer_drains_it(settings, server: LocalServer) -> None:  # type: ignore[no-untyped-def]
    """Fetch workers started with `-X placement` never run placement; a placer started with
    `-Q placement` places every waiting article in one task, not 200 per trigger."""
    if not _redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    from datetime import UTC, datetime, timedelta

    from celery.contrib.testing.worker import start_worker

    from wiredesk.celery_app import app
    from wiredesk.sources import tasks

    tasks._process_fetchers.cache_clear()
    app.conf.broker_url = REDIS_URL
    app.conf.broker_connection_retry_on_startup = False
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.flushdb()
    source = make_source(server.url("/feed"))
    start = datetime(2026, 11, 20, 8, tzinfo=UTC)
    Article.objects.bulk_create(  # more than one place_waiting batch (200), all waiting for a story
        Article(source=source, outlet=source.outlet, dedup_key=f"q{n}", identity="guid", url=f"https://q.example/{n}",
                title=f"Harbour report {n}", text=f"Report {n} on the harbour works at the quay. " * 5,
                published_at=start + timedelta(minutes=n), fetch_status=Article.FetchStatus.OK, awaiting_story=True)
        for n in range(230))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, exclude_queues=["placement"]):
        tasks.place_stories.delay()
        time.sleep(2.0)
        assert StoryMember.objects.count() == 0  # the fetch worker left it alone
        assert client.llen("placement") == 1  # still waiting on its own queue
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, queues=["placement"]):
        assert _wait_for(lambda: StoryMember.objects.count() == 230, 60)
    assert client.llen("placement") == 0
    tasks._process_fetchers.cache_clear()
