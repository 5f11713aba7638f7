"""Feed parsing over fixture files, one row per format."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wiredesk.core.errors import FeedError
from wiredesk.ingest.feeds import parse_feed

TESTDATA = Path(__file__).resolve().parents[2] / "src" / "wiredesk" / "ingest" / "testdata"


def load(name: str) -> bytes:
    return (TESTDATA / name).read_bytes()


@pytest.mark.parametrize(
    ("fixture", "content_type", "fmt", "count", "title", "guid", "url", "published"),
    [
        ("rss20.xml", "application/rss+xml", "rss20", 2, "Council approves new tram line", "gazette-1001",
         "https://gazette.example/news/tram-line?utm_source=rss", datetime(2026, 11, 23, 8, 30, tzinfo=UTC)),
        ("rss091.xml", "text/xml", "rss091u", 1, "Library reopens after renovation", "",
         "https://oldstyle.example/library-reopens", None),
        ("rss10.rdf", "application/rdf+xml", "rss10", 1, "Bridge inspection finds cracks", "https://rdf.example/a/1",
         "https://rdf.example/a/1", datetime(2026, 11, 24, 6, 0, tzinfo=UTC)),
        ("atom10.xml", "application/atom+xml", "atom10", 1, "Scientists map deep reef",
         "tag:atom.example,2026:reef", "https://feed.example/science/reef", datetime(2026, 11, 24, 8, 15, tzinfo=UTC)),
        ("atom03.xml", "application/atom+xml", "atom03", 1, "Ferry timetable changes",
         "tag:legacy.example,2026:ferry", "https://legacy.example/ferry", datetime(2026, 11, 20, 11, 0, tzinfo=UTC)),
        ("jsonfeed10.json", "application/json", "json1", 1, "Market closes higher", "j1-77",
         "https://jsonone.example/77", datetime(2026, 11, 24, 21, 5, tzinfo=UTC)),
        ("jsonfeed11.json", "application/feed+json", "json1.1", 2, "Rail strike called off", "e-1",
         "https://jsoneleven.example/e/1", datetime(2026, 11, 25, 7, 0, tzinfo=UTC)),
    ],
)
def test_it_parses_each_feed_format(fixture: str, content_type: str, fmt: str, count: int, title: str,
                                    guid: str, url: str, published: datetime | None) -> None:
    feed = parse_feed(load(fixture), content_type, "https://feed.example/feed")
    assert feed.format == fmt
    assert len(feed.entries) == count
    first = feed.entries[0]
    assert first.title == title
    assert first.guid == guid
    assert first.url == url
    assert first.published == published


def test_it_reads_authors_categories_images_and_plain_summaries() -> None:
    rss = parse_feed(load("rss20.xml"), "application/rss+xml").entries[0]
    assert rss.author == "Rosa Lind"
    assert rss.categories == ["Politics"]
    assert rss.image == "https://gazette.example/img/tram.jpg"
    assert rss.summary == "The council voted 31 to 12 in favour of the tram line."
    jf = parse_feed(load("jsonfeed11.json"), "application/feed+json").entries
    assert jf[0].author == "Kim Sato, Lee Park"
    assert jf[0].image == "https://jsoneleven.example/e1.jpg"
    assert jf[1].url == "https://elsewhere.example/story"


def test_it_keeps_feed_html_raw_for_the_sanitiser() -> None:
    entry = parse_feed(load("atom10.xml"), "application/atom+xml").entries[0]
    assert "<script>" in entry.content_html  # the sanitiser, not the parser, is the one gate


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (b"", "application/rss+xml", "empty_feed"),
        (b"   \n", "application/rss+xml", "empty_feed"),
        (None, "text/html", "malformed_feed"),
        (b"{not json", "application/json", "malformed_feed"),
        (b'{"hello": "world"}', "application/json", "malformed_feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": "nope"}', "application/json", "malformed_feed"),
        (b"<html><body>Not found</body></html>", "text/html", "malformed_feed"),
    ],
)
def test_it_rejects_malformed_feeds_with_a_readable_error(body: bytes | None, content_type: str, code: str) -> None:
    data = load("malformed.xml") if body is None else body
    with pytest.raises(FeedError) as caught:
        parse_feed(data, content_type)
    assert caught.value.code == code
    assert caught.value.message


def test_a_feed_says_how_often_to_check_it_and_which_hub_pushes_it() -> None:
    rss_body = (b"<?xml version='1.0'?><rss version='2.0' xmlns:sy='http://purl.org/rss/1.0/modules/syndication/' "
                b"xmlns:atom='http://www.w3.org/2005/Atom'><channel><title>T</title><ttl>20</ttl>"
                b"<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency>"
                b"<atom:link rel='hub' href='https://hub.example/'/><atom:link rel='self' href='https://x.example/feed'/>"
                b"<item><title>A</title><link>https://x.example/a</link></item></channel></rss>")
    parsed = parse_feed(rss_body, "application/rss+xml")
    assert (parsed.interval_hint, parsed.hub, parsed.self_url) == (3600, "https://hub.example/", "https://x.example/feed")
    json_body = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "feed_url": "https://j.example/f.json",'
                 b' "hubs": [{"type": "rssCloud", "url": "https://cloud.example/"},'
                 b' {"type": "WebSub", "url": "https://hub.example/j"}], "items": [{"id": "1", "url": "https://j.example/1"}]}')
    parsed = parse_feed(json_body, "application/feed+json")
    assert (parsed.interval_hint, parsed.hub, parsed.self_url) == (0, "https://hub.example/j", "https://j.example/f.json")


def test_entities_a_feed_declares_are_never_expanded() -> None:
    nested = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 8))
    laughs = (f'<?xml version="1.0"?><!DOCTYPE rss [{nested}]><rss version="2.0"><channel><title>&a7;</title>'
              f'<item><title>A &a7;</title><link>https://x.example/a</link></item></channel></rss>').encode()
    external = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY file SYSTEM "file:///etc/hostname">]>'
                b'<rss version="2.0"><channel><title>&file;</title></channel></rss>')
    parameter = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote PUBLIC "x" "http://evil.example/x.dtd">]>'
                 b'<rss version="2.0"><channel><title>T</title></channel></rss>')
    for body in (laughs, external, parameter):
        with pytest.raises(FeedError) as caught:
            parse_feed(body, "application/rss+xml")
        assert caught.value.code == "hostile_xml"
    # A name for one character is harmless: the declaration is dropped and the text still reads.
    harmless = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;">]><rss version="2.0"><channel>'
                b'<title>A&nbsp;B</title><item><title>A</title><link>https://x.example/a</link></item></channel></rss>')
    assert parse_feed(harmless).title == "A B"
    # A public DTD reference without declarations is left alone (RSS 0.91 feeds carry one).
    plain = (b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
             b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Plain</title>'
             b'<item><title>A</title><link>https://x.example/a</link></item></channel></rss>')
    assert parse_feed(plain).title == "Plain"
