"""The indexed front-page rank orders stories exactly as breadth decayed by age would, at any time."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from wiredesk.stories.models import HALF_LIFE_HOURS, breadth, rank_key


def decayed(outlets: int, size: int, last_updated: datetime, now: datetime) -> float:
    age = (now - last_updated).total_seconds() / 3600
    return breadth(outlets, size) * 0.5 ** (age / HALF_LIFE_HOURS)


@pytest.mark.parametrize("seed", range(5))
def test_rank_key_orders_as_the_decayed_breadth_at_any_now(seed: int) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    stories = []
    for n in range(200):
        outlets = rng.randint(1, 30)
        stories.append((n, outlets, outlets + rng.randint(0, 40), start + timedelta(minutes=rng.randint(0, 60 * 24 * 20))))
    for now in (start + timedelta(days=21), start + timedelta(days=90)):
        by_decay = sorted(stories, key=lambda s: (-decayed(s[1], s[2], s[3], now), s[0]))
        by_key = sorted(stories, key=lambda s: (-rank_key(s[1], s[2], s[3]), s[0]))
        assert [s[0] for s in by_key[:50]] == [s[0] for s in by_decay[:50]]


def test_broader_coverage_outranks_a_single_report_of_the_same_age() -> None:
    when = datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert rank_key(12, 20, when) > rank_key(1, 1, when)
    assert rank_key(1, 1, when + timedelta(hours=2 * HALF_LIFE_HOURS)) > rank_key(3, 3, when)
