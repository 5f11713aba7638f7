"""Provenance: who reported a story first, and which wire it came from.

Pure: members in, the primary member out. The rule, in order:
1. a report by a wire agency's own outlet that is not itself a copy: the earliest such;
2. otherwise, if copies credit a wire agency, the earliest member crediting it (the agency is named
   as the primary source even when its own feed is not among ours);
3. otherwise the earliest member that is not a copy of another (duplicates and spun copies never
   count as originals, however early they were seen).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from wiredesk.ingest.match import COPY_RELATIONS


@dataclass(frozen=True)
class MemberView:
    key: int
    published_at: datetime
    relation: str
    wire_agency: str
    is_wire_outlet: bool


@dataclass(frozen=True)
class Provenance:
    primary: int | None
    agency: str


def primary_of(members: list[MemberView], agency_counts: dict[str, int] | None = None) -> Provenance:
    """The primary member. `agency_counts` (credits per agency over the whole story) lets a caller
    pass only the members that can win, instead of every member of a large story."""
    if not members:
        return Provenance(None, "")
    ordered = sorted(members, key=lambda m: (m.published_at, m.key))
    originals = [m for m in ordered if m.relation not in COPY_RELATIONS]
    wire_originals = [m for m in originals if m.is_wire_outlet]
    if wire_originals:
        return Provenance(wire_originals[0].key, wire_originals[0].wire_agency)
    credited = Counter(agency_counts) if agency_counts is not None else Counter(
        m.wire_agency for m in ordered if m.wire_agency)
    credited = Counter({agency: n for agency, n in credited.items() if agency})
    if credited:
        agency = credited.most_common(1)[0][0]
        first = next(m for m in ordered if m.wire_agency == agency)
        return Provenance(first.key, agency)
    first = (originals or ordered)[0]
    return Provenance(first.key, "")
