"""Planner statistics for the embedded database.

SQLite plans without statistics unless it is told to gather them, and a planner that guesses can
sort a whole table where an index would have served (the lists here are written so that their
plans are right even then; other queries still gain). PostgreSQL's autovacuum keeps its own
statistics, so there is nothing to do there. `ANALYZE` under `analysis_limit` samples a bounded
number of rows per index (milliseconds at any archive size); the tables the site's lists read are
then counted in full, since a sample misjudged them badly enough to sort whole tables.
"""

from __future__ import annotations

from django.db import connection

ANALYSIS_ROWS = 1000


def _listed_tables() -> list[str]:
    from wiredesk.articles.models import Article
    from wiredesk.sections.models import Section
    from wiredesk.sources.models import Outlet
    from wiredesk.stories.models import Story, StoryMember

    return [model._meta.db_table for model in (Article, Story, StoryMember, Section, Outlet)]


def refresh_statistics() -> bool:
    """Refresh the planner's statistics where the database needs us to; True if it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_ROWS}")
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA optimize")
        # The tables the public lists read are counted in full: extrapolated from a sample, a 200k
        # archive's live-list index was put at 543k rows (more than the table) and its section index
        # at 1,001 rows a section (25,000 in fact), and SQLite scanned and sorted tens of thousands
        # of articles for a page of twenty (0.2-2 s). In full they cost 0.3 s at 200k, once an hour;
        # the big tables of the story index keep their sample.
        cursor.execute("PRAGMA analysis_limit = 0")
        for table in _listed_tables():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return True
