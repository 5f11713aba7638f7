"""The demo world is big, varied and realistic enough to exercise everything wiredesk does."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from tests.conftest import make_client
from wiredesk.demo.server import DemoWire
from wiredesk.demo.world import DemoWorld
from wiredesk.ingest.feeds import parse_feed


def test_it_has_the_outlets_events_and_days_the_demo_needs(demo_world: DemoWorld) -> None:
    now = demo_world.anchor
    visible = [a for a in demo_world.articles if a.published <= now]
    roles = Counter(o.role for o in demo_world.outlets)
    assert len(demo_world.outlets) >= 8
    assert set(roles) == {"wire", "syndicator", "independent", "aggregator"}
    assert len(visible) >= 300
    assert len({a.event for a in visible}) >= 40
    assert max(a.published for a in visible) - min(a.published for a in visible) >= timedelta(days=3)
    assert {a.relation for a in visible} == {"original", "wire_copy", "independent", "spun_copy"}


def test_it_keeps_publishing_after_the_anchor(demo_world: DemoWorld) -> None:
    soon = [a for a in demo_world.articles
            if demo_world.anchor < a.published <= demo_world.anchor + timedelta(minutes=15)]
    assert len(soon) >= 3


def test_copies_keep_the_facts_and_spun_copies_garble_the_words(demo_world: DemoWorld) -> None:
    spun = next(a for a in demo_world.articles if a.relation == "spun_copy")
    original = demo_world.find("meridian", spun.copied_from)
    assert original is not None
    assert spun.paragraphs != original.paragraphs[:-1]
    # names and numbers survive spinning
    first_words = [w for w in original.paragraphs[0].split() if w[:1].isupper() or w[:1].isdigit()]
    assert sum(w in spun.paragraphs[0] for w in first_words) >= len(first_words) * 0.8


def test_it_serves_every_feed_format_and_cluttered_pages(demo_wire: DemoWire) -> None:
    client = make_client(allow_networks=("127.0.0.0/8",))
    formats = set()
    for url in demo_wire.feed_urls().values():
        result = client.fetch(url)
        feed = parse_feed(result.content, result.content_type, result.url)
        formats.add(feed.format)
        assert feed.entries
    assert {"rss20", "rss10", "atom10", "json1.1"} <= formats
    page = client.fetch(demo_wire.base_url("meridian") + "/").text()
    assert 'rel="alternate"' in page
    article_url = parse_feed(client.fetch(demo_wire.feed_urls()["meridian"]).content).entries[0].url
    html = client.fetch(article_url).text()
    for clutter in ("cookie", "Advertisement", "Related stories", "Comments (3)", "newsletter"):
        assert clutter in html
    assert client.fetch(demo_wire.base_url("meridian") + "/robots.txt").text().startswith("User-agent")
