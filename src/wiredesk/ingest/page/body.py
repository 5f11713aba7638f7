"""Plain prose from trafilatura's article tree: paragraphs separated by blank lines, no markup.

The stored `text` feeds search, excerpts, fingerprints, copy and spin detection and stories, so it
holds only what a reader reads as the article's prose: no link targets, no table grid, no image
credits. The sanitised HTML (built from the same tree) keeps links and tables for the article page.

Blocks dropped from the prose, each for a reason that holds on any site:
- tables: a grid flattened to text is not prose (the HTML keeps it);
- a block whose every word sits inside a link: a teaser for another page ("READ MORE: …",
  a related headline), not a sentence of this article.
"""

from __future__ import annotations

from lxml.etree import _Element

from wiredesk.core.text import collapse_space

BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "item", "code"})
SKIPPED_TAGS = frozenset({"table", "graphic", "ref-list"})
LINK_TAG = "ref"
MIN_LINKED_WORDS = 1


def prose_blocks(body: _Element | None) -> list[str]:
    """Readable paragraphs of the article tree, in order."""
    if body is None:
        return []
    blocks: list[str] = []
    for element in body:
        _collect(element, blocks)
    return blocks


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
    if text and not _all_linked(element, text):
        blocks.append(text)


def _all_linked(element: _Element, text: str) -> bool:
    linked = collapse_space(" ".join("".join(ref.itertext()) for ref in element.iter(LINK_TAG)))
    return bool(linked) and len(linked.split()) >= MIN_LINKED_WORDS and len(linked) >= len(text) - 2


def prose(body: _Element | None) -> str:
    return "\n\n".join(prose_blocks(body))
