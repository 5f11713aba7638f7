"""Which section an incoming article belongs to."""

from __future__ import annotations

from collections.abc import Iterable

from wiredesk.sections.models import Section


def section_for_categories(categories: Iterable[str], sections: list[Section]) -> Section | None:
    """The first section any of the entry's categories names (by slug, name or alias)."""
    wanted = [c.strip().lower() for c in categories if c and c.strip()]
    for category in wanted:
        for section in sections:
            if category in section.alias_set():
                return section
    return None
