"""An article's card, the unit of every list on the site (front page, sections, outlets, search).

Rendered in Python rather than by a template include: a section page shows sixty cards, and
Django's template engine spent about 60% of an uncached page's time on them (variable lookups,
filters and some 200 `{% url %}` reversals a page). Here each card is one pass over attributes the
list already loaded, every value escaped on the way out, and the links come from patterns reversed
once per process. The markup is the one the template had, byte for byte.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.dateformat import DateFormat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

EXCERPT_WORDS = 40
_PK_SENTINEL = 987654321  # a number no pattern contains, split out of a reversed link


@lru_cache(maxsize=64)
def _pk_link_parts(name: str, script_prefix: str) -> tuple[str, str]:
    """What comes before and after the primary key in `name`'s link (script prefix included)."""
    head, tail = reverse(name, args=[_PK_SENTINEL]).split(str(_PK_SENTINEL))
    return head, tail


def pk_link(name: str, pk: int) -> str:
    head, tail = _pk_link_parts(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


@lru_cache(maxsize=1024)
def _slug_link(name: str, slug: str, script_prefix: str) -> str:
    return reverse(name, args=[slug])


def slug_link(name: str, slug: str) -> str:
    return _slug_link(name, slug, get_script_prefix())


def _relation_badge(member: Any) -> str:
    relation = getattr(member, "relation", None)
    if relation == "spun_copy":
        return '<span class="badge spun">spun copy</span> '
    if relation == "wire_copy":
        return '<span class="badge wire_copy">wire copy</span> '
    return ""


def render_card(item: Any, is_lead: bool = False) -> SafeString:
    """One card: headline, credit, time, section, replies, excerpt, and the coverage links.

    `item` is a listed Article; the lists may have set `reply_count`, `more_coverage` (copies folded
    into this card: articles.queries.one_per_story) and `top_story` (the front page's story)."""
    level = "2" if is_lead else "3"
    article_link = pk_link("web:article", item.pk)
    member = getattr(item, "story_member", None)
    when = DateFormat(timezone.template_localtime(item.published_at)) if item.published_at else None
    parts = [f'<article class="card{" lead" if is_lead else ""}">\n  ']
    if is_lead and item.lead_image:
        parts.append(f'<img class="card-image" src="{escape(item.lead_image)}" alt="" loading="lazy">')
    parts.append(f'\n  <h{level} class="card-title"><a href="{article_link}">{escape(item.title)}</a></h{level}>\n'
                 f'  <p class="meta">{_relation_badge(member)}'
                 f'<a class="credit" href="{escape(slug_link("web:outlet", item.outlet.slug))}">'
                 f'{escape(item.outlet.name)}</a>\n'
                 f'  · <time datetime="{when.format("c") if when else ""}">'
                 f'{when.format("j M, H:i") if when else ""}</time>\n  ')
    if item.section:
        parts.append(f'· <a href="{escape(slug_link("web:section", item.section.slug))}">'
                     f'{escape(item.section.name)}</a>')
    parts.append("\n  ")
    replies = getattr(item, "reply_count", 0)
    if replies:
        parts.append(f'· <a href="{article_link}#comments">{int(replies)} repl{"y" if replies == 1 else "ies"}</a>')
    parts.append("</p>\n  ")
    if item.summary:
        excerpt = Truncator(item.summary).words(EXCERPT_WORDS, truncate=" …")
        parts.append(f'<p class="excerpt">{escape(excerpt)}</p>')
    parts.append("\n  ")
    more = getattr(item, "more_coverage", None)
    if more:
        names = ", ".join(escape(other.outlet.name) for other in more)
        parts.append(f'<p class="coverage-link more-coverage"><a href="{pk_link("web:story", member.story_id)}">'
                     f'+{len(more)} more from {names}</a></p>')
    parts.append("\n  ")
    story = getattr(item, "top_story", None)
    if story and story.size > 1:
        outlets = story.outlet_count
        parts.append(f'<p class="coverage-link"><a href="{pk_link("web:story", story.pk)}">'
                     f'Full coverage: {story.size} articles from {outlets} outlet{"" if outlets == 1 else "s"}</a></p>')
    parts.append("\n</article>\n")
    return mark_safe("".join(parts))  # noqa: S308  (every value above is escaped or a number)
