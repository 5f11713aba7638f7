"""The demo newsroom's own posts, so the offline demo shows editorial work beside the aggregated
news: a published analysis with a correction and approved replies, a post scheduled for later,
and a draft waiting for an editor. Fictional, like the rest of the demo world."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wiredesk.comments.models import Comment, Target
from wiredesk.comments.services import ip_hash
from wiredesk.core.text import content_hash
from wiredesk.editorial.models import Post, PostUpdate
from wiredesk.editorial.rendering import render_markdown
from wiredesk.sections.models import Section

ANALYSIS = """How this demo site works, in three steps.

1. **Aggregation.** Nine fictional outlets publish feeds; wiredesk reads them, fetches every page
   and keeps the main text.
2. **Stories.** Reports of the same event are grouped into one story, with the outlet that reported
   first credited as the primary source.
3. **Copies.** Syndicated wire copies and machine-spun rewrites are recognised and linked to the
   report they copy; a spun copy is never shown as an original.

Every aggregated item links to its source. See the [transparency page](/transparency/) for how
removal requests are handled.
"""


def publish_demo_posts() -> None:
    """Create the demo posts once (idempotent by slug)."""
    now = timezone.now()
    world = Section.objects.filter(slug="world").first()
    analysis, created = Post.objects.get_or_create(slug="how-this-desk-works", defaults={
        "headline": "How our wire desk sorts a day of news", "standfirst": "From nine outlets to one page of stories.",
        "body": ANALYSIS, "body_html": render_markdown(ANALYSIS), "section": world, "byline": "The Desk",
        "status": Post.Status.APPROVED, "publish_at": now - timedelta(hours=1),
        "lead_image_caption": "", "lead_image_credit": ""})
    if created:
        PostUpdate.objects.create(post=analysis, kind=PostUpdate.Kind.CORRECTION,
                                  note="An earlier version said eight outlets; the demo world has nine.")
        for name, body in [("Reader in Harbor City", "Useful to see which report came first."),
                           ("Ines", "Does the desk also catch copies that were translated and back?")]:
            Comment.objects.create(target_kind=Target.POST, target_id=analysis.pk, name=name, body=body,
                                   status=Comment.Status.APPROVED, ip_hash=ip_hash("demo"),
                                   body_hash=content_hash(body))
    Post.objects.get_or_create(slug="weekend-briefing", defaults={
        "headline": "Weekend briefing", "body": "Scheduled: goes live in two hours.",
        "body_html": render_markdown("Scheduled: goes live in two hours."), "byline": "The Desk",
        "status": Post.Status.APPROVED, "publish_at": now + timedelta(hours=2)})
    Post.objects.get_or_create(slug="draft-election-explainer", defaults={
        "headline": "Explainer draft", "body": "Waiting for an editor.", "body_html": "<p>Waiting for an editor.</p>",
        "byline": "A Writer", "status": Post.Status.REVIEW})
