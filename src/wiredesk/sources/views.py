"""The WebSub callback (sources.websub): the hub's verification of intent (GET) and its pushes (POST)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from wiredesk.core.errors import FeedError
from wiredesk.ingest.feeds import parse_feed
from wiredesk.ingest.pipeline import store_entries
from wiredesk.metrics import counters
from wiredesk.sources import websub
from wiredesk.sources.models import Source, Subscription

log = logging.getLogger("wiredesk.websub")


@csrf_exempt  # the hub is no browser: the callback token and the HMAC signature authenticate it
def callback(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return _verification(request, token)
    if request.method == "POST":
        return _push(request, token)
    return HttpResponse(status=405, headers={"Allow": "GET, POST"})


def _verification(request: HttpRequest, token: str) -> HttpResponse:
    mode, topic = request.GET.get("hub.mode", ""), request.GET.get("hub.topic", "")
    if mode == "denied":
        return HttpResponse("noted\n") if websub.deny(token, topic, request.GET.get("hub.reason", "")) \
            else HttpResponseNotFound()
    challenge = websub.verify(token, mode, topic, request.GET.get("hub.challenge", ""),
                              request.GET.get("hub.lease_seconds", ""))
    if challenge is None:
        return HttpResponseNotFound()
    return HttpResponse(challenge, content_type="text/plain; charset=utf-8")


def _push(request: HttpRequest, token: str) -> HttpResponse:
    sub = websub.subscription_for(token)
    if sub is None or sub.state != Subscription.State.VERIFIED:
        return HttpResponseNotFound()
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > settings.WIREDESK["WIREDESK_HTTP_MAX_BYTES"]:
        return HttpResponse(status=413)
    body = request.body
    if not websub.signature_valid(sub.secret, body, request.headers.get("X-Hub-Signature", "")):
        # Ignored, but acknowledged as the standard advises, so that a forger learns nothing.
        Subscription.objects.filter(pk=sub.pk).update(rejected_pushes=F("rejected_pushes") + 1)
        counters.count_fetch("push", "rejected", "bad_signature")
        log.warning("event=websub_push_rejected source=%s", sub.source_id)
        return HttpResponse(status=202)
    now = timezone.now()
    try:
        feed = parse_feed(body, request.headers.get("Content-Type", ""), sub.topic)
    except FeedError as error:
        counters.count_fetch("push", "error", error.code)
        return HttpResponse(status=202)
    new = store_entries(sub.source, feed, now)
    Subscription.objects.filter(pk=sub.pk).update(pushes=F("pushes") + 1, last_push_at=now)  # pushes race
    # Their pages are fetched at the source's next check: make it now.
    Source.objects.filter(pk=sub.source_id).update(next_check_at=now)
    counters.count_fetch("push", "ok")
    log.info("event=websub_push source=%s new=%d", sub.source_id, len(new))
    return HttpResponse(status=202)
