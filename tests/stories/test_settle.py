"""A story of headlines that took in a second event between growth steps is judged once it settles."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.stories.test_split import FLOOD_HEADLINES, TRIAL_HEADLINES, WORLD, _splitting_below, _store
from wiredesk.articles.models import Article
from wiredesk.stories import model as placement_model
from wiredesk.stories.engine import attach
from wiredesk.stories.models import Story, StoryMember
from wiredesk.stories.placement import place_all
from wiredesk.stories.settle import QUIET, judge_all_settled, judge_settled, settled
from wiredesk.stories.split import HEADLINE


def _eager(**changes: object) -> placement_model.PlacementModel:
    """The shipped model, joining any story in view, with a headline decision that splits groups
    closer to each other than half what they are inside."""
    shipped = placement_model.load()
    assert isinstance(shipped, placement_model.PlacementModel)
    return replace(shipped, join_threshold=0.0, merge_threshold=1.0, split=None,
                   headline_split=_splitting_below(0.5, HEADLINE, 3), **changes)  # type: ignore[arg-type]


def _seven_headlines(headline_only: bool = True) -> list[Article]:
    """Four flood headlines, then three of a trial: seven members, between the growth steps 4 and 8."""
    template = WORLD.articles[0]
    items = [replace(template, outlet=f"outlet{n}", slug=f"item-{n}", title=title)
             for n, title in enumerate((*FLOOD_HEADLINES, *TRIAL_HEADLINES[:3]))]
    return [_store(item, 10 * n, headline_only=headline_only) for n, item in enumerate(items)]


def _placed(model: placement_model.PlacementModel, articles: list[Article]) -> list[Article]:
    for article in articles:
        attach(article, model=model)
    return articles


def _stories(articles: list[Article]) -> set[int]:
    return set(StoryMember.objects.filter(article__in=articles).values_list("story_id", flat=True))


@pytest.mark.django_db
def test_a_quiet_story_of_headlines_is_judged_once_and_split() -> None:
    model = _eager()
    stored = _placed(model, _seven_headlines())
    assert len(_stories(stored)) == 1  # judged at 4 (one event), not at 7
    last = stored[-1].published_at
    assert judge_settled(last + QUIET / 2, model) == (0, 0)  # not quiet yet
    assert judge_settled(last + QUIET, model) == (1, 1)
    # The trial's reports leave together (the toy decision takes the fourth flood headline along).
    assert len(_stories(stored)) == 2 and len(_stories(stored[:3])) == len(_stories(stored[4:])) == 1
    assert _stories(stored[:3]) != _stories(stored[4:])
    parts = Story.objects.filter(pk__in=_stories(stored))
    assert sorted(s.size for s in parts) == [3, 4] and all(s.settled_size == s.size for s in parts)
    assert judge_settled(last + QUIET, model) == (0, 0)  # judged at these sizes: not again


@pytest.mark.django_db
def test_a_settled_story_of_one_event_is_judged_once_and_kept() -> None:
    model = _eager()
    stored = _seven_headlines()[:4]
    template = WORLD.articles[0]
    stored.append(_store(replace(template, outlet="outlet9", slug="item-9", title="Miravel mill levee gives way"), 60,
                         headline_only=True))
    _placed(model, stored)
    assert judge_all_settled(model) == 0
    story = Story.objects.get(pk=_stories(stored).pop())
    assert story.settled_size == story.size == 5
    assert settled(None) == []


@pytest.mark.django_db
def test_stories_with_text_and_stories_quiet_too_long_are_not_looked_at() -> None:
    model = _eager()
    with_text = _placed(model, _seven_headlines(headline_only=False))
    assert settled(None) == []  # judged after every join already
    Article.objects.filter(pk__in=[a.pk for a in with_text]).delete()
    headlines = _placed(model, _seven_headlines())
    last = headlines[-1].published_at
    assert [s.size for s in settled(last + QUIET)] == [7]
    assert settled(last + timedelta(days=30)) == []  # nothing older than a story's span joins it any more
    Story.objects.update(primary_article=None)  # as a merge or a takedown leaves a story: no longer shown
    assert settled(last + QUIET) == []


@pytest.mark.django_db
def test_the_story_stage_judges_stories_that_went_quiet() -> None:
    model = _eager()
    stored = _placed(model, _seven_headlines())
    Story.objects.update(last_updated=timezone.now() - 2 * QUIET)
    with pytest.MonkeyPatch.context() as patch:  # the stage reads the shipped model: this one instead
        patch.setattr(placement_model, "load", lambda path=None: model)
        place_all("test-worker")
    assert len(_stories(stored)) == 2


@pytest.mark.django_db(transaction=True)
def test_stories_stored_before_the_upgrade_count_as_settled_at_their_size() -> None:
    before, after = [("stories", "0008_member_placed_at")], [("stories", "0009_story_settled_size")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("stories", "Story")
    now = timezone.now()
    old.objects.create(title="Flood", first_seen=now, last_updated=now, size=7)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("stories", "Story")
        assert [(s.size, s.settled_size) for s in new.objects.all()] == [(7, 7)]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

