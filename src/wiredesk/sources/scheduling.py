"""Claiming due sources: two workers never poll the same source at once.

A claim is one conditional UPDATE ("set claimed_until where it is free and the source is due"),
which is atomic on SQLite and PostgreSQL alike, needs no long transaction, and frees itself when
a worker dies: the lease simply runs out. At most one source per host is claimed at a time, so
per-host pacing inside one job is pacing for the whole site (best effort across machines: two
workers racing for two sources of one host can both win).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from wiredesk.sources.models import Source

CANDIDATES = 50


def _free(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def due_sources(now: datetime | None = None) -> list[Source]:
    now = now or timezone.now()
    return list(Source.objects.filter(_free(now), enabled=True, next_check_at__lte=now)
                .order_by("next_check_at")[:CANDIDATES])


def claim_due_source(worker_id: str, lease: timedelta, now: datetime | None = None) -> Source | None:
    """Claim the most overdue source on a host no other worker is polling; None if none is free."""
    now = now or timezone.now()
    busy_hosts = set(Source.objects.filter(claimed_until__gte=now).values_list("host", flat=True))
    for candidate in due_sources(now):
        if candidate.host in busy_hosts:
            continue
        if claim(candidate.pk, worker_id, lease, now):
            return Source.objects.select_related("outlet", "section").get(pk=candidate.pk)
    return None


def claim(source_id: int, worker_id: str, lease: timedelta, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    updated = (Source.objects.filter(_free(now), pk=source_id, enabled=True, next_check_at__lte=now)
               .update(claimed_until=now + lease, claimed_by=worker_id))
    return updated == 1


def release(source_id: int, worker_id: str) -> None:
    """Give the source back, unless the lease ran out and another worker holds it now."""
    Source.objects.filter(pk=source_id, claimed_by=worker_id).update(claimed_until=None, claimed_by="")


def next_due_in(now: datetime | None = None) -> float | None:
    """Seconds until the next source falls due (0 if one is due now), None if there are no sources."""
    now = now or timezone.now()
    upcoming = (Source.objects.filter(enabled=True).order_by("next_check_at")
                .values_list("next_check_at", flat=True).first())
    if upcoming is None:
        return None
    return max(0.0, (upcoming - now).total_seconds())
