"""Document counts (TermStat) as placement reads them: the idf of every term, name and number, and
which index keys are rare enough to look for candidates with.

Placement reads a few thousand counts per article; this process keeps an exact copy of what it has
read (`TermCounts`), so the same term's count is not read again for every article placed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import connection

from wiredesk.stories.features import Weights
from wiredesk.stories.models import TermStat

DOCS = "§docs"  # TermStat row holding the number of fingerprinted articles


class StoredWeights(Weights):
    """Document frequencies read from TermStat as they are needed, through the process's copy of the
    counts (`COUNTS`): copy matching, then story scoring, ask for what they compare and share what was read."""

    def __init__(self, docs: int) -> None:
        super().__init__(COUNTS.dfs, docs)

    def need(self, keys: frozenset[str]) -> None:
        """Read the counts of these keys (as stored: at most 120 characters) not known yet."""
        if COUNTS.ensure(keys):
            self.forget()  # an idf worked out before these counts were read may be wrong now


class TermCounts:
    """This process's copy of the TermStat counts it has read, so the same term's count is not read
    again for every article placed (a few thousand counts per article were a tenth of its cost).

    Exact, not a cache that may lag: every write of counts (placing or forgetting an article) also
    stores a fresh random `WRITES` token in TermStat, and the copy is kept only while the token it
    last saw (or wrote) is the one stored. Another process's write, or a rollback of this one's,
    leaves another token there, and the copy is dropped. Bounded: past MAX_KEYS (about 75 MB) it
    starts again."""

    MAX_KEYS = 500_000

    def __init__(self) -> None:
        self.dfs: dict[str, int] = {}
        self.token: int | None = None
        self.generation = 0  # moves whenever the copy starts again

    def check(self, token: int | None) -> None:
        if token is None or token != self.token or len(self.dfs) > self.MAX_KEYS:
            self.clear()
            self.token = token

    def ensure(self, keys: Iterable[str]) -> bool:
        """Read from the database the counts of these keys not known yet (0 where none is stored);
        whether any was read."""
        dfs = self.dfs
        missing = [key for key in keys if key not in dfs]  # (keys - dfs.keys() would walk all of dfs)
        if missing:
            found = stored_counts(missing)
            dfs.update({key: found.get(key, 0) for key in missing})
        return bool(missing)

    def wrote(self, keys: Iterable[str], change: int) -> None:
        """This process has just added `change` to the stored counts of `keys`: store a fresh token
        beside them, in the same transaction, and follow the change in the copy."""
        token = secrets.randbelow(2**31 - 1) + 1  # TermStat.df is a positive 32-bit integer
        stats = connection.ops.quote_name(TermStat._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {stats} (term, df) VALUES (%s, %s) ON CONFLICT (term) DO UPDATE SET df = %s",
                           [WRITES, token, token])
        dfs = self.dfs
        for key in keys:
            if key in dfs:
                dfs[key] = max(0, dfs[key] + change)
        self.token = token

    def clear(self) -> None:
        self.dfs.clear()
        self.token = None
        self.generation += 1


COUNTS = TermCounts()
WRITES = "§writes"  # TermStat row holding the token of the latest write of counts (see TermCounts)


def stored_counts(keys: Iterable[str]) -> dict[str, int]:
    """TermStat rows of these keys (a plain statement per 500: placement reads a few thousand counts
    per article, and the ORM's per-parameter work cost more than the lookups)."""
    keys = sorted(keys)
    table = connection.ops.quote_name(TermStat._meta.db_table)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            cursor.execute(f"SELECT term, df FROM {table} WHERE term IN ({', '.join(['%s'] * len(chunk))})", chunk)
            counts.update(cursor.fetchall())
    return counts


def document_frequencies(terms: Iterable[str]) -> tuple[dict[str, int], int]:
    """The counts of the article's index terms (they choose its candidates) and of all articles;
    reading the write token first tells whether this process's copy of the counts still holds."""
    head = stored_counts([DOCS, WRITES])
    COUNTS.check(head.get(WRITES))
    terms = list(terms)
    COUNTS.ensure(terms)
    dfs = COUNTS.dfs
    return {term: dfs[term] for term in terms if dfs[term]}, head.get(DOCS, 0)
