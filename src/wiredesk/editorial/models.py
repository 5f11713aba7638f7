"""The newsroom's own posts: drafted by writers, reviewed and published or scheduled by editors.

A post is public when it is approved for publication and its publish time has come, so a
scheduled post appears by itself with no job to run. Corrections and updates are rows of their
own, never edits that erase what readers saw.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "Waiting for an editor"
        APPROVED = "approved", "Published (or scheduled)"

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    standfirst = models.CharField(max_length=600, blank=True, help_text="One or two sentences under the headline.")
    body = models.TextField(help_text="Markdown. Raw HTML is removed; links, lists, quotes and emphasis are kept.")
    body_html = models.TextField(blank=True, editable=False, help_text="Rendered from the Markdown and sanitised.")
    section = models.ForeignKey("sections.Section", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="posts")
    byline = models.CharField(max_length=200)
    lead_image = models.URLField(max_length=2000, blank=True)
    lead_image_caption = models.CharField(max_length=300, blank=True)
    lead_image_credit = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(null=True, blank=True, db_index=True,
                                      help_text="When it goes live; in the future, the post is scheduled.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        permissions = [("publish_post", "Can publish or schedule posts, and edit anyone's")]

    def __str__(self) -> str:
        return self.headline

    @staticmethod
    def live_filter() -> Q:
        return Q(status=Post.Status.APPROVED, publish_at__lte=timezone.now())

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.APPROVED and self.publish_at is not None and self.publish_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.APPROVED and self.publish_at is not None and self.publish_at > timezone.now()


class PostUpdate(models.Model):
    """A correction or update, shown on the post with its date."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
