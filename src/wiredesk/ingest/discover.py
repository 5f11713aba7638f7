"""Feed discovery: the feeds a homepage announces with <link rel="alternate">."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

FEED_TYPES = {
    "application/rss+xml", "application/atom+xml", "application/feed+json",
    "application/json", "application/rdf+xml", "text/xml", "application/xml",
}


class _AlternateLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES and values.get("href"):
            self.found.append((values["href"], values.get("title", "")))


def discover_feeds(html: str, base_url: str) -> list[tuple[str, str]]:
    """(absolute feed URL, title) pairs announced by a page, in page order, without repeats."""
    parser = _AlternateLinks()
    parser.feed(html)
    seen: dict[str, str] = {}
    for href, title in parser.found:
        seen.setdefault(urljoin(base_url, href), title)
    return list(seen.items())


def looks_like_feed(body: bytes, content_type: str) -> bool:
    """Cheap test whether a response is a feed rather than a web page."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in FEED_TYPES - {"application/json"} or "feed+json" in kind:
        return True
    head = body.lstrip()[:500].lower()
    if head.startswith(b"{"):
        return b"jsonfeed.org" in body[:2000]
    return any(marker in head for marker in (b"<rss", b"<feed", b"<rdf:rdf")) or (
        head.startswith(b"<?xml") and b"<html" not in head
    )
