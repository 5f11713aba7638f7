"""`/metrics` for Prometheus. Open to the loopback addresses, or to anyone presenting
WIREDESK_METRICS_TOKEN as a bearer token (a scraper on another machine)."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from wiredesk.metrics.exposition import render

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _allowed(request: HttpRequest) -> bool:
    token = settings.WIREDESK["WIREDESK_METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback and \
            "HTTP_X_FORWARDED_FOR" not in request.META  # a proxy on this machine forwards others
    except ValueError:
        return False


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse("metrics are served to this machine, or with WIREDESK_METRICS_TOKEN\n", status=403,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(render(), content_type=CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response
