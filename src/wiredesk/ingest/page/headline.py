"""The article's own headline, from what the page declares and what it shows.

Every source has its own failure: <title> and og:title carry the site name ("… | CBC News") and
sometimes a section ("Vierschanzentournee | …"), JSON-LD may hold an SEO variant, the first <h1> can
be the site's logo. Each source proposes a cleaned candidate and the most trusted one present wins:
JSON-LD, then OpenGraph, Twitter, microdata, the visible <h1>, <title>. (Voting among sources was
tried and scored lower on fundus-parser-dev: a site's SEO variant often appears in three places.) The site-name rule knows the site's name from the page itself
(og:site_name, the JSON-LD publisher, application-name) and from its host, never from a list.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from wiredesk.core.text import collapse_space
from wiredesk.ingest.page.meta import PageMeta, text_of

SEPARATORS = re.compile(r"\s+[|\-–—·•:»/]\s+|\s*[|｜：]\s*|::")
MAX_HEADLINE = 400


def fold(text: str) -> str:
    """Comparison form: compatibility-normalised, no soft hyphens, case and space folded."""
    folded = unicodedata.normalize("NFKC", text).replace("\xad", "").casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


def site_names(meta: PageMeta, url: str) -> set[str]:
    """Names the site goes by, folded: declared ones and the host's distinctive label."""
    names = {meta.first("og:site_name"), meta.first("application-name"), meta.first("twitter:site").lstrip("@")}
    for obj in meta.articles[:1]:
        names.add(text_of(obj.get("publisher")))
    for obj in meta.others:
        if {"organization", "newsmediaorganization", "website"} & {str(t).lower() for t in _types(obj)}:
            names.add(text_of(obj.get("name")))
    host = urlsplit(url).hostname or ""
    labels = [label for label in host.split(".") if label not in {"www", "m", "amp", "edition", "news"}]
    if labels:
        names.add(labels[0])  # "ntv" of www.ntv.com.tr, "bbc" of www.bbc.co.uk
    folded = {fold(name) for name in names if name}
    folded |= {name.replace(" ", "") for name in folded}
    return {name for name in folded if name}


def _types(obj: dict) -> list:
    kind = obj.get("@type", "")
    return kind if isinstance(kind, list) else [kind]


def strip_site_name(title: str, names: set[str]) -> str:
    """`title` without leading or trailing parts that are the site's name."""
    parts = SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    keep = [part for part in parts if not is_site_name(part, names)]
    if not keep or len(keep) == len(parts):
        return title
    start = title.find(keep[0])
    end = title.rfind(keep[-1]) + len(keep[-1])
    return title[start:end].strip() if start != -1 and end > start else title


# A host name spells "Börsen-Zeitung" as boersen-zeitung, "Süddeutsche" as sueddeutsche or suddeutsche.
_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa"})


def _spellings(folded: str) -> set[str]:
    """A folded name as a host name may spell it: letters spelled out, or stripped of their accents."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return {folded, folded.translate(_SPELLED_OUT), stripped}


def is_site_name(part: str, names: set[str] | frozenset[str]) -> bool:
    """Whether `part` is one of the site's names (folded), or that name with a domain ending."""
    for folded in _spellings(fold(part)):
        squashed = folded.replace(" ", "")
        if folded and any(folded == n or squashed == n or (squashed.startswith(n) and
                                                           len(squashed) - len(n) <= min(6, len(n)))
                          for n in names):
            return True
    return False


def candidates(tree: HtmlElement, meta: PageMeta, url: str) -> list[tuple[str, str]]:
    """(source, cleaned headline) pairs in order of trust."""
    names = site_names(meta, url)
    found: list[tuple[str, str]] = []
    for value in meta.article_values("headline")[:1] + meta.article_values("name")[:1]:
        found.append(("json-ld", text_of(value)))
    found.append(("og:title", meta.first("og:title")))
    found.append(("twitter:title", meta.first("twitter:title")))
    found.extend(("microdata", collapse_space(el.text_content())) for el in meta.microdata.get("headline", [])[:1])
    found.extend(("h1", collapse_space(h1.text_content())) for h1 in _visible_h1s(tree)[:2])
    found.append(("title", collapse_space(tree.findtext(".//title") or "")))
    cleaned = []
    for source, text in found:
        text = strip_site_name(collapse_space(html.unescape(text)), names)
        if text and len(text) <= MAX_HEADLINE:
            cleaned.append((source, text))
    return cleaned


def _visible_h1s(tree: HtmlElement) -> list[HtmlElement]:
    """<h1> elements, those inside the <article> or <main> first (a site logo is often an <h1> too)."""
    all_h1 = list(tree.iter("h1"))
    inside = [h for h in all_h1 if any(a.tag in ("article", "main") for a in h.iterancestors())]
    return inside + [h for h in all_h1 if h not in inside]


def best_headline(tree: HtmlElement, meta: PageMeta, url: str, fallback: str = "") -> str:
    """The most trusted candidate; `fallback` (trafilatura's guess) when the page declares nothing."""
    found = candidates(tree, meta, url)
    return found[0][1] if found else collapse_space(fallback)
