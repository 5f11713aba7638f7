"""End to end: the demo world is ingested and published, every article crediting its primary source."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.test import Client
from django.urls import reverse

from wiredesk.articles.models import Article
from wiredesk.demo.server import DemoWire, free_port_block
from wiredesk.demo.setup import register_demo_sources
from wiredesk.demo.world import DemoWorld
from wiredesk.sources.models import Outlet, Source
from wiredesk.sources.polling import poll_once

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def allow_loopback(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WIREDESK = dict(settings.WIREDESK, WIREDESK_HTTP_ALLOW_PRIVATE=["127.0.0.0/8"], WIREDESK_HOST_DELAY=0.0)


def test_the_demo_world_is_ingested_and_published(demo_wire: DemoWire, demo_world: DemoWorld,
                                                  allow_loopback: None) -> None:
    register_demo_sources(demo_wire.outlets())
    reports = poll_once(progress=False, threads=3)
    assert len(reports) == 9 and all(r.status == "ok" for r in reports)
    expected = [a for a in demo_world.articles if a.published <= demo_world.anchor]
    assert Article.objects.count() == len(expected) >= 300
    assert Outlet.objects.filter(articles__isnull=False).distinct().count() >= 8
    assert Article.objects.filter(fetch_status=Article.FetchStatus.OK).count() == len(expected)

    client = Client()
    front = client.get(reverse("web:front")).content.decode()
    newest = Article.objects.order_by("-published_at").first()
    assert newest is not None and newest.title.replace("'", "&#x27;") in front

    by_slug = {a.slug: a for a in expected}
    for article in Article.objects.select_related("outlet").order_by("?")[:25]:
        page = client.get(reverse("web:article", args=[article.pk])).content.decode()
        assert f'class="primary-source" href="{article.url}"' in page
        assert f"Read at {article.outlet.name}" in page
        written = by_slug[article.url.rsplit("/", 1)[1]]  # the page's own headline, byline and time
        assert article.title == written.title and article.published_at == written.published
        assert article.authors and article.authors[0] in written.byline and "By " not in article.byline
        assert f'<span class="byline">{article.byline}</span>' in page
        assert f'datetime="{written.published.isoformat()}"' in page
        assert article.url.startswith(next(s.base_url for s in demo_wire.servers if s.outlet.slug == article.outlet.slug))

    wire_story = Article.objects.filter(outlet__slug="meridian").first()
    assert wire_story is not None and "Advertisement" not in wire_story.text and "cookies" not in wire_story.text
    body = client.get(reverse("web:article", args=[wire_story.pk])).content.decode()
    second_paragraph = wire_story.text.split("\n\n")[1]
    assert second_paragraph and second_paragraph[:60] in body  # the wire allows full text

    # A second pass stores nothing new (conditional GET and per-source identity).
    Source.objects.update(next_check_at=Source.objects.first().created_at)
    again = poll_once(progress=False, threads=2)
    assert sum(r.new_articles for r in again) == 0
    assert Article.objects.count() == len(expected)


def test_the_demo_keeps_updating_as_the_wire_publishes(demo_world: DemoWorld, allow_loopback: None) -> None:
    moment = {"now": demo_world.anchor}
    with DemoWire(demo_world, clock=lambda: moment["now"]) as wire:
        register_demo_sources(wire.outlets())
        poll_once(progress=False, threads=3)
        before = Article.objects.count()
        moment["now"] = demo_world.anchor + timedelta(minutes=30)
        Source.objects.update(next_check_at=Source.objects.first().created_at)
        poll_once(progress=False, threads=3)
    fresh = [a for a in demo_world.articles if demo_world.anchor < a.published <= moment["now"]]
    assert Article.objects.count() == before + len(fresh) and fresh


def test_wiredesk_demo_serves_the_site_from_a_fresh_data_dir(tmp_path: Path) -> None:
    """README command (a) in miniature: `wiredesk demo` on a fresh data folder serves >= 300 articles."""
    port = free_port_block()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "WIREDESK_DATA_DIR"}}
    env["WIREDESK_DATA_DIR"] = str(tmp_path / "var")
    process = subprocess.Popen([sys.executable, "-m", "wiredesk.cli", "demo", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 180
        outlets_page = ""
        while time.monotonic() < deadline:
            try:
                outlets_page = httpx.get(f"http://127.0.0.1:{port}/outlets/", timeout=2).text
                break
            except httpx.HTTPError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                time.sleep(0.5)
        counts = [int(n) for n in __import__("re").findall(r"<td>(\d+)</td>", outlets_page)]
        assert len(counts) >= 8 and sum(counts) >= 300
        front = httpx.get(f"http://127.0.0.1:{port}/", timeout=5).text
        assert "Meridian Press Agency" in front
        assert "How our wire desk sorts a day of news" in front and "From the newsroom" in front
        assert "Weekend briefing" not in front  # scheduled for later
        post = httpx.get(f"http://127.0.0.1:{port}/post/how-this-desk-works/", timeout=5).text
        assert "correction: An earlier version said eight outlets" in post and "Replies (2)" in post
    finally:
        process.terminate()
        process.wait(timeout=30)
