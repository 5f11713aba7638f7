"""Choosing a decision's bar from training examples: the one with the most right decisions.

Used for the join bar (train_stories.choose_join) and the split bar (split_training.train_split):
each example has the probability of its best option, whether acting on that option would be right,
and whether acting at all is what it needs (join a story; split one).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def best_bar(best: Sequence[float], act_right: Sequence[bool], should_act: Sequence[bool],
             weight: np.ndarray) -> float:
    """The bar that makes the most (weighted) right decisions: below it nothing is done, which is
    right where acting is not needed; at or above it the best option is taken, right where that
    option is. Ties go to the middle of the best interval; the bar stays within 0.01..0.99."""
    order = np.argsort(np.asarray(best, dtype=np.float64), kind="stable")
    values = np.asarray(best, dtype=np.float64)[order]
    w = np.asarray(weight, dtype=np.float64)[order]
    # With the bar just above values[i]: examples 0..i do nothing, i+1.. act.
    idle_right = np.concatenate([[0], np.cumsum(~np.asarray(should_act, dtype=bool)[order] * w)])
    act = np.asarray(act_right, dtype=bool)[order] * w
    acting_right = np.concatenate([np.cumsum(act[::-1])[::-1], [0]])
    cut = int(np.argmax(idle_right + acting_right))
    lower = values[cut - 1] if cut > 0 else 0.0
    upper = values[cut] if cut < len(values) else 1.0
    return float(np.clip((max(lower, 0.0) + upper) / 2, 0.01, 0.99))
