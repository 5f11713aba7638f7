"""What a page declares about itself: JSON-LD objects, <meta> tags and microdata, read once.

Publishers state their headline, authors and publication time for search engines and social
networks far more reliably than any visible-layout heuristic can recover them, so extraction asks
these declarations first (see headline.py, authors.py, dates.py) and guesses only when they are
silent. Everything here is tolerant: a broken JSON-LD block is skipped, never fatal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from wiredesk.core.text import collapse_space

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting", "liveblogposting",
    "socialmediaposting", "report", "scholarlyarticle", "techarticle",
})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass
class PageMeta:
    """The page's own declarations, keyed for lookup (meta keys lower-cased)."""

    articles: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD article objects, in page order
    others: list[dict[str, Any]] = field(default_factory=list)  # every other JSON-LD object (WebPage, Organization…)
    meta: dict[str, list[str]] = field(default_factory=dict)  # name/property/itemprop -> contents
    microdata: dict[str, list[HtmlElement]] = field(default_factory=dict)  # itemprop -> elements (no <meta>)

    def first(self, *keys: str) -> str:
        """The first non-empty meta content among `keys`, in the order asked."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value
        return ""

    def article_values(self, key: str) -> list[Any]:
        """`key` of every JSON-LD article object that has it, main article first."""
        return [obj[key] for obj in self.articles if obj.get(key) not in (None, "", [])]


def read_page_meta(tree: HtmlElement) -> PageMeta:
    meta = PageMeta()
    for script in tree.iterfind(".//script"):
        if "ld+json" in (script.get("type") or "").lower():
            for obj in _json_ld_objects(script.text or ""):
                (meta.articles if _is_article(obj) else meta.others).append(obj)
    meta.articles.sort(key=lambda obj: -_article_rank(obj))
    for tag in tree.iterfind(".//meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = tag.get("content")
        if key and content is not None:
            meta.meta.setdefault(key, []).append(collapse_space(content))
    for element in tree.xpath("//*[@itemprop][not(self::meta)]"):
        for prop in element.get("itemprop", "").lower().split():
            meta.microdata.setdefault(prop, []).append(element)
    return meta


def _json_ld_objects(source: str) -> list[dict[str, Any]]:
    """Every dict in one JSON-LD block, flattening @graph, lists and mainEntity nesting."""
    text = source.strip()
    if text.startswith("<!--"):
        text = text.removeprefix("<!--").removesuffix("-->")
    text = text.strip().removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    data = _loads(text)
    found: list[dict[str, Any]] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        elif isinstance(item, dict):
            found.append(item)
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                if isinstance(item.get(key), dict | list):
                    stack.append(item[key])
    return found


def _loads(text: str) -> Any:
    for attempt in (text, _CONTROL.sub(" ", text), _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def types_of(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1].lower() for k in kinds}


def _is_article(obj: dict[str, Any]) -> bool:
    return bool(types_of(obj) & ARTICLE_TYPES)


def _article_rank(obj: dict[str, Any]) -> int:
    """Prefer the object that looks like this page's main article over teasers of other ones."""
    rank = 0
    if obj.get("headline"):
        rank += 2
    if obj.get("datePublished"):
        rank += 1
    if obj.get("articleBody"):
        rank += 2
    if obj.get("author"):
        rank += 1
    return rank


def text_of(value: Any) -> str:
    """A JSON-LD value as plain text: strings as they are, {"name": …} or {"@value": …} unwrapped."""
    if isinstance(value, list):
        return text_of(value[0]) if value else ""
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value") or "")
    if value is None:
        return ""
    return collapse_space(str(value))
