"""Liveness check for process managers and load balancers (answers once the database does), and the icon."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers, feed readers and crawlers ask for /favicon.ico whatever the page links: send them to
    the site's icon instead of a 404 in every log."""
    return HttpResponsePermanentRedirect(static("wiredesk/icon.svg"))
