"""The article's authors as a list of names, from the page's declarations before its layout.

Order of trust: the JSON-LD article's `author`, then <meta name="author"> / article:author /
parsely-author / the Twitter card's "Written by" label, then microdata (itemprop="author"), then
rel="author" links, then the visible byline (an element whose class says author or byline), then the
byline the layout shows without naming it (`layout_byline`: "Von: A, B", "(责编：A、B)", "A | 5.4.2025",
a signature closing the article), then the caller's fallback (trafilatura's guess or the feed's author). The first source that yields a name
wins; its names are cleaned ("By", "Von", "Por" and similar openers, profile URLs, handles, "Last, First" order)
and split where one string holds several people ("A and B", "A, B", "A og B").
"""

from __future__ import annotations

import html
import re
from typing import Any

from lxml.html import HtmlElement

from wiredesk.core.text import collapse_space, names_a_date
from wiredesk.ingest.page.headline import is_site_name
from wiredesk.ingest.page.meta import PageMeta

MAX_AUTHORS = 12
MAX_NAME = 80
MAX_NAME_WORDS = 5  # longer parts of a byline are job titles and affiliations, not names
# "By", in the languages of the world's larger news markets; a byline opener, never part of a name.
OPENERS = re.compile(r"^(?:by|von|por|par|van|av|di|da|de|door|af|przez|tekst|text|texto|autor|author|written by|"
                     r"reporting by|redacción|a cura di|podle|yazan|от)\s*:?\s+", re.IGNORECASE)
CONJUNCTIONS = re.compile(r"\s+(?:and|und|og|och|et|y|e|en|ve|ja|és|i|a|и|&)\s+", re.IGNORECASE)
LIST_SEPARATORS = re.compile(r"\s*(?:[;|/•·、，；]|,(?!\s*(?:jr|sr|ii|iii)\b))\s*", re.IGNORECASE)
ROLES = re.compile(r"^(?:additional\s+)?(?:editing|edited|compiled|translated|translation|photos?|graphics?|"
                   r"illustrations?|video|fact-checked)\s+by\b", re.IGNORECASE)  # contributors, not authors
NOT_A_NAME = re.compile(r"^(?:https?:|www\.|@)|[<>{}=@]|^\d+$")
PARENTHESES = re.compile(r"\([^)]*\)?")  # "(obe)" initials, "(Image: Getty)" credits


def find_authors(tree: HtmlElement, meta: PageMeta, site: set[str] | frozenset[str] = frozenset(),
                 fallback: str = "") -> list[str]:
    """Names from the most trusted source that has any; a source naming only the site itself
    ("STERN.de" as author) gives way to a later one that names people, and is kept otherwise."""
    only_site: list[str] = []
    sources = (lambda: _json_ld_authors(meta), lambda: _meta_authors(meta), lambda: _microdata_authors(meta),
               lambda: _rel_authors(tree), lambda: _visible_byline(tree), lambda: layout_byline(tree),
               lambda: [fallback] if fallback else [])
    for source in sources:  # asked lazily: most pages answer at the first
        names = clean_names(source())
        people = [name for name in names if not is_site_name(name, site)]
        if people:
            return people
        only_site = only_site or names
    return only_site


def authors_from_byline(byline: str) -> list[str]:
    """A stored or feed byline as a list of names, split only where that is safe.

    "By Rosa Lind" -> ["Rosa Lind"]; "Jane Roe and John Doe" -> both. A string whose parts are not
    each a full name ("Smith, Jones", "Reporting by X; editing by Y") is kept whole as one name,
    so nothing a publisher wrote is lost or invented.
    """
    whole = collapse_space(byline or "")
    if not whole:
        return []
    names = split_byline(whole)
    safe = bool(names) and not _is_inverted(OPENERS.sub("", whole)) and all(len(n.split()) >= 2 for n in names)
    return names[:MAX_AUTHORS] if safe else [whole[:MAX_NAME * 2]]


def join_names(names: list[str]) -> str:
    """A byline for display: "A", "A and B", "A, B and C"."""
    if len(names) < 2:
        return names[0] if names else ""
    return f"{', '.join(names[:-1])} and {names[-1]}"


def clean_names(raw: list[str]) -> list[str]:
    """Names from raw byline strings: split, stripped of openers, deduplicated (slug forms too)."""
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        for name in split_byline(value):
            key = re.sub(r"[\W_]+", "", name.casefold())
            if key and key not in seen:
                seen.add(key)
                names.append(name)
    return names[:MAX_AUTHORS]


def split_byline(value: str) -> list[str]:
    text = collapse_space(PARENTHESES.sub(" ", html.unescape(value or "")))
    text = OPENERS.sub("", text)
    if not text or NOT_A_NAME.search(text):
        return []
    if _is_inverted(text):  # "You, Xiaoying" -> "Xiaoying You"
        last, first = (part.strip() for part in text.split(",", 1))
        return [f"{first} {last}"]
    parts = [OPENERS.sub("", part).strip() for part in LIST_SEPARATORS.split(text) if not ROLES.match(part)]
    people: list[str] = []
    for part in parts:
        pieces = CONJUNCTIONS.split(part)
        if len(pieces) > 1 and all(len(piece.split()) >= 2 for piece in pieces):
            people.extend(pieces)
        else:
            people.append(part)
    return [_trim(p) for p in people if _plausible(p)]


def _trim(name: str) -> str:
    """Strip stray punctuation, keeping the full stop of an initial or suffix ("Jr.", "A.")."""
    name = name.strip(" ,:;-")
    if name.endswith(".") and len(name.split()[-1]) > 3:
        name = name.rstrip(".")
    return name


def _is_inverted(text: str) -> bool:
    parts = text.split(",")
    return len(parts) == 2 and all(len(part.split()) == 1 for part in parts) and all(p.strip() for p in parts)


def _plausible(name: str) -> bool:
    name = name.strip(" .,:-")
    return (bool(name) and len(name) <= MAX_NAME and len(name.split()) <= MAX_NAME_WORDS
            and not NOT_A_NAME.search(name) and any(c.isalpha() for c in name))


def _json_ld_authors(meta: PageMeta) -> list[str]:
    for value in meta.article_values("author")[:1] + meta.article_values("creator")[:1]:
        names = [_person_name(item) for item in (value if isinstance(value, list) else [value])]
        names = [name for name in names if name]
        if names:
            return names
    return []


def _person_name(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        name = item.get("name")
        if isinstance(name, list):
            name = name[0] if name else ""
        if not name and (item.get("givenName") or item.get("familyName")):
            name = f"{item.get('givenName', '')} {item.get('familyName', '')}"
        return str(name or "")
    return ""


def _meta_authors(meta: PageMeta) -> list[str]:
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "cxenseparse:author", "dc.creator",
                "byl", "dcterms.creator"):
        values = [v for v in meta.meta.get(key, []) if v and not NOT_A_NAME.search(v)]
        if values:
            return values
    return _written_by(meta)


# The label WordPress's most used SEO plugin (Yoast) gives the author's display name in its Twitter
# card data ("twitter:label1" = "Written by", "twitter:data1" = the name), in the site's language;
# its "author" meta often holds an e-mail address instead.
WRITTEN_BY = re.compile(r"^(?:written by|geschrieben von|écrit par|escrito por|scritto da|geschreven door|"
                        r"skrevet av|skrivet av|kirjoittanut|napisane przez|yazan|автор)$", re.IGNORECASE)


def _written_by(meta: PageMeta) -> list[str]:
    """The Twitter card's "Written by" label and data pairs (numbered, or Yoast's "twitter:misc" form)."""
    values = [v for key, found in meta.meta.items() if key.startswith("twitter:misc:")
              and WRITTEN_BY.match(key.removeprefix("twitter:misc:").strip()) for v in found]
    for n in range(1, 6):
        if any(WRITTEN_BY.match(label.strip()) for label in meta.meta.get(f"twitter:label{n}", [])):
            values += meta.meta.get(f"twitter:data{n}", [])
    return [v for v in dict.fromkeys(values) if v and not NOT_A_NAME.search(v)]


def _microdata_authors(meta: PageMeta) -> list[str]:
    """Authors of the first item that declares one: teasers of other articles carry theirs too."""
    elements = meta.microdata.get("author", [])
    if not elements:
        return []
    scope = _item_scope(elements[0])
    names = []
    for element in [e for e in elements if _item_scope(e) is scope][:MAX_AUTHORS]:
        named = element.xpath(".//*[@itemprop='name']")
        source = named[0] if named else element
        names.append(source.get("content") or collapse_space(source.text_content()))
    return names


def _item_scope(element: HtmlElement) -> HtmlElement | None:
    return next((a for a in element.iterancestors() if a.get("itemscope") is not None), None)


def _rel_authors(tree: HtmlElement) -> list[str]:
    return [collapse_space(a.text_content()) for a in tree.xpath("//a[@rel='author']")[:MAX_AUTHORS]]


BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:author|byline|autor|auteur|writer)(?:name|s)?(?:$|[\s_-])", re.IGNORECASE)
NOT_BYLINE_CLASS = re.compile(r"comment|form|bio|avatar|image|photo|img|label|title|box|date|time|brand|logo", re.IGNORECASE)
MAX_BYLINE_CHARS = 120


def _visible_byline(tree: HtmlElement) -> list[str]:
    """The text of the first element classed as a byline or author name that reads like one; of an
    author box holding such elements, the innermost (a box also holds brand labels and dates)."""
    for element in tree.xpath("//body//*[@class]"):
        text = _byline_text(element)
        if text and not any(_byline_text(inner) for inner in element.iterdescendants()):
            return [text]
    return []


def _byline_text(element: HtmlElement) -> str:
    classes = element.get("class", "") if isinstance(element.tag, str) else ""
    if element.tag in ("script", "style", "meta", "img", "form", "input", "label") or not BYLINE_CLASS.search(classes):
        return ""
    if NOT_BYLINE_CLASS.search(classes):
        return ""
    text = collapse_space(element.text_content())
    return text if 2 < len(text) <= MAX_BYLINE_CHARS and not any(ch.isdigit() for ch in text) else ""


# A byline told by its label rather than its class: "Von: A, B", "By: A", "(责编：A、B)" (Chinese
# sites credit the responsible editor so), "Yazar: A". The colon is required: "by" alone opens too
# much ordinary prose.
LABELLED = re.compile(r"^[(（\[]?\s*(?:by|von|por|par|av|af|door|di|da|autor|author|auteur|autore|text|tekst|texto|"
                      r"yazar|muhabir|reporter|redakteur|责编|责任编辑|作者|记者|文)\s*[:：]\s*(?P<names>[^:：]+?)"
                      r"\s*[)）\]]?$", re.IGNORECASE)
NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?$")
SIGNATURE_STYLE = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)


def layout_byline(tree: HtmlElement) -> list[str]:
    """A byline the page shows without marking it up as one, in three layouts seen across countries:
    a labelled credit line, a name set beside the dateline ("Sehernur Karsu | 05.04.2025"), and a
    signature closing the article (a right-aligned bold name, as Vietnamese papers sign).
    Asked only when nothing declared or classed names a person."""
    for element in tree.xpath("//body//*[self::p or self::div or self::span or self::li or self::em or "
                              "self::small or self::address or self::section]"):
        text = _short_text(element)
        if not 2 < len(text) <= MAX_BYLINE_CHARS:
            continue
        labelled = LABELLED.match(text)
        found = labelled.group("names") if labelled else _name_beside_date(text)
        if found and not _inside_skipped(element):
            return [found]
    for element in reversed(tree.xpath("//body//p[@style]")):
        if SIGNATURE_STYLE.search(element.get("style", "")):
            text = collapse_space(element.text_content())
            bold = collapse_space(" ".join(b.text_content() for b in element.xpath(".//strong|.//b")))
            if text and bold == text and _looks_like_a_name(text):
                return [text]
            break  # only the last right-aligned paragraph can be the signature
    return []


def _short_text(element: HtmlElement, limit: int = 4 * MAX_BYLINE_CHARS) -> str:
    """The element's text when it is short; "" as soon as it is not. Read lazily, so a page of
    wrappers around one long article costs a few hundred characters each, not the article each."""
    pieces, size = [], 0
    for piece in element.itertext():
        size += len(piece)
        if size > limit:
            return ""
        pieces.append(piece)
    return collapse_space("".join(pieces))


def _inside_skipped(element: HtmlElement) -> bool:
    return any(a.tag in ("script", "style", "form", "nav", "footer", "header", "aside", "a")
               for a in (element, *element.iterancestors()))


def _name_beside_date(text: str) -> str:
    """"Name | date" or "date | Name": the one part that is not a date or time, when it reads as a
    person's name (a line with two such parts, "Station | Programme | 17.06.2025", is no byline)."""
    parts = [part.strip() for part in re.split(r"\s[|·•]\s|\s[|·•]$", text) if part.strip()]
    undated = [part for part in parts if not names_a_date(part)]
    if len(parts) < 2 or len(undated) != 1:
        return ""
    name = OPENERS.sub("", undated[0])
    return name if _looks_like_a_name(name) else ""


# A person's name does not open with an article; a label does ("The Latest", "Die Analyse").
ARTICLES = frozenset("the a an this our your le la les un une der die das ein eine el los las il lo gli de het".split())


def _looks_like_a_name(text: str) -> bool:
    """Two to four capitalised words and nothing else ("Lê Phương", "Sehernur Karsu")."""
    words = text.split()
    return (2 <= len(words) <= 4 and words[0].lower() not in ARTICLES
            and all(NAME_WORD.match(w) and w[0].isupper() for w in words))
