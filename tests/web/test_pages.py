"""The public site: every page renders, credits and links its primary source, escapes what it shows."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wiredesk.articles import search
from wiredesk.articles.models import Article
from wiredesk.sections.models import Section
from wiredesk.sources.models import Outlet, Source

pytestmark = pytest.mark.django_db


def make_article(title: str, *, outlet: Outlet, section: str | None = "world", text: str = "", **extra) -> Article:  # type: ignore[no-untyped-def]
    source, _ = Source.objects.get_or_create(feed_url=f"https://{outlet.slug}.example/feed", defaults={"outlet": outlet})
    article = Article.objects.create(
        source=source, outlet=outlet, dedup_key=title[:64], identity="guid", url=f"https://{outlet.slug}.example/{len(title)}",
        title=title, summary=f"Summary: {title}", text=text, html="".join(f"<p>{p}</p>" for p in text.split("\n") if p),
        section=Section.objects.filter(slug=section).first() if section else None,
        published_at=timezone.now(), fetch_status=Article.FetchStatus.OK if text else Article.FetchStatus.PENDING,
        **extra,
    )
    search.index_article(article)
    return article


@pytest.fixture
def wire() -> Outlet:
    return Outlet.objects.create(name="Meridian Wire", slug="meridian", display_policy=Outlet.DisplayPolicy.FULL)


@pytest.fixture
def paper() -> Outlet:
    return Outlet.objects.create(name="Harbor Ledger", slug="ledger")


def test_the_front_page_lists_the_latest_with_credits(client: Client, wire: Outlet, paper: Outlet) -> None:
    make_article("Floods in Port Alder", outlet=wire)
    make_article("Rates rise again", outlet=paper, section="business")
    page = client.get(reverse("web:front")).content.decode()
    assert "Floods in Port Alder" in page and "Rates rise again" in page
    assert "Meridian Wire" in page and "Harbor Ledger" in page


def test_an_empty_site_says_how_to_start(client: Client) -> None:
    assert "wiredesk add-source" in client.get(reverse("web:front")).content.decode()


def test_the_article_page_links_and_credits_its_primary_source(client: Client, paper: Outlet) -> None:
    article = make_article("Bridge closes", outlet=paper, text="Para one of the body.\nPara two.")
    page = client.get(reverse("web:article", args=[article.pk])).content.decode()
    assert f'class="primary-source" href="{article.url}"' in page
    assert "Read at Harbor Ledger" in page
    assert "Originally published by" in page


@pytest.mark.parametrize(("policy", "shows_body"), [(Outlet.DisplayPolicy.EXCERPT, False), (Outlet.DisplayPolicy.FULL, True)])
def test_full_text_only_where_the_outlet_allows_it(client: Client, policy: str, shows_body: bool) -> None:
    outlet = Outlet.objects.create(name="Outlet", slug="o", display_policy=policy)
    article = make_article("Ferry news", outlet=outlet, text="Secret second paragraph of the body.")
    page = client.get(reverse("web:article", args=[article.pk])).content.decode()
    assert ("Secret second paragraph" in page) is shows_body
    assert "Summary: Ferry news" in page or shows_body


def test_pages_escape_what_outlets_send(client: Client, paper: Outlet) -> None:
    article = make_article('<script>alert("x")</script> Headline', outlet=paper)
    for url in (reverse("web:front"), reverse("web:article", args=[article.pk]), reverse("web:outlet", args=["ledger"])):
        page = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in page
        assert "&lt;script&gt;" in page


def test_section_outlet_and_outlet_index_pages(client: Client, wire: Outlet, paper: Outlet) -> None:
    make_article("World story", outlet=wire, section="world")
    make_article("Sport story", outlet=paper, section="sport")
    world = client.get(reverse("web:section", args=["world"])).content.decode()
    assert "World story" in world and "Sport story" not in world
    ledger = client.get(reverse("web:outlet", args=["ledger"])).content.decode()
    assert "Sport story" in ledger and "World story" not in ledger
    index = client.get(reverse("web:outlets")).content.decode()
    assert "Meridian Wire" in index and "Full text" in index and "Excerpt and link" in index
    assert client.get(reverse("web:section", args=["nope"])).status_code == 404
    assert client.get(reverse("web:article", args=[999999])).status_code == 404


def test_search_finds_by_words_and_survives_query_syntax(client: Client, paper: Outlet) -> None:
    make_article("Harbour festival draws record crowds", outlet=paper, text="Organisers counted visitors.")
    make_article("Council budget", outlet=paper)
    page = client.get(reverse("web:search"), {"q": "festival crowds"}).content.decode()
    assert "Harbour festival" in page and "Council budget" not in page
    assert "1 result" in page
    assert "Harbour festival" in client.get(reverse("web:search"), {"q": "festiv"}).content.decode()
    for hostile in ['"unbalanced', "NEAR(a b)", "title:x OR", "*", "-", "'; DROP TABLE x; --"]:
        assert client.get(reverse("web:search"), {"q": hostile}).status_code == 200


@pytest.mark.parametrize("name", ["web:feed-rss", "web:feed-atom"])
def test_outbound_feeds_parse_and_link_articles(client: Client, wire: Outlet, name: str) -> None:
    article = make_article("Feed item", outlet=wire)
    body = client.get(reverse(name)).content
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    assert parsed.entries[0].title == "Feed item"
    assert parsed.entries[0].link.endswith(reverse("web:article", args=[article.pk]))
    assert "Meridian Wire" in parsed.entries[0].summary


@pytest.mark.parametrize("name", ["web:section-feed-rss", "web:section-feed-atom"])
def test_section_feeds_hold_only_their_section(client: Client, wire: Outlet, name: str) -> None:
    make_article("In business", outlet=wire, section="business")
    make_article("In sport", outlet=wire, section="sport")
    parsed = feedparser.parse(client.get(reverse(name, args=["business"])).content)
    assert [e.title for e in parsed.entries] == ["In business"]


def test_health_check(client: Client) -> None:
    assert client.get(reverse("web:healthz")).json() == {"status": "ok"}


def test_json_feed_is_valid_1_1_and_reads_back_through_our_own_parser(client: Client, wire: Outlet) -> None:
    from wiredesk.ingest.feeds import parse_feed

    make_article("Elsewhere", outlet=wire, section="sport")
    article = make_article("JSON item", outlet=wire, section="business")
    response = client.get(reverse("web:feed-json"))
    assert response["Content-Type"].startswith("application/feed+json")
    document = response.json()
    assert document["version"] == "https://jsonfeed.org/version/1.1" and document["feed_url"].endswith("/feeds/latest.json")
    first = document["items"][0]
    assert first["title"] == "JSON item" and first["external_url"] == article.url  # the primary source
    assert first["url"].endswith(reverse("web:article", args=[article.pk])) and "Meridian Wire" in first["summary"]
    parsed = parse_feed(response.content, response["Content-Type"])
    assert [e.title for e in parsed.entries] == ["JSON item", "Elsewhere"]
    assert parsed.entries[0].url.endswith(reverse("web:article", args=[article.pk]))
    section = client.get(reverse("web:section-feed-json", args=["business"])).json()
    assert [i["title"] for i in section["items"]] == ["JSON item"]
    again = client.get(reverse("web:feed-json"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
