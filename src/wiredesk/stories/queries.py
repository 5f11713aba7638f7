"""Read side of stories: ranking for the front page, full coverage for the story page."""

from __future__ import annotations

from dataclasses import dataclass, field

from wiredesk.articles.models import Article
from wiredesk.ingest.match import COPY_RELATIONS
from wiredesk.ingest.spin import word_diff
from wiredesk.stories.models import SHOWN, Story, StoryMember


def top_stories(limit: int = 20, section_slug: str | None = None) -> list[Story]:
    """Shown stories ranked by breadth and recency (Story.rank, see models.rank_key), with their
    primary article loaded (without its text): one walk down an index, whatever the archive holds."""
    pool = Story.objects.filter(SHOWN)
    if section_slug:
        pool = pool.filter(primary_article__section__slug=section_slug)
    return list(pool.select_related("primary_article__outlet", "primary_article__section",
                                    "primary_article__story_member")
                .defer("primary_article__text", "primary_article__html").order_by("-rank", "-pk")[:limit])


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
