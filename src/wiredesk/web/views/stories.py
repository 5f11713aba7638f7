"""The story page: full coverage of one event across outlets, with provenance."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from wiredesk.stories.models import Story
from wiredesk.stories.queries import coverage


def story_page(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.select_related("primary_article__outlet"), pk=pk)
    if story.merged_into_id:
        return redirect("web:story", pk=story.merged_into_id, permanent=True)
    return render(request, "wiredesk/story.html", {"coverage": coverage(story), "story": story})
