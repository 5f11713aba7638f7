"""`{% card item %}` / `{% card item lead=True %}`: an article's card (web.cards)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from wiredesk.web.cards import render_card

register = template.Library()


@register.simple_tag
def card(item: Any, lead: bool = False) -> SafeString:
    return render_card(item, is_lead=lead)
