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


LEADING_STAMPS = 8  # stamp lines passed over at most, before the text is taken to hold no headline


def first_sentence(text: str, limit: int = 300) -> str:
    """The headline of an untitled item (ECB+-style corpora have none): its first sentence, at most
    `limit` characters. Leading date and time stamps ("Updated: May 2, 2013, 6:03 PM ET",
    "WASHINGTON, DC, April 28, 2009") are passed over: copied pages often begin with one, and it
    names no event."""
    start = 0
    stripped = text.strip()
    for _ in range(LEADING_STAMPS):
        sentence, start = _next_sentence(stripped, start)
        if not sentence:
            break
        if not is_stamp(sentence):
            return sentence[:limit]
    return _next_sentence(stripped, 0)[0][:limit]


def _next_sentence(text: str, start: int) -> tuple[str, int]:
    """The sentence that begins at `start` (stripped) and where the one after it begins."""
    for match in _SENTENCE_END.finditer(text, start):
        candidate = text[start:match.end()].strip()
        if match.group(0) != "\n" and _ABBREVIATION.search(candidate):
            continue
        if candidate:
            return candidate, match.end()
    return text[start:].strip(), len(text)


_MONTHS = ("jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul",
           "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec",
           "december")
_WEEKDAYS = ("mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday",
             "fri", "friday", "sat", "saturday", "sun", "sunday")
_CALENDAR = frozenset((*_MONTHS, *_WEEKDAYS))
_NUMERIC_DATE = re.compile(r"\b\d{1,2}\s*:\s*\d{2}\b|\b\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\b")
# What a stamp says besides the date: when it was put up or changed, and the clock's letters.
_STAMP_WORDS = frozenset((
    "published", "updated", "posted", "first", "last", "on", "at", "release", "released", "found", "time",
    "edited", "modified", "date", "hrs", "am", "pm", "a", "p", "m", "th", "st", "nd", "rd"))
_TIME_ZONE = re.compile(r"[A-Z]{1,4}T|UTC|IST|UK")


def names_a_date(text: str) -> bool:
    """A month, a weekday, a clock time or a numeric date ("05.04.2025", "2013-09-26") in `text`."""
    return bool(_NUMERIC_DATE.search(text)) or any(w.lower() in _CALENDAR for w in re.findall(r"[^\W\d_]+", text))


def is_stamp(sentence: str) -> bool:
    """True for a line that only dates its page: a month, weekday or clock time, and besides it at
    most one word or a dateline's place in capitals (a headline names someone doing something)."""
    words = re.findall(r"[^\W\d_]+", sentence)
    if not words:
        return True
    if not names_a_date(sentence):
        return False
    others = [w for w in words if w.lower() not in _CALENDAR and w.lower() not in _STAMP_WORDS
              and not _TIME_ZONE.fullmatch(w)]
    return len(others) <= 1 or all(w.isupper() for w in others)
