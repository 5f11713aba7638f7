"""Version 1 of the read-only JSON API. Reads through the same queries as the site, so whatever
the site does not show (a removed item, an unpublished post) the API does not show either."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from wiredesk.api import serializers
from wiredesk.api.schema import openapi
from wiredesk.articles import queries, search
from wiredesk.articles.models import Article
from wiredesk.editorial import queries as posts
from wiredesk.stories.models import Story, StoryMember
from wiredesk.stories.queries import top_stories

MAX_LIMIT = 100


class BadParameter(ValueError):
    pass


def _limit(request: HttpRequest, default: int = 20) -> int:
    raw = request.GET.get("limit", str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadParameter(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _reads(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """GET only; a bad query parameter is a 400 with a readable message."""
    @require_GET
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return _error(400, str(error))
    return wrapped


def _json(data: Any) -> JsonResponse:
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})


@_reads
def article_list(request: HttpRequest) -> JsonResponse:
    limit = _limit(request)
    query = request.GET.get("q", "").strip()[:200]
    if query:
        items = queries.by_ids(search.search_ids(query, limit=limit))
    else:
        found = queries.published()
        if request.GET.get("section"):
            found = found.filter(section__slug=request.GET["section"])
        if request.GET.get("outlet"):
            found = found.filter(outlet__slug=request.GET["outlet"])
        items = list(found[:limit])
    return _json({"articles": [serializers.article(a) for a in items]})


@_reads
def article_detail(request: HttpRequest, pk: int) -> JsonResponse:
    item = get_object_or_404(Article.objects.select_related("outlet", "section"), pk=pk)
    if item.is_removed:
        return JsonResponse({"id": item.pk, "removed": True, "removed_at": item.removed_at.isoformat(),
                             "reason": "removed at the rights holder's request"}, status=410)
    member = StoryMember.objects.filter(article=item).first()
    return _json(dict(serializers.article(item, member), text=item.text if item.outlet.shows_full_text else None))


@_reads
def story_list(request: HttpRequest) -> JsonResponse:
    limit = _limit(request)
    return _json({"stories": [serializers.story(s) for s in top_stories(limit, request.GET.get("section") or None)]})


@_reads
def story_detail(request: HttpRequest, pk: int) -> JsonResponse:
    item = get_object_or_404(Story, pk=pk, merged_into__isnull=True, size__gt=0)
    members = (StoryMember.objects.filter(story=item, article__removed_at__isnull=True)
               .select_related("article__outlet", "article__section").order_by("published_at", "article_id"))
    return _json(dict(serializers.story(item), coverage=[serializers.article(m.article, m) for m in members]))


@_reads
def post_list(request: HttpRequest) -> JsonResponse:
    limit = _limit(request)
    return _json({"posts": [serializers.post(p) for p in posts.latest(limit, request.GET.get("section") or None)]})


@_reads
def schema(request: HttpRequest) -> JsonResponse:
    return _json(openapi())
