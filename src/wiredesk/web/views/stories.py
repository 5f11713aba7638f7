"""The story page: full coverage of one event across outlets, with provenance."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from wiredesk.comments.models import Target
from wiredesk.stories.models import Story
from wiredesk.stories.queries import coverage
from wiredesk.web.views.comments import thread_context


def story_page(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.select_related("primary_article__outlet"), pk=pk)
    if story.merged_into_id:
        return redirect("web:story", pk=story.merged_into_id, permanent=True)
    if story.size == 0:  # every member was removed at a rights holder's request
        raise Http404("This story has no coverage left.")
    return render(request, "wiredesk/story.html", {"coverage": coverage(story), "story": story,
                                                   **thread_context(Target.STORY, story.pk)})
