"""The site-template tally (wiredesk.ingest.page.repeats) kept in the database, one row per
(host, block hash), counted up with one upsert per article so concurrent workers never lose a count."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import connection
from django.utils import timezone

from wiredesk.articles.models import HostBlock

READ_CHUNK = 500


class DatabaseTally:
    def counts(self, host: str, keys: Iterable[str]) -> Mapping[str, int]:
        wanted = list(keys)
        found: dict[str, int] = {}
        for start in range(0, len(wanted), READ_CHUNK):
            rows = HostBlock.objects.filter(host=host[:255], key__in=wanted[start:start + READ_CHUNK])
            found.update(rows.values_list("key", "articles"))
        return found

    def add(self, host: str, keys: Iterable[str]) -> None:
        now = timezone.now()
        rows = [(host[:255], key, 1, now) for key in dict.fromkeys(keys)]
        if not rows:
            return
        q = connection.ops.quote_name
        table = q(HostBlock._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({q('host')}, {q('key')}, {q('articles')}, {q('last_seen')}) "
                f"VALUES (%s, %s, %s, %s) ON CONFLICT ({q('host')}, {q('key')}) DO UPDATE SET "
                f"{q('articles')} = {table}.{q('articles')} + 1, {q('last_seen')} = excluded.{q('last_seen')}", rows)
