"""Source status as plain data, for `wiredesk sources` and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from wiredesk.sources.models import Source


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def source_rows() -> list[dict[str, Any]]:
    rows = []
    for source in Source.objects.select_related("outlet").annotate(article_count=Count("articles")):
        rows.append({
            "id": source.pk, "outlet": source.outlet.name, "feed_url": source.feed_url,
            "title": source.title, "status": source.status, "enabled": source.enabled,
            "format": source.feed_format, "articles": source.article_count,
            "last_checked_at": _iso(source.last_checked_at), "last_success_at": _iso(source.last_success_at),
            "last_error_code": source.last_error_code, "last_error_message": source.last_error_message,
            "error_count": source.error_count, "next_check_at": _iso(source.next_check_at),
        })
    return rows
