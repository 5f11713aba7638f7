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

from wiredesk.stories.features import FEATURES

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

    def probability(self, row: Mapping[str, float]) -> float:
        x = (np.array([row[name] for name in self.features]) - self.mean) / self.scale
        return float(1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias))))

    def to_json(self, extra: Mapping[str, object] | None = None) -> str:
        """Human-readable: one weight per named feature (in units of the standardised feature)."""
        document = {
            "format": FORMAT, "version": self.version,
            "decision": {"join_threshold": round(self.join_threshold, 4),
                         "merge_threshold": round(self.merge_threshold, 4)},
            "bias": round(self.bias, 6),
            "features": {name: {"weight": round(float(w), 6), "mean": round(float(m), 6), "scale": round(float(s), 6)}
                         for name, w, m, s in zip(self.features, self.weights, self.mean, self.scale, strict=True)},
            **(dict(extra) if extra else {}),
        }
        return json.dumps(document, indent=2, sort_keys=False) + "\n"


def from_json(text: str) -> PlacementModel:
    try:
        document = json.loads(text)
        if document.get("format") != FORMAT:
            raise ModelError(f"not a placement model ({document.get('format')!r}, expected {FORMAT!r})")
        features = document["features"]
        missing = [name for name in FEATURES if name not in features]
        if missing:
            raise ModelError(f"the model lacks features the engine computes: {', '.join(missing)}")
        names = tuple(features)
        column = lambda key: np.array([float(features[n][key]) for n in names])  # noqa: E731
        scale = column("scale")
        scale[scale == 0] = 1.0
        return PlacementModel(str(document["version"]), names, column("mean"), scale, column("weight"),
                              float(document["bias"]), float(document["decision"]["join_threshold"]),
                              float(document["decision"]["merge_threshold"]))
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ModelError):
            raise
        raise ModelError(f"malformed placement model: {error}") from error


@lru_cache(maxsize=8)
def load(path: str | None = None) -> PlacementModel:
    """The shipped model, or the one at `path` (evaluation runs train one per fold)."""
    target = Path(path) if path else DEFAULT_PATH
    try:
        return from_json(target.read_text(encoding="utf-8"))
    except OSError as error:
        raise ModelError(f"cannot read placement model {target}: {error}") from error


def fit(rows: Sequence[Mapping[str, float]], labels: Sequence[int], l2: float = 1.0,
        iterations: int = 50, sample_weight: Sequence[float] | None = None,
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method on standardised features.

    `sample_weight` lets each training corpus count alike however many pairs it has.
    Returns (mean, scale, weights, bias). Deterministic: no sampling, starts from zeros."""
    x = np.array([[row[name] for name in FEATURES] for row in rows], dtype=np.float64)
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
