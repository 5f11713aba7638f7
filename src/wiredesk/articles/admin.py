"""Aggregated articles in the admin, to look up and inspect; they are changed by ingest, not by hand
(removal goes through the takedown desk, which keeps the audit trail)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from wiredesk.articles.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "published_at", "fetch_status", "removed_at")
    list_filter = ("fetch_status", "outlet")
    search_fields = ("title", "url")
    date_hierarchy = "published_at"
    list_select_related = ("outlet",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
