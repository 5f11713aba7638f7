"""Stored fingerprints as placement reads them, decoded once and kept in a bounded memory cache.

Every placement compares the new article with up to 30 candidate articles (copy matching) and the
latest members of up to 6 stories (the placement model). Decoding those rows (five JSON columns,
two binary arrays) on every placement cost more than everything else the engine does, so each row
is decoded once and kept, by fingerprint id.

Why an entry can never be stale: a fingerprint row is never changed, only deleted (re-placement,
removal) and written anew under a new id, and a committed id is never handed out again (PostgreSQL
sequences; SQLite AUTOINCREMENT). Only committed rows are read into the cache. The bound keeps a
long-running placer's memory flat.

The placer commits in batches (stories.placement), and the next article of a batch often compares
with the one before it: rows the placer wrote are kept aside (`_PENDING`) until they commit, then
join the cache; a rollback drops them (`forget_pending`, called wherever one is caught), since a
rolled-back id can be handed out again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from wiredesk.ingest import fingerprint as fp
from wiredesk.ingest import principals as principal_names
from wiredesk.stories.features import Report
from wiredesk.stories.models import Fingerprint

CACHE_SIZE = 10_000  # about 1 GB would hold 90,000; candidates and stories in view need far fewer
TOKEN_CACHE_SIZE = 2_000  # word sequences (about 4 kB each as one string): the recent possible originals


@dataclass(frozen=True)
class StoredPrint:
    """One stored article's fingerprint: what copy matching compares and what the model reads."""

    shingles: np.ndarray  # sorted uint32
    signature: np.ndarray
    report: Report

    def fingerprint(self) -> fp.Fingerprint:
        """A fresh matching view (copy matching fills in `tokens` when it needs the words)."""
        return fp.Fingerprint(tokens=[], shingles=self.shingles, signature=self.signature, band_keys=[],
                              names=self.report.names, numbers=self.report.numbers, quotes=[],
                              terms=self.report.terms)  # shared, never changed


_CACHE: OrderedDict[int, StoredPrint] = OrderedDict()
_PENDING: dict[int, StoredPrint] = {}  # written by this process, not committed yet


def prints(pks: Iterable[int]) -> dict[int, StoredPrint]:
    """The decoded fingerprints of these ids (those that exist), reading only the missing ones."""
    wanted = list(dict.fromkeys(pks))
    missing = [pk for pk in wanted if pk not in _CACHE and pk not in _PENDING]
    if missing:
        for pk, shingles, signature, terms, names, numbers, principals, title_terms, has_text, published in (
                Fingerprint.objects.filter(pk__in=missing).values_list(
                    "pk", "shingles", "signature", "terms", "names", "numbers", "principals", "title_terms",
                    "has_text", "article__published_at")):
            report = Report(terms, title_terms, frozenset(names), frozenset(numbers), principals, has_text,
                            published, principal_names.member_words(names, terms))
            _CACHE[pk] = StoredPrint(np.frombuffer(bytes(shingles), dtype=np.uint32),
                                     np.frombuffer(bytes(signature), dtype=np.uint32), report)
    found = {}
    for pk in wanted:
        if pk in _CACHE:
            _CACHE.move_to_end(pk)
            found[pk] = _CACHE[pk]
        elif pk in _PENDING:
            found[pk] = _PENDING[pk]
    _trim()
    return found


def remember(pk: int, shingles: bytes, signature: bytes, report: Report) -> None:
    """Keep a row the placer has just written, as `prints` would decode it: aside until the
    transaction commits, then in the cache."""
    _PENDING[pk] = StoredPrint(np.frombuffer(shingles, dtype=np.uint32), np.frombuffer(signature, dtype=np.uint32),
                               report)
    transaction.on_commit(lambda: _committed(pk))


def _committed(pk: int) -> None:
    entry = _PENDING.pop(pk, None)
    if entry is not None:
        _CACHE[pk] = entry
        _trim()


def forget_pending() -> None:
    """A transaction or savepoint that wrote rows was rolled back: drop every row kept aside (those
    that did commit are in the cache already; any other is simply read again)."""
    _PENDING.clear()


def _trim() -> None:
    """Drop the least recently used entries beyond the bound."""
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    while len(_TOKENS) > TOKEN_CACHE_SIZE:
        _TOKENS.popitem(last=False)


_TOKENS: OrderedDict[int, str] = OrderedDict()


def tokens(print_pk: int, load: Callable[[], list[str]]) -> list[str]:
    """The word sequence of a stored article, by its fingerprint id: read and tokenised once, then
    kept while it is recent. Spun-copy checks compare a new article word by word with the same few
    recent originals again and again. Kept under the fingerprint's id for the reason the prints are
    (a re-placed or removed article's fingerprint is deleted, and its id never comes back); tokens
    hold no spaces, so one joined string is kept rather than a list of thousands of objects."""
    joined = _TOKENS.get(print_pk)
    if joined is None:
        words = load()
        _TOKENS[print_pk] = " ".join(words)
        _trim()
        return words
    _TOKENS.move_to_end(print_pk)
    return joined.split(" ") if joined else []


def clear() -> None:
    """Tests roll transactions back, and ids with them: they start each test with an empty cache."""
    _CACHE.clear()
    _PENDING.clear()
    _TOKENS.clear()
