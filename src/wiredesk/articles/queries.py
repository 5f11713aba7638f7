"""Read-side queries for aggregated articles: what the site shows and in what order."""

from __future__ import annotations

from django.db.models import QuerySet

from wiredesk.articles.models import Article


def published() -> QuerySet[Article]:
    """Articles visible on the site, with what every listing needs fetched beside them.

    The list itself is read from the articles table alone, so its plan is a walk down the live
    index whatever the planner knows: joined to the outlets, SQLite with fresh statistics starts
    from the 40-row outlets table and sorts every article. Outlets, sections and story memberships
    then come by primary key, one query each, for the page's rows only."""
    return (Article.objects.filter(removed_at__isnull=True)
            .prefetch_related("outlet", "section", "story_member").defer("html", "text"))


def latest(limit: int = 30) -> list[Article]:
    return list(published()[:limit])


def in_section(slug: str, limit: int = 40) -> list[Article]:
    return list(published().filter(section__slug=slug)[:limit])


def by_outlet(slug: str, limit: int = 40) -> list[Article]:
    return list(published().filter(outlet__slug=slug)[:limit])


def by_ids(ids: list[int]) -> list[Article]:
    """Articles in the order of `ids` (a search ranking)."""
    found = {a.pk: a for a in published().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]
