"""Whole-page caching for anonymous readers, never stale in a way a reader notices.

A rendered page (front, sections, outlets, stories, articles, search, feeds, the public API) is kept
in Django's cache under the site's content version (web.SiteVersion). Everything that changes what
a reader sees bumps that version: new articles and page text (ingest), story placement, takedowns,
newsroom posts, moderated comments. So a removed item leaves every cached page the moment its
removal commits. Entries also expire after MAX_AGE seconds, for what changes with the clock alone
(a newsroom post scheduled for a given minute).

Clients and CDNs get validators and a short freshness: ETag (a digest of the body) and
Last-Modified (when the version last moved), 304 answers to conditional requests, and
`Cache-Control: public, max-age=MAX_AGE, stale-while-revalidate=…`. Only anonymous GET/HEAD
requests are served from the cache, and only replies that set no cookie are stored.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from wiredesk.editorial.queries import next_scheduled
from wiredesk.web.models import SiteVersion

_seen: list = []  # [monotonic time read, (version, changed_at)]: this process's last reading

VERSION_TTL = 1.0  # seconds a process trusts the content version it last read
MAX_AGE = 30
STALE_WHILE_REVALIDATE = 60
PRIVATE_PREFIXES = ("/admin/", "/newsroom/", "/removal/", "/comments/", "/healthz", "/static/", "/accounts/",
                    "/metrics", "/websub/")
STORED_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Frame-Options")  # set inside, kept for hits


def bump() -> None:
    """Make every cached page old: now, and again when the current transaction commits (a page
    rendered from the old rows between the two would otherwise be cached under the new version).

    One commit hook per transaction: a batch that saves fifty articles moves the version once after
    its commit, not fifty times (each of those is a write transaction of its own). A savepoint
    rolled back takes its hook with it, and the next save registers one again."""
    _bump()
    if connection.in_atomic_block and not any(hook is _bump for _, hook, _ in connection.run_on_commit):
        transaction.on_commit(_bump)


def _bump() -> None:
    now = timezone.now()
    if not SiteVersion.objects.filter(pk=1).update(value=F("value") + 1, changed_at=now):
        SiteVersion.objects.get_or_create(pk=1, defaults={"value": 1, "changed_at": now})
    _seen.clear()  # this process sees its own change at once


def current() -> tuple[int, datetime]:
    """The content version, read from the database at most once per VERSION_TTL per process.

    A cache hit would otherwise cost a query; a change made in another process (a Celery worker)
    reaches this one's readers within VERSION_TTL, a change made here at once."""
    now = time.monotonic()
    if _seen and now - _seen[0] < VERSION_TTL:
        return _seen[1]
    row = SiteVersion.objects.filter(pk=1).values_list("value", "changed_at").first()
    value = row if row else (0, datetime(2026, 1, 1, tzinfo=timezone.get_current_timezone()))
    _seen[:] = [now, value]
    return value


def _lifetime() -> float:
    """MAX_AGE, or less when a scheduled newsroom post goes live sooner: the page must show it then."""
    now = timezone.now()
    scheduled = next_scheduled(now)
    return MAX_AGE if scheduled is None else max(0.5, min(MAX_AGE, (scheduled - now).total_seconds()))


def _cacheable_request(request: HttpRequest) -> bool:
    """Anonymous GET/HEAD of a public page. A session cookie means someone signed in (or about
    to): their pages are their own. The session itself is not read, so a public page gets no
    `Vary: Cookie`."""
    return (request.method in ("GET", "HEAD") and not request.path.startswith(PRIVATE_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES)


def _cacheable_response(response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False)
            and "private" not in control and "no-store" not in control)


class PageCacheMiddleware:
    """Serve anonymous readers from the cache; see the module docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):  # (the response of a miss passes the inner middleware)
            return self.get_response(request)
        version, changed_at = current()
        # The change time too: a database restored or replaced under a long-lived shared cache
        # starts counting again, and must not meet the pages of its predecessor.
        path = hashlib.sha1(request.get_full_path().encode()).hexdigest()
        key = f"page:{version}:{changed_at.timestamp():.6f}:{path}"
        stored = cache.get(key)
        if stored is None:
            response = self.get_response(request)
            if not _cacheable_response(response):
                return response
            etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            stored = (response.content, etag, {h: response[h] for h in STORED_HEADERS if h in response})
            cache.set(key, stored, _lifetime())
        content, etag, headers = stored
        last_modified = http_date(changed_at.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=int(changed_at.timestamp()))
        response = not_modified if not_modified is not None else HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["ETag"], response["Last-Modified"] = etag, last_modified
        response["Cache-Control"] = f"public, max-age={MAX_AGE}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"
        return response
