"""WebSub (W3C Recommendation, 2018) subscriber: a hub pushes a feed's new entries as they appear.

- **Subscribe.** When a checked feed names a hub (`rel="hub"`; JSON Feed `hubs`), and
  WIREDESK_WEBSUB is on, the desk asks the hub (`hub.mode=subscribe`, the feed's `rel="self"`
  address as topic, a callback URL with an unguessable token under WIREDESK_SITE_URL, a per-
  subscription random `hub.secret`, the lease it would like).
- **Verify intent.** The hub then GETs the callback with a `hub.challenge`; it is echoed only if mode,
  topic and token match a subscription we asked for, and the lease the hub grants is recorded.
- **Pushes.** A POST to the callback is accepted only with a valid `X-Hub-Signature` (sha256, or the
  older sha1, HMAC of the exact body with the secret); anything else is ignored, though acknowledged
  as the standard advises (so a forger learns nothing). A valid push is parsed and stored exactly
  as a polled feed is (same parser, same identity, idempotent), and the source is made due so its
  pages are fetched at once.
- **Renew and fall back.** While a verified subscription is fresh the source is polled only at the
  longest interval, as a safety net; a subscription is renewed when less than RENEW_BEFORE of its
  lease is left (at a check), and a hub that refuses or fails leaves the source polled as before,
  asked again after a back-off.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from wiredesk.core.errors import FetchError
from wiredesk.core.http import HttpClient
from wiredesk.ingest.feeds import ParsedFeed
from wiredesk.sources.models import Source, Subscription

log = logging.getLogger("wiredesk.websub")

LEASE_ASKED = 10 * 86_400  # seconds asked for; hubs grant what they like
RENEW_BEFORE = timedelta(days=1)
RETRY_AFTER_FAILURE = timedelta(hours=6)


def enabled() -> bool:
    return bool(settings.WIREDESK["WIREDESK_WEBSUB"])


def callback_url(subscription: Subscription) -> str:
    return f"{settings.WIREDESK['WIREDESK_SITE_URL'].rstrip('/')}/websub/{subscription.callback_token}"


def is_live(source: Source, now: datetime | None = None) -> bool:
    """Does a verified, unexpired subscription push this source's entries?"""
    if not enabled() or not source.pk:
        return False
    now = now or timezone.now()
    sub = getattr(source, "subscription", None)
    return bool(sub and sub.state == Subscription.State.VERIFIED and sub.expires_at and sub.expires_at > now)


def maintain(source: Source, feed: ParsedFeed, client: HttpClient, now: datetime | None = None) -> None:
    """After a successful check: subscribe where the feed names a hub and no fresh subscription
    exists (new, expiring, failed long enough ago, or the hub changed). Never raises: a hub's failure
    leaves the source polled."""
    if not enabled() or not feed.hub:
        return
    now = now or timezone.now()
    sub = Subscription.objects.filter(source=source).first()
    topic = (feed.self_url or source.feed_url)[:1000]
    if sub is not None and sub.hub == feed.hub[:1000] and sub.topic == topic and not _due(sub, now):
        return
    if sub is None:
        sub = Subscription(source=source, secret=secrets.token_hex(32), callback_token=secrets.token_urlsafe(24))
    sub.hub, sub.topic, sub.requested_at = feed.hub[:1000], topic, now
    if sub.state != Subscription.State.VERIFIED:
        sub.state = Subscription.State.PENDING
    sub.save()
    try:
        client.post_form(sub.hub, {"hub.mode": "subscribe", "hub.topic": sub.topic, "hub.callback": callback_url(sub),
                                   "hub.secret": sub.secret, "hub.lease_seconds": str(LEASE_ASKED)})
    except FetchError as error:
        sub.state, sub.last_error = Subscription.State.FAILED, f"{error.code}: {error.message}"[:500]
        sub.save(update_fields=["state", "last_error"])
        log.warning("event=websub_subscribe_failed source=%s hub=%s code=%s", source.pk, sub.hub, error.code)
        return
    log.info("event=websub_subscribe_requested source=%s hub=%s", source.pk, sub.hub)


def _due(sub: Subscription, now: datetime) -> bool:
    """Ask (again)? When it failed a while ago, or is verified and its lease ends soon. A pending
    request is left to the hub for a while (it verifies asynchronously), then asked again."""
    asked = sub.requested_at or datetime.min.replace(tzinfo=now.tzinfo)
    if sub.state in (Subscription.State.FAILED, Subscription.State.PENDING):
        return now - asked >= RETRY_AFTER_FAILURE
    return sub.expires_at is None or sub.expires_at - now < RENEW_BEFORE


def verify(token: str, mode: str, topic: str, challenge: str, lease: str) -> str | None:
    """The challenge to echo if this verification matches what we asked for; None otherwise."""
    sub = Subscription.objects.filter(callback_token=token).first()
    if sub is None or not challenge or topic != sub.topic:
        return None
    now = timezone.now()
    if mode == "subscribe":
        seconds = int(lease) if lease.isdigit() else LEASE_ASKED
        sub.state, sub.expires_at, sub.last_error = Subscription.State.VERIFIED, now + timedelta(seconds=seconds), ""
        sub.save(update_fields=["state", "expires_at", "last_error"])
        log.info("event=websub_verified source=%s lease=%s", sub.source_id, seconds)
        return challenge
    if mode == "unsubscribe":
        return None  # we never ask to unsubscribe: someone else is asking in our name
    return None


def deny(token: str, topic: str, reason: str) -> bool:
    """The hub refused the subscription (`hub.mode=denied`): polling goes on as before."""
    updated = Subscription.objects.filter(callback_token=token, topic=topic).update(
        state=Subscription.State.FAILED, last_error=f"denied by the hub: {reason}"[:500])
    return bool(updated)


def signature_valid(secret: str, body: bytes, header: str) -> bool:
    """X-Hub-Signature: "sha256=<hex>" (or sha1, sha384, sha512), an HMAC of the exact body."""
    method, _, given = header.strip().partition("=")
    if method.lower() not in ("sha1", "sha256", "sha384", "sha512") or not given:
        return False
    expected = hmac.new(secret.encode(), body, getattr(hashlib, method.lower())).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


def subscription_for(token: str) -> Subscription | None:
    return Subscription.objects.select_related("source", "source__outlet", "source__section").filter(
        callback_token=token).first()
