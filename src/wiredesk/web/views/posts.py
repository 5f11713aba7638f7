"""The newsroom's own posts: one page each, marked as ours, with corrections and replies."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from wiredesk.comments.models import Target
from wiredesk.editorial.models import Post
from wiredesk.web.views.comments import thread_context


def post_page(request: HttpRequest, slug: str) -> HttpResponse:
    post = get_object_or_404(Post.objects.filter(Post.live_filter()).select_related("section"), slug=slug)
    return render(request, "wiredesk/post.html", {
        "post": post, "updates": list(post.updates.all()), "section": post.section,
        **thread_context(Target.POST, post.pk),
    })
