"""What placement reads of earlier articles: the candidates an article's index keys find (shared
LSH bands and rare immutables or terms, inside a time window), each with its fingerprint, its story
membership and its story row, read in plain statements (thirty rows per article placed: the ORM's
query building cost more than the reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models

from wiredesk.articles.models import Article
from wiredesk.core.dates import aware
from wiredesk.ingest import fingerprint as fp
from wiredesk.ingest.match import Candidate
from wiredesk.sources.models import Outlet
from wiredesk.stories import stored
from wiredesk.stories.features import Report
from wiredesk.stories.models import Fingerprint, IndexKey, Story, StoryMember

WINDOW = timedelta(days=3)
MAX_CANDIDATES = 30
RARE_KEYS = 16  # the rarest immutables and terms used to look for candidates
TOO_COMMON_DF = 500  # keys in more articles than this find nothing useful and cost a long scan


def candidate_ids(print_: fp.Fingerprint, term_keys: dict[str, int], dfs: dict[str, int],
                   published, article_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    # A key no stored article has (df 0) can find nothing: the rarest keys that exist are the useful ones.
    rare = sorted((dfs[name], key) for name, key in term_keys.items() if 0 < dfs.get(name, 0) <= TOO_COMMON_DF)
    keys = print_.band_keys + [key for _, key in rare[:RARE_KEYS]]
    if not keys:
        return []
    quote = connection.ops.quote_name
    window = [connection.ops.adapt_datetimefield_value(published - WINDOW),
              connection.ops.adapt_datetimefield_value(published + WINDOW)]
    with connection.cursor() as cursor:  # the ORM's per-parameter work cost more than this indexed scan
        cursor.execute(
            f"SELECT article_id FROM {quote(IndexKey._meta.db_table)} "
            f"WHERE {quote('key')} IN ({', '.join(['%s'] * len(keys))}) AND published_at BETWEEN %s AND %s "
            f"AND article_id <> %s GROUP BY article_id ORDER BY COUNT(*) DESC, article_id LIMIT {MAX_CANDIDATES}",
            [*keys, *window, article_id])
        return [row[0] for row in cursor.fetchall()]


@dataclass
class CandidateMember:
    """What placement reads of a candidate's story membership (a row, not a model instance: thirty
    of them are read for every article placed)."""

    pk: int
    article_id: int
    story: Story
    published_at: datetime
    relation: str
    related_to_id: int | None
    wire_agency: str
    report: Report


# What placement reads of a candidate's story, in the model's field order (Story.from_db takes them
# so): the title is read only when a story is refreshed.
_STORY_FIELDS = tuple(f for f in Story._meta.concrete_fields if f.attname != "title")
_STORY_DATES = tuple(isinstance(f, models.DateTimeField) for f in _STORY_FIELDS)


def _candidate_rows(ids: list[int]) -> list[tuple]:  # type: ignore[type-arg]
    """Each candidate's membership, fingerprint id, outlet role and story row, in one plain statement
    (thirty rows per article placed: the ORM's query building cost more than the read)."""
    quote = connection.ops.quote_name
    member, story = StoryMember._meta, Story._meta
    story_columns = ", ".join(f"s.{quote(f.column)}" for f in _STORY_FIELDS)
    sql = (f"SELECT m.id, m.article_id, m.published_at, m.relation, m.related_to_id, m.wire_agency, f.id, o.role, "
           f"{story_columns} FROM {quote(member.db_table)} m "
           f"JOIN {quote(story.db_table)} s ON s.id = m.story_id "
           f"JOIN {quote(Article._meta.db_table)} a ON a.id = m.article_id "
           f"JOIN {quote(Outlet._meta.db_table)} o ON o.id = a.outlet_id "
           f"LEFT JOIN {quote(Fingerprint._meta.db_table)} f ON f.article_id = m.article_id "
           f"WHERE m.article_id IN ({', '.join(['%s'] * len(ids))})")
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        return cursor.fetchall()


def load_candidates(ids: list[int]) -> list[tuple[Candidate, CandidateMember]]:
    """Earlier articles (`ids` best first) with their fingerprints and story rows, oldest first
    (no article text: that is read only if a spun-copy check needs its words)."""
    if not ids:
        return []
    rows = _candidate_rows(ids)
    stories: dict[int, Story] = {}
    for row in rows:
        values = [aware(v) if is_date and v is not None else v
                  for v, is_date in zip(row[8:], _STORY_DATES, strict=True)]
        if values[0] not in stories:
            stories[values[0]] = Story.from_db(connection.alias, [f.attname for f in _STORY_FIELDS], values)
    found = stored.prints(row[6] for row in rows if row[6] is not None)
    rank = {pk: position for position, pk in enumerate(ids)}
    loaded = []
    for pk, article_id, published_at, relation, related_to_id, agency, print_pk, role, story_id, *_ in rows:
        record = found.get(print_pk)
        if record is None:
            continue
        member = CandidateMember(pk, article_id, stories[story_id], aware(published_at), relation, related_to_id,
                                 agency, record.report)
        loaded.append((Candidate(key=article_id, fingerprint=record.fingerprint(), wire_agency=agency,
                                 is_wire_outlet=role == Outlet.Role.WIRE,
                                 load_tokens=lambda pk=article_id, f=print_pk: stored.tokens(
                                     f, lambda: _article_tokens(pk)),
                                 rank=rank[article_id]), member))
    loaded.sort(key=lambda pair: (pair[1].published_at, pair[1].article_id))
    return loaded


def _article_tokens(pk: int) -> list[str]:
    """A candidate's words, for spun-copy checks (a plain statement: read for most articles placed)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text, summary FROM {connection.ops.quote_name(Article._meta.db_table)} WHERE id = %s",
                       [pk])
        row = cursor.fetchone()
    return fp.tokenize((row[0] or row[1]) if row else "")
