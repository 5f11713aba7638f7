"""Read-side queries for aggregated articles: what the site shows and in what order."""

from __future__ import annotations

from django.db import connection
from django.db.models import Prefetch, QuerySet

from wiredesk.articles.models import Article


def _member_columns() -> QuerySet:
    """What a list shows of a story membership: its story and relation, not the match evidence
    and spin spans (JSON decoded for every row otherwise)."""
    from wiredesk.stories.models import StoryMember

    return StoryMember.objects.only("id", "article_id", "story_id", "relation", "related_to_id")


def published() -> QuerySet[Article]:
    """Articles visible on the site, with what every listing needs fetched beside them.

    The list itself is read from the articles table alone, so its plan is a walk down the live
    index whatever the planner knows: joined to the outlets, SQLite with fresh statistics starts
    from the 40-row outlets table and sorts every article. Outlets, sections and story memberships
    then come by primary key, one query each, for the page's rows only."""
    return _live().prefetch_related(Prefetch("story_member", queryset=_member_columns()))


def _live() -> QuerySet[Article]:
    return Article.objects.filter(removed_at__isnull=True).prefetch_related("outlet", "section").defer("html", "text")


def latest(limit: int = 30, *, with_stories: bool = True) -> list[Article]:
    """The newest live articles. `with_stories=False` for what shows no story (an outbound feed's
    items): one query and fifty model instances fewer."""
    return list((published() if with_stories else _live())[:limit])


GROUP_READ_AHEAD = 3  # rows read per card shown, so grouping copies still fills the page


def in_section(slug: str, limit: int = 40) -> list[Article]:
    """One card per story: see one_per_story."""
    return one_per_story(list(published().filter(section__slug=slug)[:limit * GROUP_READ_AHEAD]), limit)


def newest_in_sections_sql(sections: int, per_section: int) -> str:
    """Ids of the newest live articles of each of `sections` sections (parameters: their ids)."""
    table = connection.ops.quote_name(Article._meta.db_table)
    one = (f"SELECT id FROM {table} WHERE removed_at IS NULL AND section_id = %s "
           f"ORDER BY published_at DESC, id DESC LIMIT {int(per_section)}")
    return " UNION ALL ".join(f"SELECT id FROM ({one}) s{n}" for n in range(sections))


def in_sections(section_ids: list[int], limit: int) -> dict[int, list[Article]]:
    """`in_section` for several sections at once (the front page's blocks): the newest rows of each
    from one statement, a LIMIT per section on the live-section index, then the articles and
    what they show in four queries, not four per section (building a query cost more than
    running it)."""
    if not section_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(newest_in_sections_sql(len(section_ids), limit * GROUP_READ_AHEAD), list(section_ids))
        ids = [row[0] for row in cursor.fetchall()]
    rows = sorted(published().filter(pk__in=ids), key=lambda a: (a.published_at, a.pk), reverse=True)
    return {pk: one_per_story([a for a in rows if a.section_id == pk], limit) for pk in section_ids}


def by_outlet(slug: str, limit: int = 40) -> list[Article]:
    return one_per_story(list(published().filter(outlet__slug=slug)[:limit * GROUP_READ_AHEAD]), limit)


def one_per_story(articles: list[Article], limit: int) -> list[Article]:
    """The list with each story's articles folded into one card, in list order.

    The card is the story's first article in the list that is not a copy (a wire copy or a spun
    copy of another), else its first; the others ride on it as `more_coverage`, so three outlets
    running one agency report read as one report "+2 more from …", not three cards side by side.
    An article in no story is its own card."""
    groups: dict[object, list[Article]] = {}
    for article in articles:
        member = getattr(article, "story_member", None)
        groups.setdefault(member.story_id if member else ("article", article.pk), []).append(article)
    cards = []
    for group in groups.values():
        card = next((a for a in group if not _is_copy(a)), group[0])
        card.more_coverage = [a for a in group if a is not card]
        cards.append(card)
    cards.sort(key=lambda a: (a.published_at, a.pk), reverse=True)
    return cards[:limit]


def _is_copy(article: Article) -> bool:
    member = getattr(article, "story_member", None)
    return bool(member and member.is_copy)


def by_ids(ids: list[int]) -> list[Article]:
    """Articles in the order of `ids` (a search ranking)."""
    found = {a.pk: a for a in published().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]
