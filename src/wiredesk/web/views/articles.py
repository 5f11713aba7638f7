"""The article page: what we know of one aggregated article, and the way to its primary source."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from wiredesk.articles.models import Article
from wiredesk.comments.models import Target
from wiredesk.stories.models import StoryMember
from wiredesk.web.views.comments import thread_context


def article_page(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("outlet", "section", "source"), pk=pk)
    if article.is_removed:  # a tombstone: gone for good, and saying why
        return render(request, "wiredesk/tombstone.html", {"article": article}, status=410)
    show_full = article.outlet.shows_full_text and article.has_full_text
    related = (Article.objects.select_related("outlet").defer("html", "text")
               .filter(section=article.section, removed_at__isnull=True).exclude(pk=article.pk)[:5]) if article.section else []
    member = StoryMember.objects.filter(article=article).select_related(
        "story__primary_article__outlet", "related_to__outlet").first()
    story = member.story if member else None
    while story is not None and story.merged_into_id:
        story = story.merged_into
    primary = story.primary_article if story else None
    return render(request, "wiredesk/article.html", {
        **thread_context(Target.ARTICLE, article.pk),
        "article": article, "show_full": show_full, "related": related, "member": member, "story": story,
        "primary": primary if primary is not None and primary.pk != article.pk else None,
    })
