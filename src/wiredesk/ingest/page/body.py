"""Plain prose from trafilatura's article tree: paragraphs separated by blank lines, no markup.

The stored `text` feeds search, excerpts, fingerprints, copy and spin detection and stories, so it
holds only what a reader reads as the article's prose: no link targets, no table grid, no image
credits. The sanitised HTML (built from the same tree) keeps links and tables for the article page.

Blocks dropped from the prose, each for a reason that holds on any site:
- tables: a grid flattened to text is not prose (the HTML keeps it);
- a block whose every word sits inside a link: a teaser for another page ("READ MORE: …",
  a related headline), not a sentence of this article;
- a block with no letter or digit ("___", "* * *"): a divider;
- a closing block that introduces one of the article's own authors ("Jane Roe is a reporter for…"):
  the site's author box, which repeats on every article they write.
"""

from __future__ import annotations

import re

from lxml.etree import SubElement, _Element

from wiredesk.core.text import collapse_space

BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "item", "code"})
PROSE_SKIPS = frozenset({"table", "graphic", "ref-list"})  # kept in the HTML, not read as prose
LINK_TAG = "ref"
LINE_BREAK = "lb"
AUTHOR_BOX_BLOCKS = 3  # how many closing blocks are checked for an author box
AUTHOR_BOX_VERBS = r"(?:is|was|has been|covers|reports|writes|joined)\b"


def clean_body(body: _Element | None, authors: list[str] | tuple[str, ...] = ()) -> None:
    """Remove teasers, dividers and the closing author box from the tree, so that the prose and
    the HTML built from it agree."""
    if body is None:
        return
    blocks = [(element, _text(element)) for element in _blocks(body)]
    doomed = [element for element, text in blocks if not _has_word(text) or _all_linked(element, text)]
    kept = [(element, text) for element, text in blocks if element not in doomed]
    doomed += _author_box(kept[-AUTHOR_BOX_BLOCKS:], authors)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


def prose_blocks(body: _Element | None) -> list[str]:
    """Readable paragraphs of the (cleaned) article tree, in order."""
    return [text for _, text in _text_blocks(body)]


def replace_with_paragraphs(body: _Element | None, paragraphs: list[str]) -> None:
    """Make the tree hold exactly these paragraphs (the declared body, when extraction missed it)."""
    if body is None:
        return
    for child in list(body):
        body.remove(child)
    for text in paragraphs:
        SubElement(body, "p").text = text


def _text_blocks(body: _Element | None) -> list[tuple[_Element, str]]:
    if body is None:
        return []
    return [(element, text) for element, text in ((e, _text(e)) for e in _blocks(body)) if text]


def prose(body: _Element | None) -> str:
    return "\n\n".join(prose_blocks(body))


def _blocks(parent: _Element):
    """Leaf blocks in document order: list items and quoted paragraphs one by one; tables skipped."""
    for element in list(parent):
        tag = element.tag
        if not isinstance(tag, str) or tag in PROSE_SKIPS:
            continue
        if tag == "list" or (tag == "quote" and any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in element)):
            yield from _blocks(element)
        else:
            yield element


def _text(element: _Element) -> str:
    return collapse_space("".join(_pieces(element)))


def _pieces(element: _Element):
    """itertext(), but a line break (<lb/>) separates words: "Gary Bolen<lb/>Monterey" is two."""
    if element.tag == LINE_BREAK:
        yield " "
    elif isinstance(element.tag, str) and element.text:
        yield element.text
    for child in element:
        yield from _pieces(child)
        if child.tail:
            yield child.tail


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _all_linked(element: _Element, text: str) -> bool:
    linked = collapse_space(" ".join("".join(ref.itertext()) for ref in element.iter(LINK_TAG)))
    return bool(linked) and len(linked) >= len(text) - 2


def _author_box(closing: list[tuple[_Element, str]], authors: list[str] | tuple[str, ...]) -> list[_Element]:
    names = "|".join(re.escape(name) for name in authors if name)
    if not names:
        return []
    introduces = re.compile(rf"^(?:{names})\s+{AUTHOR_BOX_VERBS}", re.IGNORECASE)
    return [element for element, text in closing if introduces.match(text)]
