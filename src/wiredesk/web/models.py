"""The site's content version: one counter that every change a reader could see moves on."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SiteVersion(models.Model):
    """Rendered pages are cached under the current value, so bumping it retires them all at once.

    Kept in the database rather than the cache: ingest, the story stage and takedowns may run in
    other processes (Celery workers) than the web server, and every one of them must be able to
    make every cached page old, whatever cache backend each process has.
    """

    value = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
