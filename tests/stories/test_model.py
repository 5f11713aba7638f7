"""The placement model: learned by a deterministic fit, read from a human-readable file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wiredesk.stories import model as placement_model
from wiredesk.stories.features import FEATURES
from wiredesk.stories.model import ModelError, PlacementModel, fit, from_json


def rows_and_labels(count: int = 200) -> tuple[list[dict[str, float]], list[int]]:
    rng = np.random.default_rng(7)
    rows, labels = [], []
    for _ in range(count):
        row = {name: float(rng.random()) for name in FEATURES}
        labels.append(int(row["body_centroid"] + 0.1 * rng.standard_normal() > 0.5))
        rows.append(row)
    return rows, labels


def test_fit_finds_the_feature_that_decides_and_is_deterministic() -> None:
    rows, labels = rows_and_labels()
    mean, scale, weights, bias = fit(rows, labels)
    strongest = FEATURES[int(np.argmax(np.abs(weights)))]
    assert strongest == "body_centroid" and weights[FEATURES.index("body_centroid")] > 0
    again = fit(rows, labels)
    assert np.array_equal(weights, again[2]) and bias == again[3]
    model = PlacementModel("t", FEATURES, mean, scale, weights, bias, 0.5, 0.9)
    high = dict(rows[0], body_centroid=0.95)
    low = dict(rows[0], body_centroid=0.05)
    assert model.probability(high) > 0.9 > 0.1 > model.probability(low)


def test_the_file_round_trips_and_names_every_weight() -> None:
    rows, labels = rows_and_labels()
    model = PlacementModel("t", FEATURES, *fit(rows, labels), 0.4, 0.8)
    text = model.to_json({"trained_on": {"toy": 200}})
    document = json.loads(text)
    assert set(document["features"]) == set(FEATURES)
    assert document["decision"] == {"join_threshold": 0.4, "merge_threshold": 0.8}
    loaded = from_json(text)
    assert loaded.probability(rows[3]) == pytest.approx(model.probability(rows[3]), abs=1e-4)


def test_a_wrong_or_incomplete_file_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="not a placement model"):
        from_json(json.dumps({"format": "something-else"}))
    with pytest.raises(ModelError, match="lacks features"):
        from_json(json.dumps({"format": placement_model.FORMAT, "version": "x", "bias": 0,
                              "decision": {"join_threshold": 0.5, "merge_threshold": 0.9}, "features": {}}))
    with pytest.raises(ModelError, match="malformed"):
        from_json("{not json")
    with pytest.raises(ModelError, match="cannot read"):
        placement_model.load("/nonexistent/model.json")


def test_the_shipped_model_is_trained_and_its_bars_are_ordered() -> None:
    shipped = placement_model.load()
    document = json.loads(placement_model.DEFAULT_PATH.read_text())
    assert document["version"] != "bootstrap" and document["training_pairs"] > 1000
    assert 0 < shipped.join_threshold <= shipped.merge_threshold <= 1
    assert np.any(shipped.weights != 0)


def test_boosted_trees_learn_what_two_features_say_together_and_round_trip() -> None:
    """Close in wording but sharing no names: another event. A sum of depth-2 trees can say that."""
    from wiredesk.stories.model import BoostedModel, fit_boosted

    rng = np.random.default_rng(3)
    rows, labels = [], []
    for _ in range(600):
        row = {name: float(rng.random()) for name in FEATURES}
        rows.append(row)
        labels.append(int(row["body_centroid"] > 0.5 and row["names_share"] > 0.5))
    base, trees = fit_boosted(rows, labels)
    assert fit_boosted(rows, labels) == (base, trees)  # deterministic
    model = BoostedModel("t", FEATURES, base, trees, 0.5, 0.9)
    same = dict(rows[0], body_centroid=0.9, names_share=0.9)
    same_kind = dict(rows[0], body_centroid=0.9, names_share=0.1)
    assert model.probability(same) > 0.8 > 0.2 > model.probability(same_kind)
    loaded = from_json(model.to_json())
    assert isinstance(loaded, BoostedModel)
    assert loaded.probability(same_kind) == pytest.approx(model.probability(same_kind), abs=1e-4)


def test_a_blend_averages_its_parts_log_odds_and_round_trips() -> None:
    from wiredesk.stories.model import BlendModel, BoostedModel, fit_boosted

    rows, labels = rows_and_labels()
    linear = PlacementModel("t", FEATURES, *fit(rows, labels), 0.5, 0.9)
    trees = BoostedModel("t", FEATURES, *fit_boosted(rows, labels), 0.5, 0.9)
    blend = BlendModel("t", (linear, trees), 0.4, 0.8)
    row = rows[5]
    odds = [np.log(m.probability(row) / (1 - m.probability(row))) for m in (linear, trees)]
    assert blend.probability(row) == pytest.approx(1 / (1 + np.exp(-np.mean(odds))))
    loaded = from_json(blend.to_json())
    assert isinstance(loaded, BlendModel) and (loaded.join_threshold, loaded.merge_threshold) == (0.4, 0.8)
    assert loaded.probability(row) == pytest.approx(blend.probability(row), abs=1e-3)


def synthetic_choices(count: int, seed: int) -> list[tuple[list[dict[str, float]], int | None]]:
    """Articles with one to four stories in view: the right one is the closest in body words when
    that closeness reaches 0.6; otherwise the article's event is not in view (start a story)."""
    rng = np.random.default_rng(seed)
    choices: list[tuple[list[dict[str, float]], int | None]] = []
    for _ in range(count):
        candidates = [{name: float(rng.random()) for name in FEATURES} for _ in range(int(rng.integers(1, 5)))]
        best = max(range(len(candidates)), key=lambda i: candidates[i]["body_centroid"])
        choices.append((candidates, best if candidates[best]["body_centroid"] >= 0.6 else None))
    return choices


def test_the_choice_model_learns_when_to_join_and_when_to_start_a_story() -> None:
    from wiredesk.stories.model import fit_choice

    training = synthetic_choices(400, seed=5)
    mean, scale, weights, bias = fit_choice(training)
    again = fit_choice(training)
    assert np.array_equal(weights, again[2]) and bias == again[3]  # deterministic
    assert FEATURES[int(np.argmax(np.abs(weights)))] == "body_centroid"
    model = PlacementModel("t", FEATURES, mean, scale, weights, bias, 0.5, 0.9)
    right = 0
    held_out = synthetic_choices(300, seed=6)
    for candidates, answer in held_out:
        p = [model.probability(row) for row in candidates]
        top = int(np.argmax(p))
        right += (top if p[top] >= 0.5 else None) == answer
    assert right / len(held_out) > 0.9
    # The learned bar between joining and starting sits where the rule puts it.
    row = dict(held_out[0][0][0])
    assert model.probability(dict(row, body_centroid=0.8)) > 0.5 > model.probability(dict(row, body_centroid=0.4))


def test_the_choice_model_weighs_each_article_as_told() -> None:
    """Weighting an article's choice ten times over moves the bar towards what it says."""
    from wiredesk.stories.model import fit_choice

    training = synthetic_choices(200, seed=8)
    # One article the rule would start a story for, whose event was in view after all: joined.
    exception = ([{**{name: 0.0 for name in FEATURES}, "body_centroid": 0.55}], 0)
    plain = fit_choice([*training, exception])
    heavy = fit_choice([*training, exception], sample_weight=[1.0] * len(training) + [50.0])
    probe = {name: 0.5 for name in FEATURES} | {"body_centroid": 0.55}
    p_plain = PlacementModel("t", FEATURES, *plain, 0.5, 0.9).probability(probe)
    p_heavy = PlacementModel("t", FEATURES, *heavy, 0.5, 0.9).probability(probe)
    assert p_heavy > p_plain
