"""Reader replies on articles, stories and posts, held for moderation.

A reply targets (kind, id) rather than a generic foreign key: three kinds, known in advance,
and queries that stay simple and indexed. The email is kept for the moderators, never shown.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Target(models.TextChoices):
    ARTICLE = "article", "Article"
    STORY = "story", "Story"
    POST = "post", "Post"


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    target_kind = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    name = models.CharField(max_length=80)
    email = models.EmailField(blank=True, help_text="Never shown.")
    body = models.TextField(max_length=3000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    spam_reasons = models.JSONField(default=list, blank=True)
    ip_hash = models.CharField(max_length=64, db_index=True, help_text="Keyed hash of the address, for rate limits.")
    body_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["target_kind", "target_id", "status"], name="comment_target_idx")]
        permissions = [("moderate_comment", "Can approve, reject or mark replies as spam, and close threads")]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:60]}"


class Thread(models.Model):
    """Per-item comment settings; a missing row means open."""

    target_kind = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    closed = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target_kind", "target_id"], name="thread_once")]

    def __str__(self) -> str:
        return f"{self.target_kind} {self.target_id}{' (closed)' if self.closed else ''}"
