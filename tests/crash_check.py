"""The state a crash test checks, read by a separate process under the desk's own settings.

Run as `python -m tests.crash_check` with the environment of the desk under test (its data folder or
DATABASE_URL); prints one JSON object. Kept apart from the test so that it reads the database the
killed processes wrote, with nothing of the test's own connection or transactions in between."""

from __future__ import annotations

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiredesk.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from wiredesk.articles.models import Article  # noqa: E402
from wiredesk.sources.models import HostClaim, Source  # noqa: E402
from wiredesk.stories.models import EngineLease, Fingerprint, IndexKey, StoryMember  # noqa: E402


def state() -> dict[str, object]:
    ok = Article.objects.filter(fetch_status=Article.FetchStatus.OK)
    members = set(StoryMember.objects.values_list("article_id", flat=True))
    prints = set(Fingerprint.objects.values_list("article_id", flat=True))
    ok_ids = set(ok.values_list("pk", flat=True))
    indexed = ok_ids  # PostgreSQL indexes the table itself: nothing can be missing
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM articles_fts")
            indexed = {row[0] for row in cursor.fetchall()}
    return {
        "articles_by_feed": {s.feed_url: s.n for s in Source.objects.annotate(n=Count("articles"))},
        "duplicate_entries": Article.objects.values("source", "dedup_key").annotate(n=Count("id"))
        .filter(n__gt=1).count(),
        "ok": len(ok_ids),
        "ok_without_text": ok.filter(text="").count(),
        "ok_not_in_search": len(ok_ids - indexed),
        "pending_pages": Article.objects.filter(fetch_status=Article.FetchStatus.PENDING).count(),
        "awaiting_story": Article.objects.filter(awaiting_story=True).count(),
        "ok_without_story": len(ok_ids - members),
        "fingerprints_without_story": len(prints - members),
        "stories_without_fingerprint": len(members - prints),
        "index_keys_without_fingerprint": IndexKey.objects.exclude(article_id__in=list(prints)).count(),
        "claims": _claims(),
    }


def _claims() -> list[list[object]]:
    """Each claim and the seconds it has left, counted from a moment after it was read: a live
    worker may take or renew one while this runs, and the clock read before that would make a full
    lease look longer than the lease."""
    held = ([(s.claimed_by, s.claimed_until) for s in Source.objects.exclude(claimed_until=None)]
            + [(f"host {h.host}: {h.claimed_by}", h.claimed_until) for h in HostClaim.objects.exclude(claimed_until=None)]
            + [(f"placer: {e.holder}", e.until) for e in EngineLease.objects.exclude(until=None)])
    now = timezone.now()
    return [[holder, (until - now).total_seconds()] for holder, until in held]


if __name__ == "__main__":
    print(json.dumps(state()))
