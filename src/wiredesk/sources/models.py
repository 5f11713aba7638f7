"""Outlets (who publishes) and sources (the feeds we read from them).

Scheduling is data: a source is due when `next_check_at <= now`, and a worker owns it while
`claimed_until` is in the future. Models hold data and invariants only; the I/O lives in
`wiredesk.ingest.pipeline` and `wiredesk.sources.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from wiredesk.core.urls import host_of


class Outlet(models.Model):
    class Role(models.TextChoices):
        WIRE = "wire", "Wire agency"
        NEWSPAPER = "newspaper", "Newspaper or broadcaster"
        INDEPENDENT = "independent", "Independent outlet"
        AGGREGATOR = "aggregator", "Aggregator"

    class DisplayPolicy(models.TextChoices):
        EXCERPT = "excerpt", "Headline and excerpt, link to the outlet"
        FULL = "full", "Full text (the outlet allows republication)"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    homepage = models.URLField(max_length=500, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.NEWSPAPER)
    display_policy = models.CharField(
        max_length=10, choices=DisplayPolicy.choices, default=DisplayPolicy.EXCERPT,
        help_text="Full text is shown only where the outlet allows it; otherwise readers get an excerpt "
                  "and the link to the original.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def shows_full_text(self) -> bool:
        return self.display_policy == self.DisplayPolicy.FULL


def initial_interval() -> int:
    """A new feed's interval until its rate is known (WIREDESK_POLL_INTERVAL)."""
    return int(settings.WIREDESK["WIREDESK_POLL_INTERVAL"])


class Source(models.Model):
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="sources")
    feed_url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    section = models.ForeignKey("sections.Section", null=True, blank=True, on_delete=models.SET_NULL,
                                help_text="Section for entries whose categories name none.")
    enabled = models.BooleanField(default=True)
    host = models.CharField(max_length=300, editable=False, db_index=True,
                            help_text="host:port of the feed; the unit of politeness.")
    check_interval = models.PositiveIntegerField(
        default=initial_interval, help_text="Seconds between checks: follows the feed's publishing rate (sources.cadence) "
                               "unless fixed.")
    interval_fixed = models.BooleanField(default=False, help_text="Keep check_interval as set; do not adapt it.")
    publish_rate = models.FloatField(default=0.0, editable=False, help_text="Items a day, as measured.")
    interval_hint = models.PositiveIntegerField(
        default=0, editable=False, help_text="Seconds the feed or its server asks between checks (ttl, "
                                             "sy:updatePeriod, Cache-Control max-age).")
    newest_entry_at = models.DateTimeField(null=True, blank=True, editable=False)
    check_count = models.PositiveIntegerField(default=0, editable=False)
    not_modified_count = models.PositiveIntegerField(default=0, editable=False)
    pages_due_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When this source's earliest pending or failed page is due (empty: none), so a check "
                  "that brings nothing new reads no pages table, and the source is due then even if its "
                  "feed is not.")
    disabled_reason = models.CharField(max_length=500, blank=True,
                                       help_text="Why wiredesk turned this source off (empty if an operator did).")
    next_check_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    queued_until = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="Scale-out mode: a job for this source was queued and may still be waiting; not queued "
                  "again before then (cleared when the job arrives at a worker).")
    claimed_by = models.CharField(max_length=100, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    feed_format = models.CharField(max_length=20, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    error_count = models.PositiveIntegerField(default=0, help_text="Consecutive failed checks.")
    last_error_code = models.CharField(max_length=50, blank=True)
    last_error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["outlet__name", "feed_url"]
        indexes = [models.Index(fields=["enabled", "next_check_at"], name="source_due_idx"),
                   # Pages fall due between a feed's checks (sources.scheduling): found without a scan.
                   models.Index(fields=["enabled", "pages_due_at"], name="source_pages_due_idx",
                                condition=models.Q(pages_due_at__isnull=False))]

    def __str__(self) -> str:
        return self.title or self.feed_url

    def save(self, *args: object, **kwargs: object) -> None:
        self.host = host_of(self.feed_url)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def not_modified_share(self) -> float | None:
        """Share of checks answered 304 (None before the first check)."""
        return self.not_modified_count / self.check_count if self.check_count else None

    @property
    def status(self) -> str:
        if not self.enabled:
            return "disabled"
        if self.last_error_code:
            return "error"
        if self.last_success_at is None:
            return "new"
        return "ok"


class HostClaim(models.Model):
    """Which worker polls a host now: one feed check per host at a time, across every process and
    machine. Taken by a conditional UPDATE (or the INSERT of the host's first row, under the
    unique constraint) like a source claim, and freed by the lease running out if its holder dies."""

    host = models.CharField(max_length=300, unique=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    available_at = models.DateTimeField(null=True, blank=True,
                                        help_text="Not before: the last check's release plus WIREDESK_HOST_DELAY.")

    def __str__(self) -> str:
        return self.host


class Subscription(models.Model):
    """A WebSub subscription for one source (sources.websub): the hub pushes the feed's new entries
    to our callback, and the source is polled only as a safety net while it is verified and fresh."""

    class State(models.TextChoices):
        PENDING = "pending", "Asked; waiting for the hub to verify"
        VERIFIED = "verified", "Verified: pushes accepted"
        FAILED = "failed", "The hub refused or failed; polling as before"

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="subscription")
    hub = models.URLField(max_length=1000)
    topic = models.URLField(max_length=1000)
    secret = models.CharField(max_length=64, editable=False, help_text="HMAC key of the pushes (never shown).")
    callback_token = models.CharField(max_length=32, unique=True, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_push_at = models.DateTimeField(null=True, blank=True)
    pushes = models.PositiveIntegerField(default=0)
    rejected_pushes = models.PositiveIntegerField(default=0, help_text="Pushes without a valid signature.")
    last_error = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.topic} via {self.hub} ({self.state})"
