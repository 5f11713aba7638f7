"""The ingest pipeline end to end against a local server: store, fetch, fail, retry, never lose."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import article_html, make_source, rss
from tests.localserver import LocalServer, Reply
from wiredesk.articles import search
from wiredesk.articles.models import Article
from wiredesk.ingest.feeds import parse_feed
from wiredesk.ingest.pipeline import Fetchers, check_source, fetch_due_pages, store_entries

pytestmark = pytest.mark.django_db

ITEMS = [("a1", "Tram line approved", "Politics"), ("a2", "Reef mapped", "science"), ("a3", "Odd story", "misc")]


def serve_feed(server: LocalServer, items=ITEMS, pages: bool = True) -> None:  # type: ignore[no-untyped-def]
    server.route("/feed", Reply(body=rss(items, server.base), content_type="application/rss+xml"))
    if pages:
        for guid, title, _ in items:
            server.route(f"/p/{guid}", Reply(body=article_html(title)))


def test_it_stores_entries_fetches_pages_and_indexes_them(server: LocalServer, fetchers: Fetchers) -> None:
    serve_feed(server)
    source = make_source(server.url("/feed"))
    report = check_source(source, fetchers)
    assert (report.status, report.new_articles, report.pages_ok, report.pages_failed) == ("ok", 3, 3, 0)
    article = Article.objects.get(guid="a1")
    assert article.fetch_status == Article.FetchStatus.OK
    assert "paragraph 3" in article.text and article.html.startswith("<p>")
    assert article.url == server.url("/p/a1")
    assert article.section.slug == "politics"
    assert Article.objects.get(guid="a2").section.slug == "science"
    assert Article.objects.get(guid="a3").section is None
    assert search.search_ids("tram") == [article.pk]
    source.refresh_from_db()
    assert source.last_success_at and source.next_check_at > timezone.now() and not source.last_error_code


def test_repeat_deliveries_store_nothing_twice(server: LocalServer, fetchers: Fetchers) -> None:
    serve_feed(server)
    source = make_source(server.url("/feed"))
    check_source(source, fetchers)
    source.etag = source.last_modified = ""  # the server ignores conditional GET; we must still dedupe
    again = check_source(source, fetchers)
    assert again.new_articles == 0
    parsed = parse_feed(rss(ITEMS, server.base), "application/rss+xml")
    assert store_entries(source, parsed, timezone.now()) == []
    assert Article.objects.count() == 3


def test_a_malformed_feed_keeps_earlier_articles_and_records_a_readable_error(
        server: LocalServer, fetchers: Fetchers) -> None:
    serve_feed(server)
    source = make_source(server.url("/feed"))
    check_source(source, fetchers)
    before = set(Article.objects.values_list("pk", "title", "text"))
    server.route("/feed", Reply(body=b"<html><body>Gateway error", content_type="text/html"))
    started = timezone.now()
    report = check_source(source, fetchers)
    source.refresh_from_db()
    assert report.status == "error"
    assert source.last_error_code == "malformed_feed"
    assert "not a readable RSS, Atom or JSON feed" in source.last_error_message
    assert source.error_count == 1 and source.status == "error"
    assert source.next_check_at >= started + timedelta(seconds=source.check_interval)
    assert set(Article.objects.values_list("pk", "title", "text")) == before


def test_failures_back_off_and_honour_retry_after(server: LocalServer, fetchers: Fetchers) -> None:
    server.route("/feed", Reply(429, b"slow down", headers={"Retry-After": "7200"}))
    source = make_source(server.url("/feed"), interval=60)
    started = timezone.now()
    check_source(source, fetchers)
    source.refresh_from_db()
    assert source.last_error_code == "http_status" and "429" in source.last_error_message
    assert source.next_check_at >= started + timedelta(seconds=7200)


def test_an_unfetchable_page_keeps_headline_summary_and_link_and_is_retried(
        server: LocalServer, fetchers: Fetchers) -> None:
    serve_feed(server, pages=False)
    source = make_source(server.url("/feed"))
    report = check_source(source, fetchers)
    assert (report.new_articles, report.pages_failed) == (3, 3)
    article = Article.objects.get(guid="a1")
    assert article.fetch_status == Article.FetchStatus.FAILED
    assert article.fetch_error_code == "http_status" and "404" in article.fetch_error_message
    assert article.title == "Tram line approved" and article.summary == "Summary of Tram line approved."
    assert article.url == server.url("/p/a1")
    assert article.next_fetch_at > timezone.now()
    # Not due yet: nothing is fetched.
    assert fetch_due_pages(source, fetchers, limit=10, now=timezone.now()) == (0, 0)
    serve_feed(server)  # the outlet fixes its pages
    later = article.next_fetch_at + timedelta(seconds=1)
    assert fetch_due_pages(source, fetchers, limit=10, now=later) == (3, 0)
    article.refresh_from_db()
    assert article.fetch_status == Article.FetchStatus.OK and "paragraph 1" in article.text


def test_it_gives_up_on_a_page_after_five_attempts(server: LocalServer, fetchers: Fetchers) -> None:
    serve_feed(server, items=ITEMS[:1], pages=False)
    source = make_source(server.url("/feed"))
    check_source(source, fetchers)
    moment = timezone.now()
    for _ in range(6):
        moment += timedelta(days=2)
        fetch_due_pages(source, fetchers, limit=10, now=moment)
    article = Article.objects.get()
    assert article.fetch_attempts == 5 and article.next_fetch_at is None
    assert article.fetch_status == Article.FetchStatus.FAILED


def test_pages_robots_txt_disallows_are_not_fetched(server: LocalServer, fetchers: Fetchers) -> None:
    serve_feed(server)
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /p/\n", content_type="text/plain"))
    source = make_source(server.url("/feed"))
    check_source(source, fetchers)
    assert server.hits("/p/a1") == 0
    article = Article.objects.get(guid="a1")
    assert article.fetch_status == Article.FetchStatus.SKIPPED and article.fetch_error_code == "robots_disallowed"
    assert article.summary


def test_unreachable_feeds_are_recorded_not_raised(fetchers: Fetchers) -> None:
    source = make_source("http://127.0.0.1:9/feed")  # nothing listens on the discard port
    report = check_source(source, fetchers)
    source.refresh_from_db()
    assert report.status == "error" and source.last_error_code == "connection"


def test_feed_dates_in_the_future_are_clamped(server: LocalServer, fetchers: Fetchers) -> None:
    body = rss([("f1", "From the future", "world")], server.base).replace(b"2026", b"2099")
    server.route("/feed", Reply(body=body, content_type="application/rss+xml"))
    source = make_source(server.url("/feed"))
    check_source(source, fetchers)
    assert Article.objects.get().published_at <= timezone.now()


def test_an_undated_entry_takes_the_date_its_page_gives(server: LocalServer, fetchers: Fetchers) -> None:
    body = rss([("u1", "Undated entry", "world"), ("d1", "Dated entry", "world")], server.base)
    body = body.replace(b"<pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate>", b"", 1)  # u1 has no date
    server.route("/feed", Reply(body=body, content_type="application/rss+xml"))
    page_date = b"<meta property='article:published_time' content='2026-11-20T06:30:00+00:00'>"
    for guid in ("u1", "d1"):
        server.route(f"/p/{guid}", Reply(body=article_html(guid).replace(b"<head>", b"<head>" + page_date)))
    source = make_source(server.url("/feed"))
    check_source(source, fetchers)
    undated, dated = Article.objects.get(guid="u1"), Article.objects.get(guid="d1")
    assert undated.published_at.isoformat().startswith("2026-11-20")  # from the page
    assert dated.published_at.isoformat().startswith("2026-11-23T08:00")  # the feed's date stands
    assert undated.discovered_at > undated.published_at


def test_the_article_page_shows_the_pages_own_headline_byline_and_time(server: LocalServer, fetchers: Fetchers,
                                                                        client) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "src" / "wiredesk" / "ingest" / "testdata" / "article_jsonld.html")
    server.route("/feed", Reply(body=rss([("b1", "Harbour bridge reopens | The Northern Ledger", "City")], server.base),
                                content_type="application/rss+xml"))
    server.route("/p/b1", Reply(body=page.read_bytes()))
    check_source(make_source(server.url("/feed")), fetchers)
    article = Article.objects.get(guid="b1")
    assert article.title == "Harbour bridge reopens after ‘tricky’ repairs"
    assert article.authors == ["Maja Ekberg", "Tomas Reyes"]
    assert "](" not in article.text and "Hinge pins" not in article.text
    shown = client.get(f"/article/{article.pk}/").content.decode()
    assert "Harbour bridge reopens after ‘tricky’ repairs" in shown
    assert '<span class="byline">Maja Ekberg and Tomas Reyes</span>' in shown
    assert 'datetime="2026-11-23T08:00:00+00:00"' in shown  # the feed's date stands when it has a time


def test_a_feeds_bare_date_takes_the_time_of_day_the_page_declares(server: LocalServer, fetchers: Fetchers) -> None:
    body = rss([("t1", "Dated entry", "world")], server.base).replace(b"08:00:00 GMT", b"00:00:00 GMT")
    server.route("/feed", Reply(body=body, content_type="application/rss+xml"))
    page_date = b"<meta property='article:published_time' content='2026-11-23T14:35:00+01:00'>"
    server.route("/p/t1", Reply(body=article_html("t1").replace(b"<head>", b"<head>" + page_date)))
    check_source(make_source(server.url("/feed")), fetchers)
    assert Article.objects.get(guid="t1").published_at.isoformat() == "2026-11-23T13:35:00+00:00"


def test_a_page_batch_caught_in_a_deadlock_is_written_again(server: LocalServer, fetchers: Fetchers,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL ends one of two transactions that wait on each other (the story stage and a page
    batch): the batch is still in memory and is written again, not left pending for a later job."""
    from django.db import OperationalError

    from wiredesk.ingest import pipeline

    serve_feed(server)
    source = make_source(server.url("/feed"))
    real_index, failures = pipeline.search.index_articles, []

    def deadlock_once(articles):  # type: ignore[no-untyped-def]
        if articles and articles[0].fetch_status == Article.FetchStatus.OK and not failures:
            failures.append(len(articles))  # inside the batch's transaction, after its UPDATEs
            raise OperationalError("deadlock detected\nDETAIL:  Process 1 waits for ShareLock on transaction 2")
        return real_index(articles)

    monkeypatch.setattr(pipeline.search, "index_articles", deadlock_once)
    monkeypatch.setattr(pipeline.time, "sleep", lambda seconds: None)
    report = check_source(source, fetchers)
    assert failures == [3] and report.pages_ok == 3
    assert set(Article.objects.values_list("fetch_status", flat=True)) == {Article.FetchStatus.OK}
    monkeypatch.setattr(pipeline.search, "index_articles", real_index)
    assert search.search_ids("tram") == [Article.objects.get(guid="a1").pk]
