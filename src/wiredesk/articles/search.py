"""Full-text search over articles: SQLite FTS5 in the embedded mode, PostgreSQL full-text search at scale.

The index is maintained explicitly by the ingest pipeline (no signals), so what is indexed is
exactly what the pipeline stored.

On SQLite a second, small FTS5 table holds the newest RECENT_ROWS articles (`articles_fts_recent`,
kept to that size as articles are indexed). FTS5's bm25() counts the documents that match each
term over the whole index before it scores a single row, and a prefix term merges the lists of
every word it starts: for a common word that read grows with the archive (`/search/?q=government`
took 11 ms of FTS work at 200k articles and 55 ms at 1M). A query is answered from the recent
table when that alone fills the pool of matches that are scored (search_ids), so its cost is set
by RECENT_ROWS, not by the archive; the full index answers the rest, whose terms are rare enough
to be cheap there.
"""

from __future__ import annotations

import re

from django.db import connection

from wiredesk.articles.models import Article

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
RECENT_POOL = 1000  # matches scored per query (see search_ids)
RECENT_ROWS = 50_000  # newest articles kept in the recent index as well (see the module docstring)
FULL, RECENT = "articles_fts", "articles_fts_recent"
# PostgreSQL: the stored, GIN-indexed document column of migration articles.0011 (headline
# weighted A, the rest B); the database keeps it, the model does not name it.
PG_VECTOR = "search_vector"


def index_articles(articles: list[Article]) -> None:
    """Add or refresh articles in the index (a no-op on PostgreSQL, which indexes the table)."""
    if connection.vendor != "sqlite" or not articles:
        return
    rows = [[a.pk, a.title, f"{a.summary}\n{a.text}"] for a in articles]
    with connection.cursor() as cursor:
        for table in (FULL, RECENT):
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [[a.pk] for a in articles])
            cursor.executemany(f"INSERT INTO {table}(rowid, title, body) VALUES (%s, %s, %s)", rows)
        # The recent index keeps the newest RECENT_ROWS ids (an old article indexed again leaves
        # with the next batch).
        cursor.execute(f"SELECT rowid FROM {RECENT} ORDER BY rowid DESC LIMIT 1")
        newest = cursor.fetchone()[0]
        cursor.execute(f"DELETE FROM {RECENT} WHERE rowid <= %s", [newest - RECENT_ROWS])


def index_article(article: Article) -> None:
    index_articles([article])


def remove_article(article_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in (FULL, RECENT):
                cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [article_id])


def search_ids(query: str, limit: int = 50) -> list[int]:
    """Ids of matching articles, best match first; every word must match.

    Top-k, never sort-all: the newest RECENT_POOL matches are read in id order (the index's own
    order: FTS5 streams rowids, PostgreSQL keeps a bounded heap), and only those are scored. A
    common word then costs the same at 200k articles as at 2k; a rarer query has fewer matches
    than the pool and is ranked over all of them. For a news desk the newest matches are the
    ones a reader looks for; an old story is found by searching what is particular to it. On
    SQLite the pool comes from the recent index when it fills there (module docstring)."""
    terms = _TOKEN.findall(query)[:MAX_TERMS]
    if not terms:
        return []
    if connection.vendor == "sqlite":
        # Each term quoted: user input never reaches FTS5's query syntax (NEAR, OR, column:).
        match = " ".join(f'"{t}"*' if i == len(terms) - 1 else f'"{t}"' for i, t in enumerate(terms))
        pool = _sqlite_pool(RECENT, match)
        if len(pool) < RECENT_POOL and not _holds_everything(RECENT):
            pool = _sqlite_pool(FULL, match)
        pool.sort(key=lambda row: (row[1], -row[0]))
        return [rowid for rowid, _ in pool[:limit]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM (SELECT id, ts_rank({PG_VECTOR}, plainto_tsquery('english', %s)) AS score "
            f"FROM articles_article WHERE {PG_VECTOR} @@ plainto_tsquery('english', %s) "
            "ORDER BY id DESC LIMIT %s) AS recent ORDER BY score DESC, id DESC LIMIT %s",
            [" ".join(terms), " ".join(terms), RECENT_POOL, limit])
        return [row[0] for row in cursor.fetchall()]


def _sqlite_pool(table: str, match: str) -> list[tuple[int, float]]:
    """The newest RECENT_POOL matches of `table` with their bm25 scores (lower is better); title
    words count four times body words."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, bm25({table}, 4.0, 1.0) FROM {table} WHERE {table} MATCH %s "
                       "ORDER BY rowid DESC LIMIT %s", [match, RECENT_POOL])
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _holds_everything(table: str) -> bool:
    """Does the recent index hold every indexed article (an archive of fewer than RECENT_ROWS)?"""
    with connection.cursor() as cursor:
        oldest = []
        for name in (table, FULL):
            cursor.execute(f"SELECT rowid FROM {name} ORDER BY rowid LIMIT 1")
            row = cursor.fetchone()
            oldest.append(row[0] if row else None)
    return oldest[0] == oldest[1]
