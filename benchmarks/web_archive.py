"""A synthetic news archive at realistic size for benchmarks/web.py: outlets, sections, sources,
articles with text, HTML and search entries, stories with members and a primary article.

Built once per size with bulk inserts into its own data directory and reused across runs (a
marker file records the finished build). Text is made of a fixed vocabulary with a fixed seed,
so every run reads the same archive; no real publisher's text is used.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CACHE = ROOT / "benchmarks" / ".cache"
OUTLETS = 40
SECTIONS = ["world", "politics", "business", "science", "sport", "culture", "technology", "health"]
DAYS = 100
ARTICLES_PER_STORY = 5
BATCH = 5000
SEED = 20261202
WORDS = ("government minister council election court police river bridge market shares bank company "
         "storm flood fire harbour port city region village school hospital doctors nurses teachers "
         "workers union strike talks deal plan budget tax prices energy power plant factory mine "
         "airport train station road crash team match final season coach player goal record result "
         "festival museum film music artist book prize science study researchers climate ocean "
         "forest species virus vaccine trial data software network security attack outage report "
         "announced said warned agreed rejected approved opened closed reached signed launched").split()


def data_dir(articles: int, database_url: str | None = None) -> Path:
    return CACHE / (f"web-{articles}" if not database_url else f"web-{articles}-postgresql")


def setup_django(directory: Path, database_url: str | None = None) -> None:
    os.environ["WIREDESK_DATA_DIR"] = str(directory)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wiredesk.settings"
    import django

    django.setup()


def build(articles: int, *, quiet: bool = False, database_url: str | None = None) -> Path:
    """The archive's data directory, building it first if no finished build is there.

    In the embedded SQLite database of that directory, or in the PostgreSQL database at
    `database_url` (emptied first; the marker then also names the database, and the build is
    redone when the database no longer holds it)."""
    directory = data_dir(articles, database_url)
    marker = directory / "built"
    stamp = f"{articles} articles in {database_url or 'sqlite'}"
    if marker.exists() and (not database_url or marker.read_text().startswith(stamp)) and _holds(articles, database_url):
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("wiredesk.sqlite3*"):
        stale.unlink()
    if database_url:
        _recreate(database_url)
    setup_django(directory, database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _fill(articles, quiet)
    if database_url:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have by the time a desk holds this much
    marker.write_text(f"{stamp}, built in {time.perf_counter() - started:.0f} s\n")
    return directory


def _postgres(url: str, database: str | None = None):  # type: ignore[no-untyped-def]
    import psycopg

    parts = urlsplit(url)
    target = parts._replace(scheme="postgresql", path=f"/{database}" if database else parts.path)
    return psycopg.connect(urlunsplit(target), autocommit=True)


def _recreate(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _postgres(url, "postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def _holds(articles: int, database_url: str | None) -> bool:
    if not database_url:
        return True  # the marker sits beside the file it describes
    try:
        with _postgres(database_url) as db:
            return db.execute("SELECT count(*) FROM articles_article").fetchone()[0] == articles
    except Exception:  # noqa: BLE001  (no such database or table: build it)
        return False


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _fill(total: int, quiet: bool) -> None:
    from django.db import transaction

    from wiredesk.articles import search
    from wiredesk.articles.hosts import host_ids
    from wiredesk.articles.models import Article
    from wiredesk.sections.models import Section
    from wiredesk.sources.models import Outlet, Source
    from wiredesk.stories.models import Story, StoryMember, rank_key

    rng = random.Random(SEED)
    end = datetime(2026, 12, 1, 12, tzinfo=UTC)
    start = end - timedelta(days=DAYS)
    sections = [Section.objects.get_or_create(slug=s, defaults={"name": s.title(), "position": i})[0]
                for i, s in enumerate(SECTIONS)]
    outlets = [Outlet.objects.create(name=f"Outlet {i:02d}", slug=f"outlet-{i:02d}",
                                     homepage=f"https://outlet{i:02d}.example/") for i in range(OUTLETS)]
    sources = [Source.objects.create(outlet=o, feed_url=f"{o.homepage}feed.xml") for o in outlets]
    hosts = host_ids(o.homepage for o in outlets)
    stories_total = max(1, total // ARTICLES_PER_STORY)
    story_times = sorted(start + timedelta(seconds=rng.uniform(0, DAYS * 86400)) for _ in range(stories_total))
    made = 0
    for first in range(0, stories_total, BATCH // ARTICLES_PER_STORY):
        chunk = story_times[first:first + BATCH // ARTICLES_PER_STORY]
        with transaction.atomic():
            stories = Story.objects.bulk_create([
                Story(title=_sentence(rng, 8), first_seen=t, last_updated=t, created_at=t) for t in chunk])
            rows, members = [], []
            for story in stories:
                section = rng.choice(sections)
                for k in range(ARTICLES_PER_STORY):
                    n = made + len(rows)
                    outlet_index = rng.randrange(OUTLETS)
                    when = story.first_seen + timedelta(minutes=k * rng.randint(5, 180))
                    paragraphs = [_sentence(rng, rng.randint(14, 24)) for _ in range(6)]
                    rows.append(Article(
                        source=sources[outlet_index], outlet=outlets[outlet_index], section=section,
                        dedup_key=f"{n:064d}", identity="url", guid=str(n),
                        url=f"{outlets[outlet_index].homepage}news/{n}", title=_sentence(rng, 9)[:-1],
                        authors=[f"Writer {rng.randrange(500)}"], summary=paragraphs[0],
                        text="\n\n".join(paragraphs), html="".join(f"<p>{p}</p>" for p in paragraphs),
                        published_at=when, discovered_at=when, fetch_status="ok", fetched_at=when,
                        awaiting_story=False,  # placed in its story below
                        host_id=hosts.get(outlets[outlet_index].homepage.split("/")[2])))
                    members.append((story, k))
            created = Article.objects.bulk_create(rows, batch_size=1000)
            StoryMember.objects.bulk_create([
                StoryMember(article=article, story=story, published_at=article.published_at,
                            relation="" if k == 0 else rng.choice(["", "wire_copy", "same_story"]),
                            related_to=None)
                for article, (story, k) in zip(created, members, strict=True)], batch_size=1000)
            by_story: dict[int, list[Article]] = {}
            for article, (story, _) in zip(created, members, strict=True):
                by_story.setdefault(story.pk, []).append(article)
            for story in stories:
                items = by_story[story.pk]
                story.size, story.outlet_count = len(items), len({a.outlet_id for a in items})
                story.primary_article = items[0]
                story.last_updated = max(a.published_at for a in items)
                story.rank = rank_key(story.outlet_count, story.size, story.last_updated)
            Story.objects.bulk_update(stories, ["size", "outlet_count", "primary_article", "last_updated", "rank"],
                                      batch_size=1000)
            search.index_articles(created)
            made += len(created)
        if not quiet:
            print(f"\r  archive: {made:,} / {total:,} articles", end="", flush=True)
    # No ANALYZE here: a desk that has been ingesting has no statistics either, unless wiredesk
    # gathers them itself, and the plans must be good without them.
    if not quiet:
        print()


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    print(build(size))
