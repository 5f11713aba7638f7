"""The split decision: a story whose latest members are two events becomes two stories."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from wiredesk.articles.models import Article
from wiredesk.demo.world import DemoArticle, build_world
from wiredesk.ingest import fingerprint as fp
from wiredesk.sources.models import Outlet, Source
from wiredesk.stories import model as placement_model
from wiredesk.stories import split as split_module
from wiredesk.stories.engine import attach
from wiredesk.stories.features import Weights, member_report
from wiredesk.stories.models import Story, StoryMember
from wiredesk.stories.split import (
    HEADLINE,
    SPLIT_FEATURES,
    SplitModel,
    best_split,
    can_split,
    candidate_splits,
    growth_step,
    story_kind,
    two_groups,
)

WORLD = build_world(datetime(2026, 11, 25, 12, tzinfo=UTC))
T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)


def test_two_groups_finds_the_two_blocks_of_a_similarity_matrix() -> None:
    similarity = np.array([[1.0, 0.8, 0.1, 0.7, 0.2],
                           [0.8, 1.0, 0.2, 0.9, 0.1],
                           [0.1, 0.2, 1.0, 0.1, 0.6],
                           [0.7, 0.9, 0.1, 1.0, 0.2],
                           [0.2, 0.1, 0.6, 0.2, 1.0]])
    assert two_groups(similarity) == ([0, 1, 3], [2, 4])
    assert two_groups(np.ones((1, 1))) == ([0], [])


def _reports(texts: list[tuple[str, str]], has_text: bool = True):  # type: ignore[no-untyped-def]
    prints = [(title, fp.fingerprint(title, text)) for title, text in texts]
    reports = [member_report(p, title, has_text, T0) for title, p in prints]
    dfs: dict[str, int] = {}
    for _, p in prints:
        for key in {*(f"t:{t}" for t in p.terms), *(f"n:{n}" for n in p.names)}:
            dfs[key] = dfs.get(key, 0) + 1
    return reports, Weights(dfs, len(reports))


FLOODS = (
    "Flood waters rose along the river in Miravel on Monday, and 40 families left their homes as the levee "
    "gave way near the old mill, mayor Ines Caldor said. Rescue boats worked through the night.",
    "Residents of Miravel waded through knee-deep streets after the river burst its banks; Ines Caldor, "
    "the mayor, opened the school gym to families whose houses by the mill were flooded.",
    "Engineers blamed a weakened levee for the Miravel flood, which forced dozens of households out. Caldor "
    "asked the province for sandbags and pumps while volunteers ferried pensioners to dry ground.",
)
TRIALS = (
    "A jury in Port Alder heard on Monday from the accountant accused of taking 3 million from the harbour "
    "board, and prosecutor Owen Hale showed the court the ledgers kept in a locked cabinet.",
    "Owen Hale told jurors the harbour board's former accountant hid transfers behind invoices for dredging "
    "that never happened; the defence says its client followed orders.",
    "The fraud trial in Port Alder resumed with testimony from a bank clerk who flagged payments to a shell "
    "company; Hale, for the prosecution, read out emails between the accused and a supplier.",
)


def test_a_story_drifted_to_another_event_is_best_cut_where_the_other_began() -> None:
    reports, weights = _reports([("Flood", t) for t in FLOODS] + [("Trial", t) for t in TRIALS])
    newest_first = reports[::-1]  # as the engine reads a story's latest members
    cuts = {tuple(split.leaving): split.features for split in candidate_splits(newest_first, weights)}
    # the latest two or more (one report alone never leaves); the linkage split is one of these
    assert set(cuts) == {tuple(range(k)) for k in range(2, 6)}
    right = cuts[(0, 1, 2)]
    assert set(right) == set(SPLIT_FEATURES)
    assert right["ratio"] < 0.3 < min(f["ratio"] for leaving, f in cuts.items() if leaving != (0, 1, 2))
    assert right["names_overlap"] == 0.0 and right["smaller_share"] == 0.5 and right["newest_apart"] == 1.0
    probability, split = best_split(newest_first, weights, _splitting_below(0.5))
    assert split is not None and split.leaving == [0, 1, 2] and split.staying == [3, 4, 5]
    assert probability > 0.5
    one_event = reports[:3][::-1]
    probability, split = best_split(one_event, weights, _splitting_below(0.5))
    assert split is not None and probability < 0.5


def test_reports_of_two_events_that_interleave_are_cut_by_linkage() -> None:
    texts = [("Flood", FLOODS[0]), ("Trial", TRIALS[0]), ("Flood", FLOODS[1]), ("Trial", TRIALS[1])]
    reports, weights = _reports(texts)
    newest_first = reports[::-1]  # trial, flood, trial, flood(earliest)
    _, split = best_split(newest_first, weights, _splitting_below(0.5))
    assert split is not None and split.leaving == [0, 2] and split.features["newest_apart"] == 0.5


def test_groups_not_close_inside_at_all_show_no_sign_of_two_events(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each member close only to itself (self-similarities as rounding leaves them): summed as the
    # whole block less its diagonal, the pairs inside came out at 1e-16, not 0, and the ratio at 1e15.
    self_similar = [float(np.nextafter(1.0, 0.0))] * 3 + [1.0]
    similarity = np.full((8, 8), 0.03)
    for group in ([0, 1, 2, 3], [4, 5, 6, 7]):
        similarity[np.ix_(group, group)] = np.diag(self_similar)
    monkeypatch.setattr(split_module, "pairwise", lambda members, weights, field="body": similarity)
    reports, weights = _reports([("Flood", t) for t in FLOODS + FLOODS[:1]] + [("Trial", t) for t in TRIALS + TRIALS[:1]])
    cuts = {tuple(split.leaving): split.features for split in candidate_splits(reports[::-1], weights)}
    assert cuts[(0, 1, 2, 3)]["within"] == 0.0 and cuts[(0, 1, 2, 3)]["between"] == pytest.approx(0.03)
    assert cuts[(0, 1, 2, 3)]["ratio"] == cuts[(0, 1, 2, 3)]["title_ratio"] == 1.0
    assert all(0.0 <= f["ratio"] < 10.0 for f in cuts.values())


def test_the_shipped_split_decisions_were_learned_on_features_of_sane_size() -> None:
    shipped = placement_model.load()
    assert isinstance(shipped, placement_model.PlacementModel)
    for decision in (shipped.split, shipped.headline_split):
        assert decision is not None
        # every feature is a share, a ratio of means, or a log of a count: a scale far above 10
        # means one example was off the charts and the feature was learned as noise
        assert np.all(decision.scale < 10.0) and np.all(np.abs(decision.mean) < 10.0)


def test_only_stories_of_three_or_more_members_with_text_are_judged() -> None:
    texts = [("Flood", t) for t in FLOODS]
    with_text, _ = _reports(texts)
    headlines, _ = _reports(texts, has_text=False)
    assert can_split(with_text)
    assert not can_split(with_text[:2])
    assert not can_split(headlines)


def test_headline_only_stories_are_judged_by_their_own_decision_and_only_as_they_grow() -> None:
    texts = [("Flood", t) for t in FLOODS]
    with_text, _ = _reports(texts)
    headlines, _ = _reports(texts, has_text=False)
    assert (story_kind(with_text), story_kind(headlines), story_kind(with_text[:2] + headlines[:1])) == (
        "text", "headline", None)
    assert can_split(headlines, HEADLINE) and not can_split(with_text, HEADLINE)
    assert not can_split(with_text[:2] + headlines[:1]) and not can_split(with_text[:2] + headlines[:1], HEADLINE)
    assert [n for n in range(1, 70) if growth_step(n)] == [4, 8, 16, 32, 64]


def _splitting_below(ratio: float, kind: str = "text", min_leaving: int = 2) -> SplitModel:
    """Split when the two groups are closer to each other than `ratio` times they are inside."""
    weights = np.array([-10.0 if name == "ratio" else 0.0 for name in SPLIT_FEATURES])
    zeros, ones = np.zeros(len(SPLIT_FEATURES)), np.ones(len(SPLIT_FEATURES))
    return SplitModel(SPLIT_FEATURES, zeros, ones, weights, 10.0 * ratio, 0.5, kind, min_leaving)


def test_the_headline_split_decision_travels_in_the_model_file_with_what_it_judges() -> None:
    shipped = placement_model.load()
    assert isinstance(shipped, placement_model.PlacementModel)
    model = replace(shipped, headline_split=_splitting_below(0.5, HEADLINE, 3))
    again = placement_model.from_json(model.to_json())
    assert isinstance(again, placement_model.PlacementModel) and again.headline_split is not None
    assert (again.headline_split.kind, again.headline_split.min_leaving) == (HEADLINE, 3)
    assert again.split is not None and again.split.kind == "text" and again.split.min_leaving == 2
    document = json.loads(model.to_json())
    document["headline_split"]["judges"] = "video"
    with pytest.raises(placement_model.ModelError, match="video"):
        placement_model.from_json(json.dumps(document))


def test_the_split_decision_travels_in_the_model_file() -> None:
    shipped = placement_model.load()
    assert isinstance(shipped, placement_model.PlacementModel)
    model = replace(shipped, split=_splitting_below(0.5))
    again = placement_model.from_json(model.to_json())
    assert isinstance(again, placement_model.PlacementModel) and again.split is not None
    row = {name: 0.3 for name in SPLIT_FEATURES}
    assert again.split.probability(row) == pytest.approx(model.split.probability(row))  # type: ignore[union-attr]
    assert again.split.threshold == 0.5
    document = json.loads(model.to_json())
    del document["split"]["features"]["ratio"]
    with pytest.raises(placement_model.ModelError, match="ratio"):
        placement_model.from_json(json.dumps(document))


def test_copies_go_with_their_original_and_do_not_count_as_reports() -> None:
    copy = FLOODS[0].replace("Monday", "Monday evening")
    texts = [("Flood", FLOODS[0]), ("Flood", FLOODS[1]), ("Flood", FLOODS[2]), ("Trial", TRIALS[0]), ("Trial", copy),
             ("Trial", TRIALS[1]), ("Trial", TRIALS[2])]
    reports, weights = _reports(texts)
    newest_first = reports[::-1]  # the copy of the first flood report is index 2
    _, split = best_split(newest_first, weights, _splitting_below(0.5))
    assert split is not None and split.leaving == [0, 1, 3] and 2 in split.staying
    assert not candidate_splits(reports[:2] + [reports[4]], weights)  # two reports and a copy: nothing to judge


def test_the_shipped_model_carries_a_trained_split_decision() -> None:
    shipped = placement_model.load()
    assert isinstance(shipped, placement_model.PlacementModel) and shipped.split is not None
    assert shipped.split.features == SPLIT_FEATURES
    assert 0.0 < shipped.split.threshold < 1.0
    assert shipped.headline_split is not None and shipped.headline_split.kind == HEADLINE
    assert shipped.headline_split.min_leaving == 3 and 0.0 < shipped.headline_split.threshold < 1.0


def _store(demo: DemoArticle, minutes: int, headline_only: bool = False) -> Article:
    outlet, _ = Outlet.objects.get_or_create(slug=demo.outlet, defaults={"name": demo.outlet.title()})
    source, _ = Source.objects.get_or_create(feed_url=f"https://{demo.outlet}.example/feed", defaults={"outlet": outlet})
    body = "" if headline_only else "\n\n".join(demo.paragraphs)
    return Article.objects.create(
        source=source, outlet=outlet, dedup_key=f"{demo.outlet}-{demo.slug}"[:64], identity="guid",
        url=f"https://{demo.outlet}.example/{demo.slug}", title=demo.title, text=body, summary=body[:300],
        published_at=T0 + timedelta(minutes=minutes), fetch_status=Article.FetchStatus.OK)


def _two_events_joined_at_any_closeness(split: SplitModel | None) -> tuple[list[Article], list[Article]]:
    """Two cup finals (same kind, other teams), placed by a model that joins any story in view."""
    shipped = placement_model.load()
    assert isinstance(shipped, placement_model.PlacementModel)
    eager = replace(shipped, join_threshold=0.0, merge_threshold=1.0, split=split)
    first = [_store(a, 10 * n) for n, a in enumerate(a for a in WORLD.articles if a.event == 4)]
    second = [_store(a, 100 + 10 * n) for n, a in enumerate(a for a in WORLD.articles if a.event == 12)]
    for article in (*first, *second):
        attach(article, model=eager)
    return first, second


def _story_of(article: Article) -> int:
    return StoryMember.objects.get(article=article).story_id


@pytest.mark.django_db
def test_without_a_split_decision_an_eager_model_keeps_two_events_in_one_story() -> None:
    first, second = _two_events_joined_at_any_closeness(None)
    assert len({_story_of(a) for a in (*first, *second)}) == 1


@pytest.mark.django_db
def test_a_story_found_to_be_two_events_is_split_and_both_story_rows_are_recounted() -> None:
    first, second = _two_events_joined_at_any_closeness(_splitting_below(0.5))
    assert len({_story_of(a) for a in first}) == 1
    assert len({_story_of(a) for a in second}) == 1
    old, new = Story.objects.get(pk=_story_of(first[0])), Story.objects.get(pk=_story_of(second[0]))
    assert old.pk != new.pk
    assert (old.size, new.size) == (len(first), len(second))
    assert new.first_seen == second[0].published_at and new.last_updated == second[-1].published_at
    assert old.last_updated == first[-1].published_at
    assert new.primary_article_id in {a.pk for a in second}


FLOOD_HEADLINES = ("Miravel flood forces families from homes near mill", "Flood in Miravel as levee gives way near mill",
                   "Miravel families flee flood as levee near mill fails", "Mill levee breaks in Miravel flood")
# The trial is in the flood's town: headlines of two events are in each other's view only through
# a word they share (headline-only items have no body, so no shingle bands to meet on).
TRIAL_HEADLINES = ("Miravel fraud trial hears harbour board accountant", "Harbour board fraud trial opens in Miravel",
                   "Accountant on trial in Miravel harbour board fraud", "Miravel harbour fraud trial hears clerk")


@pytest.mark.django_db
def test_a_story_of_headlines_is_split_by_the_headline_decision_when_it_reaches_a_growth_step() -> None:
    shipped = placement_model.load()
    assert isinstance(shipped, placement_model.PlacementModel)
    eager = replace(shipped, join_threshold=0.0, merge_threshold=1.0, split=None,
                    headline_split=_splitting_below(0.6, HEADLINE, 3))
    template = WORLD.articles[0]
    items = [replace(template, outlet=f"outlet{n}", slug=f"item-{n}", title=title)
             for n, title in enumerate((*FLOOD_HEADLINES, *TRIAL_HEADLINES))]
    stored = [_store(item, 10 * n, headline_only=True) for n, item in enumerate(items)]
    stories_seen = []
    for n, article in enumerate(stored):
        attach(article, model=eager)
        stories_seen.append(len({_story_of(a) for a in stored[:n + 1]}))
    # Joined one by one (the eager model joins anything); judged at 4 members (one event: kept) and
    # at 8, where the trial's four reports leave; not at 7, where its three would already have left.
    assert stories_seen == [1, 1, 1, 1, 1, 1, 1, 2]
    assert len({_story_of(a) for a in stored[:4]}) == 1 and len({_story_of(a) for a in stored[4:]}) == 1
