"""The placement model: a logistic regression over `stories.features`, read from a JSON file.

The engine only reads the file; `benchmarks/train_stories.py` writes it from labelled data, with no
randomness (Newton's method from zeros), so the same data gives the same file byte for byte.

Decisions: an article joins the candidate story with the highest probability when it reaches
`join_threshold`, else it starts a story; a second candidate story at or above `merge_threshold`
(never below the join bar) is the same event too, and the two stories are merged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from wiredesk.stories import linear
from wiredesk.stories.features import FEATURES
from wiredesk.stories.split import SplitModel
from wiredesk.stories.split import from_document as split_from_document

DEFAULT_PATH = Path(__file__).with_name("placement_model.json")
FORMAT = "wiredesk-placement/1"


class ModelError(ValueError):
    """The model file is missing, malformed, or made for other features."""


@dataclass(frozen=True)
class PlacementModel:
    version: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    join_threshold: float
    merge_threshold: float
    split: SplitModel | None = None  # is a story two events? (stories.split; none: never split)
    headline_split: SplitModel | None = None  # the same for stories of headline-only items

    def probability(self, row: Mapping[str, float]) -> float:
        return linear.probability(row, self.features, self.mean, self.scale, self.weights, self.bias)

    def to_json(self, extra: Mapping[str, object] | None = None) -> str:
        """Human-readable: one weight per named feature (in units of the standardised feature)."""
        document = {
            "format": FORMAT, "version": self.version,
            "decision": {"join_threshold": round(self.join_threshold, 4),
                         "merge_threshold": round(self.merge_threshold, 4)},
            "bias": round(self.bias, 6),
            "features": linear.columns_document(self.features, self.weights, self.mean, self.scale),
            **({"split": self.split.document()} if self.split else {}),
            **({"headline_split": self.headline_split.document()} if self.headline_split else {}),
            **(dict(extra) if extra else {}),
        }
        return json.dumps(document, indent=2, sort_keys=False) + "\n"


def from_json(text: str) -> PlacementModel | BoostedModel | BlendModel:
    try:
        document = json.loads(text)
        if isinstance(document, dict) and document.get("format") == BOOSTED_FORMAT:
            return _boosted_from(document)
        if isinstance(document, dict) and document.get("format") == BLEND_FORMAT:
            parts = tuple(from_json(json.dumps(part)) for part in document["parts"])
            return BlendModel(str(document["version"]), parts,  # type: ignore[arg-type]
                              float(document["decision"]["join_threshold"]),
                              float(document["decision"]["merge_threshold"]))
        if document.get("format") != FORMAT:
            raise ModelError(f"not a placement model ({document.get('format')!r}, expected {FORMAT!r})")
        features = document["features"]
        missing = [name for name in FEATURES if name not in features]
        if missing:
            raise ModelError(f"the model lacks features the engine computes: {', '.join(missing)}")
        names, mean, scale, weights = linear.read_columns(features)
        return PlacementModel(str(document["version"]), names, mean, scale, weights,
                              float(document["bias"]), float(document["decision"]["join_threshold"]),
                              float(document["decision"]["merge_threshold"]),
                              split_from_document(document["split"]) if "split" in document else None,
                              split_from_document(document["headline_split"]) if "headline_split" in document
                              else None)
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ModelError):
            raise
        raise ModelError(f"malformed placement model: {error}") from error


@lru_cache(maxsize=8)
def load(path: str | None = None) -> PlacementModel | BoostedModel | BlendModel:
    """The shipped model, or the one at `path` (evaluation runs train one per fold)."""
    target = Path(path) if path else DEFAULT_PATH
    try:
        return from_json(target.read_text(encoding="utf-8"))
    except OSError as error:
        raise ModelError(f"cannot read placement model {target}: {error}") from error


def fit(rows: Sequence[Mapping[str, float]], labels: Sequence[int], l2: float = 1.0,
        iterations: int = 50, sample_weight: Sequence[float] | None = None,
        features: Sequence[str] = FEATURES) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method on standardised features.

    `sample_weight` lets each training corpus count alike however many pairs it has.
    `features`: the columns read (the split decision, stories.split, has its own).
    Returns (mean, scale, weights, bias). Deterministic: no sampling, starts from zeros."""
    x = np.array([[row[name] for name in features] for row in rows], dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    w = w * len(w) / w.sum()
    mean = np.average(x, axis=0, weights=w)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        gradient = z.T @ (w * (p - y)) + penalty * beta
        hessian = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(z.shape[1])
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return mean, scale, beta[:-1], float(beta[-1])


def fit_choice(choices: Sequence[tuple[Sequence[Mapping[str, float]], int | None]], l2: float = 1.0,
               iterations: int = 50, sample_weight: Sequence[float] | None = None,
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The placement decision itself, learned: for each article, a choice among the candidate
    stories in view and "start a story" (a conditional logit, McFadden 1974).

    `choices`: per article, its candidates' feature rows and the index of the right one (None when
    the article's event is not in view, so starting a story is right). A candidate scores
    w·x; starting a story scores a learned constant c. The right option's softmax probability is
    maximised (L2 on w), by Newton's method from zeros: deterministic.

    Why it was tried: pairwise logistic regression (`fit`) learns "same event?" for every pair, and
    most pairs are stories that share nothing with the article, easy to turn down; what placement
    gets wrong is the close call between the nearest story and a new one, which is what this
    likelihood is made of. Why it is not shipped: cross-validated, it matched `fit` inside the
    corpora and fell far below it on a corpus left out of training (CHANGELOG; `train_stories.py
    --learner choice`). The result reads as the pairwise model does: sigmoid(w·x − c) is the
    probability of joining a story against starting one, so `bias` is −c and the file format is the
    same. Returns (mean, scale, weights, bias)."""
    rows = [row for candidates, _ in choices for row in candidates]
    x = np.array([[row[name] for name in FEATURES] for row in rows], dtype=np.float64).reshape(-1, len(FEATURES))
    article_weight = np.ones(len(choices)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    article_weight = article_weight * len(article_weight) / article_weight.sum()
    mean = x.mean(axis=0) if len(x) else np.zeros(len(FEATURES))
    scale = x.std(axis=0) if len(x) else np.ones(len(FEATURES))
    scale[scale < 1e-9] = 1.0
    width = max((len(candidates) for candidates, _ in choices), default=0) + 1  # + "start a story"
    d = len(FEATURES) + 1
    options = np.zeros((len(choices), width, d))
    allowed = np.zeros((len(choices), width), dtype=bool)
    right = np.zeros(len(choices), dtype=int)
    start = 0
    for i, (candidates, chosen) in enumerate(choices):
        n = len(candidates)
        options[i, :n, :-1] = (x[start:start + n] - mean) / scale
        start += n
        options[i, width - 1, -1] = 1.0  # starting a story: the constant c
        allowed[i, :n] = allowed[i, width - 1] = True
        right[i] = width - 1 if chosen is None else chosen
    beta = np.zeros(d)
    penalty = np.full(d, l2)
    penalty[-1] = 0.0
    flat = options.reshape(-1, d)
    everyone = np.arange(len(choices))
    for _ in range(iterations):
        score = np.where(allowed, options @ beta, -np.inf)
        score -= score.max(axis=1, keepdims=True)
        p = np.exp(score)
        p /= p.sum(axis=1, keepdims=True)
        expected = np.einsum("ij,ijk->ik", p, options)
        gradient = -(article_weight[:, None] * (options[everyone, right] - expected)).sum(axis=0) + penalty * beta
        hessian = (flat.T @ (flat * (article_weight[:, None] * p).reshape(-1)[:, None])
                   - (expected * article_weight[:, None]).T @ expected + np.diag(penalty) + 1e-9 * np.eye(d))
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return mean, scale, beta[:-1], float(-beta[-1])


# --- boosted trees -------------------------------------------------------------------------------
# The same decision from the same features, by a sum of small trees (depth 2) fitted by Newton
# boosting on the logistic loss: two features can work together ("close in wording, but no shared
# names"), which a linear model cannot say. Still deterministic: fixed quantile bins, no sampling.

BOOSTED_FORMAT = "wiredesk-placement-trees/1"


@dataclass(frozen=True)
class BoostedModel:
    version: str
    features: tuple[str, ...]
    base: float
    trees: tuple[dict, ...]  # {"f": name, "t": threshold, "l": node or leaf value, "r": ...}
    join_threshold: float
    merge_threshold: float

    def probability(self, row: Mapping[str, float]) -> float:
        score = self.base
        for tree in self.trees:
            node: object = tree
            while isinstance(node, dict):
                node = node["l"] if row[node["f"]] <= node["t"] else node["r"]
            score += float(node)  # type: ignore[arg-type]
        return float(1.0 / (1.0 + np.exp(-score)))

    def to_json(self, extra: Mapping[str, object] | None = None) -> str:
        document = {
            "format": BOOSTED_FORMAT, "version": self.version,
            "decision": {"join_threshold": round(self.join_threshold, 4),
                         "merge_threshold": round(self.merge_threshold, 4)},
            "base": round(self.base, 6), "features": list(self.features), "trees": list(self.trees),
            **(dict(extra) if extra else {}),
        }
        return json.dumps(document, indent=1) + "\n"


def _boosted_from(document: dict) -> BoostedModel:
    missing = [name for name in FEATURES if name not in document["features"]]
    if missing:
        raise ModelError(f"the model lacks features the engine computes: {', '.join(missing)}")
    return BoostedModel(str(document["version"]), tuple(document["features"]), float(document["base"]),
                        tuple(document["trees"]), float(document["decision"]["join_threshold"]),
                        float(document["decision"]["merge_threshold"]))


def fit_boosted(rows: Sequence[Mapping[str, float]], labels: Sequence[int], sample_weight: Sequence[float] | None = None,
                rounds: int = 150, depth: int = 2, rate: float = 0.1, bins: int = 32, l2: float = 1.0,
                min_child: float = 5.0) -> tuple[float, tuple[dict, ...]]:
    """(base score, trees). Splits are "feature <= a quantile of it"; leaves are Newton steps."""
    x = np.array([[row[name] for name in FEATURES] for row in rows], dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    w = w * len(w) / w.sum()
    edges = [np.unique(np.quantile(x[:, j], np.linspace(0, 1, bins + 1)[1:-1])) for j in range(x.shape[1])]
    binned = np.stack([np.searchsorted(edges[j], x[:, j], side="left") for j in range(x.shape[1])], axis=1)
    mean = float(np.average(y, weights=w))
    base = float(np.log(mean / (1 - mean)))
    score = np.full(len(y), base)
    trees = []

    def node(index: np.ndarray, g: np.ndarray, h: np.ndarray, level: int) -> tuple[object, np.ndarray]:
        total_g, total_h = g[index].sum(), h[index].sum()
        leaf = -total_g / (total_h + l2) * rate
        if level == depth:
            return round(float(leaf), 6), np.full(len(index), leaf)
        best = (0.0, -1, -1)
        parent = total_g ** 2 / (total_h + l2)
        for j in range(x.shape[1]):
            if not len(edges[j]):
                continue
            size = len(edges[j]) + 1
            hist_g = np.cumsum(np.bincount(binned[index, j], weights=g[index], minlength=size))[:-1]
            hist_h = np.cumsum(np.bincount(binned[index, j], weights=h[index], minlength=size))[:-1]
            right_h = total_h - hist_h
            gain = hist_g ** 2 / (hist_h + l2) + (total_g - hist_g) ** 2 / (right_h + l2) - parent
            gain[(hist_h < min_child) | (right_h < min_child)] = 0.0
            k = int(np.argmax(gain))
            if gain[k] > best[0] + 1e-12:
                best = (float(gain[k]), j, k)
        if best[1] < 0:
            return round(float(leaf), 6), np.full(len(index), leaf)
        _, j, k = best
        goes_left = binned[index, j] <= k
        left, left_values = node(index[goes_left], g, h, level + 1)
        right, right_values = node(index[~goes_left], g, h, level + 1)
        values = np.empty(len(index))
        values[goes_left], values[~goes_left] = left_values, right_values
        return {"f": FEATURES[j], "t": round(float(edges[j][k]), 6), "l": left, "r": right}, values

    everyone = np.arange(len(y))
    for _ in range(rounds):
        p = 1.0 / (1.0 + np.exp(-score))
        tree, values = node(everyone, w * (p - y), w * p * (1 - p), 0)
        trees.append(tree)
        score += values
    return base, tuple(trees)


# --- blend ---------------------------------------------------------------------------------------
BLEND_FORMAT = "wiredesk-placement-blend/1"


@dataclass(frozen=True)
class BlendModel:
    """The mean log-odds of several models: a linear model's steadiness across kinds of news with the
    trees' interactions inside one."""

    version: str
    parts: tuple[PlacementModel | BoostedModel, ...]
    join_threshold: float
    merge_threshold: float

    def probability(self, row: Mapping[str, float]) -> float:
        odds = [np.log(p / (1 - p)) for p in (np.clip(m.probability(row), 1e-9, 1 - 1e-9) for m in self.parts)]
        return float(1.0 / (1.0 + np.exp(-np.mean(odds))))

    def to_json(self, extra: Mapping[str, object] | None = None) -> str:
        document = {"format": BLEND_FORMAT, "version": self.version,
                    "decision": {"join_threshold": round(self.join_threshold, 4),
                                 "merge_threshold": round(self.merge_threshold, 4)},
                    "parts": [json.loads(part.to_json()) for part in self.parts], **(dict(extra) if extra else {})}
        return json.dumps(document, indent=1) + "\n"
