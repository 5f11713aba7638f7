"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 through feedparser, JSON Feed 1.0/1.1 by hand.

Pure: bytes in, dataclasses out. Nothing here touches the network or the database.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import feedparser

from wiredesk.core.dates import from_struct_time, parse_datetime
from wiredesk.core.errors import FeedError
from wiredesk.core.text import collapse_space, strip_tags
from wiredesk.sources.cadence import feed_hint

MAX_ENTRIES = 500


@dataclass
class FeedEntry:
    guid: str
    url: str
    title: str
    summary: str = ""
    content_html: str = ""
    published: datetime | None = None
    author: str = ""
    categories: list[str] = field(default_factory=list)
    image: str = ""


@dataclass
class ParsedFeed:
    title: str
    link: str
    format: str
    entries: list[FeedEntry]
    interval_hint: int = 0  # seconds the feed asks between checks (RSS ttl, sy:updatePeriod/Frequency)
    hub: str = ""  # a WebSub hub the feed advertises
    self_url: str = ""  # the feed's own address, as its hub knows it


def parse_feed(body: bytes, content_type: str = "", url: str = "") -> ParsedFeed:
    """Parse any supported feed format; raise FeedError with a readable message otherwise."""
    if not body or not body.strip():
        raise FeedError("empty_feed", "the feed is empty")
    if _looks_like_json(body, content_type):
        return parse_json_feed(body)
    return _parse_xml_feed(body, content_type, url)


def _looks_like_json(body: bytes, content_type: str) -> bool:
    return "json" in content_type or body.lstrip()[:1] == b"{"


_INTERNAL_SUBSET = re.compile(rb"(<!DOCTYPE[^\[>]*)\[(.*?)\]\s*>", re.DOTALL)
_EXTERNAL_ENTITY = re.compile(rb"<!ENTITY\s+(?:%\s*)?[^\s>]+\s+(?:SYSTEM|PUBLIC)\b")
_NESTED_ENTITY = re.compile(rb"<!ENTITY\s+(?:%\s*)?[^\s>]+\s+(?:\"[^\"]*&[A-Za-z_:%]|'[^']*&[A-Za-z_:%])")


def without_declared_entities(body: bytes) -> bytes:
    """The body without the DOCTYPE's internal subset where one declares entities; FeedError
    (hostile_xml) if a declared entity is external or built from other entities.

    No feed needs its own entities, and they are how XML attacks work: nested ones expand a few
    hundred bytes into gigabytes (expat stops at an amplification limit, but only after building
    tens of megabytes), external ones read local files or reach other hosts. Those are refused
    outright; a harmless declaration (a name for one character) is dropped, and the lenient parser
    keeps the undefined entity as literal text."""
    start = body.find(b"<!DOCTYPE")
    if start < 0 or b"<!ENTITY" not in body[start:]:
        return body
    subset = _INTERNAL_SUBSET.search(body, start)
    declarations = subset.group(2) if subset else body[start:]
    if _EXTERNAL_ENTITY.search(declarations) or _NESTED_ENTITY.search(declarations):
        raise FeedError("hostile_xml", "the feed declares XML entities that are external or built from other "
                                       "entities (an entity-expansion or file-reading attack): refused")
    return body[:start] + _INTERNAL_SUBSET.sub(rb"\1>", body[start:], count=1)


def _parse_xml_feed(body: bytes, content_type: str, url: str) -> ParsedFeed:
    body = without_declared_entities(body)
    headers = {"content-type": content_type} if content_type else {}
    if url:
        headers["content-location"] = url  # base for relative links in the feed
    # feedparser never fetches here: it is given bytes, the network is our HttpClient's job.
    # Entry links are resolved against the base either way. Rewriting URIs inside entry HTML is
    # a third of the parse time and buys nothing: summaries are stored as plain text, and
    # article HTML comes from the page itself.
    try:
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False,
                                  resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001  feedparser raises what its encoding sniffing meets
        # (found by the property tests: a stray byte in the XML declaration raises UnicodeDecodeError,
        # a NUL raises ValueError). Any failure to read untrusted bytes is a malformed feed.
        raise FeedError("malformed_feed", f"not a readable RSS or Atom feed: {type(exc).__name__}") from exc
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if reason else ""
        raise FeedError("malformed_feed", f"not a readable RSS, Atom or JSON feed{detail}")
    feed = parsed.feed
    entries = [_xml_entry(e) for e in parsed.entries[:MAX_ENTRIES]]
    links = [link for link in feed.get("links", []) if isinstance(link, dict)]
    return ParsedFeed(
        title=collapse_space(feed.get("title", "")),
        link=feed.get("link", ""),
        format=parsed.get("version") or "unknown",
        entries=[e for e in entries if e.url or e.guid],
        interval_hint=feed_hint(feed.get("ttl"), feed.get("sy_updateperiod"), feed.get("sy_updatefrequency")),
        hub=next((str(link.get("href", "")) for link in links if link.get("rel") == "hub"), ""),
        self_url=next((str(link.get("href", "")) for link in links if link.get("rel") == "self"), ""),
    )


def _xml_entry(entry: Any) -> FeedEntry:
    content = ""
    if entry.get("content"):
        content = max((c.get("value", "") for c in entry.content), key=len)
    image = ""
    for media in entry.get("media_content", []) + entry.get("media_thumbnail", []):
        if media.get("url"):
            image = media["url"]
            break
    if not image:
        for link in entry.get("links", []):
            if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
                image = link.get("href", "")
                break
    published = from_struct_time(entry.get("published_parsed") or entry.get("updated_parsed"))
    return FeedEntry(
        guid=str(entry.get("id", "") or "").strip(),
        url=str(entry.get("link", "") or "").strip(),
        title=strip_tags(entry.get("title", "")),
        summary=strip_tags(entry.get("summary", "")),
        content_html=content,
        published=published,
        author=collapse_space(entry.get("author", "")),
        categories=[t.get("term", "") for t in entry.get("tags", []) if t.get("term")],
        image=image,
    )


def parse_json_feed(body: bytes) -> ParsedFeed:
    """JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError("malformed_feed", f"not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FeedError("malformed_feed", "JSON without a jsonfeed.org version is not a JSON Feed")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError("malformed_feed", "a JSON Feed needs an items list")
    entries = [_json_entry(item) for item in items[:MAX_ENTRIES] if isinstance(item, dict)]
    hubs = data.get("hubs") if isinstance(data.get("hubs"), list) else []
    hub = next((str(h.get("url", "")) for h in hubs if isinstance(h, dict) and str(h.get("type", "")).lower()
                in ("websub", "pubsubhubbub") and h.get("url")), "")
    return ParsedFeed(
        title=collapse_space(str(data.get("title", ""))),
        link=str(data.get("home_page_url", "")),
        format="json" + str(data["version"]).rsplit("/", 1)[-1],
        entries=[e for e in entries if e.url or e.guid],
        hub=hub, self_url=str(data.get("feed_url") or ""),
    )


def _json_entry(item: dict[str, Any]) -> FeedEntry:
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    names = [str(a.get("name", "")) for a in authors if isinstance(a, dict) and a.get("name")]
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return FeedEntry(
        guid=str(item.get("id", "")).strip(),
        url=str(item.get("url") or item.get("external_url") or "").strip(),
        title=strip_tags(str(item.get("title", ""))),
        summary=strip_tags(str(item.get("summary") or "")),
        content_html=str(item.get("content_html") or ""),
        published=parse_datetime(item.get("date_published") or item.get("date_modified")),
        author=", ".join(names),
        categories=[str(t) for t in tags],
        image=str(item.get("image") or item.get("banner_image") or ""),
    )
