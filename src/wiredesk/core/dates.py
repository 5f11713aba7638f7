"""Date parsing for feeds, pages and batch input: everything becomes an aware UTC datetime."""

from __future__ import annotations

import calendar
import email.utils
import time
from datetime import UTC, datetime


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """feedparser's *_parsed fields are UTC struct_time values."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError):
        return None


COMMON_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S",
                  "%Y-%d-%m %H:%M:%S",  # year-day-month, as some archive exports write it
                  "%d %B %Y", "%B %d, %Y")


def _from_common_formats(text: str) -> datetime | None:
    """US-style and other forms seen in news archives (month first, as in DUC and wire logs)."""
    for form in COMMON_FORMATS:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    return None


def parse_datetime(value: str | int | float | None) -> datetime | None:
    """ISO 8601, RFC 822, or epoch seconds/milliseconds; None when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        number = float(value)
        if abs(number) > 1e11:  # epoch milliseconds
            number /= 1000.0
        return datetime.fromtimestamp(number, tz=UTC)
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            parsed = _from_common_formats(text)
            if parsed is None:
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def aware(value: datetime) -> datetime:
    """A datetime column read by a plain statement: SQLite hands back naive UTC, PostgreSQL an aware
    datetime; both become aware."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
