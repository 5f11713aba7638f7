"""Plain dicts for the JSON API: what a client needs, and always the primary source and credit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from wiredesk.articles.models import Article
from wiredesk.editorial.models import Post
from wiredesk.stories.models import Story, StoryMember


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def article(item: Article, member: StoryMember | None = None) -> dict[str, Any]:
    member = member if member is not None else getattr(item, "story_member", None)
    return {
        "id": item.pk,
        "title": item.title,
        "summary": item.summary,
        "authors": list(item.authors or []),
        "url": item.url,  # the primary source: where the outlet published it
        "outlet": {"name": item.outlet.name, "slug": item.outlet.slug},
        "credit": f"Originally published by {item.outlet.name}",
        "section": item.section.slug if item.section_id else None,
        "published_at": _when(item.published_at),
        "page": reverse("web:article", args=[item.pk]),
        "story": member.story_id if member else None,
        "relation": (member.relation or None) if member else None,
        "related_to": member.related_to_id if member else None,
    }


def story(item: Story) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "size": item.size,
        "outlets": item.outlet_count,
        "first_seen": _when(item.first_seen),
        "last_updated": _when(item.last_updated),
        "primary_article": item.primary_article_id,
        "primary_agency": item.primary_agency or None,
        "page": reverse("web:story", args=[item.pk]),
    }


def post(item: Post) -> dict[str, Any]:
    return {
        "id": item.pk,
        "headline": item.headline,
        "standfirst": item.standfirst,
        "byline": item.byline,
        "section": item.section.slug if item.section_id else None,
        "published_at": _when(item.publish_at),
        "page": reverse("web:post", args=[item.slug]),
        "newsroom": True,
        "updates": [{"kind": u.kind, "note": u.note, "at": _when(u.created_at)} for u in item.updates.all()],
    }
