"""Outlets and their feeds in the admin (administrators): add, pause, see errors and schedule."""

from __future__ import annotations

from django.contrib import admin

from wiredesk.sources.models import Outlet, Source


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ("feed_url", "enabled", "check_interval", "last_success_at", "last_error_code")
    readonly_fields = ("last_success_at", "last_error_code")


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "display_policy", "homepage")
    list_filter = ("role", "display_policy")
    search_fields = ("name", "homepage")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SourceInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("feed_url", "outlet", "enabled", "last_success_at", "last_error_code", "next_check_at")
    list_filter = ("enabled", "feed_format")
    search_fields = ("feed_url", "outlet__name")
    readonly_fields = ("host", "claimed_until", "claimed_by", "etag", "last_modified", "feed_format",
                       "last_checked_at", "last_success_at", "error_count", "last_error_code", "last_error_message")
