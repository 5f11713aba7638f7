"""Polite, adaptive polling through the real pipeline and a local server: moved and gone feeds,
failing feeds turned off and on again, and intervals that follow the feed and what it asks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_source, rss
from tests.localserver import LocalServer, Reply
from wiredesk.articles.models import Article
from wiredesk.ingest.pipeline import Fetchers, check_source, feed_due
from wiredesk.sources.models import Source
from wiredesk.sources.reporting import source_rows
from wiredesk.sources.services import enable_source

pytestmark = pytest.mark.django_db

ITEMS = [("a1", "Tram line approved", "Politics"), ("a2", "Reef mapped", "science")]


def feed_body(server: LocalServer, extra_channel: str = "", items=ITEMS) -> bytes:  # type: ignore[no-untyped-def]
    body = rss(items, server.base).decode()
    return body.replace("<channel>", "<channel>" + extra_channel, 1).encode()


@pytest.mark.parametrize("status", [301, 308])
def test_a_feed_moved_permanently_is_read_at_its_new_address_from_then_on(
        server: LocalServer, fetchers: Fetchers, status: int) -> None:
    server.route("/old", Reply(status, headers={"Location": "/mid"}))
    server.route("/mid", Reply(status, headers={"Location": "/new"}))
    server.route("/new", Reply(body=feed_body(server), content_type="application/rss+xml"))
    source = make_source(server.url("/old"))
    assert check_source(source, fetchers).new_articles == 2
    source.refresh_from_db()
    assert source.feed_url == server.url("/new") and source.enabled
    check_source(source, fetchers)
    assert server.hits("/old") == 1  # the second check went straight to the new address


def test_a_temporary_hop_keeps_the_old_address(server: LocalServer, fetchers: Fetchers) -> None:
    server.route("/old", Reply(301, headers={"Location": "/mid"}))
    server.route("/mid", Reply(302, headers={"Location": "/new"}))
    server.route("/new", Reply(body=feed_body(server), content_type="application/rss+xml"))
    source = make_source(server.url("/old"))
    check_source(source, fetchers)
    source.refresh_from_db()
    assert source.feed_url == server.url("/old")


def test_a_feed_that_moves_onto_another_sources_address_is_turned_off_as_a_duplicate(
        server: LocalServer, fetchers: Fetchers) -> None:
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/new", Reply(body=feed_body(server), content_type="application/rss+xml"))
    other = make_source(server.url("/new"))
    source = make_source(server.url("/old"))
    report = check_source(source, fetchers)
    source.refresh_from_db()
    assert report.error_code == "moved_to_duplicate" and not source.enabled
    assert f"#{other.pk}" in source.disabled_reason
    assert Article.objects.filter(source=source).count() == 0  # nothing stored twice


def test_a_gone_feed_is_turned_off_and_keeps_its_articles(server: LocalServer, fetchers: Fetchers) -> None:
    server.route("/feed", Reply(body=feed_body(server), content_type="application/rss+xml"))
    source = make_source(server.url("/feed"))
    check_source(source, fetchers)
    server.route("/feed", Reply(410, b"gone"))
    report = check_source(source, fetchers)
    source.refresh_from_db()
    assert report.status == "error" and not source.enabled and "410" in source.disabled_reason
    assert Article.objects.filter(source=source).count() == 2
    assert source.status == "disabled"


def test_a_source_failing_n_times_in_a_row_is_turned_off_with_a_readable_reason_and_can_come_back(
        server: LocalServer, fetchers: Fetchers, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_SOURCE_MAX_FAILURES": 3}
    server.route("/feed", Reply(500, b"oops"))
    source = make_source(server.url("/feed"))
    for attempt in range(1, 4):
        check_source(source, fetchers)
        source.refresh_from_db()
        assert source.enabled == (attempt < 3)
    assert source.disabled_reason.startswith("3 failed checks in a row") and "http_status" in source.disabled_reason
    row = next(r for r in source_rows() if r["id"] == source.pk)
    assert (row["enabled"], row["consecutive_failures"]) == (False, 3) and row["disabled_reason"]
    enable_source(source.pk)
    source.refresh_from_db()
    assert source.enabled and not source.disabled_reason and source.error_count == 0
    assert source.next_check_at <= timezone.now()


def test_a_success_between_failures_starts_the_count_again(server: LocalServer, fetchers: Fetchers, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_SOURCE_MAX_FAILURES": 2}
    source = make_source(server.url("/feed"))
    for reply in (Reply(500), Reply(body=feed_body(server), content_type="application/rss+xml"), Reply(500)):
        server.route("/feed", reply)
        check_source(source, fetchers)
    source.refresh_from_db()
    assert source.enabled and source.error_count == 1


def test_the_interval_follows_the_feeds_rate_and_honours_ttl_and_max_age(
        server: LocalServer, fetchers: Fetchers, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_POLL_MIN_INTERVAL": 60, "WIREDESK_POLL_MAX_INTERVAL": 86_400}
    now = timezone.now()
    dated = "".join(
        f"<item><title>Item {n}</title><link>{server.base}/p/{n}</link><guid>{n}</guid>"
        f"<pubDate>{(now - timedelta(hours=n)).strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate></item>"
        for n in range(1, 25))  # one an hour
    body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>{dated}</channel></rss>"
    server.route("/feed", Reply(body=body.encode(), content_type="application/rss+xml"))
    source = make_source(server.url("/feed"))
    check_source(source, fetchers, pages_per_job=0)
    source.refresh_from_db()
    assert source.publish_rate == pytest.approx(24, rel=0.05)
    assert 1_800 * 0.85 <= source.check_interval <= 1_800 * 1.15  # two checks per expected item
    # The feed asks for two hours (ttl), the server for three (max-age): the longer wins.
    server.route("/feed", Reply(body=body.replace("<title>T</title>", "<title>T</title><ttl>120</ttl>").encode(),
                                content_type="application/rss+xml", headers={"Cache-Control": "max-age=10800"}))
    check_source(source, fetchers, pages_per_job=0)
    source.refresh_from_db()
    assert source.interval_hint == 10_800 and source.check_interval >= 10_800
    assert source.next_check_at >= timezone.now() + timedelta(seconds=10_700)


def test_an_operators_fixed_interval_does_not_adapt_but_still_honours_the_feed(
        server: LocalServer, fetchers: Fetchers) -> None:
    server.route("/feed", Reply(body=feed_body(server, "<ttl>30</ttl>"), content_type="application/rss+xml"))
    source = make_source(server.url("/feed"), interval=600)
    Source.objects.filter(pk=source.pk).update(interval_fixed=True)
    source.refresh_from_db()
    check_source(source, fetchers, pages_per_job=0)
    source.refresh_from_db()
    assert source.check_interval == 1_800  # the feed's ttl of 30 minutes is a floor


def test_not_modified_answers_are_counted_for_the_sources_health(server: LocalServer, fetchers: Fetchers) -> None:
    def conditional(handler):  # type: ignore[no-untyped-def]
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        return Reply(body=feed_body(server), content_type="application/rss+xml", headers={"ETag": '"v1"'})

    server.route("/feed", conditional)
    source = make_source(server.url("/feed"))
    for _ in range(4):
        check_source(source, fetchers, pages_per_job=0)
    source.refresh_from_db()
    assert (source.check_count, source.not_modified_count) == (4, 3)
    row = next(r for r in source_rows() if r["id"] == source.pk)
    assert row["not_modified_share"] == 0.75 and row["items_per_day"] == pytest.approx(2 / 7, abs=0.01)


def test_a_check_reads_pages_only_when_one_is_due(server: LocalServer, fetchers: Fetchers) -> None:
    def conditional(handler):  # type: ignore[no-untyped-def]
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        return Reply(body=feed_body(server, items=ITEMS[:1]), content_type="application/rss+xml",
                     headers={"ETag": '"v1"'})

    server.route("/feed", conditional)
    server.route("/p/a1", Reply(500, b"try later"))
    source = make_source(server.url("/feed"))
    assert source.pages_due_at is None  # a new source has no pages
    started = timezone.now()
    check_source(source, fetchers)
    source.refresh_from_db()
    assert server.hits("/p/a1") == 1
    assert source.pages_due_at is not None and source.pages_due_at >= started + timedelta(minutes=4)
    check_source(source, fetchers)  # 304, and the retry is not due: the page is left alone
    assert server.hits("/p/a1") == 1
    server.route("/p/a1", Reply(body=b"<html><body><article>" + b"<p>Now the tram story reads in full.</p>" * 5
                                + b"</article></body></html>"))
    check_source(Source.objects.get(pk=source.pk), fetchers, now=source.pages_due_at + timedelta(seconds=1))
    assert server.hits("/p/a1") == 2
    source.refresh_from_db()
    assert source.pages_due_at is None and Article.objects.get(source=source).fetch_status == Article.FetchStatus.OK


def test_pages_past_one_jobs_share_are_fetched_before_the_feed_is_due_again(server: LocalServer,
                                                                             fetchers: Fetchers) -> None:
    """A feed polled once a day, with more new entries than one job fetches pages for: the rest
    make the source due on their own (without asking the feed again), not a day later."""
    from tests.factories import article_html
    from wiredesk.sources import scheduling

    items = [(f"n{i}", f"Report number {i} from the harbour", "Politics") for i in range(5)]
    server.route("/feed", Reply(body=feed_body(server, items=items), content_type="application/rss+xml",
                                headers={"Cache-Control": "max-age=86400"}))
    for guid, title, _ in items:
        server.route(f"/p/{guid}", Reply(body=article_html(title)))
    source = make_source(server.url("/feed"))
    first = check_source(source, fetchers, pages_per_job=2)
    source.refresh_from_db()
    assert (first.new_articles, first.pages_ok) == (5, 2)
    assert source.next_check_at > timezone.now() + timedelta(hours=12)  # the feed's own rhythm
    assert source.pages_due_at is not None and source.pages_due_at <= timezone.now()
    assert [s.pk for s in scheduling.due_sources()] == [source.pk]
    assert scheduling.next_due_in() == 0.0
    assert scheduling.claim(source.pk, "w1", timedelta(minutes=5), host=source.host)
    scheduling.release(source.pk, "w1", source.host)
    feed_hits = server.hits("/feed")
    reports = []
    for _ in range(2):
        claimed = Source.objects.get(pk=source.pk)
        assert not feed_due(claimed)  # what the worker and the Celery task ask after claiming
        reports.append(check_source(claimed, fetchers, pages_per_job=2, pages_only=True))
    assert [(r.status, r.pages_ok) for r in reports] == [("pages_only", 2), ("pages_only", 1)]
    assert server.hits("/feed") == feed_hits  # the feed was not asked before its time
    source.refresh_from_db()
    assert source.pages_due_at is None and scheduling.due_sources() == []
    assert not Article.objects.filter(fetch_status=Article.FetchStatus.PENDING).exists()
