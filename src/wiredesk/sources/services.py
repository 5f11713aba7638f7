"""Adding sources, OPML import and export: shared by the CLI, the admin and the demo."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wiredesk.core.errors import FeedError, FetchError, WiredeskError
from wiredesk.core.urls import domain_of
from wiredesk.ingest.discover import discover_feeds, looks_like_feed
from wiredesk.ingest.feeds import parse_feed
from wiredesk.ingest.pipeline import FEED_ACCEPT, Fetchers
from wiredesk.sources.models import Outlet, Source


class SourceError(WiredeskError):
    """A URL could not be added as a source."""


@dataclass
class FeedCandidate:
    feed_url: str
    title: str
    homepage: str


def find_feed(url: str, fetchers: Fetchers) -> FeedCandidate:
    """`url` itself if it is a feed, else the first feed its page announces (and that parses)."""
    try:
        result = fetchers.client.fetch(url, accept=FEED_ACCEPT + ", text/html;q=0.8")
    except FetchError as exc:
        raise SourceError(exc.code, exc.message) from exc
    if looks_like_feed(result.content, result.content_type):
        feed = _parse(result.content, result.content_type, result.url)
        return FeedCandidate(result.url, feed.title, feed.link)
    found = discover_feeds(result.text(), result.url)
    for feed_url, _title in found:
        try:
            feed_result = fetchers.client.fetch(feed_url, accept=FEED_ACCEPT)
            feed = _parse(feed_result.content, feed_result.content_type, feed_result.url)
        except (FetchError, SourceError):
            continue
        return FeedCandidate(feed_result.url, feed.title, feed.link or result.url)
    raise SourceError("no_feed", f"{url} is not a feed and announces no readable feed")


def _parse(body: bytes, content_type: str, url: str):  # type: ignore[no-untyped-def]
    try:
        return parse_feed(body, content_type, url)
    except FeedError as exc:
        raise SourceError(exc.code, exc.message) from exc


def outlet_for(homepage: str, name: str = "", role: str = "", display_policy: str = "") -> Outlet:
    """The outlet owning `homepage`'s domain, created on first sight."""
    domain = domain_of(homepage) or "unknown"
    port = urlsplit(homepage).port
    slug = slugify(f"{domain}-{port}" if port else domain)[:100] or "outlet"
    outlet, created = Outlet.objects.get_or_create(
        slug=slug, defaults={"name": name or domain, "homepage": homepage})
    changed = False
    if role and outlet.role != role:
        outlet.role, changed = role, True
    if display_policy and outlet.display_policy != display_policy:
        outlet.display_policy, changed = display_policy, True
    if name and created is False and outlet.name == domain:
        outlet.name, changed = name, True
    if changed:
        outlet.save()
    return outlet


def add_source(url: str, fetchers: Fetchers, *, outlet_name: str = "", interval: int | None = None) -> Source:
    """Add a feed (or the feed a homepage announces); adding the same feed twice returns the first."""
    candidate = find_feed(url, fetchers)
    existing = Source.objects.filter(feed_url=candidate.feed_url).first()
    if existing:
        return existing
    homepage = candidate.homepage or f"{urlsplit(candidate.feed_url).scheme}://{urlsplit(candidate.feed_url).netloc}/"
    with transaction.atomic():
        outlet = outlet_for(homepage, outlet_name or candidate.title)
        source = Source(outlet=outlet, feed_url=candidate.feed_url, title=candidate.title[:300])
        if interval:  # an interval the operator chose stays: it does not adapt to the feed
            source.check_interval, source.interval_fixed = interval, True
        source.save()
    return source


def register_source(feed_url: str, *, outlet: Outlet, title: str = "", interval: int | None = None,
                    section_slug: str = "") -> Source:
    """Add a known feed without fetching it (OPML import, demo set-up)."""
    from wiredesk.sections.models import Section

    source, created = Source.objects.get_or_create(
        feed_url=feed_url, defaults={"outlet": outlet, "title": title[:300]})
    if created:
        if interval:
            source.check_interval, source.interval_fixed = interval, True
        if section_slug:
            source.section = Section.objects.filter(slug=section_slug).first()
        source.save()
    return source


def import_opml(text: str, *, interval: int | None = None) -> tuple[int, int]:
    """Register every feed outline; returns (added, already present). Raises SourceError if unreadable."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SourceError("malformed_opml", f"not a readable OPML file: {exc}") from exc
    added = present = 0
    for node in root.iter("outline"):
        feed_url = (node.get("xmlUrl") or "").strip()
        if not feed_url.startswith(("http://", "https://")):
            continue
        if Source.objects.filter(feed_url=feed_url).exists():
            present += 1
            continue
        title = node.get("title") or node.get("text") or ""
        homepage = node.get("htmlUrl") or f"{urlsplit(feed_url).scheme}://{urlsplit(feed_url).netloc}/"
        outlet = outlet_for(homepage, node.get("text") or title)
        register_source(feed_url, outlet=outlet, title=title, interval=interval,
                        section_slug=(node.get("category") or "").strip().lower())
        added += 1
    return added, present


def import_opml_file(path: Path, **kwargs: int | None) -> tuple[int, int]:
    return import_opml(path.read_text(encoding="utf-8"), **kwargs)


def export_opml() -> str:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "wiredesk sources"
    body = ET.SubElement(root, "body")
    for source in Source.objects.select_related("outlet", "section"):
        attrs = {"type": "rss", "text": source.outlet.name, "title": source.title or source.outlet.name,
                 "xmlUrl": source.feed_url, "htmlUrl": source.outlet.homepage}
        if source.section:
            attrs["category"] = source.section.slug
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def enable_source(source_id: int) -> Source:
    """Turn a source on again (after wiredesk turned it off, or an operator paused it): its failure
    count and reason are cleared and it is checked at once. Raises Source.DoesNotExist."""
    source = Source.objects.get(pk=source_id)
    source.enabled, source.disabled_reason, source.error_count = True, "", 0
    source.next_check_at = timezone.now()
    source.save(update_fields=["enabled", "disabled_reason", "error_count", "next_check_at"])
    return source
