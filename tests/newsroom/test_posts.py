"""Editorial posts: writers draft, editors publish or schedule; posts appear on every surface, marked."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from wiredesk.editorial.models import Post, PostUpdate

pytestmark = pytest.mark.django_db

HOSTILE = ("Intro with **bold** and a [link](https://example.org).\n\n<script>alert('x')</script>\n\n"
           "<img src=x onerror=alert(1)> [bad](javascript:alert(2)) <style>body{display:none}</style>"
           "<p style=\"color:red\" onclick=\"steal()\">styled</p>")


def post_form(**fields: object) -> dict[str, object]:
    data = {"headline": "Why the harbour bridge closed", "slug": "why-the-bridge-closed",
            "standfirst": "Our reporters explain the week of closures.", "body": HOSTILE, "section": "",
            "byline": "Mara Okafor", "lead_image": "https://img.example.org/bridge.jpg",
            "lead_image_caption": "The bridge at dawn", "lead_image_credit": "Staff photographer",
            "status": "draft", "publish_at_0": "", "publish_at_1": "",
            "updates-TOTAL_FORMS": "0", "updates-INITIAL_FORMS": "0", "updates-MIN_NUM_FORMS": "0",
            "updates-MAX_NUM_FORMS": "1000"}
    data.update(fields)
    return data


def test_a_writer_drafts_and_cannot_publish(as_persona) -> None:  # type: ignore[no-untyped-def]
    writer = as_persona("writer")
    assert writer.post("/admin/editorial/post/add/", post_form()).status_code == 302
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT and post.author.username == "writer"
    assert "<strong>bold</strong>" in post.body_html and 'href="https://example.org"' in post.body_html
    for bad in ("<script", "onerror", "javascript:", "<style", "onclick", "style="):
        assert bad not in post.body_html
    refused = writer.post("/admin/editorial/post/add/", post_form(slug="second", status="approved"))
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert Post.objects.count() == 1
    writer.post("/admin/editorial/post/", {"action": "publish_now", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    writer.post("/admin/editorial/post/", {"action": "submit_for_review", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.status == Post.Status.REVIEW
    assert Client().get("/post/why-the-bridge-closed/").status_code == 404


def test_a_writer_sees_only_their_own_posts(as_persona) -> None:  # type: ignore[no-untyped-def]
    other = Post.objects.create(headline="Someone else's", slug="else", body="x", byline="B")
    writer = as_persona("writer")
    assert "Someone else" not in writer.get("/admin/editorial/post/").content.decode()
    assert writer.get(f"/admin/editorial/post/{other.pk}/change/").status_code == 302  # not found for them
    assert "Someone else" in as_persona("editor").get("/admin/editorial/post/").content.decode()


def test_an_editor_publishes_now_and_the_post_is_everywhere_marked_as_ours(as_persona) -> None:  # type: ignore[no-untyped-def]
    from wiredesk.sections.models import Section
    world = Section.objects.get(slug="world")
    post = Post.objects.create(headline="Inside the harbour bridge closure", slug="inside", body="Body text here.",
                               standfirst="What went wrong.", byline="Mara Okafor", section=world,
                               status=Post.Status.REVIEW)
    editor = as_persona("editor")
    assert editor.post("/admin/editorial/post/", {"action": "publish_now", "_selected_action": [post.pk]}).status_code == 302
    reader = Client()
    for url in ("/", "/section/world/", "/search/?q=harbour+bridge", "/feeds/latest.rss", "/feeds/latest.atom",
                "/feeds/section/world.rss"):
        html = reader.get(url).content.decode()
        assert "Inside the harbour bridge closure" in html, url
        assert "newsroom" in html.lower(), url
    page = reader.get("/post/inside/").content.decode()
    assert "From the newsroom" in page and "Leave a reply" in page


def test_a_scheduled_post_appears_only_when_its_time_comes(as_persona) -> None:  # type: ignore[no-untyped-def]
    later = timezone.now() + timedelta(hours=2)
    editor = as_persona("editor")
    response = editor.post("/admin/editorial/post/add/", post_form(
        status="approved", publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M:%S")))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.is_scheduled and not post.is_live
    assert Client().get(f"/post/{post.slug}/").status_code == 404
    assert post.headline not in Client().get("/").content.decode()
    post.publish_at = timezone.now() + timedelta(seconds=1.5)  # the editor moves it up
    post.save()
    assert post.headline not in Client().get("/").content.decode()  # cached, but only until its minute
    time.sleep(max(0.0, (post.publish_at - timezone.now()).total_seconds()) + 0.1)
    assert Client().get(f"/post/{post.slug}/").status_code == 200
    assert post.headline in Client().get("/").content.decode()  # nothing was written: the clock alone


def test_corrections_are_kept_and_shown_with_their_date(as_persona) -> None:  # type: ignore[no-untyped-def]
    post = Post.objects.create(headline="Bridge cost", slug="bridge-cost", body="It cost 4 million.", byline="M",
                               status=Post.Status.APPROVED, publish_at=timezone.now())
    editor = as_persona("editor")
    data = post_form(headline=post.headline, slug=post.slug, body="It cost 40 million.", status="approved",
                     publish_at_0=post.publish_at.strftime("%Y-%m-%d"), publish_at_1=post.publish_at.strftime("%H:%M:%S"))
    data.update({"updates-TOTAL_FORMS": "1", "updates-0-kind": "correction",
                 "updates-0-note": "An earlier version gave the cost as 4 million; it was 40 million."})
    assert editor.post(f"/admin/editorial/post/{post.pk}/change/", data).status_code == 302
    update = PostUpdate.objects.get()
    page = Client().get("/post/bridge-cost/").content.decode()
    assert f"Updated <time datetime=\"{update.created_at.isoformat()}" in page
    assert "correction: An earlier version gave the cost as 4 million" in page
    assert as_persona("writer").get(f"/admin/editorial/post/{post.pk}/change/").status_code == 302


def test_an_oversized_body_gets_a_form_error_and_saves_nothing(as_persona) -> None:  # type: ignore[no-untyped-def]
    response = as_persona("writer").post("/admin/editorial/post/add/", post_form(body="x" * 100_001))
    assert response.status_code == 200 and "limited to 100,000 characters" in response.content.decode()
    assert Post.objects.count() == 0
