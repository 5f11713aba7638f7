"""Small builders for model rows used across tests."""

from __future__ import annotations

from wiredesk.sources.models import Outlet, Source


def make_source(feed_url: str, *, name: str = "Fixture Gazette", slug: str = "fixture-gazette",
                policy: str = Outlet.DisplayPolicy.EXCERPT, interval: int = 900) -> Source:
    outlet, _ = Outlet.objects.get_or_create(slug=slug, defaults={"name": name, "display_policy": policy})
    return Source.objects.create(outlet=outlet, feed_url=feed_url, check_interval=interval)


def rss(items: list[tuple[str, str, str]], base: str) -> bytes:
    """An RSS 2.0 body from (guid, title, category) triples whose pages live at base/p/<guid>."""
    parts = "".join(
        f"<item><title>{title}</title><link>{base}/p/{guid}</link><guid isPermaLink=\"false\">{guid}</guid>"
        f"<pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate><category>{category}</category>"
        f"<description>Summary of {title}.</description></item>"
        for guid, title, category in items
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><link>{base}/</link>{parts}</channel></rss>".encode()


def article_html(title: str) -> bytes:
    paragraphs = "".join(
        f"<p>{title}: paragraph {i} with enough ordinary words to be read as the body of a news article.</p>"
        for i in range(5)
    )
    return f"<html lang='en'><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>".encode()
