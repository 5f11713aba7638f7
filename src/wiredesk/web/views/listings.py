"""Section and outlet pages: reverse-chronological lists with their feeds."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from wiredesk.articles import queries
from wiredesk.editorial import queries as posts
from wiredesk.sections.models import Section
from wiredesk.sources.models import Outlet
from wiredesk.web.views.comments import with_reply_counts


def section_page(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    return render(request, "wiredesk/listing.html", {
        "heading": section.name, "articles": with_reply_counts(queries.in_section(slug, 60)), "section": section,
        "posts": posts.latest(5, section_slug=slug),
    })


def outlet_page(request: HttpRequest, slug: str) -> HttpResponse:
    outlet = get_object_or_404(Outlet, slug=slug)
    return render(request, "wiredesk/listing.html", {
        "heading": outlet.name, "articles": with_reply_counts(queries.by_outlet(slug, 60)), "outlet": outlet,
    })


def outlet_index(request: HttpRequest) -> HttpResponse:
    outlets = Outlet.objects.annotate(
        article_count=Count("articles", filter=Q(articles__removed_at__isnull=True))).order_by("name")
    return render(request, "wiredesk/outlets.html", {"outlets": outlets})
