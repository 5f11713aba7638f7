"""Leave a reply: moderation queue, spam rules, rate limit, honeypot, CSRF, one level of replies."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_source
from wiredesk.articles.models import Article
from wiredesk.comments import services
from wiredesk.comments.models import Comment, Thread
from wiredesk.editorial.models import Post

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"  # the reply form is accepted from this site's own pages only


@pytest.fixture
def article() -> Article:
    source = make_source("https://gazette.example/rss")
    from django.utils import timezone
    return Article.objects.create(source=source, outlet=source.outlet, dedup_key="k1", identity="guid",
                                  url="https://gazette.example/a/1", title="Harbour bridge reopens",
                                  summary="The bridge reopened.", published_at=timezone.now())


def reply(client: Client, article: Article, **fields: object):  # type: ignore[no-untyped-def]
    data = {"name": "Reader One", "email": "one@example.org", "body": "A thoughtful reply about the bridge.",
            "website": "", "parent": "", **fields}
    return client.post(f"/comments/article/{article.pk}/", data, REMOTE_ADDR=fields.get("ip", "203.0.113.9"),
                       HTTP_ORIGIN=ORIGIN)


def test_a_reply_waits_for_a_moderator_then_shows_with_its_count(article: Article, as_persona) -> None:  # type: ignore[no-untyped-def]
    response = reply(Client(), article)
    assert response.status_code == 302 and response["Location"].endswith("?replied=1#comments")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.email == "one@example.org"
    page = Client().get(f"/article/{article.pk}/").content.decode()
    assert "A thoughtful reply" not in page and "No replies yet" in page
    moderator = as_persona("moderator")
    assert moderator.post("/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]}).status_code == 302
    page = Client().get(f"/article/{article.pk}/").content.decode()
    assert "A thoughtful reply" in page and "Replies (1)" in page
    assert "one@example.org" not in page  # the email is never shown
    listing = Client().get(f"/outlet/{article.outlet.slug}/").content.decode()
    assert f'/article/{article.pk}/#comments">1 reply</a>' in listing


def test_replies_go_one_level_deep_only(article: Article) -> None:
    top = services.leave_reply(services.ReplyTarget("article", article.pk), name="A", email="", body="First reply here.",
                               parent_id=None, address="198.51.100.1")
    Comment.objects.filter(pk=top.pk).update(status=Comment.Status.APPROVED)
    child = services.leave_reply(services.ReplyTarget("article", article.pk), name="B", email="", body="An answer to it.",
                                 parent_id=top.pk, address="198.51.100.2")
    assert child.parent_id == top.pk
    Comment.objects.filter(pk=child.pk).update(status=Comment.Status.APPROVED)
    response = reply(Client(), article, parent=child.pk, body="A reply to a reply.", ip="198.51.100.3")
    assert response.status_code == 400 and "not available" in response.content.decode()
    page = Client().get(f"/article/{article.pk}/").content.decode()
    assert page.index("First reply here.") < page.index("An answer to it.") and "Replies (2)" in page


@pytest.mark.parametrize(("body", "reason"), [
    ("Buy now http://a.example http://b.example http://c.example", "too_many_links"),
    ("<a href='http://x.example'>x</a> www.y.example [url=http://z.example]z[/url]", "too_many_links"),
])
def test_link_heavy_replies_are_held_as_spam(article: Article, body: str, reason: str) -> None:
    reply(Client(), article, body=body)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM and reason in comment.spam_reasons


def test_the_same_text_again_is_held_as_spam(article: Article) -> None:
    reply(Client(), article, body="Great article, visit my profile!", ip="192.0.2.1")
    reply(Client(), article, body="great   ARTICLE, visit my profile", ip="192.0.2.2")
    first, second = Comment.objects.order_by("pk")
    assert first.status == Comment.Status.PENDING
    assert second.status == Comment.Status.SPAM and "repeated_text" in second.spam_reasons


def test_an_address_that_replies_too_often_is_refused_and_nothing_is_saved(article: Article, settings) -> None:  # type: ignore[no-untyped-def]
    limit = settings.WIREDESK["WIREDESK_COMMENTS_PER_IP"]
    for n in range(limit):
        assert reply(Client(), article, body=f"Reply number {n} with words.").status_code == 302
    refused = reply(Client(), article, body="One reply too many.")
    assert refused.status_code == 400 and "wait a little" in refused.content.decode()
    assert Comment.objects.count() == limit
    assert reply(Client(), article, body="From elsewhere.", ip="192.0.2.200").status_code == 302


def test_behind_a_trusted_proxy_each_reader_is_limited_on_their_own(article: Article, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_TRUSTED_PROXIES": ["127.0.0.1/32"]}
    limit = settings.WIREDESK["WIREDESK_COMMENTS_PER_IP"]

    def via_proxy(reader: str, body: str):  # type: ignore[no-untyped-def]
        data = {"name": "Reader", "email": "", "body": body, "website": "", "parent": ""}
        return Client().post(f"/comments/article/{article.pk}/", data, REMOTE_ADDR="127.0.0.1",
                             HTTP_X_FORWARDED_FOR=reader, HTTP_ORIGIN=ORIGIN)

    for n in range(limit):
        assert via_proxy("198.51.100.7", f"Reply number {n} from the first reader.").status_code == 302
    assert via_proxy("198.51.100.7", "One too many from the first reader.").status_code == 400
    assert via_proxy("198.51.100.8", "The second reader is not held back.").status_code == 302


@pytest.mark.parametrize(("fields", "error"), [
    ({"website": "http://bot.example"}, "must be left empty"),
    ({"name": ""}, "This field is required"),
    ({"body": "x" * 3001}, "at most 3000"),
    ({"email": "not-an-email"}, "valid email"),
    ({"body": "bell\x07inside"}, "control characters"),
])
def test_a_bad_reply_gets_a_form_error_and_saves_nothing(article: Article, fields: dict[str, str], error: str) -> None:
    response = reply(Client(), article, **fields)
    assert response.status_code == 400 and error in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_reply_can_never_inject_markup(article: Article) -> None:
    reply(Client(), article, body='<script>alert(1)</script><img src=x onerror=alert(2)> <b style="x">bold</b>',
          name="<i>Eve</i>")
    Comment.objects.update(status=Comment.Status.APPROVED)
    page = Client().get(f"/article/{article.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<i>Eve</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;i&gt;Eve&lt;/i&gt;" in page


def test_replies_from_another_site_are_refused(article: Article) -> None:
    client = Client(enforce_csrf_checks=True)
    reply = {"name": "A", "body": "Hello there"}
    url = f"/comments/article/{article.pk}/"
    assert client.post(url, reply, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert client.post(url, reply).status_code == 403  # neither Origin nor Referer: not from our page
    assert client.post(url, reply, HTTP_REFERER="https://evil.example/testserver/").status_code == 403
    assert Comment.objects.count() == 0
    assert client.post(url, reply, HTTP_REFERER=f"{ORIGIN}/article/{article.pk}/").status_code == 302
    assert client.post(url, reply, HTTP_ORIGIN=ORIGIN).status_code == 302


def test_a_moderator_can_close_comments_on_an_item(article: Article, as_persona) -> None:  # type: ignore[no-untyped-def]
    response = as_persona("moderator").post("/admin/comments/thread/add/",
                                            {"target_kind": "article", "target_id": article.pk, "closed": "on"})
    assert response.status_code == 302 and Thread.objects.get().closed
    refused = reply(Client(), article)
    assert refused.status_code == 400 and "closed" in refused.content.decode()
    assert "Comments are closed" in Client().get(f"/article/{article.pk}/").content.decode()
    assert Comment.objects.count() == 0


def test_replies_work_on_stories_and_posts_and_not_on_unpublished_items(article: Article) -> None:
    from django.utils import timezone
    live = Post.objects.create(headline="Our view", slug="our-view", body="Text.", byline="Desk",
                               status=Post.Status.APPROVED, publish_at=timezone.now())
    draft = Post.objects.create(headline="Draft", slug="draft", body="Text.", byline="Desk")
    assert Client().post(f"/comments/post/{live.pk}/", {"name": "A", "body": "Nice post."}, HTTP_ORIGIN=ORIGIN).status_code == 302
    assert Client().post(f"/comments/post/{draft.pk}/", {"name": "A", "body": "Nice post."}, HTTP_ORIGIN=ORIGIN).status_code == 404
    assert Client().post("/comments/story/999/", {"name": "A", "body": "Nice story."}, HTTP_ORIGIN=ORIGIN).status_code == 404
    assert Client().post("/comments/elsewhere/1/", {"name": "A", "body": "Nice."}, HTTP_ORIGIN=ORIGIN).status_code == 404
    assert Comment.objects.count() == 1
