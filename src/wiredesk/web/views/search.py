"""Search: full-text over headlines, summaries and texts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wiredesk.articles import queries, search

MAX_QUERY = 200


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = queries.by_ids(search.search_ids(query, limit=50)) if query else []
    return render(request, "wiredesk/search.html", {"query": query, "articles": results})
