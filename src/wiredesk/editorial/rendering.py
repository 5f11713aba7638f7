"""Markdown to safe HTML: rendered, then sanitised with the same allow-list as ingested pages.

Markdown passes raw HTML through, so the sanitiser is what makes it safe: no script, no style,
no event handlers, no javascript: links, whatever a writer pastes.
"""

from __future__ import annotations

import markdown

from wiredesk.ingest.sanitize import sanitize_html

EXTENSIONS = ["extra", "sane_lists"]


def render_markdown(source: str) -> str:
    return sanitize_html(markdown.markdown(source or "", extensions=EXTENSIONS, output_format="html"))
