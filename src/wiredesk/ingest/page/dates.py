"""When the article was first published: an aware datetime, to the minute where the page says it.

Declarations first: the JSON-LD article's datePublished, then article:published_time and its
relatives in <meta>, then microdata and <time datetime> in the article, then the caller's fallback
(htmldate's guess through trafilatura, a bare date). The time of day and the zone are kept: a wire
desk sorts by "latest", and a bare date puts a 23:50 story before a 00:10 one.
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml.html import HtmlElement

from wiredesk.core.dates import parse_datetime
from wiredesk.ingest.page.meta import PageMeta, text_of

META_KEYS = ("article:published_time", "og:article:published_time", "og:published_time", "datepublished",
             "publish-date", "publish_date", "pubdate", "parsely-pub-date", "sailthru.date", "dc.date.issued",
             "dcterms.created", "dc.date", "dcterms.date", "date", "article.published", "cxenseparse:recs:publishtime")
ZONED = re.compile(r"(?:[zZ]|[+-]\d\d:?\d\d|\b(?:GMT|UTC)(?:[+-]\d+)?)$")
EARLIEST = datetime(1990, 1, 1).astimezone()  # no news page predates the web


def find_published(tree: HtmlElement, meta: PageMeta, fallback: datetime | None = None) -> datetime | None:
    """The first declared time that states its zone; else the first declared at all; else `fallback`.

    A value without a zone ("Fri Apr 28 19:20:36 CEST 2023" with an unknown abbreviation, or a
    bare local time) is read as UTC, so a later declaration of the same day with an offset is the
    better one.
    """
    unzoned = None
    for value in _declared(tree, meta):
        parsed = parse_datetime(value)
        if parsed is None or parsed < EARLIEST:
            continue
        if ZONED.search(value.strip()):
            return parsed
        if unzoned is None:
            unzoned = parsed
    return unzoned or fallback


def _declared(tree: HtmlElement, meta: PageMeta):
    """Raw date strings in order of trust, produced lazily (most pages stop at the first)."""
    for value in meta.article_values("datePublished")[:1] + meta.article_values("dateCreated")[:1]:
        yield text_of(value)
    for key in META_KEYS:
        for value in meta.meta.get(key, ()):
            yield value
    for element in meta.microdata.get("datepublished", [])[:1]:
        yield element.get("datetime") or element.get("content") or element.text_content()
    for element in tree.xpath("//article//time[@datetime] | //time[@pubdate][@datetime]")[:1]:
        yield element.get("datetime")
