"""Leave a reply: the form posts here, and the reader goes back to the item."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wiredesk.articles.models import Article
from wiredesk.comments import services
from wiredesk.comments.forms import CommentForm
from wiredesk.comments.models import Target
from wiredesk.core.client_address import client_address, trusted_networks
from wiredesk.editorial.models import Post
from wiredesk.stories.models import Story


def item_url(kind: str, target_id: int) -> str:
    """The public page of a commentable item, or 404 if it is not public."""
    if kind == Target.ARTICLE and Article.objects.filter(pk=target_id, removed_at__isnull=True).exists():
        return reverse("web:article", args=[target_id])
    if kind == Target.STORY and Story.objects.filter(pk=target_id, size__gt=0).exists():
        return reverse("web:story", args=[target_id])
    if kind == Target.POST:
        post = Post.objects.filter(Post.live_filter(), pk=target_id).first()
        if post is not None:
            return reverse("web:post", args=[post.slug])
    raise Http404("No such item.")


def with_reply_counts(articles: list[Article]) -> list[Article]:
    """Set `reply_count` on each listed article (one query for the listing)."""
    counts = services.approved_counts(Target.ARTICLE, [a.pk for a in articles])
    for article in articles:
        article.reply_count = counts.get(article.pk, 0)  # type: ignore[attr-defined]
    return articles


def thread_context(kind: str, target_id: int, form: CommentForm | None = None) -> dict[str, object]:
    target = services.ReplyTarget(kind, target_id)
    comments = services.approved_thread(target)
    return {"comment_target": target, "comments": comments,
            "comment_count": sum(1 + len(c.shown_replies) for c in comments),  # type: ignore[attr-defined]
            "comments_closed": services.is_closed(target), "comment_form": form or CommentForm()}


def _from_this_site(request: HttpRequest) -> bool:
    """The reply form was sent from a page of this site: its Origin (every current browser sends
    one with a form POST) or, lacking it, its Referer names this site's own origin. This is the
    cross-site request check for the reply form, which carries no CSRF token so that the story and
    article pages around it stay cacheable for every reader."""
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.META.get("HTTP_ORIGIN")
    if origin:
        return origin == own
    referer = request.META.get("HTTP_REFERER", "")
    return referer == own or referer.startswith(own + "/")


@csrf_exempt  # checked by _from_this_site instead: see there
@require_POST
def leave_reply(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    if not _from_this_site(request):
        return HttpResponseForbidden("Replies are accepted from this site's own pages only.")
    back = item_url(kind, target_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.leave_reply(services.ReplyTarget(kind, target_id), name=data["name"], email=data["email"],
                                 body=data["body"], parent_id=data["parent"],
                                 address=client_address(request.META, trusted_networks(
                                     settings.WIREDESK["WIREDESK_TRUSTED_PROXIES"])))
        except services.CommentRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect(back + "?replied=1#comments")
    context = {"back": back, **thread_context(kind, target_id, form)}
    return render(request, "wiredesk/comment_error.html", context, status=400)
