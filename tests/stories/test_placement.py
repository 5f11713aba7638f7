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
    assert [a.pk for a in waiting(10)] == [first.pk, later.pk]


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
