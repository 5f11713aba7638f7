"""The takedown desk: removal requests, what each one covers, the blocklist, and the audit trail.

A request moves unconfirmed -> pending (the requester clicked the emailed link) -> approved or
rejected (staff decided). Approval removes every covered article and adds block rules, so the
same URL, the same canonical URL, the same text under a new URL or anything from an opted-out
domain never comes back on re-ingest. Every step is an AuditEvent with its actor and time.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RemovalRequest(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Waiting for the requester to confirm by email"
        PENDING = "pending", "Confirmed, waiting for review"
        APPROVED = "approved", "Approved: the items are removed"
        REJECTED = "rejected", "Rejected"

    class Relationship(models.TextChoices):
        AUTHOR = "author", "I wrote it"
        PUBLISHER = "publisher", "I publish it (the outlet)"
        AGENT = "agent", "I act for the rights holder"
        SUBJECT = "subject", "It is about me"
        OTHER = "other", "Other"

    requester_name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=254)
    urls = models.JSONField(default=list, blank=True, help_text="The addresses the request names.")
    domain = models.CharField(max_length=253, blank=True,
                              help_text="A whole domain to opt out (everything from it, now and later).")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    statement = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED, db_index=True)
    confirm_token = models.CharField(max_length=64, unique=True, default=new_token)
    status_token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decision_note = models.TextField(blank=True, help_text="Shown to the requester on the status page.")

    class Meta:
        ordering = ["-created_at"]
        permissions = [("decide_removalrequest", "Can approve or reject removal requests")]

    def __str__(self) -> str:
        return f"Removal request #{self.pk} by {self.requester_name}"


class RemovalItem(models.Model):
    """One article a request covers, and why: named, on the domain, or a copy the story engine found."""

    class Reason(models.TextChoices):
        NAMED = "named", "Named in the request"
        DOMAIN = "domain", "Published on the opted-out domain"
        COPY = "copy", "A copy of a named item (found by the story engine)"

    request = models.ForeignKey(RemovalRequest, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey("articles.Article", null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    relation = models.CharField(max_length=12, blank=True, help_text="For a copy: duplicate, wire_copy or spun_copy.")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True, help_text="Kept for the reviewer; purged on approval.")
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "article"], name="removal_item_once")]


class BlockRule(models.Model):
    """What may never be ingested again."""

    class Kind(models.TextChoices):
        URL = "url", "URL"
        CANONICAL_URL = "canonical", "Canonical URL"
        DOMAIN = "domain", "Whole domain"
        FINGERPRINT = "text", "Text fingerprint"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=2000, help_text="Normalised URL, domain, or text hash.")
    signature = models.BinaryField(null=True, blank=True, help_text="MinHash of the text, for near-same copies.")
    request = models.ForeignKey(RemovalRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="block_rules")
    created_at = models.DateTimeField(default=timezone.now)
    hits = models.PositiveIntegerField(default=0, help_text="Items refused at ingest by this rule.")
    last_hit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="block_rule_once")]
        indexes = [models.Index(fields=["kind", "value"], name="block_rule_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value[:80]}"


class AuditEvent(models.Model):
    """One step of the takedown desk, with who took it and when. Never edited or deleted."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Request submitted"
        CONFIRMED = "confirmed", "Requester confirmed by email"
        MATCHED = "matched", "Items matched"
        APPROVED = "approved", "Request approved"
        REJECTED = "rejected", "Request rejected"
        ITEM_REMOVED = "item_removed", "Item removed"
        BLOCK_ADDED = "block_added", "Block rule added"
        REINGEST_BLOCKED = "reingest_blocked", "Re-ingest refused by a block rule"
        MAIL_SENT = "mail_sent", "Mail sent to the requester"

    request = models.ForeignKey(RemovalRequest, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=200, help_text="Who acted: a staff user, the requester, or the system.")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} ({self.actor_label})"
