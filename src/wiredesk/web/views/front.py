"""The front page: the latest articles across sections, then a block per section."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wiredesk.articles import queries
from wiredesk.sections.models import Section

PER_SECTION = 4


def front_page(request: HttpRequest) -> HttpResponse:
    latest = queries.latest(13)
    shown = {a.pk for a in latest}
    blocks = []
    for section in Section.objects.all():
        items = [a for a in queries.in_section(section.slug, PER_SECTION + 6) if a.pk not in shown][:PER_SECTION]
        if items:
            blocks.append((section, items))
    return render(request, "wiredesk/front.html", {
        "lead": latest[0] if latest else None, "latest": latest[1:], "blocks": blocks,
    })
