"""The story stage: waiting articles are placed oldest first, one placer at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.stories.test_engine import event, store
from wiredesk.articles.models import Article
from wiredesk.sources.models import Outlet
from wiredesk.stories.models import EngineLease, StoryMember
from wiredesk.stories.placement import LEASE_NAME, place_all, place_waiting, waiting

pytestmark = pytest.mark.django_db


def test_only_articles_with_final_text_wait_and_oldest_come_first() -> None:
    later = store(event(4)["original"], "paper", Outlet.Role.NEWSPAPER, 30)
    first = store(event(4)["original"], "wire", Outlet.Role.WIRE, 0)
    pending = store(event(5)["original"], "wire", Outlet.Role.WIRE, 10)
    Article.objects.filter(pk=pending.pk).update(fetch_status=Article.FetchStatus.PENDING)
    assert [a.pk for a in waiting(10, now=pending.published_at + timedelta(minutes=1))] == [first.pk, later.pk]


def test_placing_is_complete_and_idempotent() -> None:
    for minutes, outlet in ((0, "wire"), (30, "paper"), (45, "other")):
        store(event(6)["original"], outlet, Outlet.Role.WIRE if outlet == "wire" else Outlet.Role.NEWSPAPER, minutes)
    assert place_all("w1") == 3
    assert place_all("w1") == 0
    assert StoryMember.objects.filter(relation="").count() == 1  # the wire's report is the original


def test_a_second_placer_waits_for_the_lease() -> None:
    store(event(7)["original"], "wire", Outlet.Role.WIRE, 0)
    EngineLease.objects.create(name=LEASE_NAME, holder="w1", until=timezone.now() + timedelta(minutes=5))
    assert place_waiting("w2") is None
    EngineLease.objects.filter(name=LEASE_NAME).update(until=timezone.now() - timedelta(seconds=1))  # w1 died
    assert place_waiting("w2") == 1


def test_an_overdue_page_is_placed_on_its_headline_then_again_on_its_text() -> None:
    from wiredesk.stories.engine import attach
    from wiredesk.stories.models import Fingerprint

    wire = store(event(8)["original"], "wire", Outlet.Role.WIRE, 0)
    attach(wire)
    slow = store(event(8)["original"], "paper", Outlet.Role.NEWSPAPER, 20)
    page_text = slow.text
    Article.objects.filter(pk=slow.pk).update(fetch_status=Article.FetchStatus.PENDING, text="",
                                              next_fetch_at=timezone.now())
    now = slow.published_at + timedelta(minutes=5)
    assert [a.pk for a in waiting(10, now=now)] == []  # not overdue yet: its page may come any moment
    overdue = waiting(10, now=slow.published_at + timedelta(hours=1))
    assert [a.pk for a in overdue] == [slow.pk]
    place_waiting("w1")  # the test clock is long past the grace
    assert Fingerprint.objects.get(article=slow).has_text is False
    headline_story = StoryMember.objects.get(article=slow).story_id
    # The page arrives: the article is placed again, now with its text, and is found to be a copy.
    Article.objects.filter(pk=slow.pk).update(fetch_status=Article.FetchStatus.OK, text=page_text, next_fetch_at=None,
                                              awaiting_story=True)  # as the pipeline flags a page that arrives
    assert place_waiting("w1") == 1
    member = StoryMember.objects.get(article=slow)
    assert Fingerprint.objects.get(article=slow).has_text is True
    assert (member.relation, member.related_to_id) == ("wire_copy", wire.pk)
    assert member.story_id == StoryMember.objects.get(article=wire).story_id
    if headline_story != member.story_id:  # the headline's own story, if it had one, is left empty
        from wiredesk.stories.models import Story

        assert Story.objects.get(pk=headline_story).size == 0
    assert place_waiting("w1") == 0  # nothing left to do


def test_an_article_that_fails_is_left_waiting_and_the_rest_of_its_batch_is_placed(monkeypatch) -> None:
    from wiredesk.stories import engine, placement

    articles = [store(event(9)["original"], outlet, Outlet.Role.NEWSPAPER, minutes)
                for minutes, outlet in ((0, "one"), (10, "two"), (20, "three"))]
    bad = articles[1]
    real_attach = engine.attach

    def attach(article):  # type: ignore[no-untyped-def]
        member = real_attach(article)  # its rows are written, then it fails: they must be undone
        if article.pk == bad.pk:
            raise RuntimeError("broken article")
        return member

    monkeypatch.setattr(placement, "attach", attach)
    assert place_waiting("w1") == 2
    assert set(StoryMember.objects.values_list("article_id", flat=True)) == {articles[0].pk, articles[2].pk}
    assert Article.objects.get(pk=bad.pk).awaiting_story is True
    assert not engine.Fingerprint.objects.filter(article=bad).exists()
    monkeypatch.setattr(placement, "attach", real_attach)
    assert place_waiting("w1") == 1
    assert StoryMember.objects.filter(article=bad).exists()
