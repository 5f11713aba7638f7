"""Claims: two workers never poll one source at once; a dead worker's claim runs out."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import make_client
from tests.factories import article_html, make_source, rss
from tests.localserver import LocalServer, Reply
from wiredesk.articles.models import Article
from wiredesk.ingest.pipeline import Fetchers
from wiredesk.sources import scheduling
from wiredesk.sources.models import Source
from wiredesk.sources.worker import drain

LEASE = timedelta(minutes=5)


@pytest.fixture(autouse=True)
def no_host_pause(settings) -> None:  # type: ignore[no-untyped-def]
    """Claims are tested here; the pause between two checks of a host has its own test below."""
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_HOST_DELAY": 0.0}


@pytest.mark.django_db
def test_a_claimed_source_cannot_be_claimed_again_until_released() -> None:
    source = make_source("https://a.example/feed")
    assert scheduling.claim(source.pk, "w1", LEASE)
    assert not scheduling.claim(source.pk, "w2", LEASE)
    scheduling.release(source.pk, "w2")  # not the owner: no effect
    assert not scheduling.claim(source.pk, "w2", LEASE)
    scheduling.release(source.pk, "w1")
    assert scheduling.claim(source.pk, "w2", LEASE)


@pytest.mark.django_db
def test_a_killed_workers_claim_expires() -> None:
    source = make_source("https://a.example/feed")
    now = timezone.now()
    assert scheduling.claim(source.pk, "dead-worker", LEASE, now=now)
    assert not scheduling.claim(source.pk, "w2", LEASE, now=now + timedelta(minutes=4))
    assert scheduling.claim(source.pk, "w2", LEASE, now=now + timedelta(minutes=6))


@pytest.mark.django_db
def test_only_due_enabled_sources_on_free_hosts_are_claimed() -> None:
    later = make_source("https://later.example/feed")
    Source.objects.filter(pk=later.pk).update(next_check_at=timezone.now() + timedelta(hours=1))
    off = make_source("https://off.example/feed")
    Source.objects.filter(pk=off.pk).update(enabled=False)
    first = make_source("https://same.example/one")
    make_source("https://same.example/two")
    claimed = scheduling.claim_due_source("w1", LEASE)
    assert claimed is not None and claimed.host == "same.example"
    assert scheduling.claim_due_source("w2", LEASE) is None  # the other same-host source waits
    scheduling.release(claimed.pk, "w1")
    Source.objects.filter(pk=first.pk).update(next_check_at=timezone.now() + timedelta(hours=1))
    assert scheduling.claim_due_source("w2", LEASE) is not None


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_poll_the_same_source(server: LocalServer) -> None:
    """Two real worker threads drain twelve sources on distinct hosts; each feed is read once."""
    for i in range(12):
        path = f"/feed{i}"
        server.route(path, Reply(body=rss([(f"g{i}", f"Story {i}", "world")], server.base),
                                 content_type="application/rss+xml"))
        server.route(f"/p/g{i}", Reply(body=article_html(f"Story {i}")))
        make_source(server.url(path))
    # All feeds share one local host, and one host is polled by one worker at a time; give each
    # its own host name so both workers compete for every source.
    for source in Source.objects.all():
        Source.objects.filter(pk=source.pk).update(host=f"h{source.pk}")
    reports: dict[str, list[int]] = {"w1": [], "w2": []}
    start = threading.Barrier(2)

    def work(name: str) -> None:
        client = make_client()
        start.wait()
        try:
            reports[name] = [r.source_id for r in drain(name, Fetchers(client=client, robots=None))]
        finally:
            client.close()
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    polled = reports["w1"] + reports["w2"]
    assert sorted(polled) == sorted(Source.objects.values_list("pk", flat=True))  # each exactly once
    assert reports["w1"] and reports["w2"]  # both did work
    assert all(server.hits(f"/feed{i}") == 1 for i in range(12))
    assert Article.objects.count() == 12
    assert not Source.objects.filter(claimed_until__isnull=False).exists()


@pytest.mark.django_db
def test_two_sources_on_one_host_are_never_claimed_by_two_machines_at_once() -> None:
    """Each machine asks for a named source (as Celery tasks do), without looking at what the
    other holds: the host claim alone keeps the second out."""
    one, two = make_source("https://shared.example/one"), make_source("https://shared.example/two")
    assert scheduling.claim(one.pk, "machine-a:1", LEASE)
    assert not scheduling.claim(two.pk, "machine-b:1", LEASE)
    two.refresh_from_db()
    assert two.claimed_until is None  # the refused claim holds nothing
    scheduling.release(one.pk, "machine-a:1", "shared.example")
    assert scheduling.claim(two.pk, "machine-b:1", LEASE)


@pytest.mark.django_db
def test_a_dead_machines_host_claim_runs_out_with_its_lease() -> None:
    one, two = make_source("https://shared.example/one"), make_source("https://shared.example/two")
    now = timezone.now()
    assert scheduling.claim(one.pk, "dead", LEASE, now=now)
    assert not scheduling.claim(two.pk, "alive", LEASE, now=now + timedelta(minutes=4))
    assert scheduling.claim(two.pk, "alive", LEASE, now=now + timedelta(minutes=6))


@pytest.mark.django_db
def test_releasing_a_moved_feed_frees_the_host_it_was_claimed_on() -> None:
    moved, neighbour = make_source("https://old.example/feed"), make_source("https://old.example/other")
    assert scheduling.claim(moved.pk, "w1", LEASE)
    moved.feed_url = "https://new.example/feed"
    moved.save()
    scheduling.release(moved.pk, "w1", "old.example")
    assert scheduling.claim(neighbour.pk, "w2", LEASE)


@pytest.mark.django_db
def test_a_host_is_not_asked_again_until_its_pause_is_over_by_any_worker(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_HOST_DELAY": 30.0}
    make_source("https://paced.example/one"), make_source("https://paced.example/two")
    first = scheduling.claim_due_source("w1", LEASE)
    assert first is not None
    scheduling.release(first.pk, "w1", first.host)
    Source.objects.filter(pk=first.pk).update(next_check_at=timezone.now() + timedelta(hours=1))
    neighbour = Source.objects.exclude(pk=first.pk).get()
    assert scheduling.claim_due_source("w2", LEASE) is None  # due, but its host was asked a moment ago
    assert not scheduling.claim(neighbour.pk, "machine-b", LEASE)  # by name, from another machine: neither
    assert scheduling.any_due()  # `poll --once` waits for the pause instead of stopping
    assert scheduling.claim(neighbour.pk, "machine-b", LEASE, now=timezone.now() + timedelta(seconds=31))


@pytest.mark.django_db
def test_candidates_skip_hosts_that_may_not_be_asked_now(settings) -> None:  # type: ignore[no-untyped-def]
    """Sixty feeds on one busy host must not hide the one feed on a free host behind them."""
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_HOST_DELAY": 30.0}
    for n in range(60):
        make_source(f"https://crowded.example/{n}")
    lone = make_source("https://lonely.example/feed")
    Source.objects.filter(pk=lone.pk).update(next_check_at=timezone.now())  # the least overdue of all
    assert scheduling.claim_due_source("w1", LEASE).host == "crowded.example"
    assert scheduling.claim_due_source("w2", LEASE).pk == lone.pk


@pytest.mark.django_db
def test_a_source_whose_job_waits_in_the_queue_is_not_queued_again_until_it_arrives_or_its_lease_ends(
        monkeypatch: pytest.MonkeyPatch, server: LocalServer) -> None:
    """Found by benchmarks/scale.py's crash run: every dispatch round queued every due source once
    more while the queue was long, so a killed job's source, due again, waited behind duplicates."""
    from wiredesk.sources import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.poll_source, "delay", queued.append)
    server.route("/feed", Reply(body=rss([], server.base), content_type="application/rss+xml"))
    waiting = make_source(server.url("/feed"))
    other = make_source("https://b.example/feed")
    Source.objects.filter(pk=other.pk).update(host="b.example")
    assert tasks.dispatch_due_sources() == 2 and sorted(queued) == sorted([waiting.pk, other.pk])
    assert tasks.dispatch_due_sources() == 0  # both jobs still in the queue: no duplicates
    # One job arrives at a worker and is refused (another worker holds the source): its mark goes,
    # and the next round may queue it again once it is free and due.
    assert scheduling.claim(waiting.pk, "elsewhere", LEASE)
    assert tasks.poll_source(waiting.pk) == "skipped"
    scheduling.release(waiting.pk, "elsewhere")
    queued.clear()
    assert tasks.dispatch_due_sources() == 1 and queued == [waiting.pk]
    # A job lost with a killed worker never arrives: its mark runs out with the lease.
    queued.clear()
    Source.objects.filter(pk=other.pk).update(queued_until=timezone.now() - timedelta(seconds=1))
    assert tasks.dispatch_due_sources() == 1 and queued == [other.pk]
