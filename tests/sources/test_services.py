"""Adding sources by feed or homepage, OPML import and export."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import rss
from tests.localserver import LocalServer, Reply
from wiredesk.ingest.pipeline import Fetchers
from wiredesk.sources.models import Source
from wiredesk.sources.services import SourceError, add_source, export_opml, import_opml

pytestmark = pytest.mark.django_db
TESTDATA = Path(__file__).resolve().parents[2] / "src" / "wiredesk" / "ingest" / "testdata"


def test_it_adds_a_feed_url_once(server: LocalServer, fetchers: Fetchers) -> None:
    server.route("/feed", Reply(body=rss([("x", "X", "world")], server.base), content_type="application/rss+xml"))
    first = add_source(server.url("/feed"), fetchers)
    again = add_source(server.url("/feed"), fetchers)
    assert first.pk == again.pk and Source.objects.count() == 1
    assert first.outlet.name == "T" and first.host == f"127.0.0.1:{server.port}"


def test_it_discovers_the_feed_a_homepage_announces(server: LocalServer, fetchers: Fetchers) -> None:
    html = (TESTDATA / "homepage_with_feeds.html").read_bytes().replace(
        b"https://gazette.example/atom.xml", b"/atom.xml")
    server.route("/", Reply(body=html))
    server.route("/feed.xml", Reply(404, b"gone"))  # the first announced feed is broken
    server.route("/atom.xml", Reply(body=(TESTDATA / "atom10.xml").read_bytes(), content_type="application/atom+xml"))
    source = add_source(server.url("/"), fetchers, outlet_name="Gazette")
    assert source.feed_url == server.url("/atom.xml")
    assert source.outlet.name == "Gazette"


def test_a_page_without_feeds_is_a_clear_error(server: LocalServer, fetchers: Fetchers) -> None:
    server.route("/", Reply(body=b"<html><head></head><body>hi</body></html>"))
    with pytest.raises(SourceError) as caught:
        add_source(server.url("/"), fetchers)
    assert caught.value.code == "no_feed"
    assert not Source.objects.exists()


def test_opml_round_trips() -> None:
    added, present = import_opml((TESTDATA / "sources.opml").read_text())
    assert (added, present) == (2, 0)
    assert import_opml((TESTDATA / "sources.opml").read_text()) == (0, 2)
    gazette = Source.objects.get(feed_url="https://gazette.example/feed.xml")
    assert gazette.outlet.name == "Fixture Gazette" and gazette.section.slug == "politics"
    exported = export_opml()
    Source.objects.all().delete()
    assert import_opml(exported) == (2, 0)
    assert set(Source.objects.values_list("feed_url", flat=True)) == {
        "https://gazette.example/feed.xml", "https://atom.example/atom.xml"}


def test_malformed_opml_is_refused() -> None:
    with pytest.raises(SourceError) as caught:
        import_opml("<opml><body><outline")
    assert caught.value.code == "malformed_opml"
