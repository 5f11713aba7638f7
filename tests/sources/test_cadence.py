"""How often a feed is checked (sources.cadence): its rate, what it asks, the operator's bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wiredesk.sources import cadence

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
BOUNDS = cadence.Bounds(minimum=300, maximum=21_600)


def hourly_items(count: int, every: timedelta = timedelta(hours=1)) -> list[datetime]:
    return [NOW - every * n for n in range(count)]


def test_the_rate_counts_the_last_weeks_entries_up_to_now() -> None:
    assert cadence.rate_from_entries(hourly_items(24), NOW) == pytest.approx(24 / (23 / 24), rel=1e-9)
    # A feed that went quiet three days ago slows down by itself: its span runs to now.
    quiet = [t - timedelta(days=3) for t in hourly_items(24)]
    assert cadence.rate_from_entries(quiet, NOW) < 24 / 3
    assert cadence.rate_from_entries([NOW - timedelta(days=30)], NOW) == 0.0
    assert cadence.rate_from_entries([None, None], NOW) is None  # nothing dated: measured another way


def test_a_burst_in_one_minute_is_not_read_as_thousands_a_day() -> None:
    burst = [NOW - timedelta(seconds=s) for s in range(20)]
    assert cadence.rate_from_entries(burst, NOW) == pytest.approx(20 * 24)  # spread over the minimum span


def test_the_interval_follows_the_rate_within_the_bounds() -> None:
    assert cadence.next_interval(48.0, 0, cadence.Bounds(60, 21_600)) == pytest.approx(900 * 0.9, abs=1)
    fast = cadence.next_interval(2_000.0, 0, BOUNDS, jitter_key=7)
    slow = cadence.next_interval(0.1, 0, BOUNDS, jitter_key=7)
    assert BOUNDS.minimum <= fast <= BOUNDS.minimum * 1.1
    assert BOUNDS.maximum * 0.9 <= slow <= BOUNDS.maximum * 1.1
    assert cadence.next_interval(0.0, 0, BOUNDS) >= BOUNDS.maximum * 0.9  # publishes nothing: the longest


def test_the_publishers_hint_is_a_floor_even_above_the_maximum_but_not_beyond_a_day() -> None:
    assert cadence.next_interval(2_000.0, 3_600, BOUNDS, jitter_key=3) >= 3_600
    assert cadence.next_interval(2_000.0, 43_200, BOUNDS, jitter_key=0) >= 43_200
    assert cadence.next_interval(2_000.0, 10 ** 7, BOUNDS, jitter_key=0) <= cadence.HINT_CEILING


def test_jitter_spreads_sources_by_a_fixed_amount_each() -> None:
    intervals = {cadence.next_interval(48.0, 0, BOUNDS, jitter_key=pk) for pk in range(1, 200)}
    assert len(intervals) > 50 and min(intervals) >= 900 * 0.9 and max(intervals) <= 900 * 1.1 + 1
    assert cadence.next_interval(48.0, 0, BOUNDS, jitter_key=42) == cadence.next_interval(48.0, 0, BOUNDS, jitter_key=42)


@pytest.mark.parametrize(("ttl", "period", "frequency", "seconds"), [
    ("60", None, None, 3_600),
    (None, "hourly", "2", 1_800),
    (None, "daily", None, 86_400),
    (" 15 ", "hourly", "1", 3_600),  # the longer of two requests
    ("soon", "fortnightly", "x", 0),  # unreadable: asks nothing
    (None, "weekly", "bad", 604_800),
])
def test_feeds_ask_by_ttl_or_the_syndication_module(ttl, period, frequency, seconds) -> None:  # type: ignore[no-untyped-def]
    assert cadence.feed_hint(ttl, period, frequency) == seconds


@pytest.mark.parametrize(("header", "seconds"), [
    ("public, max-age=600", 600), ("max-age=\"120\"", 120), ("s-maxage=60", 0), ("no-cache, max-age=600", 0),
    ("", 0), ("private", 0),
])
def test_cache_control_max_age(header: str, seconds: int) -> None:
    assert cadence.max_age(header) == seconds


def test_undated_feeds_are_measured_by_what_each_check_finds_new() -> None:
    first = cadence.rate_from_new_items(0.0, 4, timedelta(hours=1))
    assert first == pytest.approx(96)
    assert cadence.rate_from_new_items(first, 0, timedelta(hours=1)) == pytest.approx(96 * 0.7)


def test_a_quiet_feed_slows_down_after_twice_its_expected_gap() -> None:
    assert cadence.rate_after_silence(24.0, NOW - timedelta(hours=1), NOW) == 24.0
    assert cadence.rate_after_silence(24.0, NOW - timedelta(hours=3), NOW) == 12.0
    assert cadence.rate_after_silence(24.0, None, NOW) == 24.0
