"""Outbound RSS and Atom: the front page and each section. Every item links to the article page
here, whose first link is the primary source, and credits the outlet in its description."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from wiredesk.articles import queries
from wiredesk.articles.models import Article
from wiredesk.editorial import queries as posts
from wiredesk.editorial.models import Post
from wiredesk.sections.models import Section
from wiredesk.web.cards import pk_link

ITEMS = 50
Item = Article | Post


def _merged(articles: list[Article], newsroom: list[Post]) -> list[Item]:
    """Aggregated articles and the newsroom's posts in one reverse-chronological list."""
    items: list[Item] = [*articles, *newsroom]
    items.sort(key=lambda i: i.publish_at if isinstance(i, Post) else i.published_at, reverse=True)
    return items[:ITEMS]


class LatestRss(Feed):
    def title(self) -> str:
        return f"{settings.WIREDESK['WIREDESK_SITE_NAME']}: latest"

    def link(self) -> str:
        return reverse("web:front")

    description = "The latest news from every outlet, each linked to its primary source."

    def items(self) -> list[Item]:
        return _merged(queries.latest(ITEMS, with_stories=False), posts.latest(ITEMS))

    def item_title(self, item: Item) -> str:
        return item.headline if isinstance(item, Post) else item.title

    def item_description(self, item: Item) -> str:
        if isinstance(item, Post):
            return f"{item.standfirst} (From the {settings.WIREDESK['WIREDESK_SITE_NAME']} newsroom)"
        return f"{item.summary} (Originally published by {item.outlet.name}: {item.url})"

    def item_link(self, item: Item) -> str:
        if isinstance(item, Post):
            return reverse("web:post", args=[item.slug])
        return pk_link("web:article", item.pk)  # (reversed once per process: web.cards)

    def item_pubdate(self, item: Item):  # type: ignore[no-untyped-def]
        return item.publish_at if isinstance(item, Post) else item.published_at

    def item_author_name(self, item: Item) -> str:
        if isinstance(item, Post):
            return item.byline
        return item.byline or item.outlet.name

    def item_categories(self, item: Item) -> list[str]:
        return [item.section.name] if item.section else []


class LatestAtom(LatestRss):
    feed_type = Atom1Feed
    subtitle = LatestRss.description


class SectionRss(LatestRss):
    def get_object(self, request: HttpRequest, slug: str) -> Section:  # type: ignore[override]
        return get_object_or_404(Section, slug=slug)

    def title(self, obj: Section) -> str:  # type: ignore[override]
        return f"{settings.WIREDESK['WIREDESK_SITE_NAME']}: {obj.name}"

    def link(self, obj: Section) -> str:  # type: ignore[override]
        return reverse("web:section", args=[obj.slug])

    def items(self, obj: Section) -> list[Item]:  # type: ignore[override]
        return _merged(queries.in_section(obj.slug, ITEMS), posts.latest(ITEMS, section_slug=obj.slug))


class SectionAtom(SectionRss):
    feed_type = Atom1Feed
    subtitle = LatestRss.description
