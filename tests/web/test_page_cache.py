"""Cached pages: validators and freshness for clients, and never a removed item on any page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.web.test_read_path import grow
from wiredesk.articles.models import Article
from wiredesk.stories.models import SHOWN, Story
from wiredesk.takedowns.removal import remove_article

pytestmark = pytest.mark.django_db


def test_a_removed_item_leaves_every_cached_page_at_once() -> None:
    grow(3)
    story = Story.objects.filter(SHOWN).order_by("-rank").first()
    doomed = story.primary_article
    pages = ["/", f"/article/{doomed.pk}/", f"/story/{story.pk}/", "/section/world/", "/section/sport/",
             "/outlet/o0/", "/feeds/latest.rss", "/feeds/latest.atom", "/api/v1/articles",
             f"/search/?q={doomed.title.split()[-1]}"]
    reader = Client()
    before = {p: reader.get(p).content.decode() for p in pages}
    assert any(doomed.title in html for html in before.values())
    assert {p: reader.get(p).content.decode() for p in pages} == before  # served again, from the cache
    remove_article(Article.objects.get(pk=doomed.pk), timezone.now())
    for page in pages:
        assert doomed.title not in reader.get(page).content.decode(), page


def test_pages_carry_validators_and_answer_conditional_requests() -> None:
    grow(2)
    reader = Client()
    first = reader.get("/")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"].startswith("public, max-age=") and "stale-while-revalidate=" in first["Cache-Control"]
    again = reader.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    assert reader.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    grow(1)  # new articles: a new version, a new body, a new ETag
    fresh = reader.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] != first["ETag"]


@pytest.mark.parametrize("path", ["/", "/feeds/latest.rss", "article", "story"])
def test_anonymous_pages_set_no_cookie_and_vary_on_nothing_personal(path: str) -> None:
    grow(2)
    story = Story.objects.filter(SHOWN).first()
    path = {"article": f"/article/{story.primary_article_id}/", "story": f"/story/{story.pk}/"}.get(path, path)
    response = Client().get(path)
    assert response.status_code == 200
    assert not response.cookies  # the reply form needs no CSRF cookie: its origin is checked instead
    assert "Cookie" not in response.get("Vary", "")


def test_a_signed_in_reader_is_never_served_someone_elses_cached_page() -> None:
    from django.contrib.auth.models import User

    grow(1)
    Client().get("/")  # cached for anonymous readers
    editor = Client()
    editor.force_login(User.objects.create_user("ed", password="x", is_staff=True))
    response = editor.get("/")
    assert response.status_code == 200 and not response.get("Cache-Control", "").startswith("public")


def test_cached_pages_keep_the_frame_denial() -> None:
    grow(1)
    first, second = Client().get("/"), Client().get("/")
    assert first["X-Frame-Options"] == second["X-Frame-Options"] == "DENY"


def test_a_change_made_in_another_process_reaches_readers_within_the_version_ttl(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from wiredesk.web import page_cache
    from wiredesk.web.models import SiteVersion

    grow(1)
    reader = Client()
    first = reader.get("/")
    clock = [page_cache._seen[0]]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    # Another process renames the lead story and moves the version (no signal reaches this one).
    Article.objects.filter(pk=Story.objects.filter(SHOWN).get().primary_article_id).update(title="Renamed lead")
    SiteVersion.objects.filter(pk=1).update(value=999)
    assert reader.get("/")["ETag"] == first["ETag"]  # within the TTL: the version this process read
    clock[0] += page_cache.VERSION_TTL + 0.01
    later = reader.get("/")
    assert later["ETag"] != first["ETag"] and "Renamed lead" in later.content.decode()



@pytest.mark.django_db(transaction=True)  # real commits: the hooks run as they do in production
def test_a_batch_moves_the_version_once_after_its_commit() -> None:
    """Saves in one transaction move the version as they happen, and once more after the commit
    (not once per save: each of those is a write transaction of its own); a rolled-back savepoint
    takes its hook along, and the next save registers one again."""
    from django.db import transaction

    from wiredesk.web.models import SiteVersion

    def version() -> int:
        return SiteVersion.objects.get(pk=1).value

    grow(1)
    before = version()
    with transaction.atomic():
        for article in Article.objects.all():  # three
            article.save()
    assert version() == before + 3 + 1
    before = version()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Article.objects.first().save()
                raise RuntimeError("rolled back, with its bump and its hook")
        except RuntimeError:
            pass
        Article.objects.first().save()
    assert version() == before + 1 + 1
