"""Which stored articles a removal request covers.

Named URLs match an article's feed URL or canonical URL (tracking parameters and case ignored);
a domain matches every article whose address is on it or a subdomain; and the story engine's
copy relations add every duplicate, wire copy and spun copy of a named item, however many hops
away (a spun copy of a wire copy of the named report is still the named report).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from wiredesk.articles.hosts import on_domain as hosts_on_domain
from wiredesk.articles.models import Article
from wiredesk.core.urls import canonicalize
from wiredesk.ingest.match import COPY_RELATIONS
from wiredesk.stories.models import StoryMember
from wiredesk.takedowns.models import RemovalItem

MAX_COPY_HOPS = 4
MAX_DOMAIN_ITEMS = 5000


@dataclass(frozen=True)
class Match:
    article_id: int
    reason: str
    relation: str = ""


def named(urls: list[str]) -> list[int]:
    wanted = Q()
    for url in urls:
        canon = canonicalize(url)
        wanted |= Q(url=url) | Q(url=canon) | Q(canonical_url=canon)
    if not urls:
        return []
    return list(Article.objects.filter(wanted, removed_at__isnull=True).values_list("pk", flat=True))


def on_domain(domain: str) -> list[int]:
    """Articles served from `domain` or any subdomain of it: the matching hosts first (a small
    table), then their articles through the indexed host key, never a scan of every article."""
    hosts = hosts_on_domain(domain)
    if not hosts:
        return []
    return list(Article.objects.filter(host_id__in=hosts, removed_at__isnull=True)
                .order_by("pk").values_list("pk", flat=True)[:MAX_DOMAIN_ITEMS])


def copies_of(article_ids: list[int]) -> list[Match]:
    """Every copy of these articles the story engine recorded, following copies of copies."""
    found: dict[int, str] = {}
    frontier, seen = list(article_ids), set(article_ids)
    for _ in range(MAX_COPY_HOPS):
        rows = list(StoryMember.objects.filter(related_to_id__in=frontier, relation__in=COPY_RELATIONS,
                                               article__removed_at__isnull=True)
                    .values_list("article_id", "relation"))
        frontier = [pk for pk, _ in rows if pk not in seen]
        for pk, relation in rows:
            if pk not in seen:
                found[pk] = relation
                seen.add(pk)
        if not frontier:
            break
    return [Match(pk, RemovalItem.Reason.COPY, relation) for pk, relation in found.items()]


def covered(urls: list[str], domain: str) -> list[Match]:
    """What a request covers: named items first, then the domain's, then copies of both."""
    matches: dict[int, Match] = {}
    for pk in named(urls):
        matches.setdefault(pk, Match(pk, RemovalItem.Reason.NAMED))
    for pk in on_domain(domain):
        matches.setdefault(pk, Match(pk, RemovalItem.Reason.DOMAIN))
    for match in copies_of(list(matches)):
        matches.setdefault(match.article_id, match)
    return list(matches.values())
