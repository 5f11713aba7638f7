"""Claiming due sources: two workers never poll the same source at once.

A claim is one conditional UPDATE ("set claimed_until where it is free and the source is due"),
which is atomic on SQLite and PostgreSQL alike, needs no long transaction, and frees itself when
a worker dies: the lease simply runs out. A source is claimed only with its host (`HostClaim`,
claimed the same way), so two workers never check two feeds of one host at once, on one machine
or on two; the requests inside a job are paced per host across machines by core.pacing.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from wiredesk.sources.models import HostClaim, Source

CANDIDATES = 50


def _free(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _unavailable_hosts(now: datetime) -> QuerySet[HostClaim]:
    """Hosts a worker holds, or whose last check ended less than WIREDESK_HOST_DELAY ago."""
    return HostClaim.objects.filter(Q(claimed_until__gte=now) | Q(available_at__gt=now)).values("host")


def _is_due(now: datetime) -> Q:
    """Its feed is due, or pages of it are (`pages_due_at`: pages past one job's share, retries).
    A feed polled once a day may hold pages stored by the check before; they must not wait a day."""
    return Q(next_check_at__lte=now) | Q(pages_due_at__lte=now)


def _due(now: datetime, on_free_hosts: bool = False, unqueued: bool = False) -> QuerySet[Source]:
    """Enabled sources due now that nobody holds, most overdue first (with `on_free_hosts`, only on
    hosts that may be asked now: a desk with fifty feeds on one host must not fill its candidates
    with them; with `unqueued`, only those with no job waiting in the queue)."""
    due = Source.objects.filter(_is_due(now), _free(now), enabled=True)
    if on_free_hosts:
        due = due.exclude(host__in=_unavailable_hosts(now))
    if unqueued:
        due = due.filter(Q(queued_until__isnull=True) | Q(queued_until__lt=now))
    return due.annotate(due_at=Least("next_check_at", Coalesce("pages_due_at", "next_check_at"))).order_by("due_at")


def due_sources(now: datetime | None = None, *, on_free_hosts: bool = False, unqueued: bool = False,
                limit: int = CANDIDATES) -> list[Source]:
    return list(_due(now or timezone.now(), on_free_hosts, unqueued)[:limit])


def mark_queued(source_ids: list[int], until: datetime) -> None:
    """These sources have a job in the queue until `until` at the latest (a lost job's mark runs out)."""
    Source.objects.filter(pk__in=source_ids).update(queued_until=until)


def arrived(source_id: int) -> None:
    """The source's queued job reached a worker: a later round may queue it again when it is due."""
    Source.objects.filter(pk=source_id, queued_until__isnull=False).update(queued_until=None)


def claim_due_source(worker_id: str, lease: timedelta, now: datetime | None = None) -> Source | None:
    """Claim the most overdue source on a host no other worker is polling and that may be asked
    now; None if none is free."""
    now = now or timezone.now()
    for fresh in (False, True):
        queue = _candidates(now, fresh)
        tried: set[str] = set()
        while queue:
            source = queue.popleft()
            if source.host in tried or _paced_here(source.host):
                continue  # its host was just taken, or was asked a moment ago from this process
            tried.add(source.host)
            if claim(source.pk, worker_id, lease, now, host=source.host):
                # Read with the candidates, and current: had anyone checked or changed it since,
                # the claim (due, enabled, free) would have failed.
                source.claimed_by, source.claimed_until = worker_id, now + lease
                return source
    return None


# Each worker thread keeps the candidates it read (most overdue first, on hosts that could be asked
# then, with their outlets and sections) for a moment and claims from them: with thousands of feeds
# due, reading them anew for every check cost more than the check. A stale entry costs one refused
# claim (the claim itself is the atomic test); a read is at most CANDIDATE_AGE old.
CANDIDATE_POOL = 200
CANDIDATE_AGE = 2.0
_local = threading.local()
_released: dict[str, float] = {}  # host -> monotonic time it may be asked again (this process's releases)


def _candidates(now: datetime, fresh: bool) -> deque[Source]:
    queue: deque[Source] | None = getattr(_local, "queue", None)
    if fresh or queue is None or not queue or time.monotonic() - _local.read_at > CANDIDATE_AGE:
        queue = deque(_due(now, on_free_hosts=True).select_related("outlet", "section")[:CANDIDATE_POOL])
        _local.queue, _local.read_at = queue, time.monotonic()
    return queue


def _paced_here(host: str) -> bool:
    until = _released.get(host)
    return until is not None and time.monotonic() < until


def forget_candidates() -> None:
    """Drop this thread's candidates and this process's pauses (tests roll ids back and reuse them)."""
    _local.queue = None
    _released.clear()


def due_count(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return _due(now).count()


def any_due(now: datetime | None = None) -> bool:
    """Is a source due that no worker holds (on any host, free or paced)?"""
    now = now or timezone.now()
    return _due(now).exists()


def claim(source_id: int, worker_id: str, lease: timedelta, now: datetime | None = None,
          host: str | None = None) -> bool:
    """Claim a due source and its host; False (holding nothing) if either is taken.

    Plain statements: this runs for every check, thousands a minute at scale, and the ORM's
    statement building cost more than the statements."""
    now = now or timezone.now()
    if host is None:
        host = Source.objects.filter(pk=source_id).values_list("host", flat=True).first()
    if host is None or not _claim_host(host, worker_id, lease, now):
        return False
    at, until = _db_time(now), _db_time(now + lease)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_SOURCES} SET claimed_until = %s, claimed_by = %s WHERE id = %s AND enabled "
                       f"AND (next_check_at <= %s OR pages_due_at <= %s) "
                       f"AND (claimed_until IS NULL OR claimed_until < %s)",
                       [until, worker_id, source_id, at, at, at])
        claimed = cursor.rowcount == 1
    if not claimed:
        _release_host(host, worker_id)
    return claimed


_SOURCES = connection.ops.quote_name(Source._meta.db_table)
_HOSTS = connection.ops.quote_name(HostClaim._meta.db_table)


def _db_time(value: datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def _claim_host(host: str, worker_id: str, lease: timedelta, now: datetime) -> bool:
    at, until = _db_time(now), _db_time(now + lease)
    update = (f"UPDATE {_HOSTS} SET claimed_by = %s, claimed_until = %s WHERE host = %s "
              f"AND (claimed_until IS NULL OR claimed_until < %s) AND (available_at IS NULL OR available_at <= %s)")
    with connection.cursor() as cursor:
        cursor.execute(update, [worker_id, until, host, at, at])
        if cursor.rowcount == 1:
            return True
        # The host's first claim: a free row is added unless one exists (the unique constraint
        # picks one winner among racing workers), then claimed as any other.
        cursor.execute(f"INSERT INTO {_HOSTS} (host, claimed_by, claimed_until, available_at) "
                       f"VALUES (%s, '', NULL, NULL) ON CONFLICT (host) DO NOTHING", [host])
        if cursor.rowcount != 1:
            return False
        cursor.execute(update, [worker_id, until, host, at, at])
        return cursor.rowcount == 1


def _release_host(host: str, worker_id: str) -> None:
    """Free the host; the next check of it, by any worker anywhere, waits out WIREDESK_HOST_DELAY."""
    pause = settings.WIREDESK["WIREDESK_HOST_DELAY"]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_HOSTS} SET claimed_until = NULL, claimed_by = '', available_at = %s "
                       f"WHERE host = %s AND claimed_by = %s",
                       [_db_time(timezone.now() + timedelta(seconds=pause)), host, worker_id])
        if cursor.rowcount:
            _released[host] = time.monotonic() + pause


def release(source_id: int, worker_id: str, host: str | None = None) -> None:
    """Give the source and its host back, unless the lease ran out and another worker holds them now.
    `host` is the one claimed with the source (a check that moved the feed to another host must
    free the old one); without it, the source's host now."""
    if host is None:
        host = Source.objects.filter(pk=source_id).values_list("host", flat=True).first() or ""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_SOURCES} SET claimed_until = NULL, claimed_by = '' WHERE id = %s AND claimed_by = %s",
                       [source_id, worker_id])
    _release_host(host, worker_id)


def next_due_in(now: datetime | None = None) -> float | None:
    """Seconds until the next source falls due (0 if one is due now), None if there are no sources."""
    now = now or timezone.now()
    enabled = Source.objects.filter(enabled=True)
    upcoming = [when for field in ("next_check_at", "pages_due_at")
                for when in enabled.filter(**{f"{field}__isnull": False}).order_by(field)
                .values_list(field, flat=True)[:1]]
    if not upcoming:
        return None
    return max(0.0, (min(upcoming) - now).total_seconds())
