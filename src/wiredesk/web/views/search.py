"""Search: full-text over headlines, summaries and texts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wiredesk.articles import queries, search
from wiredesk.articles.models import Article
from wiredesk.editorial import queries as posts
from wiredesk.web.views.comments import with_reply_counts

MAX_QUERY = 200


def _is_copy(article: Article) -> bool:
    member = getattr(article, "story_member", None)  # the missing-relation error is an AttributeError
    return bool(member and member.is_copy)


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = queries.by_ids(search.search_ids(query, limit=50)) if query else []
    # Copies (spun, wire, duplicate) after the reports they copy: the original is what a reader wants first.
    results.sort(key=_is_copy)
    with_reply_counts(results)
    return render(request, "wiredesk/search.html", {"query": query, "articles": results,
                                                    "posts": posts.search(query) if query else []})
