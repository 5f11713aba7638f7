"""Sections of the site. Shared by aggregated articles and (later) the newsroom's own posts, which
is why they are their own app rather than part of `editorial` or `articles`."""

from __future__ import annotations

from django.db import models


class Section(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=100, help_text="Order in the navigation.")
    aliases = models.CharField(
        max_length=300, blank=True,
        help_text="Comma-separated feed categories that also mean this section (e.g. 'markets, economy').",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def alias_set(self) -> set[str]:
        return {self.slug.lower(), self.name.lower()} | {
            a.strip().lower() for a in self.aliases.split(",") if a.strip()
        }
