"""Full-text search over articles: SQLite FTS5 in the embedded mode, PostgreSQL full-text search at scale.

The index is maintained explicitly by the ingest pipeline (no signals), so what is indexed is
exactly what the pipeline stored.
"""

from __future__ import annotations

import re

from django.db import connection

from wiredesk.articles.models import Article

_TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
RECENT_POOL = 1000  # matches scored per query (see search_ids)
# Kept identical to the expression index created by migration 0002 so PostgreSQL can use it.
PG_DOCUMENT = "to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(text, ''))"


def index_articles(articles: list[Article]) -> None:
    """Add or refresh articles in the index (a no-op on PostgreSQL, which indexes the table)."""
    if connection.vendor != "sqlite" or not articles:
        return
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM articles_fts WHERE rowid = %s", [[a.pk] for a in articles])
        cursor.executemany("INSERT INTO articles_fts(rowid, title, body) VALUES (%s, %s, %s)",
                           [[a.pk, a.title, f"{a.summary}\n{a.text}"] for a in articles])


def index_article(article: Article) -> None:
    index_articles([article])


def remove_article(article_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_fts WHERE rowid = %s", [article_id])


def search_ids(query: str, limit: int = 50) -> list[int]:
    """Ids of matching articles, best match first; every word must match.

    Top-k, never sort-all: the newest RECENT_POOL matches are read in id order (the index's own
    order: FTS5 streams rowids, PostgreSQL keeps a bounded heap), and only those are scored. A
    common word then costs the same at 200k articles as at 2k; a rarer query has fewer matches
    than the pool and is ranked over all of them. For a news desk the newest matches are the
    ones a reader looks for; an old story is found by searching what is particular to it."""
    terms = _TOKEN.findall(query)[:MAX_TERMS]
    if not terms:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Each term quoted: user input never reaches FTS5's query syntax (NEAR, OR, column:).
            match = " ".join(f'"{t}"*' if i == len(terms) - 1 else f'"{t}"' for i, t in enumerate(terms))
            cursor.execute(
                "SELECT rowid FROM (SELECT rowid, bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts "
                "WHERE articles_fts MATCH %s ORDER BY rowid DESC LIMIT %s) ORDER BY score, rowid DESC LIMIT %s",
                [match, RECENT_POOL, limit])
        else:
            cursor.execute(
                f"SELECT id FROM (SELECT id, ts_rank({PG_DOCUMENT}, plainto_tsquery('english', %s)) AS score "
                f"FROM articles_article WHERE {PG_DOCUMENT} @@ plainto_tsquery('english', %s) "
                "ORDER BY id DESC LIMIT %s) AS recent ORDER BY score DESC, id DESC LIMIT %s",
                [" ".join(terms), " ".join(terms), RECENT_POOL, limit])
        return [row[0] for row in cursor.fetchall()]
