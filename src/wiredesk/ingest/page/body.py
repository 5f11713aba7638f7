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

from lxml.etree import _Element

from wiredesk.core.text import collapse_space

BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "item", "code"})
SKIPPED_TAGS = frozenset({"table", "graphic", "ref-list"})
LINK_TAG = "ref"
MIN_LINKED_WORDS = 1
AUTHOR_BOX_BLOCKS = 3  # how many closing blocks are checked for an author box
AUTHOR_BOX_VERBS = r"(?:is|was|has been|covers|reports|writes|joined)\b"


def prose_blocks(body: _Element | None, authors: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Readable paragraphs of the article tree, in order."""
    if body is None:
        return []
    blocks: list[str] = []
    for element in body:
        _collect(element, blocks)
    return _without_author_box(blocks, authors)


def _without_author_box(blocks: list[str], authors: list[str] | tuple[str, ...]) -> list[str]:
    if not authors or not blocks:
        return blocks
    names = "|".join(re.escape(name) for name in authors if name)
    introduces = re.compile(rf"^(?:{names})\s+{AUTHOR_BOX_VERBS}", re.IGNORECASE)
    tail = len(blocks) - AUTHOR_BOX_BLOCKS
    return [block for i, block in enumerate(blocks) if i < tail or not introduces.match(block)]


def _collect(element: _Element, blocks: list[str]) -> None:
    tag = element.tag
    if not isinstance(tag, str) or tag in SKIPPED_TAGS:
        return
    if tag == "list":
        for item in element:
            _collect(item, blocks)
        return
    if tag == "quote" and any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in element):
        for child in element:
            _collect(child, blocks)
        return
    text = collapse_space("".join(element.itertext()))
    if text and _has_word(text) and not _all_linked(element, text):
        blocks.append(text)


def _all_linked(element: _Element, text: str) -> bool:
    linked = collapse_space(" ".join("".join(ref.itertext()) for ref in element.iter(LINK_TAG)))
    return bool(linked) and len(linked.split()) >= MIN_LINKED_WORDS and len(linked) >= len(text) - 2


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def prose(body: _Element | None, authors: list[str] | tuple[str, ...] = ()) -> str:
    return "\n\n".join(prose_blocks(body, authors))
