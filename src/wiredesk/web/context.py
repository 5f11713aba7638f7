"""Template context shared by every page: site name and the section navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from wiredesk.sections.models import Section


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.WIREDESK["WIREDESK_SITE_NAME"],
        "nav_sections": Section.objects.all(),
    }
