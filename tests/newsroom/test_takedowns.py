"""The takedown desk end to end: request, confirm, review, removal from every surface, and no way back."""

from __future__ import annotations

import re
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import make_source
from tests.localserver import LocalServer, Reply
from wiredesk.articles.models import Article
from wiredesk.ingest.feeds import parse_feed
from wiredesk.ingest.pipeline import Fetchers, check_source, store_entries
from wiredesk.stories.models import StoryMember
from wiredesk.stories.placement import place_all
from wiredesk.takedowns import services
from wiredesk.takedowns.models import AuditEvent, BlockRule, RemovalItem, RemovalRequest

pytestmark = pytest.mark.django_db

HEADLINE = "Quarry collapse traps nine workers near Velmora"
BODY = (
    "VELMORA, 24 November (Meridian Press Agency) - Nine workers were trapped on Tuesday when a wall of the "
    "Oskari limestone quarry collapsed near Velmora, the regional fire service said. Rescuers reached four "
    "of them by the evening and were drilling towards the others through 30 metres of rubble. "
    "\"We can hear them and they are answering us,\" said Ilse Marandt, who leads the rescue. "
    "The quarry, which employs 212 people, had been inspected in March. Its owner, Kestrel Aggregates, "
    "said it was cooperating with the investigation and had stopped work at its two other sites. "
    "Families waited through the night at a sports hall in Velmora, where the town opened an emergency "
    "centre. The regional governor, Tomas Beruk, cut short a visit abroad and was due to arrive on Wednesday."
)


def page(title: str, body: str = BODY) -> bytes:
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in body.split(". ") if sentence.strip())
    return (f"<html lang='en'><head><title>{title}</title></head><body><nav>Home News Sport</nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>Contact us</footer></body></html>").encode()


def feed(server: LocalServer, items: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<item><title>{title}</title><link>{server.base}/p/{guid}</link><guid isPermaLink=\"false\">{guid}</guid>"
                   f"<pubDate>Tue, 24 Nov 2026 0{n}:00:00 GMT</pubDate><category>World</category>"
                   f"<description>Summary of {title}.</description></item>"
                   for n, (guid, title) in enumerate(items, start=1))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>F</title>{body}</channel></rss>".encode()


@pytest.fixture
def wire_and_copy(server: LocalServer, fetchers: Fetchers) -> tuple[Article, Article]:
    """A wire agency's report, and a newspaper's verbatim copy of it at another address."""
    server.route("/wire.rss", Reply(body=feed(server, [("w1", HEADLINE)]), content_type="application/rss+xml"))
    server.route("/paper.rss", Reply(body=feed(server, [("n1", "Nine trapped in quarry collapse")]),
                                     content_type="application/rss+xml"))
    server.route("/p/w1", Reply(body=page(HEADLINE)))
    server.route("/p/n1", Reply(body=page("Nine trapped in quarry collapse")))
    wire = make_source(server.url("/wire.rss"), name="Meridian Press Agency", slug="meridian")
    paper = make_source(server.url("/paper.rss"), name="Harbor Ledger", slug="harbor-ledger")
    check_source(wire, fetchers)
    check_source(paper, fetchers)
    place_all("test")
    original, copy = Article.objects.get(guid="w1"), Article.objects.get(guid="n1")
    member = StoryMember.objects.get(article=copy)
    assert member.is_copy and member.related_to_id == original.pk
    return original, copy


def submit_and_confirm(client: Client, **fields: str) -> RemovalRequest:
    data = {"requester_name": "Ana Reyes", "organisation": "Meridian Press Agency", "email": "legal@meridian.test",
            "relationship": "publisher", "statement": "We did not license this story for republication here.",
            "urls": "", "domain": "", "website": "", **fields}
    response = client.post("/removal/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    link = re.search(r"https?://[^/\s]+(/removal/confirm/[^/\s]+/)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    assert client.get(link).status_code == 200
    status = client.post(link)
    assert status.status_code == 302 and "/removal/status/" in status["Location"]
    return RemovalRequest.objects.get(email=data["email"], confirm_token=link.split("/")[-2])


def approve_as(client: Client, removal: RemovalRequest) -> None:
    response = client.post("/admin/takedowns/removalrequest/",
                           {"action": "approve_requests", "_selected_action": [removal.pk]})
    assert response.status_code == 302


def public_pages(client: Client, article_ids: list[int]) -> dict[str, str]:
    urls = ["/", "/section/world/", "/outlet/meridian/", "/outlet/harbor-ledger/", "/search/?q=quarry",
            "/feeds/latest.rss", "/feeds/latest.atom", "/feeds/section/world.rss"]
    urls += ["/api/v1/articles", "/api/v1/articles?q=quarry", "/api/v1/stories"]
    urls += [f"/story/{m.story_id}/" for m in StoryMember.objects.all()]
    urls += [f"/api/v1/stories/{m.story_id}" for m in StoryMember.objects.all()]
    return {url: client.get(url).content.decode() for url in urls}


def test_it_removes_an_item_and_its_copies_from_every_surface_for_good(
        wire_and_copy: tuple[Article, Article], as_persona, server: LocalServer, fetchers: Fetchers) -> None:  # type: ignore[no-untyped-def]
    original, copy = wire_and_copy
    reader = Client()
    before = public_pages(reader, [original.pk, copy.pk])
    assert any(HEADLINE in html for html in before.values())

    removal = submit_and_confirm(reader, urls=original.url + "?utm_source=mail")
    assert removal.status == RemovalRequest.Status.PENDING
    items = {i.article_id: i for i in removal.items.all()}
    assert items[original.pk].reason == RemovalItem.Reason.NAMED
    assert items[copy.pk].reason == RemovalItem.Reason.COPY and items[copy.pk].relation
    status_page = reader.get(f"/removal/status/{removal.status_token}/").content.decode()
    assert "Waiting for review" in status_page or "waiting for review" in status_page
    assert copy.url in status_page

    approve_as(as_persona("editor"), removal)
    removal.refresh_from_db()
    assert removal.status == RemovalRequest.Status.APPROVED and removal.decided_by.username == "editor"
    for article in (original, copy):
        article.refresh_from_db()
        assert article.removed_at is not None and not article.text and not article.summary
        tombstone = reader.get(f"/article/{article.pk}/")
        assert tombstone.status_code == 410 and "rights holder" in tombstone.content.decode()
        assert reader.get(f"/api/v1/articles/{article.pk}").status_code == 410
    after = public_pages(reader, [original.pk, copy.pk])
    for url, html in after.items():
        assert HEADLINE not in html and "Nine trapped" not in html and "Marandt" not in html, url
        assert f"/article/{original.pk}/" not in html and f"/article/{copy.pk}/" not in html, url
        assert original.url not in html and copy.url not in html, url
    assert "0 results" in reader.get("/search/?q=Marandt").content.decode()
    assert "Decision" not in mail.outbox[-1].subject and "approved" in mail.outbox[-1].subject

    kinds = list(removal.events.values_list("kind", flat=True))
    for kind in ("submitted", "mail_sent", "confirmed", "matched", "item_removed", "block_added", "approved"):
        assert kind in kinds
    assert kinds.count("item_removed") == 2
    approved = removal.events.get(kind="approved")
    assert approved.actor.username == "editor" and approved.at <= timezone.now()

    # Re-ingest of the same feeds brings nothing back.
    from wiredesk.sources.models import Source
    for source in Source.objects.all():
        source.etag = source.last_modified = ""
        check_source(source, fetchers)
    assert not Article.objects.filter(removed_at__isnull=True, text__icontains="Marandt").exists()

    # The same text under a new address, from an outlet never seen before, is refused too.
    server.route("/other.rss", Reply(body=feed(server, [("x9", "Quarry workers trapped")]),
                                     content_type="application/rss+xml"))
    server.route("/p/x9", Reply(body=page("Quarry workers trapped")))
    newcomer = make_source(server.url("/other.rss"), name="Aggregator", slug="aggregator")
    check_source(newcomer, fetchers)
    stored = Article.objects.get(guid="x9")
    assert stored.removed_at is not None and stored.fetch_error_code == "blocked_by_takedown"
    assert "Marandt" not in stored.text and HEADLINE not in stored.title
    assert "Quarry workers trapped" not in reader.get("/").content.decode()
    assert "Quarry workers trapped" not in reader.get("/search/?q=quarry").content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REINGEST_BLOCKED, request=removal).exists()
    assert BlockRule.objects.filter(kind=BlockRule.Kind.FINGERPRINT, hits__gte=1).exists()

    # The transparency page counts it.
    transparency = reader.get("/transparency/").content.decode()
    assert re.search(r"<td>1</td><td>0</td><td>2</td>", transparency)


def test_a_whole_domain_opt_out_blocks_new_entries_from_it(wire_and_copy: tuple[Article, Article]) -> None:
    source = make_source("https://feeds.example.org/rss", name="Example Daily", slug="example-daily")
    parsed = parse_feed(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>E</title>"
        b"<item><title>First</title><link>https://www.example.org/a/1</link><guid>e1</guid></item></channel></rss>",
        "application/rss+xml")
    store_entries(source, parsed, timezone.now())
    removal = RemovalRequest.objects.create(requester_name="E", email="e@example.org", domain="example.org",
                                            relationship="publisher", statement="Opting the whole domain out.",
                                            status=RemovalRequest.Status.PENDING)
    services.approve(removal, None, base_url="http://testserver")
    assert Article.objects.get(guid="e1").removed_at is not None
    later = parse_feed(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>E</title>"
        b"<item><title>Second</title><link>https://news.example.org/a/2</link><guid>e2</guid></item></channel></rss>",
        "application/rss+xml")
    assert store_entries(source, later, timezone.now()) == []
    refused = Article.objects.get(guid="e2")
    assert refused.removed_at is not None and refused.title != "Second"
    assert BlockRule.objects.get(kind=BlockRule.Kind.DOMAIN).hits == 1
    # Another domain that merely contains the name is not caught.
    other = parse_feed(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>E</title>"
        b"<item><title>Third</title><link>https://notexample.org/a/3</link><guid>e3</guid></item></channel></rss>",
        "application/rss+xml")
    assert [a.title for a in store_entries(source, other, timezone.now())] == ["Third"]


@pytest.mark.parametrize(("fields", "error"), [
    ({"urls": "", "domain": ""}, "Name at least one address"),
    ({"urls": "not a url\njavascript:alert(1)"}, "Not a web address"),
    ({"urls": "\n".join(f"https://example.org/{i}" for i in range(51))}, "At most 50"),
    ({"urls": "https://example.org/a", "domain": "http://example.org/path"}, "Give a domain name"),
    ({"urls": "https://example.org/a", "email": "nobody"}, "Enter a valid email"),
    ({"urls": "https://example.org/a", "statement": "short"}, "at least 20"),
    ({"urls": "https://example.org/a", "requester_name": "A\x07B"}, "control characters"),
    ({"urls": "https://example.org/a", "website": "http://spam.example"}, "must be left empty"),
    ({"urls": "https://example.org/a", "statement": "x" * 5001}, "at most 5000"),
])
def test_a_bad_request_gets_a_clear_error_and_saves_nothing(fields: dict[str, str], error: str) -> None:
    data = {"requester_name": "Ana", "email": "ana@example.org", "relationship": "author",
            "statement": "Please remove my article from your site.", **fields}
    response = Client().post("/removal/", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert RemovalRequest.objects.count() == 0 and AuditEvent.objects.count() == 0 and mail.outbox == []


def test_when_the_confirmation_mail_fails_nothing_is_saved() -> None:
    data = {"requester_name": "Ana", "email": "ana@example.org", "relationship": "author",
            "statement": "Please remove my article from your site.", "urls": "https://example.org/a"}
    with mock.patch("wiredesk.takedowns.services.send_mail", side_effect=SMTPException("down")):
        response = Client().post("/removal/", data)
    assert response.status_code == 400 and "could not send the confirmation email" in response.content.decode()
    assert RemovalRequest.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_the_form_needs_a_csrf_token_and_confirming_twice_changes_nothing() -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/removal/", {"requester_name": "A"}).status_code == 403
    removal = RemovalRequest.objects.create(requester_name="E", email="e@example.org", urls=["https://example.org/a"],
                                            relationship="author", statement="Remove it, please, it is mine.")
    client = Client()
    client.post(f"/removal/confirm/{removal.confirm_token}/")
    client.post(f"/removal/confirm/{removal.confirm_token}/")
    assert AuditEvent.objects.filter(request=removal, kind=AuditEvent.Kind.CONFIRMED).count() == 1
    with pytest.raises(services.TakedownError):
        services.reject(RemovalRequest.objects.create(
            requester_name="U", email="u@example.org", relationship="author", statement="Unconfirmed request here."),
            None)


def test_a_rejected_request_removes_nothing_and_tells_the_requester(wire_and_copy: tuple[Article, Article],
                                                                    as_persona) -> None:  # type: ignore[no-untyped-def]
    original, _ = wire_and_copy
    removal = submit_and_confirm(Client(), urls=original.url)
    removal.decision_note = "This is a short factual quotation with credit."
    removal.save()
    response = as_persona("editor").post("/admin/takedowns/removalrequest/",
                                         {"action": "reject_requests", "_selected_action": [removal.pk]})
    assert response.status_code == 302
    removal.refresh_from_db()
    assert removal.status == RemovalRequest.Status.REJECTED
    assert Article.objects.get(pk=original.pk).removed_at is None
    assert "rejected" in mail.outbox[-1].subject and "short factual quotation" in mail.outbox[-1].body
    assert "short factual quotation" in Client().get(f"/removal/status/{removal.status_token}/").content.decode()
    assert not BlockRule.objects.exists()


def test_a_canonical_url_rule_refuses_entries_and_pages_that_point_at_it() -> None:
    from wiredesk.takedowns.blocklist import PageScreen

    source = make_source("https://feeds.example.net/rss", name="Net Daily", slug="net-daily")
    removal = RemovalRequest.objects.create(requester_name="N", email="n@example.net", relationship="publisher",
                                            statement="Remove our syndicated story everywhere.",
                                            status=RemovalRequest.Status.PENDING)
    stored = Article.objects.create(source=source, outlet=source.outlet, dedup_key="c1", identity="guid",
                                    url="https://mirror.example.com/copy?id=7",
                                    canonical_url="https://www.example.net/story/7", title="Story seven",
                                    published_at=timezone.now())
    RemovalItem.objects.create(request=removal, article=stored, reason=RemovalItem.Reason.NAMED, url=stored.url)
    services.approve(removal, None)
    assert BlockRule.objects.filter(kind=BlockRule.Kind.CANONICAL_URL, value="https://www.example.net/story/7").exists()
    # An entry linking straight to the canonical address is refused at the feed...
    later = parse_feed(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>N</title><item><title>Story seven again</title>"
        b"<link>https://www.example.net/story/7?utm_source=rss</link><guid>c2</guid></item></channel></rss>",
        "application/rss+xml")
    assert store_entries(source, later, timezone.now()) == []
    # ...and a page elsewhere that declares it as its canonical address is refused after extraction.
    rule = PageScreen.load().rule_for("https://www.example.net/story/7", "Unrelated words in a page body.")
    assert rule is not None and rule.kind == BlockRule.Kind.CANONICAL_URL
    assert PageScreen.load().rule_for("https://www.example.net/story/8", "Unrelated words in a page body.") is None


def test_a_domain_covers_its_subdomains_through_the_host_table_and_nothing_that_merely_contains_it() -> None:
    from wiredesk.articles.models import Host
    from wiredesk.takedowns.matching import on_domain

    source = make_source("https://feeds.example.net/rss", name="Example Net", slug="example-net")
    items = [("n1", "https://www.example.net/a"), ("n2", "https://news.example.net/b"),
             ("n3", "https://notexample.net/c"), ("n4", "https://example.net.evil.test/d")]
    body = "".join(f"<item><title>{guid}</title><link>{url}</link><guid>{guid}</guid></item>" for guid, url in items)
    stored = store_entries(source, parse_feed(
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>N</title>{body}</channel></rss>".encode(),
        "application/rss+xml"), timezone.now())
    hosts = {a.guid: a.host.name for a in Article.objects.filter(pk__in=[a.pk for a in stored]).select_related("host")}
    assert hosts == {"n1": "example.net", "n2": "news.example.net", "n3": "notexample.net", "n4": "example.net.evil.test"}
    assert Host.objects.filter(name="example.net").count() == 1  # one row per host, shared by its articles
    covered = set(Article.objects.filter(pk__in=on_domain("example.net")).values_list("guid", flat=True))
    assert covered == {"n1", "n2"}
    assert set(Article.objects.filter(pk__in=on_domain("WWW.Example.net")).values_list("guid", flat=True)) == {"n1", "n2"}
    assert on_domain("") == []


def test_articles_stored_before_hosts_existed_get_theirs_from_the_migration() -> None:
    import importlib

    from django.apps import apps

    source = make_source("https://feeds.example.com/rss", name="Old", slug="old")
    article = Article.objects.create(source=source, outlet=source.outlet, dedup_key="k", identity="guid",
                                     url="https://old.example.com/story", title="Old story",
                                     published_at=timezone.now())
    assert article.host is not None and article.host.name == "old.example.com"  # save() sets it
    Article.objects.filter(pk=article.pk).update(host=None)
    migration = importlib.import_module("wiredesk.articles.migrations.0004_article_host")
    migration.fill_hosts(apps, None)
    assert Article.objects.get(pk=article.pk).host.name == "old.example.com"
