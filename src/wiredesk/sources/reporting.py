"""Source status and health as plain data, for `wiredesk sources`, the admin and the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from wiredesk.sources.models import Source

HEALTH_WINDOW = timedelta(days=7)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def source_rows() -> list[dict[str, Any]]:
    """One row per source: identity, state, schedule, and health (items a day stored over the last
    week and the mean time between them, the share of checks answered 304, failures in a row)."""
    since = timezone.now() - HEALTH_WINDOW
    rows = []
    sources = Source.objects.select_related("outlet").annotate(
        article_count=Count("articles"), recent_count=Count("articles", filter=Q(articles__discovered_at__gte=since)))
    for source in sources:
        per_day = source.recent_count / HEALTH_WINDOW.days
        share = source.not_modified_share
        rows.append({
            "id": source.pk, "outlet": source.outlet.name, "feed_url": source.feed_url,
            "title": source.title, "status": source.status, "enabled": source.enabled,
            "disabled_reason": source.disabled_reason,
            "format": source.feed_format, "articles": source.article_count,
            "last_checked_at": _iso(source.last_checked_at), "last_success_at": _iso(source.last_success_at),
            "last_error_code": source.last_error_code, "last_error_message": source.last_error_message,
            "error_count": source.error_count, "consecutive_failures": source.error_count,
            "next_check_at": _iso(source.next_check_at),
            "check_interval": source.check_interval, "interval_fixed": source.interval_fixed,
            "interval_hint": source.interval_hint, "publish_rate_per_day": round(source.publish_rate, 2),
            "items_per_day": round(per_day, 2),
            "mean_item_interval_seconds": round(86_400 / per_day) if per_day else None,
            "checks": source.check_count,
            "not_modified_share": round(share, 3) if share is not None else None,
        })
    return rows
