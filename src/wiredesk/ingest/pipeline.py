"""The ingest pipeline: sequences the pure stages and persists what they return.

This is the only module in `wiredesk.ingest` that reads or writes models. Workers (the in-process
thread and the Celery task) call `check_source` and nothing else, so both modes run the same code.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from wiredesk.articles import search
from wiredesk.articles.hosts import assign_hosts
from wiredesk.articles.models import Article
from wiredesk.articles.repeats import DatabaseTally
from wiredesk.core.errors import ExtractionError, FeedError, FetchError, WiredeskError
from wiredesk.core.http import FetchResult, HttpClient
from wiredesk.core.robots import RobotsCache
from wiredesk.core.signals import content_changed
from wiredesk.core.text import content_hash, excerpt
from wiredesk.core.urls import canonicalize, site_of
from wiredesk.ingest.download import ROBOTS_DISALLOWED, download_page, prefetch
from wiredesk.ingest.extract import ExtractedArticle
from wiredesk.ingest.extract_pool import ExtractionPool
from wiredesk.ingest.feeds import FeedEntry, ParsedFeed
from wiredesk.ingest.identity import entry_identity
from wiredesk.ingest.page.authors import authors_from_byline
from wiredesk.ingest.page.repeats import strip_site_template
from wiredesk.metrics import counters
from wiredesk.sections.models import Section
from wiredesk.sections.services import section_for_categories
from wiredesk.sources import cadence, websub
from wiredesk.sources.models import Source
from wiredesk.takedowns import blocklist
from wiredesk.takedowns.models import BlockRule
from wiredesk.takedowns.removal import purge

log = logging.getLogger("wiredesk.ingest")

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
MAX_BACKOFF = timedelta(hours=24)
MAX_PAGE_ATTEMPTS = 5
PAGE_RETRY_BASE = timedelta(minutes=5)
PAGE_BATCH = 20
BLOCKED = "blocked_by_takedown"
MOVED_TO_DUPLICATE = "moved_to_duplicate"
DOWNLOAD_LOOKAHEAD = 6  # pages downloaded ahead: enough to keep every extraction process busy


@dataclass
class CheckReport:
    source_id: int
    status: str  # ok | not_modified | error | pages_only (the feed not due, only its pages)
    new_articles: int = 0
    pages_ok: int = 0
    pages_failed: int = 0
    error_code: str = ""
    message: str = ""


@dataclass
class Fetchers:
    """The tools one worker uses: the guarded client, its robots cache, the extraction pool."""

    client: HttpClient
    robots: RobotsCache | None
    extractor: ExtractionPool = field(default_factory=lambda: ExtractionPool(0))


def check_source(source: Source, fetchers: Fetchers, *, pages_per_job: int = 60,
                 now: datetime | None = None, pages_only: bool = False) -> CheckReport:
    """Poll one feed, store its new entries, fetch pages that are due. Never raises for bad input:
    every failure is recorded on the source or the article and retried later.

    `pages_only`: the source was claimed for its pages alone (`feed_due` false: pages fall due
    between the feed's checks); the feed keeps its own rhythm and is not asked before its time."""
    now = now or timezone.now()
    report = CheckReport(source_id=source.pk, status="ok")
    if pages_only:
        report.status = "pages_only"
        _fetch_pages_if_due(source, fetchers, report, pages_per_job, now)
        return report
    source.check_count += 1
    try:
        result = fetchers.client.fetch(source.feed_url, etag=source.etag,
                                       last_modified=source.last_modified, accept=FEED_ACCEPT)
        _follow_permanent_move(source, result)
        asked = cadence.max_age(result.headers.get("cache-control", ""))
        if result.not_modified:
            report.status = "not_modified"
            source.not_modified_count += 1
            source.publish_rate = cadence.rate_after_silence(source.publish_rate, source.newest_entry_at, now)
            source.interval_hint = max(source.interval_hint, asked)  # the feed's own ttl still holds
        else:
            parsed = fetchers.extractor.parse_feed(result.content, result.content_type, result.url)
            report.new_articles = len(store_entries(source, parsed, now))
            source.etag, source.last_modified = result.etag[:300], result.last_modified[:100]
            source.feed_format = parsed.format[:20]
            if parsed.title and not source.title:
                source.title = parsed.title[:300]
            _measure_rate(source, parsed, report.new_articles, now)
            source.interval_hint = max(asked, parsed.interval_hint)
            websub.maintain(source, parsed, fetchers.client, now)
        _record_success(source, now)
    except (FetchError, FeedError) as error:
        report.status, report.error_code, report.message = "error", error.code, error.message
        _record_failure(source, error, now)
    counters.count_fetch("feed", report.status, report.error_code)
    _fetch_pages_if_due(source, fetchers, report, pages_per_job, now)
    return report


def _fetch_pages_if_due(source: Source, fetchers: Fetchers, report: CheckReport, limit: int, now: datetime) -> None:
    """The pages part of a job (after the feed, or alone), and the job's log line."""
    if source.pages_due_at is not None and source.pages_due_at <= now:
        report.pages_ok, report.pages_failed = fetch_due_pages(source, fetchers, limit=limit, now=now)
    log.info("event=source_checked source=%s status=%s new=%d pages_ok=%d pages_failed=%d code=%s",
             source.pk, report.status, report.new_articles, report.pages_ok, report.pages_failed,
             report.error_code or "-")


def feed_due(source: Source, now: datetime | None = None) -> bool:
    """Is the feed itself due, or only pages of it (sources.scheduling claims either)?"""
    return source.next_check_at is None or source.next_check_at <= (now or timezone.now())


def _follow_permanent_move(source: Source, result: FetchResult) -> None:
    """A feed moved for good (301/308 at every hop) is read at its new address from now on. If
    another source already reads that address, this one is a duplicate: it fails, and is turned off."""
    moved_to = result.url[:1000]
    if not result.moved_permanently or moved_to == source.feed_url:
        return
    other = Source.objects.filter(feed_url=moved_to).exclude(pk=source.pk).values_list("pk", flat=True).first()
    if other is not None:
        raise FetchError(MOVED_TO_DUPLICATE, f"the feed moved permanently to {moved_to}, which source "
                                             f"#{other} already reads")
    log.info("event=source_moved source=%s from=%s to=%s", source.pk, source.feed_url, moved_to)
    source.feed_url = moved_to


def _measure_rate(source: Source, feed: ParsedFeed, new_items: int, now: datetime) -> None:
    """The feed's publishing rate, from its entries' dates, or from what was new if it dates nothing."""
    published = [entry.published for entry in feed.entries]
    rate = cadence.rate_from_entries(published, now)
    if rate is not None:
        source.publish_rate = rate
        source.newest_entry_at = max(t for t in published if t is not None)
    elif source.last_success_at is not None:
        source.publish_rate = cadence.rate_from_new_items(source.publish_rate, new_items, now - source.last_success_at)
        if new_items:
            source.newest_entry_at = now


def store_entries(source: Source, feed: ParsedFeed, now: datetime) -> list[Article]:
    """Insert entries not seen before from this source; idempotent under duplicate deliveries."""
    keyed = {}
    for entry in feed.entries:
        kind, key = entry_identity(entry)
        keyed.setdefault(key, (kind, entry))
    existing = set(Article.objects.filter(source=source, dedup_key__in=list(keyed))
                   .values_list("dedup_key", flat=True))
    sections = list(Section.objects.all())
    fresh = [_new_article(source, entry, kind, key, sections, now)
             for key, (kind, entry) in keyed.items() if key not in existing]
    if not fresh:
        return []
    assign_hosts(fresh)
    refused = _refuse_blocked(fresh, now)
    if len(refused) < len(fresh):  # their pages are due now
        source.pages_due_at = now
        Source.objects.filter(pk=source.pk).update(pages_due_at=now)
    try:
        # The common case: one INSERT and one commit for the whole feed.
        with transaction.atomic():
            created = Article.objects.bulk_create(fresh)
            search.index_articles([a for a in created if a.removed_at is None])
            content_changed.send(sender=Article)
            for article, rule in refused:
                blocklist.record_refusal(rule, article.url, stage="feed")
        counters.count_stored(len(created) - len(refused))
        return [a for a in created if a.removed_at is None]
    except IntegrityError:
        pass  # another worker stored some of these a moment ago: insert one by one, skip those
    created = []
    with transaction.atomic():
        for article in fresh:
            article.pk = None
            try:
                with transaction.atomic():
                    article.save()
            except IntegrityError:
                continue
            created.append(article)
        search.index_articles([a for a in created if a.removed_at is None])
        if created:
            content_changed.send(sender=Article)
    counters.count_stored(sum(1 for a in created if a.removed_at is None))
    return [a for a in created if a.removed_at is None]


def _refuse_blocked(articles: list[Article], now: datetime) -> list[tuple[Article, BlockRule]]:
    """Entries a takedown blocked are stored as tombstones, never with content: the row keeps
    their identity, so the next poll of the same feed skips them without asking again."""
    rules = blocklist.url_rules([u for a in articles for u in (a.url, a.canonical_url) if u])
    refused = []
    for article in articles:
        rule = rules.get(article.url) or rules.get(article.canonical_url)
        if rule is not None:
            purge(article, now)
            article.fetch_status, article.next_fetch_at = Article.FetchStatus.SKIPPED, None
            article.fetch_error_code, article.fetch_error_message = BLOCKED, "removed at the rights holder's request"
            refused.append((article, rule))
    return refused


def _new_article(source: Source, entry: FeedEntry, kind: str, key: str,
                 sections: list[Section], now: datetime) -> Article:
    published = min(entry.published or now, now)  # a feed's clock in the future is not trusted
    summary = excerpt(entry.summary, 600)
    return Article(
        source=source, outlet_id=source.outlet_id, dedup_key=key, identity=kind,
        guid=entry.guid[:1000], url=(entry.url or entry.guid)[:2000],
        canonical_url=canonicalize(entry.url)[:2000] if entry.url else "",
        title=(entry.title or summary[:120] or "(untitled)")[:500], authors=authors_from_byline(entry.author),
        summary=summary, lead_image=entry.image[:2000], categories=entry.categories[:20],
        section=section_for_categories(entry.categories, sections) or source.section,
        published_at=published, discovered_at=now, next_fetch_at=now,
        content_hash=content_hash(entry.title, entry.summary),
    )


def fetch_due_pages(source: Source, fetchers: Fetchers, *, limit: int, now: datetime) -> tuple[int, int]:
    """Fetch and extract this source's pending pages and failed pages whose retry is due.

    One download thread runs a few pages ahead of extraction (still one request at a time to the
    host, paced), so waiting on the network overlaps with parsing. Results are written PAGE_BATCH
    at a time, one transaction each. A crash loses at most one batch of work, never an article:
    those pages are still pending and are fetched again.
    """
    due = list(Article.objects.filter(source=source).select_related("outlet")
               .filter(Q(fetch_status=Article.FetchStatus.PENDING) |
                       Q(fetch_status=Article.FetchStatus.FAILED, next_fetch_at__lte=now))
               .order_by("-published_at")[:limit])
    if not due:
        _note_pages_due(source)
        return 0, 0
    ok = failed = 0
    pending: list[tuple[Article, bool]] = []
    screen = blocklist.PageScreen.load()
    for article, download in prefetch(due, lambda a: _download_and_extract(a.url, fetchers), DOWNLOAD_LOOKAHEAD):
        succeeded = apply_page(article, download, now, screen)
        ok, failed = ok + succeeded, failed + (not succeeded)
        pending.append((article, succeeded))
        if len(pending) >= PAGE_BATCH:
            _save_pages(pending)
            pending = []
    _save_pages(pending)
    _note_pages_due(source)
    return ok, failed


def _note_pages_due(source: Source) -> None:
    """Record when the source's next page falls due (pages beyond this job's limit, retries), so
    checks before then skip the pages table."""
    mine = Article.objects.filter(source=source)
    first = mine.filter(Q(fetch_status=Article.FetchStatus.PENDING) | Q(fetch_status=Article.FetchStatus.FAILED),
                        next_fetch_at__isnull=False).aggregate(first=Min("next_fetch_at"))["first"]
    if mine.filter(fetch_status=Article.FetchStatus.PENDING, next_fetch_at__isnull=True).exists():
        first = timezone.now()  # pending without a time: due as soon as possible
    source.pages_due_at = first
    Source.objects.filter(pk=source.pk).update(pages_due_at=first)


def apply_page(article: Article, download: Future[tuple[FetchResult, Future[ExtractedArticle]]],
               now: datetime, screen: blocklist.PageScreen) -> bool:
    """Fill `article` (unsaved) from its downloaded and extracted page; on failure keep headline
    and summary and record why."""
    article.fetch_attempts += 1
    try:
        result, extraction = download.result()
        extracted = extraction.result()
    except (FetchError, ExtractionError) as error:
        _record_page_failure(article, error, now)
        return False
    rule = screen.rule_for(extracted.canonical_url, extracted.text)
    if rule is not None:  # the same text, or a declared canonical address, a takedown removed
        purge(article, now)
        article.fetch_status, article.next_fetch_at = Article.FetchStatus.SKIPPED, None
        article.fetch_error_code, article.fetch_error_message = BLOCKED, "removed at the rights holder's request"
        blocklist.record_refusal(rule, article.url, stage="page")
        return False
    first_reading = not article.text  # a re-fetch must not count the same article's blocks twice
    article.text, article.html = strip_site_template(site_of(result.url or article.url), extracted.text,
                                                     extracted.html, DatabaseTally(), learn=first_reading)
    if extracted.published is not None and _page_time_is_better(article, extracted):
        article.published_at = min(extracted.published, now)
    article.title = (extracted.title or article.title)[:500]  # the page's own headline, not a feed's variant
    article.authors = extracted.authors or article.authors  # the page declares them more carefully than feeds
    article.lead_image = article.lead_image or extracted.lead_image[:2000]
    article.language = extracted.language[:12]
    article.canonical_url = canonicalize(extracted.canonical_url or result.url)[:2000]
    if not article.summary:
        article.summary = excerpt(extracted.description or article.text, 600)
    article.content_hash = content_hash(article.title, article.text)
    article.fetch_status, article.fetched_at, article.next_fetch_at = Article.FetchStatus.OK, now, None
    article.fetch_error_code = article.fetch_error_message = ""
    article.awaiting_story = True  # placed on its headline meanwhile, or not yet: the stage looks again
    return True


def _page_time_is_better(article: Article, extracted: ExtractedArticle) -> bool:
    """The feed's date stands, unless it gave none (the entry was filed under the poll's time) or
    gave a bare date that the page's declared time of the same day makes precise."""
    if article.published_at == article.discovered_at:
        return True
    feed = article.published_at
    bare_date = (feed.hour, feed.minute, feed.second, feed.microsecond) == (0, 0, 0, 0)
    page = extracted.published
    return bool(bare_date and extracted.published_declared and page and page.date() == feed.date())


def _download_and_extract(url: str, fetchers: Fetchers) -> tuple[FetchResult, Future[ExtractedArticle]]:
    """Runs on the download thread: fetch, then hand the page to the extraction pool."""
    result = download_page(url, fetchers)
    return result, fetchers.extractor.submit(result.content, result.url)


PAGE_FIELDS = ["title", "categories", "removed_at", "published_at", "text", "html", "authors", "lead_image", "language", "canonical_url", "summary", "content_hash",
               "fetch_status", "fetch_attempts", "fetched_at", "next_fetch_at", "fetch_error_code",
               "fetch_error_message", "awaiting_story"]


SAVE_ATTEMPTS = 3


def _is_deadlock(error: OperationalError) -> bool:
    cause = error.__cause__
    return type(cause).__name__ == "DeadlockDetected" or "deadlock detected" in str(error)


def _save_pages(pages: list[tuple[Article, bool]]) -> None:
    """Write a batch of fetched pages: one UPDATE statement run for every row, one commit.

    Model.save() per row spends most of its time building the same SQL again; bulk_update's
    CASE chains grow with the batch. executemany prepares once and binds each row."""
    if not pages:
        return
    fields = [Article._meta.get_field(name) for name in PAGE_FIELDS]
    table, pk = connection.ops.quote_name(Article._meta.db_table), connection.ops.quote_name("id")
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    # In id order, as every batch that writes many articles should: two transactions that lock rows
    # in one order cannot wait on each other in a cycle.
    rows = sorted(([f.get_db_prep_save(getattr(article, f.attname), connection) for f in fields] + [article.pk]
                   for article, _ in pages), key=lambda row: row[-1])
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", rows)
                search.index_articles([article for article, succeeded in pages if succeeded])
                content_changed.send(sender=Article)
            break
        except OperationalError as error:
            # PostgreSQL ends one of two transactions that wait on each other (the story stage
            # updates articles in placement order, oldest first); the batch is whole in memory,
            # so it is written again rather than lost until the next job.
            if attempt == SAVE_ATTEMPTS or not _is_deadlock(error):
                raise
            log.warning("event=page_batch_deadlock attempt=%d pages=%d", attempt, len(rows))
            time.sleep(0.05 * attempt)
    counters.count_pages(("ok", "") if succeeded else (article.fetch_status, article.fetch_error_code)
                         for article, succeeded in pages)


def _record_page_failure(article: Article, error: WiredeskError, now: datetime) -> None:
    article.fetch_error_code, article.fetch_error_message = error.code, error.message[:2000]
    if error.code == ROBOTS_DISALLOWED:
        article.fetch_status, article.next_fetch_at = Article.FetchStatus.SKIPPED, None
        return
    article.fetch_status = Article.FetchStatus.FAILED
    retry_after = getattr(error, "retry_after", None)
    if article.fetch_attempts >= MAX_PAGE_ATTEMPTS:
        article.next_fetch_at = None  # given up: headline, summary and link stay published
    else:
        delay = PAGE_RETRY_BASE * (3 ** (article.fetch_attempts - 1))
        article.next_fetch_at = now + max(delay, timedelta(seconds=retry_after or 0))


def _next_interval(source: Source) -> int:
    """The source's interval now: adapted to its rate (sources.cadence) unless an operator fixed it;
    at least what the feed asks either way. A feed whose rhythm is not known yet keeps its interval."""
    cfg = settings.WIREDESK
    hint = min(source.interval_hint, cadence.HINT_CEILING)
    if source.interval_fixed:
        return max(source.check_interval, hint)
    bounds = cadence.Bounds(cfg["WIREDESK_POLL_MIN_INTERVAL"], cfg["WIREDESK_POLL_MAX_INTERVAL"])
    if source.publish_rate <= 0 and source.newest_entry_at is None:
        interval = max(source.check_interval, hint)
    else:
        interval = cadence.next_interval(source.publish_rate, hint, bounds, jitter_key=source.pk or 0)
    if websub.is_live(source):  # the hub pushes: polling is only the safety net
        return max(interval, bounds.maximum)
    return interval


def _record_success(source: Source, now: datetime) -> None:
    source.last_checked_at = source.last_success_at = now
    source.error_count = 0
    source.last_error_code = source.last_error_message = ""
    source.check_interval = _next_interval(source)
    source.next_check_at = now + timedelta(seconds=source.check_interval)
    source.save()


def _record_failure(source: Source, error: WiredeskError, now: datetime) -> None:
    """Keep the error readable on the source and back off exponentially (or as the server asked).
    A feed that is gone (410), or that failed WIREDESK_SOURCE_MAX_FAILURES checks in a row, or that
    moved to an address another source reads, is turned off with the reason."""
    source.last_checked_at = now
    source.error_count += 1
    source.last_error_code, source.last_error_message = error.code, error.message[:2000]
    backoff = min(timedelta(seconds=source.check_interval) * (2 ** min(source.error_count - 1, 8)), MAX_BACKOFF)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        backoff = max(backoff, timedelta(seconds=min(retry_after, MAX_BACKOFF.total_seconds())))
    source.next_check_at = now + backoff
    limit = settings.WIREDESK["WIREDESK_SOURCE_MAX_FAILURES"]
    if getattr(error, "status", None) == 410:
        _disable(source, f"the feed is gone: HTTP 410 on {now:%Y-%m-%d %H:%M} UTC")
    elif error.code == MOVED_TO_DUPLICATE:
        _disable(source, error.message)
    elif source.error_count >= limit:
        _disable(source, f"{source.error_count} failed checks in a row; the last: {error.code}: {error.message}")
    source.save()


def _disable(source: Source, reason: str) -> None:
    source.enabled = False
    source.disabled_reason = reason[:500]
    log.warning("event=source_disabled source=%s reason=%r", source.pk, source.disabled_reason)
