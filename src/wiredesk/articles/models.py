"""Aggregated articles: one row per entry of one source, linked to its primary source URL.

Identity within a source is explicit (`dedup_key`, unique per source); identity across outlets
(copies, same story) is a different question and lives in the story engine, never here.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Host(models.Model):
    """A host name articles are served from (without a leading www.).

    Why a table: a takedown covering a domain must find every article on it and its subdomains.
    Matching hosts by suffix scans this small table (one row per host, not per article); the
    articles are then found through an indexed foreign key, however many are stored.
    """

    name = models.CharField(max_length=255, unique=True)

    def __str__(self) -> str:
        return self.name


LIVE = models.Q(removed_at__isnull=True)


class Article(models.Model):
    class Identity(models.TextChoices):
        GUID = "guid", "Feed GUID"
        URL = "url", "Canonical URL"
        HASH = "hash", "Hash of title and text"

    class FetchStatus(models.TextChoices):
        PENDING = "pending", "Waiting for its page to be fetched"
        OK = "ok", "Page fetched and extracted"
        FAILED = "failed", "Page could not be fetched or extracted; kept as headline and summary"
        SKIPPED = "skipped", "Page not fetched (robots.txt); kept as headline and summary"

    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="articles")
    outlet = models.ForeignKey("sources.Outlet", on_delete=models.CASCADE, related_name="articles")
    section = models.ForeignKey("sections.Section", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="articles")
    dedup_key = models.CharField(max_length=64, help_text="sha256 of the identity string.")
    identity = models.CharField(max_length=4, choices=Identity.choices)
    guid = models.CharField(max_length=1000, blank=True)
    url = models.URLField(max_length=2000, help_text="The primary source: where the outlet published it.")
    canonical_url = models.URLField(max_length=2000, blank=True, db_index=True)
    host = models.ForeignKey(Host, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles",
                             help_text="Host of `url`; set when the article is stored.")
    title = models.CharField(max_length=500)
    authors = models.JSONField(default=list, blank=True, help_text="Names, as the page or feed declares them.")
    summary = models.TextField(blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True, help_text="Sanitised at ingest.")
    lead_image = models.URLField(max_length=2000, blank=True)
    language = models.CharField(max_length=12, blank=True)
    categories = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField()  # ordered through the partial indexes below, never alone
    discovered_at = models.DateTimeField(default=timezone.now)
    fetch_status = models.CharField(max_length=10, choices=FetchStatus.choices, default=FetchStatus.PENDING)
    fetch_attempts = models.PositiveSmallIntegerField(default=0)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    fetch_error_code = models.CharField(max_length=50, blank=True)
    fetch_error_message = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    awaiting_story = models.BooleanField(
        default=True, help_text="The story stage has yet to place this article, or to place it again now that its "
                                "page text arrived. Indexed only where true: the idle stage reads nothing.")
    removed_at = models.DateTimeField(
        null=True, blank=True,
        help_text="Set when the item was removed at the rights holder's request (or blocked at ingest); "
                  "its content is purged and only a tombstone page remains.")

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "dedup_key"], name="article_unique_per_source"),
        ]
        # Every public list reads live articles newest first and stops after a page: these partial
        # indexes hold only live rows, in exactly that order, so a list is a bounded index walk at
        # any archive size (an index on removed_at alone once led both planners to sort every row).
        indexes = [
            models.Index(fields=["fetch_status", "next_fetch_at"], name="article_fetch_due_idx"),
            models.Index(fields=["-published_at", "-id"], condition=LIVE, name="article_live_idx"),
            models.Index(fields=["section", "-published_at", "-id"], condition=LIVE, name="article_live_section_idx"),
            models.Index(fields=["outlet", "-published_at", "-id"], condition=LIVE, name="article_live_outlet_idx"),
            models.Index(fields=["removed_at"], condition=models.Q(removed_at__isnull=False),
                         name="article_removed_idx"),
            models.Index(fields=["published_at", "id"], condition=models.Q(awaiting_story=True),
                         name="article_awaiting_story_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        from wiredesk.articles.hosts import assign_hosts

        assign_hosts([self])
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def byline(self) -> str:
        """The authors for display: "A", "A and B", "A, B and C"."""
        from wiredesk.ingest.page.authors import join_names

        return join_names(self.authors or [])

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def has_full_text(self) -> bool:
        return self.fetch_status == self.FetchStatus.OK and bool(self.text)


class HostBlock(models.Model):
    """How many articles of one host printed one short block of text: the site's template.

    Keyed by a hash of the folded block (wiredesk.ingest.page.repeats), never its text, so the
    table stays small and holds no one's prose. A block counted on enough articles of a host is
    left out of that host's later articles.
    """

    host = models.CharField(max_length=255)
    key = models.CharField(max_length=16)
    articles = models.PositiveIntegerField(default=1)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["host", "key"], name="hostblock_host_key_uniq")]
