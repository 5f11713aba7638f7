"""Per-source identity of a feed entry: GUID, else canonical URL, else a hash of title and text."""

from __future__ import annotations

import hashlib

from wiredesk.core.text import content_hash
from wiredesk.core.urls import canonicalize
from wiredesk.ingest.feeds import FeedEntry


def entry_identity(entry: FeedEntry) -> tuple[str, str]:
    """(kind, sha256 key) for an entry.

    - GUID first: it is the publisher's own promise of identity and survives URL changes
      (re-slugged headlines, moved sections).
    - Canonical URL when there is no GUID: many feeds omit it, and tracking parameters or
      fragments would otherwise make one article look like several.
    - A hash of title and summary when there is neither: the only stable thing left; an edited
      headline then reads as a new entry, which is the safer failure (nothing is lost).
    """
    if entry.guid:
        kind, raw = "guid", entry.guid
    elif entry.url:
        kind, raw = "url", canonicalize(entry.url)
    else:
        kind, raw = "hash", content_hash(entry.title, entry.summary)
    return kind, hashlib.sha256(f"{kind}:{raw}".encode()).hexdigest()
