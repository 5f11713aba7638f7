"""The site in a real browser, as readers, rights holders and the desk's editors use it.

The demo world is ingested into the test database and served by a live server with the page cache
in front, as in production. Every page type is opened at a desktop and a phone width: no console
error, no page wider than the window. Then the real forms: a reader replies (held, approved in the
admin, then shown on the cached page), and a rights holder files a removal request that an editor
approves in the admin; every page that showed the item, cached before, no longer shows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core import mail

from wiredesk.articles.models import Article
from wiredesk.comments.models import Comment
from wiredesk.demo.newsroom import publish_demo_posts
from wiredesk.demo.server import DemoWire
from wiredesk.demo.setup import register_demo_sources
from wiredesk.sections.models import Section
from wiredesk.sources.models import Outlet
from wiredesk.sources.polling import poll_once
from wiredesk.stories.models import Story
from wiredesk.takedowns.models import RemovalRequest

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
WIDTHS = (1280, 390)
PASSWORD = "browser-test-only-password"  # a throwaway account in a throwaway test database


@pytest.fixture
def desk(demo_wire: DemoWire, settings, live_server) -> str:  # type: ignore[no-untyped-def]
    settings.WIREDESK = dict(settings.WIREDESK, WIREDESK_HTTP_ALLOW_PRIVATE=["127.0.0.0/8"], WIREDESK_HOST_DELAY=0.0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A transactional test before this one flushed every table, the sections a fresh install has
    # (a data migration makes them) included: the site as installed has them.
    import_module("wiredesk.sections.migrations.0002_default_sections").create(django_apps, None)
    register_demo_sources(demo_wire.outlets())
    publish_demo_posts()
    poll_once(progress=False, threads=3)
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    return str(live_server.url)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    opened = context.new_page()
    opened.errors = []  # console errors and uncaught exceptions, for the test to read
    opened.on("console", lambda message: message.type == "error" and opened.errors.append(message.text))
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    yield opened
    context.close()


def _every_page_type(base: str) -> dict[str, str]:
    story = Story.objects.filter(size__gte=2, merged_into__isnull=True).order_by("-size").first()
    article = Article.objects.filter(fetch_status=Article.FetchStatus.OK).order_by("-published_at").first()
    outlet = Outlet.objects.filter(articles__isnull=False).order_by("slug").first()
    section = Section.objects.filter(articles__isnull=False).order_by("slug").first()
    assert story and article and outlet and section
    return {"front": "/", "section": f"/section/{section.slug}/", "story": f"/story/{story.pk}/",
            "article": f"/article/{article.pk}/", "outlet": f"/outlet/{outlet.slug}/", "outlets": "/outlets/",
            "search": "/search/?q=" + article.title.split()[0], "post": "/post/how-this-desk-works/",
            "removal": "/removal/", "transparency": "/transparency/", "not found": "/story/999999999/"}


def _overflow(page: Any) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_every_page_type_renders_without_errors_or_sideways_scrolling(desk: str, page: Any) -> None:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for kind, path in _every_page_type(desk).items():
            page.errors.clear()
            reply = page.goto(desk + path)
            expected = 404 if kind == "not found" else 200
            if reply is None or reply.status != expected:
                problems.append(f"{kind} at {width}px: status {reply.status if reply else None}")
            if kind != "not found" and page.errors:
                problems.append(f"{kind} at {width}px: console errors {page.errors}")
            if (extra := _overflow(page)) > 0:
                problems.append(f"{kind} at {width}px: {extra}px wider than the window")
            if not page.locator("h1, h2").first.is_visible():
                problems.append(f"{kind} at {width}px: no visible heading")
    assert not problems, "\n".join(problems)


def _as_another_reader(page: Any, url: str) -> str:
    """The page as a reader who has not seen it (a new browser profile: no cookie, nothing in the
    browser's own cache), so what comes back is what the site's page cache serves. The browser that
    saw it before may show its copy for Cache-Control's max-age, by design of HTTP."""
    context = page.context.browser.new_context()
    try:
        other = context.new_page()
        other.goto(url)
        return str(other.content())
    finally:
        context.close()


def _log_in(page: Any, base: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    assert page.url.rstrip("/").endswith("/admin")


def _run_admin_action(page: Any, base: str, changelist: str, action: str) -> None:
    page.goto(base + changelist)
    page.check("#action-toggle")  # every row in the list: the test made exactly one
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    messages = page.locator(".messagelist").inner_text()
    assert "error" not in messages.lower(), messages


def test_a_reader_replies_and_the_reply_appears_once_a_moderator_approves_it(desk: str, page: Any) -> None:
    post = desk + "/post/how-this-desk-works/"
    page.goto(post)  # cached from here on
    form = page.locator("form.comment-form").last  # the thread's own form (each reply has one, folded)
    form.locator("#cb").fill("Thanks for explaining how the desk credits its sources, very useful.")
    form.locator("#cn").fill("A Reader")
    form.locator("#ce").fill("reader@example.org")
    form.locator("button[type=submit]").click()
    assert "replied=1" in page.url
    assert not page.errors
    held = Comment.objects.get(name="A Reader")
    assert held.status == Comment.Status.PENDING
    assert "very useful" not in _as_another_reader(page, post)  # held for moderation: not shown yet

    _log_in(page, desk)
    _run_admin_action(page, desk, "/admin/comments/comment/?status__exact=pending", "approve")
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED
    assert "Thanks for explaining how the desk credits its sources" in _as_another_reader(page, post)


def test_a_removal_request_filed_and_approved_in_the_browser_leaves_every_cached_page(desk: str, page: Any) -> None:
    # An article whose headline no other carries (so a copy left standing cannot show it), shown by
    # name on its own page and on as many lists as can be found (a section shows one card per story,
    # the front page the biggest stories): those pages are cached now, each showing it.
    titles = Counter(Article.objects.values_list("title", flat=True))
    article, pages = None, []
    for candidate in Article.objects.filter(fetch_status=Article.FetchStatus.OK, section__isnull=False).order_by(
            "-published_at")[:30]:
        if titles[candidate.title] != 1:
            continue
        paths = [f"/article/{candidate.pk}/", "/feeds/latest.rss", f"/outlet/{candidate.outlet.slug}/",
                 f"/section/{candidate.section.slug}/", "/"]
        showing = []
        for path in paths:
            page.goto(desk + path)
            if candidate.title in page.content():
                showing.append(path)
        if len(showing) > len(pages) and showing[0] == paths[0]:
            article, pages = candidate, showing
        if len(pages) == len(paths):
            break
    assert article is not None and len(pages) >= 3, (article, pages)
    title = article.title

    page.goto(desk + "/removal/")
    page.fill("#id_requester_name", "Rights Holder")
    page.fill("#id_organisation", article.outlet.name)
    page.fill("#id_email", "rights@example.org")
    page.fill("#id_urls", article.url)
    page.select_option("#id_relationship", index=1)
    page.fill("#id_statement", "We own this article and did not license its republication here.")
    page.locator("form", has=page.locator("#id_statement")).locator("[type=submit]").click()
    assert "/removal/sent/" in page.url
    confirm = next(line for message in mail.outbox for line in message.body.splitlines() if "/removal/confirm/" in line)
    link = confirm.strip()[confirm.strip().index("http"):]
    page.goto(desk + urlsplit(link).path)  # the mail names WIREDESK_SITE_URL; the live server has its own port
    page.locator("form", has=page.locator("button", has_text="Confirm")).locator("[type=submit]").click()
    assert RemovalRequest.objects.get().status == RemovalRequest.Status.PENDING
    assert not page.errors

    _log_in(page, desk)
    _run_admin_action(page, desk, "/admin/takedowns/removalrequest/", "approve_requests")
    request = RemovalRequest.objects.get()
    assert request.status == RemovalRequest.Status.APPROVED, (request.status, page.content()[-2000:])
    article.refresh_from_db()
    assert article.removed_at is not None
    for path in pages:
        assert title not in _as_another_reader(page, desk + path), f"{path} still shows the removed item"
