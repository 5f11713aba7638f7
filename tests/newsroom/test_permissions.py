"""Every view and admin action against every persona: who may, who may not.

Expected outcomes: 200 (allowed), 403 (a signed-in user without the permission), "login" (sent to
the login page). Actions are checked by their effect, since the admin answers a forbidden action
with the changelist and changes nothing.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import make_source
from wiredesk.articles.models import Article
from wiredesk.comments.models import Comment, Thread
from wiredesk.editorial.models import Post
from wiredesk.stories.models import Story, StoryMember
from wiredesk.takedowns.models import RemovalRequest

pytestmark = pytest.mark.django_db

W, E, M, A, R, X = "writer", "editor", "moderator", "administrator", "reader", "outsider"
PERSONAS = [W, E, M, A, R, X]


@pytest.fixture
def items() -> dict[str, int]:
    source = make_source("https://gazette.example/rss")
    article = Article.objects.create(source=source, outlet=source.outlet, dedup_key="k", identity="guid",
                                     url="https://gazette.example/a/1", title="A", published_at=timezone.now())
    post = Post.objects.create(headline="P", slug="p", body="b", byline="x", status=Post.Status.APPROVED,
                               publish_at=timezone.now())
    removal = RemovalRequest.objects.create(requester_name="R", email="r@example.org", relationship="author",
                                            statement="Please remove my own article.", urls=[article.url],
                                            status=RemovalRequest.Status.PENDING)
    story = Story.objects.create(title="S", first_seen=timezone.now(), last_updated=timezone.now(), size=1,
                                 outlet_count=1, primary_article=article)
    StoryMember.objects.create(article=article, story=story, published_at=article.published_at)
    return {"article": article.pk, "post": post.pk, "removal": removal.pk, "story": story.pk,
            "confirm": removal.confirm_token, "status": removal.status_token, "outlet": source.outlet.slug}


PUBLIC = ["/", "/section/world/", "/outlets/", "/outlet/{outlet}/", "/article/{article}/", "/story/{story}/",
          "/post/p/", "/search/?q=a", "/feeds/latest.rss", "/feeds/latest.atom", "/feeds/section/world.atom",
          "/removal/", "/removal/sent/", "/removal/confirm/{confirm}/", "/removal/status/{status}/",
          "/transparency/", "/healthz", "/api/v1/articles", "/api/v1/articles/{article}", "/api/v1/stories",
          "/api/v1/stories/{story}", "/api/v1/posts", "/api/v1/openapi.json"]

ADMIN: dict[str, dict[str, object]] = {
    "/admin/": {W: 200, E: 200, M: 200, A: 200, R: "login", X: "login"},
    "/admin/editorial/post/": {W: 200, E: 200, M: 200, A: 200, R: "login", X: "login"},
    "/admin/editorial/post/add/": {W: 200, E: 200, M: 403, A: 200, R: "login", X: "login"},
    "/admin/comments/comment/": {W: 403, E: 200, M: 200, A: 200, R: "login", X: "login"},
    "/admin/comments/thread/add/": {W: 403, E: 403, M: 200, A: 200, R: "login", X: "login"},
    "/admin/takedowns/removalrequest/": {W: 403, E: 200, M: 403, A: 200, R: "login", X: "login"},
    "/admin/takedowns/removalrequest/{removal}/change/": {W: 403, E: 200, M: 403, A: 200, R: "login", X: "login"},
    "/admin/takedowns/blockrule/": {W: 403, E: 200, M: 403, A: 200, R: "login", X: "login"},
    "/admin/takedowns/blockrule/add/": {W: 403, E: 403, M: 403, A: 200, R: "login", X: "login"},
    "/admin/takedowns/auditevent/": {W: 403, E: 200, M: 403, A: 200, R: "login", X: "login"},
    "/admin/sources/source/": {W: 403, E: 403, M: 403, A: 200, R: "login", X: "login"},
    "/admin/auth/user/": {W: 403, E: 403, M: 403, A: 200, R: "login", X: "login"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_are_open_to_everyone(path: str, persona: str, items: dict[str, int], as_persona) -> None:  # type: ignore[no-untyped-def]
    assert as_persona(persona).get(path.format(**items)).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", list(ADMIN))
def test_admin_pages_follow_the_roles(path: str, persona: str, items: dict[str, int], as_persona) -> None:  # type: ignore[no-untyped-def]
    expected = ADMIN[path][persona]
    response = as_persona(persona).get(path.format(**items))
    if expected == "login":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    else:
        assert response.status_code == expected


def _action(client, path: str, action: str, pk: int) -> None:  # type: ignore[no-untyped-def]
    client.post(path, {"action": action, "_selected_action": [pk]})


@pytest.mark.parametrize(("persona", "allowed"), [(W, False), (E, True), (M, False), (A, True), (R, False), (X, False)])
def test_only_editors_and_administrators_decide_removals(persona: str, allowed: bool, items: dict[str, int], as_persona) -> None:  # type: ignore[no-untyped-def]
    _action(as_persona(persona), "/admin/takedowns/removalrequest/", "approve_requests", items["removal"])
    status = RemovalRequest.objects.get(pk=items["removal"]).status
    assert status == (RemovalRequest.Status.APPROVED if allowed else RemovalRequest.Status.PENDING)
    assert (Article.objects.get(pk=items["article"]).removed_at is not None) is allowed


@pytest.mark.parametrize(("persona", "allowed"), [(W, False), (E, False), (M, True), (A, True), (R, False), (X, False)])
def test_only_moderators_and_administrators_moderate(persona: str, allowed: bool, items: dict[str, int], as_persona) -> None:  # type: ignore[no-untyped-def]
    comment = Comment.objects.create(target_kind="article", target_id=items["article"], name="N", body="Hello there",
                                     ip_hash="x", body_hash="y")
    for action in ("approve", "mark_spam"):
        _action(as_persona(persona), "/admin/comments/comment/", action, comment.pk)
    assert Comment.objects.get(pk=comment.pk).status == (Comment.Status.SPAM if allowed else Comment.Status.PENDING)


@pytest.mark.parametrize(("persona", "allowed"), [(W, False), (E, True), (M, False), (A, True), (R, False), (X, False)])
def test_only_editors_and_administrators_publish(persona: str, allowed: bool, as_persona) -> None:  # type: ignore[no-untyped-def]
    user_post = Post.objects.create(headline="Q", slug="q", body="b", byline="x", status=Post.Status.REVIEW)
    _action(as_persona(persona), "/admin/editorial/post/", "publish_now", user_post.pk)
    assert Post.objects.get(pk=user_post.pk).is_live is allowed


def test_audit_events_cannot_be_edited_or_deleted_even_by_administrators(items: dict[str, int], as_persona) -> None:  # type: ignore[no-untyped-def]
    from wiredesk.takedowns.models import AuditEvent
    event = AuditEvent.objects.create(kind="submitted", actor_label="requester")
    admin = as_persona(A)
    assert admin.get(f"/admin/takedowns/auditevent/{event.pk}/delete/").status_code == 403
    admin.post(f"/admin/takedowns/auditevent/{event.pk}/change/", {"kind": "approved"})
    assert AuditEvent.objects.get(pk=event.pk).kind == "submitted"


@pytest.mark.parametrize("persona", PERSONAS)
def test_private_removal_links_need_their_token(persona: str, items: dict[str, int], as_persona) -> None:  # type: ignore[no-untyped-def]
    client = as_persona(persona)
    assert client.get("/removal/status/not-the-token/").status_code == 404
    assert client.get("/removal/confirm/not-the-token/").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["article", "story", "post"])
def test_anyone_may_leave_a_reply_on_a_public_item(persona: str, kind: str, items: dict[str, int], as_persona) -> None:  # type: ignore[no-untyped-def]
    response = as_persona(persona).post(f"/comments/{kind}/{items[kind]}/", {"name": "N", "body": f"Reply on a {kind}."},
                                        REMOTE_ADDR=f"192.0.2.{PERSONAS.index(persona) + 1}",
                                        HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302
    assert Comment.objects.get(target_kind=kind).status == Comment.Status.PENDING


@pytest.mark.parametrize(("persona", "allowed"), [(W, False), (E, False), (M, True), (A, True), (R, False), (X, False)])
def test_only_moderators_and_administrators_close_and_reopen_threads(persona: str, allowed: bool,
                                                                    items: dict[str, int], as_persona) -> None:  # type: ignore[no-untyped-def]
    thread = Thread.objects.create(target_kind="article", target_id=items["article"])
    _action(as_persona(persona), "/admin/comments/thread/", "close", thread.pk)
    assert Thread.objects.get(pk=thread.pk).closed is allowed
    if allowed:
        _action(as_persona(persona), "/admin/comments/thread/", "reopen", thread.pk)
        assert Thread.objects.get(pk=thread.pk).closed is False


@pytest.mark.parametrize(("persona", "allowed"), [(W, False), (E, True), (M, False), (A, True), (R, False), (X, False)])
def test_only_editors_and_administrators_reject_removals(persona: str, allowed: bool, items: dict[str, int], as_persona) -> None:  # type: ignore[no-untyped-def]
    _action(as_persona(persona), "/admin/takedowns/removalrequest/", "reject_requests", items["removal"])
    status = RemovalRequest.objects.get(pk=items["removal"]).status
    assert status == (RemovalRequest.Status.REJECTED if allowed else RemovalRequest.Status.PENDING)


@pytest.mark.parametrize(("persona", "allowed"), [(W, True), (E, True), (M, False), (A, True), (R, False), (X, False)])
def test_writers_and_editors_submit_drafts_for_review(persona: str, allowed: bool, as_persona) -> None:  # type: ignore[no-untyped-def]
    client = as_persona(persona)
    from django.contrib.auth.models import User
    owner = User.objects.filter(username=persona).first()
    draft = Post.objects.create(headline="D", slug="d", body="b", byline="x", author=owner)
    _action(client, "/admin/editorial/post/", "submit_for_review", draft.pk)
    assert (Post.objects.get(pk=draft.pk).status == Post.Status.REVIEW) is allowed
