from __future__ import annotations

from pathlib import Path

from wiredesk.ingest.discover import discover_feeds, looks_like_feed

TESTDATA = Path(__file__).resolve().parents[2] / "src" / "wiredesk" / "ingest" / "testdata"


def test_it_finds_announced_feeds_in_page_order() -> None:
    html = (TESTDATA / "homepage_with_feeds.html").read_text()
    assert discover_feeds(html, "https://gazette.example/home") == [
        ("https://gazette.example/feed.xml", "Gazette RSS"),
        ("https://gazette.example/atom.xml", "Gazette Atom"),
    ]


def test_it_tells_feeds_from_pages() -> None:
    assert looks_like_feed((TESTDATA / "rss20.xml").read_bytes(), "text/xml")
    assert looks_like_feed((TESTDATA / "jsonfeed11.json").read_bytes(), "application/json")
    assert looks_like_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "application/octet-stream")
    assert not looks_like_feed((TESTDATA / "homepage_with_feeds.html").read_bytes(), "text/html")
    assert not looks_like_feed(b'{"a": 1}', "application/json")
