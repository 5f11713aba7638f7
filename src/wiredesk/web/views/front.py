"""The front page: the latest articles across sections, then a block per section."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wiredesk.articles import queries
from wiredesk.editorial import queries as posts
from wiredesk.sections.models import Section
from wiredesk.stories.queries import top_stories
from wiredesk.web.views.comments import with_reply_counts

PER_SECTION = 4


def front_page(request: HttpRequest) -> HttpResponse:
    """Top stories ranked by breadth of coverage and recency, then the latest by section."""
    top = top_stories(9)
    latest = [s.primary_article for s in top] or queries.latest(13)
    shown = {a.pk for a in latest}
    blocks = []
    sections = list(Section.objects.all())
    newest = queries.in_sections([s.pk for s in sections], PER_SECTION + 2)
    for section in sections:
        items = [a for a in newest[section.pk] if a.pk not in shown][:PER_SECTION]
        if items:
            blocks.append((section, items))
    with_reply_counts([*latest, *(a for _, items in blocks for a in items)])
    stories = {s.primary_article_id: s for s in top}
    for article in latest:
        article.top_story = stories.get(article.pk)
    return render(request, "wiredesk/front.html", {
        "lead": latest[0] if latest else None, "latest": latest[1:], "blocks": blocks, "posts": posts.latest(5),
    })
