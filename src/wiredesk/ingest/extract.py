"""Article extraction: main text and metadata from a page, through trafilatura, parsed once."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import trafilatura
from trafilatura.htmlprocessing import build_html_output

from wiredesk.core.dates import parse_datetime
from wiredesk.core.errors import ExtractionError
from wiredesk.core.text import collapse_space, normalize_for_hash
from wiredesk.ingest.sanitize import sanitize_html

MIN_TEXT_CHARS = 80


@dataclass
class ExtractedArticle:
    title: str
    byline: str
    published: datetime | None
    text: str
    html: str
    lead_image: str
    language: str
    canonical_url: str
    description: str = ""
    site_name: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


def extract_article(page: str | bytes, url: str = "") -> ExtractedArticle:
    """Extract one article; raise ExtractionError when the page holds no article text."""
    if not page:
        raise ExtractionError("empty_page", "the page is empty")
    tree = trafilatura.load_html(page)
    if tree is None:
        raise ExtractionError("unparsable_page", "the page is not readable HTML")
    language = collapse_space(tree.get("lang", "")).split("-")[0].lower()
    canonical = _canonical_link(tree, url)
    document = trafilatura.bare_extraction(
        tree, url=url or None, with_metadata=True, include_comments=False,
        include_images=False, include_links=True, include_tables=True, favor_precision=True,
    )
    if document is None or len(document.text or "") < MIN_TEXT_CHARS:
        raise ExtractionError("no_article", "no article text found on the page")
    title = collapse_space(document.title or "")
    text = _drop_leading_title(document, title)
    body_html = build_html_output(document)
    return ExtractedArticle(
        title=title,
        byline=collapse_space(document.author or ""),
        published=parse_datetime(document.date),
        text=text.strip(),
        html=sanitize_html(_body_only(body_html)),
        lead_image=document.image or "",
        language=language or (document.language or ""),
        canonical_url=canonical or document.url or url,
        description=collapse_space(document.description or ""),
        site_name=collapse_space(document.sitename or ""),
    )


def _drop_leading_title(document: Any, title: str) -> str:
    """Text without a first line that repeats the headline (the site shows its own headline)."""
    text = document.text or ""
    if not title:
        return text
    wanted = normalize_for_hash(title)
    first_line, _, rest = text.partition("\n")
    if normalize_for_hash(first_line) == wanted:
        text = rest
    body = document.body
    if body is not None and len(body) and normalize_for_hash("".join(body[0].itertext())) == wanted:
        body.remove(body[0])
    return text


def _canonical_link(tree: Any, url: str) -> str:
    from urllib.parse import urljoin

    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in link.get("rel", "").lower().split() and link.get("href"):
            return urljoin(url, link.get("href").strip())
    return ""


def _body_only(markup: str) -> str:
    start = markup.find("<body>")
    end = markup.rfind("</body>")
    if start == -1 or end == -1:
        return markup
    return markup[start + len("<body>"):end]
