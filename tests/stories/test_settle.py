"""A story of headlines that took in a second event between growth steps is judged once it settles."""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.stories.test_split import FLOOD_HEADLINES, TRIAL_HEADLINES, WORLD, _splitting_below, _store
from wiredesk.articles.models import Article
from wiredesk.ingest import fingerprint as fp
from wiredesk.stories import engine
from wiredesk.stories import model as placement_model
from wiredesk.stories.candidates import candidate_ids
from wiredesk.stories.counts import StoredWeights, document_frequencies
from wiredesk.stories.engine import STORY_SAMPLE, attach
from wiredesk.stories.indexing import index_terms
from wiredesk.stories.models import IndexKey, Story, StoryMember
from wiredesk.stories.placement import place_all
from wiredesk.stories.settle import QUIET, judge_all_settled, judge_settled, settled
from wiredesk.stories.split import HEADLINE
from wiredesk.stories.story_row import refresh_story


def _eager(**changes: object) -> placement_model.PlacementModel:
    """The shipped model, joining any story in view, with a headline decision that splits groups
    closer to each other than 0.6 times what they are inside (the flood and the trial share the
    town's name)."""
    shipped = placement_model.load()
    assert isinstance(shipped, placement_model.PlacementModel)
    settings = {"join_threshold": 0.0, "merge_threshold": 1.0, "split": None,
                "headline_split": _splitting_below(0.6, HEADLINE, 3), **changes}
    return replace(shipped, **settings)  # type: ignore[arg-type]


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


def _index_keys(article: Article) -> set[int]:
    return set(IndexKey.objects.filter(article=article).values_list("key", flat=True))


@pytest.mark.django_db
def test_headlines_of_two_events_share_no_index_key_and_find_no_candidate_in_each_other() -> None:
    """Headline-only items have no body to shingle: no band keys, only their rare words. (All of
    them once shared the bands of the empty signature, so every look-up read every headline-only
    item in its window: placement slowed with each one stored.)"""
    template = WORLD.articles[0]
    flood, trial = (_store(replace(template, outlet=f"outlet{n}", slug=f"item-{n}", title=title), 10 * n,
                           headline_only=True)
                    for n, title in enumerate((FLOOD_HEADLINES[0], "Port Alder fraud trial hears harbour board clerk")))
    for article in (flood, trial):
        attach(article)
    assert _index_keys(flood) and _index_keys(trial) and not _index_keys(flood) & _index_keys(trial)
    print_ = fp.fingerprint(trial.title, "")
    term_keys = index_terms(print_)
    dfs, _ = document_frequencies(term_keys)
    assert flood.pk not in candidate_ids(print_, term_keys, dfs, trial.published_at, trial.pk)


@pytest.mark.django_db(transaction=True)
def test_band_keys_of_the_empty_signature_are_removed_by_the_upgrade() -> None:
    before, after = [("stories", "0009_story_settled_size")], [("stories", "0010_no_band_keys_without_text")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    migration = importlib.import_module("wiredesk.stories.migrations.0010_no_band_keys_without_text")
    empty = fp.keys_of_bands(fp.EMPTY_SIGNATURE)
    assert migration.empty_signature_keys() == empty  # the migration's own copy of the keys is right
    article = _seven_headlines()[0]
    old = executor.loader.project_state(before).apps.get_model("stories", "IndexKey")
    old.objects.bulk_create([old(key=key, article_id=article.pk, published_at=article.published_at)
                             for key in (*empty, 12345)])
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert list(IndexKey.objects.values_list("key", flat=True)) == [12345]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


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



MORE_FLOOD_HEADLINES = ("Levee near Miravel mill gives way in flood", "Miravel flood: families leave homes by the mill",
                        "Flood at Miravel mill as levee fails")


def _fragmented(second: tuple[str, ...]) -> tuple[list[Article], list[Article]]:
    """The four flood headlines in one story, and `second` in a story of its own (as headlines that
    share few words end up), both placed an hour and more ago."""
    model = _eager()
    template = WORLD.articles[0]
    items = [replace(template, outlet=f"outlet{n}", slug=f"item-{n}", title=title)
             for n, title in enumerate((*FLOOD_HEADLINES, *second))]
    stored = _placed(model, [_store(item, 10 * n, headline_only=True) for n, item in enumerate(items)])
    first, rest = stored[:4], stored[4:]
    fragment = Story.objects.create(title=rest[0].title, first_seen=rest[0].published_at,
                                    last_updated=rest[-1].published_at)
    StoryMember.objects.filter(article__in=rest).update(story=fragment)
    for story in Story.objects.all():
        refresh_story(story)
    return first, rest


@pytest.mark.django_db
def test_a_settled_fragment_of_an_event_joins_the_story_its_members_would_join() -> None:
    first, rest = _fragmented(MORE_FLOOD_HEADLINES)
    assert len(_stories(first + rest)) == 2
    judge_all_settled(_eager())
    assert len(_stories(first + rest)) == 1
    story = Story.objects.get(pk=_stories(first).pop())
    assert story.size == 7 and story.primary_article_id == first[0].pk
    assert Story.objects.filter(merged_into=story).count() == 1  # the fragment's id redirects


@pytest.mark.django_db
def test_a_settled_story_is_not_merged_where_the_split_decision_would_part_them() -> None:
    first, rest = _fragmented(TRIAL_HEADLINES[:3])
    judge_all_settled(_eager())  # the eager model's members would join the flood; the split decision says no
    assert len(_stories(first)) == len(_stories(rest)) == 1 and _stories(first) != _stories(rest)
    assert settled(None) == []  # each judged at its size: nothing left to ask


@pytest.mark.django_db
def test_the_split_decision_that_would_part_two_stories_sees_both_of_them() -> None:
    # The fragment holds more reports than a story's sample, all later than the flood's: its latest
    # members alone would be all the decision saw, and it would find nothing to cut.
    trial_days = tuple(f"Port Alder harbour fraud trial, day {n}: {TRIAL_HEADLINES[n % 4]}" for n in range(STORY_SAMPLE + 2))
    first, rest = _fragmented(trial_days)
    judge_all_settled(_eager())
    assert len(_stories(first)) == len(_stories(rest)) == 1 and _stories(first) != _stories(rest)


@pytest.mark.django_db
def test_members_are_asked_only_while_a_story_could_still_have_half_of_them(monkeypatch: pytest.MonkeyPatch) -> None:
    model = _eager()
    stored = _placed(model, _seven_headlines()[:4])  # one event's story, and no other story in view
    story = Story.objects.get(pk=_stories(stored).pop())
    asked: list[int] = []
    original = engine._best_story_without
    monkeypatch.setattr(engine, "_best_story_without",
                        lambda article, *rest: asked.append(article.pk) or original(article, *rest))
    assert engine.merge_if_settled(story, model, StoredWeights(document_frequencies([])[1])) is None
    assert len(asked) == 3  # with no vote after three of four, no story can have two
