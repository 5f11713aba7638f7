"""Site boilerplate learned from the site itself: a short block that a host prints on many
different articles ("Our Standards: …", "Join our commenting forum", an author's bio box) is the
site's template, not this article's prose.

No extractor can know such lines from one page: they sit inside the article container, look like
sentences and carry no markup that gives them away. But a wire desk reads hundreds of pages per
host, so it can count. Each host keeps a tally of the short blocks it has printed, keyed by a hash
of their folded text; a block already seen on MIN_REPEATS other articles of the same host is
dropped from the prose and the HTML. The tally is data about each site, learned from every site
alike: no site is named anywhere.

This module is pure (blocks in, blocks out, an abstract tally); wiredesk.articles.repeats stores
the tally in the database, and benchmarks/extract.py uses an in-memory one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Protocol

from lxml import html as lxml_html

from wiredesk.core.text import collapse_space, normalize_for_hash

MIN_REPEATS = 3  # other articles of the same host that printed the block
MAX_BLOCK_CHARS = 400  # longer blocks are the article's own paragraphs, not the site's template
# A template frames an article; it is never most of it. When the known blocks are more than this
# share of an article's prose, the page is the host printing an earlier article again (an update
# under a new address, the same report in two sections): its text is kept whole, for copy
# detection to link, rather than emptied.
MAX_TEMPLATE_SHARE = 0.5
BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote")


class Tally(Protocol):
    def counts(self, host: str, keys: Iterable[str]) -> Mapping[str, int]: ...

    def add(self, host: str, keys: Iterable[str]) -> None: ...


def block_key(block: str) -> str:
    return hashlib.blake2b(normalize_for_hash(block).encode(), digest_size=8).hexdigest()


def tracked_keys(blocks: list[str]) -> list[str]:
    """Keys of the blocks short enough to be template, each once."""
    return list(dict.fromkeys(block_key(b) for b in blocks if len(b) <= MAX_BLOCK_CHARS))


def repeated(blocks: list[str], counts: Mapping[str, int], min_repeats: int = MIN_REPEATS) -> set[str]:
    """Keys of the blocks the host has already printed on `min_repeats` other articles; none when
    those blocks would be most of the article (MAX_TEMPLATE_SHARE)."""
    doomed = {key for key in tracked_keys(blocks) if counts.get(key, 0) >= min_repeats}
    if not doomed:
        return doomed
    total = sum(len(b) for b in blocks)
    known = sum(len(b) for b in blocks if len(b) <= MAX_BLOCK_CHARS and block_key(b) in doomed)
    return doomed if known <= MAX_TEMPLATE_SHARE * total else set()


def without_repeats(text: str, html: str, doomed: set[str]) -> tuple[str, str]:
    """`text` (blank-line separated blocks) and `html` with the doomed blocks removed."""
    if not doomed:
        return text, html
    kept = [b for b in text.split("\n\n") if len(b) > MAX_BLOCK_CHARS or block_key(b) not in doomed]
    return "\n\n".join(kept), _html_without(html, doomed)


def _html_without(html: str, doomed: set[str]) -> str:
    if not html.strip():
        return html
    fragments = lxml_html.fragments_fromstring(html)
    kept = []
    for fragment in fragments:
        if isinstance(fragment, str):
            kept.append(fragment)
            continue
        for element in list(fragment.iter(*BLOCK_TAGS)):
            text = collapse_space(element.text_content())
            if text and len(text) <= MAX_BLOCK_CHARS and block_key(text) in doomed and element.getparent() is not None:
                element.drop_tree()
        if fragment.tag in BLOCK_TAGS and block_key(collapse_space(fragment.text_content())) in doomed:
            continue
        kept.append(lxml_html.tostring(fragment, encoding="unicode"))
    return "".join(kept)


class MemoryTally:
    """A tally in memory: for benchmarks and tests."""

    def __init__(self) -> None:
        self._counts: dict[str, Counter[str]] = {}

    def counts(self, host: str, keys: Iterable[str]) -> Mapping[str, int]:
        seen = self._counts.get(host, Counter())
        return {key: seen[key] for key in keys if key in seen}

    def add(self, host: str, keys: Iterable[str]) -> None:
        self._counts.setdefault(host, Counter()).update(set(keys))


def strip_site_template(host: str, text: str, html: str, tally: Tally, *, learn: bool = True) -> tuple[str, str]:
    """Drop the host's known template blocks from one article, then count this article's blocks."""
    blocks = text.split("\n\n")
    keys = tracked_keys(blocks)
    doomed = repeated(blocks, tally.counts(host, keys))
    if learn:
        tally.add(host, keys)
    return without_repeats(text, html, doomed)
