"""The demo outlets' feeds, each outlet in its own format: RSS 2.0, RSS 1.0, Atom 1.0, JSON Feed 1.1.

The aggregator's RSS carries no <guid>, as many do, so wiredesk's per-source identity falls back
to the item link there.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from html import escape

from wiredesk.demo.world import DemoArticle, DemoOutlet


def render_feed(outlet: DemoOutlet, items: list[DemoArticle], base_url: str, now: datetime) -> tuple[bytes, str]:
    """Feed body and its content type."""
    renderer = {"rss2": _rss2, "rss1": _rss1, "atom": _atom, "json": _json}[outlet.feed_format]
    return renderer(outlet, items, base_url, now)


def _link(base_url: str, item: DemoArticle) -> str:
    return f"{base_url}/news/{item.slug}"


def _rss2(outlet: DemoOutlet, items: list[DemoArticle], base_url: str, now: datetime) -> tuple[bytes, str]:
    parts = []
    for item in items:
        guid = "" if outlet.role == "aggregator" else f"<guid isPermaLink=\"false\">{escape(item.guid)}</guid>"
        parts.append(
            f"<item><title>{escape(item.title)}</title><link>{escape(_link(base_url, item))}</link>{guid}"
            f"<pubDate>{format_datetime(item.published)}</pubDate>"
            f"<category>{item.section}</category><dc:creator>{escape(item.byline)}</dc:creator>"
            f"<description>{escape(item.summary)}</description>"
            f"<media:content url=\"{base_url}/img/{item.slug}.svg\" medium=\"image\"/></item>"
        )
    body = (
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:media=\"http://search.yahoo.com/mrss/\"><channel>"
        f"<title>{escape(outlet.name)}</title><link>{base_url}/</link>"
        f"<description>{escape(outlet.tagline)}</description>"
        f"<lastBuildDate>{format_datetime(now)}</lastBuildDate>{''.join(parts)}</channel></rss>"
    )
    return body.encode("utf-8"), "application/rss+xml; charset=utf-8"


def _rss1(outlet: DemoOutlet, items: list[DemoArticle], base_url: str, now: datetime) -> tuple[bytes, str]:
    seq = "".join(f"<rdf:li rdf:resource=\"{escape(_link(base_url, i))}\"/>" for i in items)
    parts = "".join(
        f"<item rdf:about=\"{escape(_link(base_url, i))}\"><title>{escape(i.title)}</title>"
        f"<link>{escape(_link(base_url, i))}</link><description>{escape(i.summary)}</description>"
        f"<dc:date>{i.published.isoformat()}</dc:date><dc:subject>{i.section}</dc:subject>"
        f"<dc:creator>{escape(i.byline)}</dc:creator></item>"
        for i in items
    )
    body = (
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
        "xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
        f"<channel rdf:about=\"{base_url}/feed\"><title>{escape(outlet.name)}</title><link>{base_url}/</link>"
        f"<description>{escape(outlet.tagline)}</description><items><rdf:Seq>{seq}</rdf:Seq></items>"
        f"</channel>{parts}</rdf:RDF>"
    )
    return body.encode("utf-8"), "application/rdf+xml; charset=utf-8"


def _atom(outlet: DemoOutlet, items: list[DemoArticle], base_url: str, now: datetime) -> tuple[bytes, str]:
    parts = "".join(
        f"<entry><title>{escape(i.title)}</title><link rel=\"alternate\" href=\"{escape(_link(base_url, i))}\"/>"
        f"<id>tag:{outlet.slug}.demo,2026:{escape(i.guid)}</id><published>{i.published.isoformat()}</published>"
        f"<updated>{i.published.isoformat()}</updated><author><name>{escape(i.byline)}</name></author>"
        f"<category term=\"{i.section}\"/><summary>{escape(i.summary)}</summary></entry>"
        for i in items
    )
    body = (
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
        f"<title>{escape(outlet.name)}</title><link href=\"{base_url}/\"/>"
        f"<id>tag:{outlet.slug}.demo,2026:feed</id><updated>{now.isoformat()}</updated>{parts}</feed>"
    )
    return body.encode("utf-8"), "application/atom+xml; charset=utf-8"


def _json(outlet: DemoOutlet, items: list[DemoArticle], base_url: str, now: datetime) -> tuple[bytes, str]:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": f"{base_url}/",
        "feed_url": f"{base_url}/feed",
        "items": [
            {
                "id": i.guid, "url": _link(base_url, i), "title": i.title, "summary": i.summary,
                "content_text": i.summary, "date_published": i.published.isoformat(),
                "authors": [{"name": i.byline}], "tags": [i.section],
                "image": f"{base_url}/img/{i.slug}.svg",
            }
            for i in items
        ],
    }
    return json.dumps(feed).encode("utf-8"), "application/feed+json; charset=utf-8"
