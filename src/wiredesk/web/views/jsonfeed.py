"""Outbound JSON Feed 1.1, beside RSS and Atom, for the front page and each section.

Built from the same feed classes (the same items, titles, links, dates and credits), so the three
formats never disagree. Each item's `url` is the article page here; `external_url` is the primary
source, and the summary credits the outlet, as in RSS. The page cache in front of it gives it the
same validators and freshness as every other page.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from wiredesk.editorial.models import Post
from wiredesk.sections.models import Section
from wiredesk.web.views.feeds import Item, LatestRss, SectionRss

VERSION = "https://jsonfeed.org/version/1.1"
CONTENT_TYPE = "application/feed+json; charset=utf-8"


def _absolute(request: HttpRequest, path: str) -> str:
    base = settings.WIREDESK["WIREDESK_SITE_URL"].rstrip("/")
    return base + path if path.startswith("/") else path


def _item(feed: LatestRss, request: HttpRequest, item: Item) -> dict[str, object]:
    url = _absolute(request, feed.item_link(item))
    entry: dict[str, object] = {
        "id": url, "url": url, "title": feed.item_title(item), "summary": feed.item_description(item),
        "content_text": feed.item_description(item),
        "date_published": feed.item_pubdate(item).isoformat(),
        "tags": feed.item_categories(item),
    }
    author = feed.item_author_name(item)
    if author:
        entry["authors"] = [{"name": author}]
    if not isinstance(item, Post):
        entry["external_url"] = item.url  # the primary source
    return entry


def _render(request: HttpRequest, feed: LatestRss, obj: Section | None, feed_path: str) -> HttpResponse:
    title = feed.title(obj) if obj is not None else feed.title()  # type: ignore[call-arg]
    link = feed.link(obj) if obj is not None else feed.link()  # type: ignore[call-arg]
    items = feed.items(obj) if obj is not None else feed.items()  # type: ignore[call-arg]
    document = {
        "version": VERSION, "title": title, "home_page_url": _absolute(request, link),
        "feed_url": _absolute(request, feed_path), "description": LatestRss.description, "language": "en",
        "items": [_item(feed, request, item) for item in items],
    }
    return HttpResponse(json.dumps(document, ensure_ascii=False), content_type=CONTENT_TYPE)


def latest_json(request: HttpRequest) -> HttpResponse:
    return _render(request, LatestRss(), None, request.path)


def section_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _render(request, SectionRss(), get_object_or_404(Section, slug=slug), request.path)
