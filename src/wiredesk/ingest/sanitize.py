"""The one HTML sanitiser: an allow-list (nh3, the Rust ammonia library) applied at ingest.

Everything stored as HTML passes through `sanitize_html`; templates still auto-escape everything
else, and mark only these stored fragments safe.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "blockquote", "q", "cite", "pre", "code",
    "ul", "ol", "li", "dl", "dt", "dd", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small",
    "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "hr", "abbr", "time", "mark",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Headline levels inside a body start at h2: the page's own h1 is the headline.
_DEMOTE = {"h1": "h2"}


def sanitize_html(markup: str) -> str:
    """Clean untrusted HTML down to safe structural markup; links open no window and pass no rank."""
    if not markup:
        return ""
    for old, new in _DEMOTE.items():
        markup = markup.replace(f"<{old}", f"<{new}").replace(f"</{old}>", f"</{new}>")
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
        clean_content_tags={"script", "style", "noscript", "iframe", "object", "template"},
    ).strip()
