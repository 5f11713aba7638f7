"""Claiming due sources: two workers never poll the same source at once.

A claim is one conditional UPDATE ("set claimed_until where it is free and the source is due"),
which is atomic on SQLite and PostgreSQL alike, needs no long transaction, and frees itself when
a worker dies: the lease simply runs out. A source is claimed only with its host (`HostClaim`,
claimed the same way), so two workers never check two feeds of one host at once, on one machine
or on two; the requests inside a job are paced per host across machines by core.pacing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from wiredesk.sources.models import HostClaim, Source

CANDIDATES = 50


def _free(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _unavailable_hosts(now: datetime) -> QuerySet[HostClaim]:
    """Hosts a worker holds, or whose last check ended less than WIREDESK_HOST_DELAY ago."""
    return HostClaim.objects.filter(Q(claimed_until__gte=now) | Q(available_at__gt=now)).values("host")


def due_sources(now: datetime | None = None, *, on_free_hosts: bool = False, limit: int = CANDIDATES) -> list[Source]:
    """The most overdue due sources nobody holds (with `on_free_hosts`, only on hosts that may be
    asked now: a desk with fifty feeds on one host must not fill its candidates with them)."""
    now = now or timezone.now()
    due = Source.objects.filter(_free(now), enabled=True, next_check_at__lte=now)
    if on_free_hosts:
        due = due.exclude(host__in=_unavailable_hosts(now))
    return list(due.order_by("next_check_at")[:limit])


def claim_due_source(worker_id: str, lease: timedelta, now: datetime | None = None) -> Source | None:
    """Claim the most overdue source on a host no other worker is polling and that may be asked
    now; None if none is free."""
    now = now or timezone.now()
    for candidate in due_sources(now, on_free_hosts=True):
        if claim(candidate.pk, worker_id, lease, now):
            return Source.objects.select_related("outlet", "section").get(pk=candidate.pk)
    return None


def due_count(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Source.objects.filter(_free(now), enabled=True, next_check_at__lte=now).count()


def any_due(now: datetime | None = None) -> bool:
    """Is a source due that no worker holds (on any host, free or paced)?"""
    now = now or timezone.now()
    return Source.objects.filter(_free(now), enabled=True, next_check_at__lte=now).exists()


def claim(source_id: int, worker_id: str, lease: timedelta, now: datetime | None = None) -> bool:
    """Claim a due source and its host; False (holding nothing) if either is taken."""
    now = now or timezone.now()
    host = Source.objects.filter(pk=source_id).values_list("host", flat=True).first()
    if host is None or not _claim_host(host, worker_id, lease, now):
        return False
    updated = (Source.objects.filter(_free(now), pk=source_id, enabled=True, next_check_at__lte=now)
               .update(claimed_until=now + lease, claimed_by=worker_id))
    if updated != 1:
        _release_host(host, worker_id)
        return False
    return True


def _claim_host(host: str, worker_id: str, lease: timedelta, now: datetime) -> bool:
    paced = Q(available_at__isnull=True) | Q(available_at__lte=now)
    if HostClaim.objects.filter(_free(now), paced, host=host).update(claimed_by=worker_id, claimed_until=now + lease):
        return True
    try:
        with transaction.atomic():  # the host's first claim: the unique constraint picks one winner
            HostClaim.objects.create(host=host, claimed_by=worker_id, claimed_until=now + lease)
    except IntegrityError:
        return False
    return True


def _release_host(host: str, worker_id: str) -> None:
    """Free the host; the next check of it, by any worker anywhere, waits out WIREDESK_HOST_DELAY."""
    pause = timedelta(seconds=settings.WIREDESK["WIREDESK_HOST_DELAY"])
    HostClaim.objects.filter(host=host, claimed_by=worker_id).update(
        claimed_until=None, claimed_by="", available_at=timezone.now() + pause)


def release(source_id: int, worker_id: str, host: str | None = None) -> None:
    """Give the source and its host back, unless the lease ran out and another worker holds them now.
    `host` is the one claimed with the source (a check that moved the feed to another host must
    free the old one); without it, the source's host now."""
    if host is None:
        host = Source.objects.filter(pk=source_id).values_list("host", flat=True).first() or ""
    Source.objects.filter(pk=source_id, claimed_by=worker_id).update(claimed_until=None, claimed_by="")
    _release_host(host, worker_id)


def next_due_in(now: datetime | None = None) -> float | None:
    """Seconds until the next source falls due (0 if one is due now), None if there are no sources."""
    now = now or timezone.now()
    upcoming = (Source.objects.filter(enabled=True).order_by("next_check_at")
                .values_list("next_check_at", flat=True).first())
    if upcoming is None:
        return None
    return max(0.0, (upcoming - now).total_seconds())
