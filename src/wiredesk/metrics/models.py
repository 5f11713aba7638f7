"""Counters that every worker adds to and `/metrics` reads: fetches by kind, outcome and error code,
articles stored, articles placed and their placement lag by bucket.

In the database rather than in each process's memory: the desk's work is spread over threads,
processes and machines, and a scrape of any one web process must see all of it. Each add is one
upsert, batched where the work is (a feed check, a batch of pages, a placement round)."""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    name = models.CharField(max_length=60)
    label = models.CharField(max_length=60, blank=True, help_text="Outcome, or a histogram bucket's bound.")
    code = models.CharField(max_length=60, blank=True, help_text="Error code, where there is one.")
    value = models.FloatField(default=0.0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "label", "code"], name="metrics_counter_key")]

    def __str__(self) -> str:
        return f"{self.name}{{{self.label},{self.code}}} {self.value}"
