"""Host rows for article URLs, created in bulk as articles are stored."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from wiredesk.articles.models import Article, Host
from wiredesk.core.urls import bare_domain, domain_of


def host_ids(urls: Iterable[str]) -> dict[str, int]:
    """Host name -> Host id for every URL's host, creating the missing rows (two queries)."""
    names = {name[:255] for name in map(domain_of, urls) if name}
    if not names:
        return {}
    Host.objects.bulk_create([Host(name=name) for name in names], ignore_conflicts=True)
    return dict(Host.objects.filter(name__in=names).values_list("name", "pk"))


def assign_hosts(articles: Iterable[Article]) -> None:
    """Set the host of every article that has none yet, from its URL (two queries for them all)."""
    missing = [article for article in articles if article.host_id is None and article.url]
    hosts = host_ids(article.url for article in missing)
    for article in missing:
        article.host_id = hosts.get(domain_of(article.url))


def on_domain(domain: str) -> list[int]:
    """Ids of the hosts that are `domain` or one of its subdomains ("news.example.org" for
    "example.org"; never "notexample.org")."""
    domain = bare_domain(domain)
    if not domain:
        return []
    return list(Host.objects.filter(Q(name=domain) | Q(name__endswith="." + domain)).values_list("pk", flat=True))
