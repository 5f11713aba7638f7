"""Stories (coverage of one event across outlets), each article's place in one, and the index.

Cross-outlet identity lives here, never in the per-source key of `articles`: an article belongs to
one story through its StoryMember row, which also says what it is to an earlier article (a copy,
a spun copy, independent coverage) and why.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.db import models
from django.utils import timezone

# A story the site shows is one with a primary article: emptying a story (takedown, re-placement)
# and merging it into another both clear it. One IS NOT NULL test on purpose: SQLite uses a
# partial index only when the query's terms prove its condition (a bound parameter, "size > ?",
# proves nothing), and an equality on another indexed column ("merged_into_id IS NULL") draws its
# planner to that column's index instead.
SHOWN = models.Q(primary_article__isnull=False)


class Story(models.Model):
    title = models.CharField(max_length=500)
    first_seen = models.DateTimeField(db_index=True)
    last_updated = models.DateTimeField(db_index=True)
    size = models.PositiveIntegerField(default=0)
    outlet_count = models.PositiveIntegerField(default=0)
    primary_article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    primary_agency = models.CharField(max_length=100, blank=True,
                                      help_text="Wire agency the primary report is credited to, if any.")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    rank = models.FloatField(default=0.0, help_text="Front-page order, kept on save (see rank_key).")
    settled_size = models.PositiveIntegerField(
        default=0, help_text="Its size when it was last judged as a whole for two events (stories.settle).")

    class Meta:
        verbose_name_plural = "stories"
        indexes = [
            models.Index(fields=["-rank", "-id"], condition=SHOWN, name="story_rank_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.rank = rank_key(self.outlet_count, self.size, self.last_updated)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "rank"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


HALF_LIFE_HOURS = 12.0


def breadth(outlets: int, size: int) -> float:
    """Breadth of coverage: distinct outlets count most, extra copies a little."""
    return outlets + 0.25 * math.log1p(max(0, size - outlets))


def rank_key(outlets: int, size: int, last_updated: datetime) -> float:
    """A story's place on the front page, fixed when the story changes and indexed.

    The front page orders stories by breadth halved every HALF_LIFE_HOURS since their last update:
    breadth * 0.5 ** ((now - last_updated) / half-life). Its base-2 logarithm is
    log2(breadth) + last_updated / half-life - now / half-life, and the last term is the same for
    every story, so ordering by log2(breadth) + last_updated / half-life gives the same order at
    any `now`: the ranking needs no per-request arithmetic and reads an index.
    """
    hours = last_updated.timestamp() / 3600 if last_updated else 0.0
    return math.log2(max(breadth(outlets, size), 1e-9)) + hours / HALF_LIFE_HOURS


class StoryMember(models.Model):
    class Relation(models.TextChoices):
        DUPLICATE = "duplicate", "Duplicate"
        WIRE_COPY = "wire_copy", "Wire copy"
        SPUN_COPY = "spun_copy", "Spun copy"
        SAME_STORY = "same_story", "Independent coverage"

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="story_member")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="members")
    relation = models.CharField(max_length=12, choices=Relation.choices, blank=True)
    related_to = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    score = models.FloatField(default=0.0)
    evidence = models.JSONField(default=dict, blank=True)
    spin_score = models.FloatField(default=0.0)
    spin_spans = models.JSONField(default=list, blank=True)
    wire_agency = models.CharField(max_length=30, blank=True)
    published_at = models.DateTimeField(db_index=True)
    placed_at = models.DateTimeField(default=timezone.now, help_text="When the story stage placed it (lag).")

    class Meta:
        indexes = [models.Index(fields=["story", "published_at"], name="member_timeline_idx")]

    @property
    def is_copy(self) -> bool:
        return self.relation in {self.Relation.DUPLICATE, self.Relation.WIRE_COPY, self.Relation.SPUN_COPY}


class Fingerprint(models.Model):
    """What matching needs of an earlier article, kept so it is never recomputed."""

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="fingerprint")
    signature = models.BinaryField()
    shingles = models.BinaryField(help_text="Sorted uint32 hashes of the 5-word shingles.")
    names = models.JSONField(default=list)
    numbers = models.JSONField(default=list)
    terms = models.JSONField(default=dict)
    principals = models.JSONField(default=dict, help_text="Principal names and their mentions (ingest.principals).")
    title_terms = models.JSONField(default=dict, help_text="Content words of the headline.")
    has_text = models.BooleanField(default=True, help_text="False for a headline-only item (no page text).")


class IndexKey(models.Model):
    """Posting rows: LSH band keys and rare immutables/terms, each pointing at an article.

    Looked up by (key, published_at) so finding candidates costs the same per article however many
    are stored: only rows with the same key inside the time window are read. The index carries the
    article too, so the lookup never visits the table (a third of the time it took before).
    """

    key = models.BigIntegerField()
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "published_at", "article"], name="indexkey_covering_idx")]


class TermStat(models.Model):
    """Document frequency of a term or immutable, for IDF weights and to skip keys too common to help."""

    term = models.CharField(max_length=120, unique=True)
    df = models.PositiveIntegerField(default=0)


class EngineLease(models.Model):
    """Who may place articles into stories right now: one placer at a time, so two workers never
    start two stories for one event in the same instant. Expires on its own if the holder dies."""

    name = models.CharField(max_length=50, unique=True)
    holder = models.CharField(max_length=100, blank=True)
    until = models.DateTimeField(null=True, blank=True)
