"""Read side of the newsroom's posts: what the public sees."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from wiredesk.editorial.models import Post


def live() -> QuerySet[Post]:
    return Post.objects.filter(Post.live_filter()).select_related("section")


def next_scheduled(now: datetime) -> datetime | None:
    """When the next approved post goes live by the clock alone (no write marks that moment)."""
    return (Post.objects.filter(status=Post.Status.APPROVED, publish_at__gt=now).order_by("publish_at")
            .values_list("publish_at", flat=True).first())


def latest(limit: int = 5, section_slug: str | None = None) -> list[Post]:
    posts = live()
    if section_slug:
        posts = posts.filter(section__slug=section_slug)
    return list(posts[:limit])


def search(query: str, limit: int = 10) -> list[Post]:
    """Posts whose headline, standfirst or body hold every word (the newsroom's posts are few)."""
    words = query.split()[:8]
    if not words:
        return []
    wanted = Q()
    for word in words:
        wanted &= Q(headline__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
    return list(live().filter(wanted)[:limit])
