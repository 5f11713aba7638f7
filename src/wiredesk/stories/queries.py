"""Read side of stories: ranking for the front page, full coverage for the story page."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from wiredesk.articles.models import Article
from wiredesk.ingest.match import COPY_RELATIONS
from wiredesk.ingest.spin import word_diff
from wiredesk.stories.models import Story, StoryMember

RANK_POOL = 300
HALF_LIFE_HOURS = 12.0


def rank_score(outlets: int, size: int, last_updated: datetime, now: datetime) -> float:
    """Breadth of coverage (distinct outlets count most, extra copies a little), halved every 12 hours."""
    age_hours = max(0.0, (now - last_updated).total_seconds() / 3600)
    breadth = outlets + 0.25 * math.log1p(max(0, size - outlets))
    return breadth * 0.5 ** (age_hours / HALF_LIFE_HOURS)


def top_stories(limit: int = 20, section_slug: str | None = None) -> list[Story]:
    """Live stories ranked by breadth and recency, with their primary article loaded."""
    pool = Story.objects.filter(merged_into__isnull=True, size__gt=0, primary_article__isnull=False)
    if section_slug:
        pool = pool.filter(primary_article__section__slug=section_slug)
    pool = pool.select_related("primary_article__outlet", "primary_article__section").order_by("-last_updated")
    candidates = list(pool[:RANK_POOL])
    if not candidates:
        return []
    now = max(timezone.now(), max(s.last_updated for s in candidates))
    newest = max(s.last_updated for s in candidates)
    # Rank against the newest story rather than the wall clock when the feed has gone quiet
    # (a demo started days after its world was made), so the order still means something.
    reference = newest if (now - newest).total_seconds() > 86400 else now
    return sorted(candidates, key=lambda s: -rank_score(s.outlet_count, s.size, s.last_updated, reference))[:limit]


@dataclass
class CoverageItem:
    member: StoryMember
    article: Article
    copied: Article | None = None  # what a copy copies; independent coverage copies nothing
    swaps: list[tuple[str, str]] = field(default_factory=list)
    spans: list[str] = field(default_factory=list)


@dataclass
class Coverage:
    story: Story
    primary: Article | None
    originals: list[CoverageItem]
    wire_copies: list[CoverageItem]
    duplicates: list[CoverageItem]
    independent: list[CoverageItem]
    spun: list[CoverageItem]
    timeline: list[CoverageItem]


def coverage(story: Story) -> Coverage:
    members = list(StoryMember.objects.filter(story=story).select_related("article__outlet", "related_to__outlet")
                   .order_by("published_at", "article_id"))
    items = []
    for member in members:
        item = CoverageItem(member=member, article=member.article,
                            copied=member.related_to if member.relation in COPY_RELATIONS else None)
        text = member.article.text or member.article.summary
        item.spans = [text[start:end] for start, end, _ in member.spin_spans[:12]]
        if member.relation == StoryMember.Relation.SPUN_COPY and member.related_to is not None:
            original = member.related_to.text or member.related_to.summary
            item.swaps = [(s.original, s.replacement) for s in word_diff(original, text, limit=40)
                          if s.original and s.replacement][:25]
        items.append(item)
    by = lambda relation: [i for i in items if i.member.relation == relation]  # noqa: E731
    return Coverage(
        story=story, primary=story.primary_article,
        originals=[i for i in items if i.member.relation == ""], wire_copies=by("wire_copy"),
        duplicates=by("duplicate"), independent=by("same_story"), spun=by("spun_copy"), timeline=items,
    )
