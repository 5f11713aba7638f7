"""Planner statistics for the embedded database.

SQLite plans without statistics unless it is told to gather them, and a planner that guesses can
sort a whole table where an index would have served (the lists here are written so that their
plans are right even then; other queries still gain). PostgreSQL's autovacuum keeps its own
statistics, so there is nothing to do there. `ANALYZE` under `analysis_limit` samples a bounded
number of rows per index: milliseconds at any archive size.
"""

from __future__ import annotations

from django.db import connection

ANALYSIS_ROWS = 1000


def refresh_statistics() -> bool:
    """Refresh the planner's statistics where the database needs us to; True if it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_ROWS}")
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA optimize")
    return True
