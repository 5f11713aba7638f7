"""The story stage: places articles into stories, oldest first.

Decoupled from ingest so fetching and extracting never wait on clustering, and serialised by a
lease so one placer works at a time (stories stay consistent across any number of workers).
The in-process worker runs it between feed checks; at scale a Celery task does.

An article is placed once its text is final (extracted, or given up on). One whose page is still
not read HEADLINE_GRACE after it was published (a slow or paywalled site, a retry queue) is placed
on its headline and feed summary meanwhile, and placed again when its page text arrives, so a
reader sees it in its story either way.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from wiredesk.articles.models import Article
from wiredesk.core.signals import content_changed
from wiredesk.metrics import counters
from wiredesk.stories.engine import attach, placing, replace
from wiredesk.stories.models import EngineLease, Fingerprint
from wiredesk.stories.settle import judge_settled

log = logging.getLogger("wiredesk.stories")
LEASE_NAME = "story-placement"
HEADLINE_GRACE = timedelta(minutes=10)
# Articles placed between two commits. A commit writes every index and count page an article
# touched, and consecutive articles touch many of the same: batches of 50 halve the commit cost per
# article (`benchmarks/stories.py --only cost`). A crash loses at most one batch, which stays waiting.
COMMIT_EVERY = 50


def waiting(limit: int, now: datetime | None = None) -> list[Article]:
    """Articles to place, oldest first: those awaiting the story stage whose text is final or
    whose page is overdue (placed on their headline meanwhile).

    Only rows flagged `awaiting_story` are read, through a partial index that holds just them, so
    the stage's idle check costs the same at any archive size. `placed_on_headline` marks those
    placed on their headline whose text has arrived since: they are placed again."""
    return list(waiting_query(now or timezone.now())[:limit])


def waiting_query(now: datetime) -> QuerySet[Article]:
    final = Q(fetch_status=Article.FetchStatus.OK) | Q(next_fetch_at__isnull=True) & ~Q(
        fetch_status=Article.FetchStatus.PENDING)
    overdue = Q(published_at__lte=now - HEADLINE_GRACE)
    headline_only = Fingerprint.objects.filter(article=OuterRef("pk"), has_text=False)
    return (Article.objects.filter(final | overdue, awaiting_story=True, removed_at__isnull=True)
            .annotate(placed_on_headline=Exists(headline_only))
            .prefetch_related("outlet").order_by("published_at", "pk"))  # no join: see articles.queries


def _done(article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(awaiting_story=False)
    article.awaiting_story = False


def lease() -> timedelta:
    """How long the placer's lease lasts: as long as a source claim (WIREDESK_LEASE_SECONDS), so a
    killed placer holds the story stage up no longer than a killed worker holds a feed (the crash
    tests found it held for a fixed five minutes). A round of placement takes seconds."""
    return timedelta(seconds=settings.WIREDESK["WIREDESK_LEASE_SECONDS"])


def _claim(holder: str, now: datetime) -> bool:
    EngineLease.objects.get_or_create(name=LEASE_NAME)
    free = Q(until__isnull=True) | Q(until__lt=now) | Q(holder=holder)
    return EngineLease.objects.filter(free, name=LEASE_NAME).update(holder=holder, until=now + lease()) == 1


def _release(holder: str) -> None:
    EngineLease.objects.filter(name=LEASE_NAME, holder=holder).update(holder="", until=None)


def place_waiting(holder: str, limit: int = 200) -> int | None:
    """Place up to `limit` waiting articles; None if another worker holds the placement lease."""
    if not _claim(holder, timezone.now()):
        return None
    placed = 0
    lags = []
    try:
        articles = waiting(limit)
        for start in range(0, len(articles), COMMIT_EVERY):
            batch = articles[start:start + COMMIT_EVERY]
            done = []
            with placing():  # one commit for the batch: see COMMIT_EVERY
                for article in batch:
                    if _place_one(article):
                        done.append(article)
            now = timezone.now()  # placed once committed: that is when readers see it
            lags.extend((now - _ready_since(article)).total_seconds() for article in done)
            placed += len(done)
        _judge_settled()
    finally:
        _release(holder)
    if placed:
        content_changed.send(sender=Article)
        counters.count_placed(lags)
    return placed


def _judge_settled() -> None:
    """Stories of headlines that went quiet are judged once more (stories.settle); a failure is
    logged and leaves them for the next round, never stops the stage."""
    try:
        judged, changed = judge_settled(timezone.now())
        if changed:
            log.info("event=settled_stories_changed judged=%s split_or_merged=%s", judged, changed)
            content_changed.send(sender=Article)
    except Exception:
        log.exception("event=settle_failed")


def _place_one(article: Article) -> bool:
    """Place one article in a savepoint of its own: one bad article must not stop the stage or undo
    the batch; it stays unplaced and is logged."""
    try:
        with placing():
            text_arrived = article.placed_on_headline and article.has_full_text
            replace(article) if text_arrived else attach(article)  # attach: a no-op if placed
            if article.awaiting_story:  # already placed, nothing new: off the stage's list
                _done(article)
        return True
    except Exception:
        log.exception("event=story_attach_failed article=%s", article.pk)
        return False


def _ready_since(article: Article) -> datetime:
    """When the article became placeable: its page read, or (placed on its headline) its grace over."""
    if article.fetched_at is not None:
        return article.fetched_at
    return max(article.discovered_at, article.published_at + HEADLINE_GRACE)


def place_all(holder: str) -> int:
    """Place every waiting article (the demo's first ingest, `poll --once`, tests)."""
    total = 0
    while (placed := place_waiting(holder)) :
        total += placed
    return total
