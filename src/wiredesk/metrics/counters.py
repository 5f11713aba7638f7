"""Adding to the shared counters (metrics.models.Counter); a failure to count never fails the work."""

from __future__ import annotations

import logging
from collections import Counter as Tally
from collections.abc import Iterable, Mapping

from django.db import DatabaseError, connection, transaction

from wiredesk.metrics.models import Counter

log = logging.getLogger("wiredesk.metrics")

# Placement lag buckets (seconds from stored to placed), Prometheus histogram style.
LAG_BUCKETS = (1, 5, 15, 60, 300, 900, 3600, 21_600)


def add(amounts: Mapping[tuple[str, str, str], float]) -> None:
    """Add each amount to its (name, label, code) counter, in one statement per counter."""
    rows = [(name[:60], label[:60], code[:60], float(value)) for (name, label, code), value in amounts.items() if value]
    if not rows:
        return
    table = connection.ops.quote_name(Counter._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (name, label, code, value) VALUES (%s, %s, %s, %s) "
                f"ON CONFLICT (name, label, code) DO UPDATE SET value = {table}.value + excluded.value", rows)
    except DatabaseError:  # the count is lost, the work it counts is not
        log.exception("event=metrics_add_failed")


def count_fetch(kind: str, outcome: str, code: str = "") -> None:
    add({("fetches", f"{kind}:{outcome}", code): 1})


def count_pages(outcomes: Iterable[tuple[str, str]]) -> None:
    """A batch of page fetches: (outcome, error code) each."""
    add({("fetches", f"page:{outcome}", code): n for (outcome, code), n in Tally(outcomes).items()})


def count_stored(articles: int) -> None:
    add({("articles_stored", "", ""): articles})


def count_placed(lags: Iterable[float]) -> None:
    """Articles placed in stories, with the seconds each waited since it was stored (or its text arrived)."""
    amounts: Tally[tuple[str, str, str]] = Tally()
    for lag in lags:
        amounts[("placed", "", "")] += 1
        amounts[("placement_lag_sum", "", "")] += max(0.0, lag)
        for bound in LAG_BUCKETS:
            if lag <= bound:
                amounts[("placement_lag_bucket", str(bound), "")] += 1
        amounts[("placement_lag_bucket", "+Inf", "")] += 1
    add(amounts)
