"""How often to check a feed: as often as it publishes, never more often than it asks, within bounds.

Pure: times and numbers in, seconds out. The pipeline records what each check saw and asks here
for the next interval.

- **Rate.** A feed lists its latest entries with their dates: the entries of the last week over the
  time from the oldest of them to now is the feed's publishing rate (items a day). Counting to now,
  not to the newest entry, means a feed that has gone quiet slows down by itself. A feed without
  dates is measured by what each check finds new, smoothed over checks.
- **Interval.** Half the expected gap between two items (two checks per item: on average a new
  item waits a quarter of its gap), between the configured minimum and maximum.
- **What the publisher asks.** RSS `<ttl>`, `sy:updatePeriod`/`sy:updateFrequency` and the answer's
  `Cache-Control: max-age` say "not more often than this": the interval is at least that, even above
  the configured maximum, up to a day (a feed must not silence itself for weeks by a typo).
- **Quiet answers.** A 304 shows no entries; when the silence since the newest entry outlasts
  twice the expected gap, the rate is halved.
- **Jitter.** A source's interval is moved by up to ±10%, by a fixed amount per source, so that ten
  thousand feeds added together do not fall due together forever.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(days=7)  # entries older than this say little about today's rhythm
MIN_SPAN = timedelta(hours=1)  # a burst of items in one minute is not 1,440 items a day
HINT_CEILING = 86_400  # the longest a publisher's hint may stretch the interval
SMOOTHING = 0.3  # weight of the newest observation for feeds without dates
JITTER = 0.1
SECONDS_PER_PERIOD = {"hourly": 3600, "daily": 86_400, "weekly": 604_800, "monthly": 2_592_000,
                      "yearly": 31_536_000}
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Bounds:
    """The operator's limits on a source's interval, in seconds."""

    minimum: int
    maximum: int


def rate_from_entries(published: Iterable[datetime | None], now: datetime) -> float | None:
    """Items a day from the dated entries of the last WINDOW; None if the feed dates nothing."""
    dated = [t for t in published if t is not None]
    if not dated:
        return None
    recent = [t for t in dated if now - WINDOW <= t <= now + timedelta(minutes=5)]
    if not recent:
        return 0.0
    span = max(now - min(recent), MIN_SPAN)
    return len(recent) / (span.total_seconds() / 86_400)


def rate_from_new_items(previous: float, new_items: int, elapsed: timedelta) -> float:
    """Items a day for a feed without dates: what this check found new over the time since the
    last one, smoothed with what earlier checks found."""
    days = max(elapsed.total_seconds(), 1.0) / 86_400
    observed = new_items / days
    return observed if previous <= 0 else (1 - SMOOTHING) * previous + SMOOTHING * observed


def rate_after_silence(rate: float, newest_entry: datetime | None, now: datetime) -> float:
    """A 304 (nothing new): halve the rate once the silence outlasts twice the expected gap."""
    if rate <= 0 or newest_entry is None:
        return rate
    expected_gap = 86_400 / rate
    return rate / 2 if (now - newest_entry).total_seconds() > 2 * expected_gap else rate


def feed_hint(ttl: str | None = None, update_period: str | None = None, update_frequency: str | None = None) -> int:
    """Seconds a feed asks between checks (RSS ttl in minutes; the syndication module's period
    divided by its frequency); 0 when it asks nothing or asks in a form that cannot be read."""
    hints = []
    if ttl and str(ttl).strip().isdigit():
        hints.append(int(str(ttl).strip()) * 60)
    period = SECONDS_PER_PERIOD.get(str(update_period or "").strip().lower())
    if period:
        frequency = str(update_frequency or "1").strip()
        hints.append(period // max(1, int(frequency)) if frequency.isdigit() else period)
    return max(hints, default=0)


def max_age(cache_control: str) -> int:
    """Seconds of `Cache-Control: max-age` (0 when absent, or when no-cache/no-store says ask each time)."""
    if not cache_control or re.search(r"no-cache|no-store", cache_control, re.IGNORECASE):
        return 0
    match = _MAX_AGE.search(cache_control)
    return int(match.group(1)) if match else 0


def next_interval(rate: float, hint: int, bounds: Bounds, jitter_key: int = 0) -> int:
    """Seconds to the next check: half the expected gap between items within the bounds, at least
    what the publisher asks (up to HINT_CEILING), moved by the source's fixed jitter."""
    base = bounds.maximum if rate <= 0 else 86_400 / rate / 2
    base = min(max(base, bounds.minimum), bounds.maximum)
    base = max(base, min(hint, HINT_CEILING))
    fraction = (jitter_key * 0.6180339887) % 1.0  # spread evenly over sources, the same for each source
    jittered = base * (1 - JITTER + 2 * JITTER * fraction)
    floor = max(bounds.minimum, min(hint, HINT_CEILING))
    return int(math.ceil(max(jittered, floor)))
