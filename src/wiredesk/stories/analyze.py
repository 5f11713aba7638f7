"""`wiredesk analyze`: the story engine over a corpus in JSON Lines, through the live code path.

Each input line becomes an outlet (by publisher), a source and an article in the database, then
`engine.attach` places it, exactly as live ingest does. Output: one line per input, in input order.
"""

from __future__ import annotations

import hashlib
import json
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any, TypeVar

from django.utils.text import slugify
from tqdm import tqdm

from wiredesk.articles.hosts import host_ids
from wiredesk.articles.models import Article
from wiredesk.core.dates import parse_datetime
from wiredesk.core.text import first_sentence
from wiredesk.core.urls import domain_of
from wiredesk.ingest.wire import AGENCIES
from wiredesk.sources.models import Outlet, Source
from wiredesk.stories.engine import attach, placing
from wiredesk.stories.model import PlacementModel
from wiredesk.stories.models import Story, StoryMember
from wiredesk.stories.placement import COMMIT_EVERY  # batches as the live placer commits them
from wiredesk.stories.settle import QUIET, judge_all_settled, judge_settled
from wiredesk.stories.settle import ROUND as SETTLE_ROUND
from wiredesk.stories.teacher import Teacher

T = TypeVar("T")
STOPPED_EXIT = 128 + signal.SIGTERM  # the exit status of a run stopped with SIGTERM, as shells report it

# Inputs without timestamps are spaced a second apart from this moment, in input order, so they
# all fall inside one matching window.
UNDATED_BASE = datetime(2000, 1, 1, tzinfo=UTC)
_WIRE_NAMES = {name.lower() for agency in AGENCIES for name in (agency.name, *agency.credits)}


class InputError(ValueError):
    """A line of the input file is not a usable article."""


@dataclass
class InputArticle:
    line: int
    id: Any
    title: str
    text: str
    url: str
    publisher: str
    timestamp: datetime | None
    gold: str | None = None  # the "story" label, read only by training runs


def read_input(lines: Iterable[str]) -> list[InputArticle]:
    """Parse and validate every line first, so a bad line fails before any work is done."""
    items: list[InputArticle] = []
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise InputError(f"line {number}: expected a JSON object")
        for required in ("id", "text"):
            if required not in data:
                raise InputError(f"line {number}: missing {required!r}")
        if json.dumps(data["id"]) in seen:
            raise InputError(f"line {number}: id {data['id']!r} appears twice")
        seen.add(json.dumps(data["id"]))
        try:
            timestamp = parse_datetime(data.get("timestamp"))
        except (ValueError, OverflowError, OSError) as exc:
            raise InputError(f"line {number}: unreadable timestamp {data.get('timestamp')!r}") from exc
        if data.get("timestamp") not in (None, "") and timestamp is None:
            raise InputError(f"line {number}: unreadable timestamp {data.get('timestamp')!r}")
        text = str(data.get("text") or "")
        title = str(data.get("title") or "") or first_sentence(text)
        if not title and not text:
            raise InputError(f"line {number}: neither a title nor a text")
        gold = data.get("story")
        items.append(InputArticle(number, data["id"], title, text, str(data.get("url") or ""),
                                  str(data.get("publisher") or ""), timestamp,
                                  None if gold is None else str(gold)))
    return items


def processing_order(items: list[InputArticle]) -> list[tuple[InputArticle, datetime]]:
    """Items with the time they are filed under, in timestamp order; input order among equal or
    absent timestamps (an undated item is filed a second after the item before it)."""
    clock = UNDATED_BASE
    dated: list[tuple[datetime, int, InputArticle]] = []
    for position, item in enumerate(items):
        clock = item.timestamp if item.timestamp is not None else clock + timedelta(seconds=1)
        dated.append((clock, position, item))
    return [(item, when) for when, _, item in sorted(dated, key=lambda row: (row[0], row[1]))]


def _outlet(publisher: str, cache: dict[str, Outlet]) -> Outlet:
    name = publisher or "Unknown publisher"
    if name not in cache:
        role = Outlet.Role.WIRE if name.lower() in _WIRE_NAMES else Outlet.Role.NEWSPAPER
        cache[name] = Outlet.objects.get_or_create(
            slug=(slugify(name)[:90] or "publisher") + "-" + hashlib.sha1(name.encode()).hexdigest()[:8],
            defaults={"name": name[:200], "role": role})[0]
    return cache[name]


def _source(outlet: Outlet, cache: dict[int, Source]) -> Source:
    if outlet.pk not in cache:
        cache[outlet.pk] = Source.objects.get_or_create(
            feed_url=f"https://analyze.invalid/{outlet.slug}", defaults={"outlet": outlet, "enabled": False})[0]
    return cache[outlet.pk]


def analyze(items: list[InputArticle], progress: bool = False, timings: list[tuple[float, float]] | None = None,
            model: PlacementModel | None = None, teacher: Teacher | None = None,
            stop: threading.Event | None = None) -> Iterator[dict[str, Any]]:
    """Run every item through the engine; yield result rows in input order. If `timings` is given,
    (seconds to store and place, seconds to place) for each article are appended to it, in
    processing order: placement is the story stage's own cost, storing the row is analyze's.
    With a `teacher` (training runs), articles go to their gold stories and the teacher records the
    features of every story in view; its `gold` is filled here from each item's label.
    A set `stop` event ends the run between articles with SystemExit: a signal handler's own
    exception can be swallowed when it lands inside a finalizer, the event cannot."""
    outlets: dict[str, Outlet] = {}
    sources: dict[int, Source] = {}
    article_ids: dict[int, Any] = {}
    by_line: dict[int, int] = {}
    hosts: dict[str, int] = {}
    order = tqdm(processing_order(items), unit="article", desc="Analysing", disable=not progress)
    settled_at: datetime | None = None
    for chunk in _chunks(order, COMMIT_EVERY):
        chunk_timings: list[tuple[float, float]] = []
        with placing():  # one commit per chunk (each article is still its own savepoint)
            for item, when in chunk:
                if stop is not None and stop.is_set():
                    raise SystemExit(STOPPED_EXIT)
                started = time.perf_counter()
                article = _store(item, when, outlets, sources, hosts)
                item.text = ""  # stored now: a 100k-article input holds 300 MB of text otherwise
                if teacher is not None:
                    teacher.gold[article.pk] = item.gold if item.gold is not None else f"line:{item.line}"  # type: ignore[index]
                placed_from = time.perf_counter()
                attach(article, model=model, teacher=teacher)
                done = time.perf_counter()
                chunk_timings.append((done - started, done - placed_from))
                article_ids[article.pk] = item.id
                by_line[item.line] = article.pk
            committing = time.perf_counter()
        if timings is not None:  # the commit is placement's cost too: each article of the chunk bears its share
            share = (time.perf_counter() - committing) / len(chunk_timings)
            timings.extend((whole + share, place + share) for whole, place in chunk_timings)
        clock = chunk[-1][1]
        if teacher is None and (settled_at is None or clock - settled_at >= QUIET):
            # Stories that went quiet, in the input's own time (stories.settle), looked for as
            # often as that time moves by QUIET (the story stage looks every round).
            settled_at = clock
            while judge_settled(clock, model)[0] == SETTLE_ROUND:
                pass
    if teacher is None:
        judge_all_settled(model)  # the input is over: every story has settled
    members = {m.article_id: m for m in StoryMember.objects.filter(article_id__in=list(article_ids))
               .select_related("story")}
    primaries = set(Story.objects.values_list("primary_article_id", flat=True))
    for item in items:
        member = members[by_line[item.line]]
        story = member.story
        while story.merged_into_id:
            story = Story.objects.get(pk=story.merged_into_id)
        yield {
            "id": item.id, "story": story.pk, "relation": member.relation or None,
            "related_to": article_ids.get(member.related_to_id) if member.related_to_id else None,
            "score": member.score, "spin_score": member.spin_score,
            "primary": member.article_id in primaries,
        }


def _store(item: InputArticle, when: datetime, outlets: dict[str, Outlet], sources: dict[int, Source],
           hosts: dict[str, int]) -> Article:
    """The input item as an article row, as ingest would have stored it."""
    outlet = _outlet(item.publisher, outlets)
    url = item.url[:2000] or f"https://analyze.invalid/{item.line}"
    if domain_of(url) not in hosts:
        hosts.update(host_ids([url]))
    return Article.objects.create(
        source=_source(outlet, sources), outlet=outlet, host_id=hosts.get(domain_of(url)),
        dedup_key=hashlib.sha256(json.dumps(item.id).encode()).hexdigest(), identity=Article.Identity.GUID,
        guid=str(item.id)[:1000], url=url,
        title=item.title[:500] or "(untitled)", text=item.text, summary=item.text[:600],
        published_at=when, fetch_status=Article.FetchStatus.OK,
    )


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_results(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
