"""Article extraction: prose, sanitised HTML and the page's declared metadata, from one parse."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import trafilatura
from htmldate import find_date
from lxml.etree import strip_elements
from trafilatura.htmlprocessing import build_html_output

from wiredesk.core.dates import parse_datetime
from wiredesk.core.errors import ExtractionError
from wiredesk.core.text import collapse_space, normalize_for_hash
from wiredesk.ingest.page.authors import find_authors, join_names
from wiredesk.ingest.page.body import clean_body, prose, prose_blocks, replace_with_paragraphs
from wiredesk.ingest.page.dates import find_published
from wiredesk.ingest.page.declared_body import declared_body, missed_article
from wiredesk.ingest.page.headline import best_headline, site_names
from wiredesk.ingest.page.meta import read_page_meta
from wiredesk.ingest.sanitize import sanitize_html

MIN_TEXT_CHARS = 80


@dataclass
class ExtractedArticle:
    title: str
    authors: list[str]
    published: datetime | None
    text: str
    html: str
    lead_image: str
    language: str
    canonical_url: str
    description: str = ""
    site_name: str = ""
    published_declared: bool = False  # the page states its time; False when htmldate guessed a date

    @property
    def byline(self) -> str:
        return join_names(self.authors)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


def extract_article(page: str | bytes, url: str = "") -> ExtractedArticle:
    """Extract one article; raise ExtractionError when the page holds no article text.

    The page is parsed once. Its declarations (JSON-LD, <meta>, microdata) are read before
    trafilatura prunes the tree, and give the headline, authors and time; trafilatura finds the
    body, from which both the plain prose and the sanitised HTML are made. Trafilatura's own
    metadata pass is not run (it costs a third of the time and is wrong more often); its date
    finder, htmldate, is asked only when the page declares no date.
    """
    if not page:
        raise ExtractionError("empty_page", "the page is empty")
    tree = trafilatura.load_html(page)
    if tree is None:
        raise ExtractionError("unparsable_page", "the page is not readable HTML")
    language = collapse_space(tree.get("lang", "")).split("-")[0].lower()
    meta = read_page_meta(tree)
    canonical = _canonical_link(tree, url) or meta.first("og:url")
    names = site_names(meta, url)
    title = best_headline(tree, meta, url)
    authors = find_authors(tree, meta, names)
    declared = find_published(tree, meta)
    published = declared or _guessed_date(tree, url)
    _drop_embeds(tree)
    # Scripts, styles and inline SVG are read (JSON-LD) or useless by now; trafilatura copies the
    # tree several times, and on script-heavy pages these are most of its bytes.
    strip_elements(tree, *DEAD_WEIGHT, with_tail=False)
    # No url here: trafilatura would resolve every link of the whole page through courlan before
    # choosing the body; the few links the body keeps are resolved below instead.
    # fast: no second opinion from readability and jusText on every page (a third of trafilatura's
    # time). Its rescues for a page where the main pass finds little still run, and so does ours
    # (the declared articleBody); body F1 held or rose on both labelled sets (benchmarks/extract.py).
    document = trafilatura.bare_extraction(
        tree, with_metadata=False, include_comments=False, fast=True,
        include_images=False, include_links=True, include_tables=True,
    )
    if document is None:
        raise ExtractionError("no_article", "no article text found on the page")
    _drop_leading_title(document.body, title)
    clean_body(document.body, authors)
    _weigh_against_declared_body(document.body, declared_body(meta))
    _absolute_links(document.body, url)
    text = prose(document.body)
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractionError("no_article", "no article text found on the page")
    return ExtractedArticle(
        title=title,
        authors=authors,
        published=published,
        text=text,
        html=sanitize_html(_body_only(build_html_output(document))),
        lead_image=meta.first("og:image", "twitter:image", "twitter:image:src")[:2000],
        language=language or meta.first("og:locale").split("_")[0].lower(),
        canonical_url=canonical or url,
        description=meta.first("og:description", "description", "twitter:description"),
        site_name=meta.first("og:site_name", "application-name"),
        published_declared=declared is not None,
    )


DEAD_WEIGHT = ("script", "style", "svg", "template", "link", "meta")
EMBED_CLASSES = ("twitter-tweet", "instagram-media", "tiktok-embed", "reddit-embed", "bluesky-embed", "fb-post",
                 "threads-embed", "mastodon-embed")


def _drop_embeds(tree: Any) -> None:
    """Social posts embedded in the page are someone else's words, not the article's prose."""
    embeds = [quote for quote in tree.iter("blockquote")
              if any(name in (quote.get("class") or "") for name in EMBED_CLASSES)]
    for element in embeds:
        element.drop_tree()


def _guessed_date(tree: Any, url: str) -> datetime | None:
    """htmldate's reading of the visible page, for pages that declare no date at all."""
    found = find_date(tree, url=url or None, original_date=True, extensive_search=True,
                      outputformat="%Y-%m-%dT%H:%M:%S%z")
    return parse_datetime(found) if found else None


def _weigh_against_declared_body(body: Any, declared: str) -> None:
    """The page's JSON-LD articleBody replaces an extraction that missed most of the article."""
    if declared and body is not None and missed_article("\n".join(prose_blocks(body)), declared):
        replace_with_paragraphs(body, declared.split("\n\n"))


def _absolute_links(body: Any, url: str) -> None:
    if body is None or not url:
        return
    for ref in body.iter("ref"):
        target = ref.get("target")
        if target and not target.startswith(("http://", "https://")):
            ref.set("target", urljoin(url, target))


def _drop_leading_title(body: Any, title: str) -> None:
    """Remove a first block that repeats the headline (the site shows its own headline)."""
    if body is None or not title or not len(body):
        return
    if normalize_for_hash("".join(body[0].itertext())) == normalize_for_hash(title):
        body.remove(body[0])


def _canonical_link(tree: Any, url: str) -> str:
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
