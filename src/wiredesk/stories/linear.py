"""The one form every linear decision in a model file takes: per named feature a weight, and the
mean and scale it was standardised with (so a reader sees each weight in comparable units).
Shared by the placement model (stories.model) and the split decision (stories.split)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def probability(row: Mapping[str, float], names: Sequence[str], mean: np.ndarray, scale: np.ndarray,
                weights: np.ndarray, bias: float) -> float:
    """The logistic of the standardised row's weighted sum."""
    x = (np.array([row[name] for name in names]) - mean) / scale
    return float(1.0 / (1.0 + np.exp(-(x @ weights + bias))))


def columns_document(names: Sequence[str], weights: np.ndarray, mean: np.ndarray,
                     scale: np.ndarray) -> dict[str, dict[str, float]]:
    return {name: {"weight": round(float(w), 6), "mean": round(float(m), 6), "scale": round(float(s), 6)}
            for name, w, m, s in zip(names, weights, mean, scale, strict=True)}


def read_columns(features: Mapping[str, Mapping[str, object]]
                 ) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
    """(names, mean, scale, weights) from a file's features; a zero scale reads as 1 (a feature that
    never varied in training). KeyError/TypeError/ValueError when malformed."""
    names = tuple(features)
    column = lambda key: np.array([float(features[n][key]) for n in names])  # type: ignore[arg-type]  # noqa: E731
    scale = column("scale")
    scale[scale == 0] = 1.0
    return names, column("mean"), scale, column("weight")
