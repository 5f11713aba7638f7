"""WebSub subscriber against a local hub: subscribe, verify intent, signed pushes only, renewal,
and polling as the fallback when the hub fails."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_source
from tests.localserver import LocalServer, Reply
from wiredesk.articles.models import Article
from wiredesk.ingest.pipeline import Fetchers, check_source
from wiredesk.sources.models import Source, Subscription

pytestmark = pytest.mark.django_db


def feed(server: LocalServer, items: list[tuple[str, str]], hub: str = "/hub") -> bytes:
    entries = "".join(f"<item><title>{title}</title><link>{server.base}/p/{guid}</link><guid>{guid}</guid></item>"
                      for guid, title in items)
    return (f"<?xml version='1.0'?><rss version='2.0' xmlns:atom='http://www.w3.org/2005/Atom'><channel>"
            f"<title>Pushed</title><atom:link rel='hub' href='{server.base}{hub}'/>"
            f"<atom:link rel='self' href='{server.base}/feed'/>{entries}</channel></rss>").encode()


@pytest.fixture
def websub_on(settings):  # type: ignore[no-untyped-def]
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_WEBSUB": True, "WIREDESK_SITE_URL": "https://desk.example",
                         "WIREDESK_POLL_MIN_INTERVAL": 60, "WIREDESK_POLL_MAX_INTERVAL": 7_200}


def subscribed(server: LocalServer, fetchers: Fetchers) -> tuple[Source, Subscription, dict[str, list[str]]]:
    server.route("/hub", Reply(202))
    server.route("/feed", Reply(body=feed(server, [("a1", "First")]), content_type="application/rss+xml"))
    source = make_source(server.url("/feed"))
    check_source(source, fetchers, pages_per_job=0)
    assert len(server.posts) == 1
    path, headers, body = server.posts[0]
    assert path == "/hub" and headers["content-type"] == "application/x-www-form-urlencoded"
    return source, Subscription.objects.get(source=source), parse_qs(body.decode())


def verify(client: Client, sub: Subscription, lease: int = 86_400) -> str:
    response = client.get(f"/websub/{sub.callback_token}", {"hub.mode": "subscribe", "hub.topic": sub.topic,
                                                             "hub.challenge": "c-123", "hub.lease_seconds": lease})
    return f"{response.status_code} {response.content.decode()}"


def push(client: Client, sub: Subscription, body: bytes, signature: str | None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_X_HUB_SIGNATURE": signature} if signature is not None else {}
    return client.post(f"/websub/{sub.callback_token}", body, content_type="application/rss+xml", **headers)


def sign(secret: str, body: bytes, method: str = "sha256") -> str:
    return f"{method}={hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()}"


def test_a_feed_naming_a_hub_is_subscribed_with_a_secret_and_an_unguessable_callback(
        server: LocalServer, fetchers: Fetchers, websub_on: None) -> None:
    _, sub, form = subscribed(server, fetchers)
    assert form["hub.mode"] == ["subscribe"] and form["hub.topic"] == [server.url("/feed")]
    assert form["hub.callback"] == [f"https://desk.example/websub/{sub.callback_token}"]
    assert form["hub.secret"] == [sub.secret] and len(sub.secret) >= 32 and len(sub.callback_token) >= 24
    assert sub.state == Subscription.State.PENDING


def test_intent_is_verified_only_for_what_we_asked(server: LocalServer, fetchers: Fetchers, websub_on: None) -> None:
    source, sub, _ = subscribed(server, fetchers)
    client = Client()
    wrong_topic = client.get(f"/websub/{sub.callback_token}", {"hub.mode": "subscribe", "hub.topic": "https://x/",
                                                               "hub.challenge": "c"})
    assert wrong_topic.status_code == 404
    assert client.get("/websub/not-a-token", {"hub.mode": "subscribe", "hub.topic": sub.topic,
                                               "hub.challenge": "c"}).status_code == 404
    unsubscribe = client.get(f"/websub/{sub.callback_token}", {"hub.mode": "unsubscribe", "hub.topic": sub.topic,
                                                               "hub.challenge": "c"})
    assert unsubscribe.status_code == 404  # we never asked to unsubscribe
    assert verify(client, sub, lease=86_400) == "200 c-123"
    sub.refresh_from_db()
    assert sub.state == Subscription.State.VERIFIED
    assert timedelta(hours=23) < sub.expires_at - timezone.now() <= timedelta(days=1)


def test_only_signed_pushes_are_stored_and_their_pages_fetched_at_once(
        server: LocalServer, fetchers: Fetchers, websub_on: None) -> None:
    source, sub, _ = subscribed(server, fetchers)
    client = Client()
    body = feed(server, [("a1", "First"), ("a2", "Pushed second")])
    assert push(client, sub, body, sign(sub.secret, body)).status_code == 404  # not verified yet
    verify(client, sub)
    Source.objects.filter(pk=source.pk).update(next_check_at=timezone.now() + timedelta(hours=1))
    for signature in (None, "sha256=" + "0" * 64, sign("another secret", body), "md5=abc",
                      sign(sub.secret, body + b" "), "sha256="):
        assert push(client, sub, body, signature).status_code == 202  # acknowledged, and ignored
    assert not Article.objects.filter(guid__endswith="/a2").exists()
    sub.refresh_from_db()
    assert sub.rejected_pushes == 6
    assert push(client, sub, body, sign(sub.secret, body)).status_code == 202
    assert Article.objects.filter(guid__endswith="/a2", source=source).count() == 1
    assert Source.objects.get(pk=source.pk).next_check_at <= timezone.now()  # its pages: now
    again = feed(server, [("a2", "Pushed second"), ("a3", "Third")])
    assert push(client, sub, again, sign(sub.secret, again, "sha1")).status_code == 202  # the older method
    assert push(client, sub, again, sign(sub.secret, again)).status_code == 202  # a duplicate delivery
    assert Article.objects.filter(source=source).count() == 3
    # The safety-net poll sees the same entries: pushed and polled entries are one identity.
    server.route("/feed", Reply(body=feed(server, [("a1", "First"), ("a2", "Pushed second"), ("a3", "Third")]),
                                content_type="application/rss+xml"))
    assert check_source(Source.objects.get(pk=source.pk), fetchers, pages_per_job=0).new_articles == 0


def test_a_live_subscription_makes_polling_the_safety_net_and_is_renewed_before_it_ends(
        server: LocalServer, fetchers: Fetchers, websub_on: None) -> None:
    source, sub, _ = subscribed(server, fetchers)
    verify(Client(), sub, lease=3 * 86_400)
    source = Source.objects.get(pk=source.pk)
    check_source(source, fetchers, pages_per_job=0)
    source.refresh_from_db()
    assert source.check_interval >= 7_200  # the longest interval while the hub pushes
    assert len(server.posts) == 1  # fresh: not asked again
    Subscription.objects.filter(pk=sub.pk).update(expires_at=timezone.now() + timedelta(hours=2))
    check_source(Source.objects.get(pk=source.pk), fetchers, pages_per_job=0)
    assert len(server.posts) == 2 and parse_qs(server.posts[1][2].decode())["hub.mode"] == ["subscribe"]


def test_a_failing_or_refusing_hub_leaves_the_feed_polled_as_before(
        server: LocalServer, fetchers: Fetchers, websub_on: None) -> None:
    server.route("/hub", Reply(500, b"hub down"))
    server.route("/feed", Reply(body=feed(server, [("a1", "First")]), content_type="application/rss+xml"))
    source = make_source(server.url("/feed"))
    check_source(source, fetchers, pages_per_job=0)
    sub = Subscription.objects.get(source=source)
    assert sub.state == Subscription.State.FAILED and "500" in sub.last_error
    source.refresh_from_db()
    assert source.last_error_code == "" and source.check_interval < 7_200  # the feed itself is fine
    check_source(source, fetchers, pages_per_job=0)
    assert len(server.posts) == 2 - 1  # not asked again until the back-off is over
    Subscription.objects.filter(pk=sub.pk).update(requested_at=timezone.now() - timedelta(hours=7))
    server.route("/hub", Reply(202))
    check_source(Source.objects.get(pk=source.pk), fetchers, pages_per_job=0)
    assert len(server.posts) == 2
    # A hub that denies the subscription outright: noted, and polling goes on.
    sub = Subscription.objects.get(pk=sub.pk)
    denied = Client().get(f"/websub/{sub.callback_token}", {"hub.mode": "denied", "hub.topic": sub.topic,
                                                            "hub.reason": "not allowed"})
    assert denied.status_code == 200
    sub.refresh_from_db()
    assert sub.state == Subscription.State.FAILED and "not allowed" in sub.last_error


def test_nothing_is_subscribed_unless_the_operator_turns_websub_on(server: LocalServer, fetchers: Fetchers) -> None:
    server.route("/hub", Reply(202))
    server.route("/feed", Reply(body=feed(server, [("a1", "First")]), content_type="application/rss+xml"))
    check_source(make_source(server.url("/feed")), fetchers, pages_per_job=0)
    assert server.posts == [] and not Subscription.objects.exists()
