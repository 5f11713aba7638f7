"""Planner statistics for the embedded database.

SQLite plans without statistics unless it is told to gather them, and a planner that guesses can
sort a whole table where an index would have served (the lists here are written so that their
plans are right even then; other queries still gain). PostgreSQL's autovacuum keeps its own
statistics, so there is nothing to do there. `ANALYZE` under `analysis_limit` samples a bounded
number of rows per index (milliseconds at any archive size); partial indexes are counted in full.
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
        # Partial indexes (the live lists, the story stage's queue, the front page's rank) are counted
        # in full: extrapolated from a sample, the live-list index of a 200k archive was put at 543k
        # rows, more than the table, and SQLite scanned and sorted every article for the latest
        # twenty (450 ms). They hold the working set, so an exact count reads ~80 ms at 200k.
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")
        partial = [row[0] for row in cursor.fetchall()]
        cursor.execute("PRAGMA analysis_limit = 0")
        for name in partial:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    return True
