"""A story row's derived columns: size, outlets, first and last dates, primary source and title.

Kept apart from placement (stories.engine) because more than placement changes a story's members:
merges, re-placement and takedowns (takedowns.removal) all recompute the row here.
"""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.db.models import Count, Max, Min, QuerySet

from wiredesk.articles.models import Article
from wiredesk.core.dates import aware
from wiredesk.core.rows import update_row
from wiredesk.ingest.match import COPY_RELATIONS
from wiredesk.ingest.provenance import MemberView, primary_of
from wiredesk.sources.models import Outlet
from wiredesk.stories.models import Story, StoryMember, rank_key


def update_story(story: Story, member: StoryMember, is_wire_outlet: bool) -> None:
    """After a member joins: a report that comes after everything the story holds, credits no wire
    and is no wire's own cannot change its primary source, dates but the last, or title, so only
    the counts move; anything else recomputes the story (refresh_story)."""
    later = story.size > 0 and story.primary_article_id is not None and member.published_at >= story.last_updated
    if not later or member.wire_agency or is_wire_outlet:
        refresh_story(story)
        return
    new_outlet = not _outlet_seen(story.pk, member.article.outlet_id, member.pk)
    story.size += 1
    story.outlet_count += int(new_outlet)
    story.last_updated = member.published_at
    story.rank = rank_key(story.outlet_count, story.size, story.last_updated)  # as Story.save keeps it
    update_row(Story, story.pk, {"size": story.size, "outlet_count": story.outlet_count,
                                 "last_updated": story.last_updated, "rank": story.rank})


def _outlet_seen(story_id: int, outlet_id: int, other_than: int) -> bool:
    """Does another member of the story come from this outlet? (A plain statement: it runs for
    most articles placed.)"""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {quote(StoryMember._meta.db_table)} m "
                       f"JOIN {quote(Article._meta.db_table)} a ON a.id = m.article_id "
                       f"WHERE m.story_id = %s AND a.outlet_id = %s AND m.id <> %s LIMIT 1",
                       [story_id, outlet_id, other_than])
        return cursor.fetchone() is not None


def _small_story_rows(story_id: int) -> list[tuple]:  # type: ignore[type-arg]
    """Up to SMALL_STORY + 1 members, oldest first: (article, published, relation, agency, outlet
    role, outlet, title). A plain statement: it runs for every story a new article changes."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT m.article_id, m.published_at, m.relation, m.wire_agency, o.role, a.outlet_id, "
                       f"a.title FROM {quote(StoryMember._meta.db_table)} m "
                       f"JOIN {quote(Article._meta.db_table)} a ON a.id = m.article_id "
                       f"JOIN {quote(Outlet._meta.db_table)} o ON o.id = a.outlet_id "
                       f"WHERE m.story_id = %s ORDER BY m.published_at, m.article_id LIMIT {SMALL_STORY + 1}",
                       [story_id])
        return [(pk, aware(when), *rest) for pk, when, *rest in cursor.fetchall()]


SMALL_STORY = 64  # up to this many members, a story is recomputed from one read of all of them


def refresh_story(story: Story) -> None:
    """Size, outlets, dates, primary source and title. A small story (most are) is read whole in one
    query; a large one runs its aggregates in SQL and reads only the members that can be primary, so
    a story of thousands of copies costs a few indexed queries."""
    rows = _small_story_rows(story.pk)
    if not rows:
        return
    if len(rows) <= SMALL_STORY:
        views = [MemberView(pk, when, relation, agency, role == Outlet.Role.WIRE)
                 for pk, when, relation, agency, role, _, _ in rows]
        counts = dict(sorted(Counter(v.wire_agency for v in views if v.wire_agency).items()))
        stats = {"size": len(rows), "outlets": len({row[5] for row in rows}), "first": rows[0][1], "last": max(
            row[1] for row in rows)}
        titles = {row[0]: row[6] for row in rows}
    else:
        members = StoryMember.objects.filter(story=story)
        stats = members.aggregate(size=Count("id"), outlets=Count("article__outlet", distinct=True),
                                  first=Min("published_at"), last=Max("published_at"))
        counts = dict(members.exclude(wire_agency="").values_list("wire_agency").annotate(n=Count("id"))
                      .order_by("wire_agency"))
        views = _primary_contenders(members, counts)
        titles = {}
    provenance = primary_of(views, agency_counts=counts)
    story.size, story.outlet_count = stats["size"], stats["outlets"]
    story.first_seen, story.last_updated = stats["first"], stats["last"]
    story.primary_article_id, story.primary_agency = provenance.primary, provenance.agency
    changed = {"size": story.size, "outlet_count": story.outlet_count, "first_seen": story.first_seen,
               "last_updated": story.last_updated, "primary_article": story.primary_article_id,
               "primary_agency": story.primary_agency}
    if provenance.primary is not None:
        title = titles.get(provenance.primary)
        if title is None:
            title = Article.objects.filter(pk=provenance.primary).values_list("title", flat=True).get()
        story.title = changed["title"] = title[:500]
    story.rank = changed["rank"] = rank_key(story.outlet_count, story.size, story.last_updated)  # as Story.save
    update_row(Story, story.pk, changed)


def _primary_contenders(members: QuerySet[StoryMember], counts: dict[str, int]) -> list[MemberView]:
    """The members of a large story that can be its primary source (see ingest.provenance)."""
    originals = members.exclude(relation__in=COPY_RELATIONS)
    contenders = [
        originals.filter(article__outlet__role=Outlet.Role.WIRE),  # the wire's own report
        originals,  # the earliest original
        members,  # the earliest of all, if every member is a copy
        *(members.filter(wire_agency=agency) for agency in sorted(counts, key=lambda a: -counts[a])[:3]),
    ]
    views = {}
    for query in contenders:
        row = (query.order_by("published_at", "article_id")
               .values_list("article_id", "published_at", "relation", "wire_agency", "article__outlet__role").first())
        if row:
            pk, when, relation, agency, role = row
            views[pk] = MemberView(pk, when, relation, agency, role == Outlet.Role.WIRE)
    return list(views.values())
