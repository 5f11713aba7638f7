from __future__ import annotations

from wiredesk.ingest.feeds import FeedEntry
from wiredesk.ingest.identity import entry_identity


def test_it_prefers_the_guid() -> None:
    a = entry_identity(FeedEntry(guid="g-1", url="https://x.example/a", title="A"))
    b = entry_identity(FeedEntry(guid="g-1", url="https://x.example/moved", title="A, updated"))
    assert a == b and a[0] == "guid"


def test_it_falls_back_to_the_canonical_url_ignoring_tracking() -> None:
    a = entry_identity(FeedEntry(guid="", url="https://X.example/a?utm_source=rss#top", title="A"))
    b = entry_identity(FeedEntry(guid="", url="https://x.example/a", title="A again"))
    assert a == b and a[0] == "url"


def test_it_hashes_title_and_summary_when_nothing_else_identifies() -> None:
    a = entry_identity(FeedEntry(guid="", url="", title="Same  Title", summary="Body."))
    b = entry_identity(FeedEntry(guid="", url="", title="same title", summary="body"))
    c = entry_identity(FeedEntry(guid="", url="", title="Other", summary="Body."))
    assert a == b and a[0] == "hash"
    assert a != c
