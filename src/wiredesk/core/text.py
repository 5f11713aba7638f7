"""Small pure text helpers shared by the ingest stages and the site."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def strip_tags(markup: str) -> str:
    """Plain text from a fragment of HTML (entities decoded, whitespace folded)."""
    return collapse_space(html.unescape(_TAG.sub(" ", markup or "")))


def collapse_space(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def normalize_for_hash(text: str) -> str:
    """Case-, accent- and whitespace-insensitive form, so trivial re-encodings hash alike."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return collapse_space(re.sub(r"[^\w\s]", " ", folded))


def content_hash(*parts: str) -> str:
    joined = "\n".join(normalize_for_hash(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def excerpt(text: str, limit: int = 320) -> str:
    """The first sentences of `text` up to about `limit` characters, cut at a word boundary."""
    text = collapse_space(text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if sentence_end > limit // 2:
        return cut[: sentence_end + 1]
    return cut.rsplit(" ", 1)[0] + "…"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(value: str) -> bool:
    """True for text holding control characters other than tab and line breaks: they have no
    place in a name, a reply or a statement, and are refused rather than silently stripped."""
    return bool(_CONTROL.search(value))


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])|\n")
# Words a full stop follows without ending the sentence: titles, initials, "U.S.", "No. 2".
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Jr|Sr|No|Inc|Corp|Co|"
                           r"Ltd|vs|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])\.[\"”’)]?$")


def first_sentence(text: str, limit: int = 300) -> str:
    """The headline of an untitled item (ECB+-style corpora have none): its first sentence, at most
    `limit` characters."""
    stripped = text.strip()
    for match in _SENTENCE_END.finditer(stripped):
        candidate = stripped[:match.end()].strip()
        if match.group(0) != "\n" and _ABBREVIATION.search(candidate):
            continue
        return candidate[:limit]
    return stripped[:limit]
