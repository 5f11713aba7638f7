"""Outlets and their feeds in the admin (administrators): add, pause, see health, errors and
schedule, and turn on again a source wiredesk turned off."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from wiredesk.sources.models import Outlet, Source
from wiredesk.sources.services import enable_source


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
    list_display = ("feed_url", "outlet", "enabled", "disabled_reason", "check_interval", "publish_rate_shown",
                    "not_modified_shown", "error_count", "last_success_at", "last_error_code", "next_check_at")
    list_filter = ("enabled", "feed_format", "interval_fixed")
    search_fields = ("feed_url", "outlet__name")
    readonly_fields = ("host", "claimed_until", "claimed_by", "etag", "last_modified", "feed_format",
                       "last_checked_at", "last_success_at", "error_count", "last_error_code", "last_error_message",
                       "disabled_reason", "publish_rate", "interval_hint", "newest_entry_at", "check_count",
                       "not_modified_count")
    actions = ["turn_on_again"]

    @admin.display(description="items a day (feed)")
    def publish_rate_shown(self, source: Source) -> str:
        return f"{source.publish_rate:.1f}"

    @admin.display(description="304 answers")
    def not_modified_shown(self, source: Source) -> str:
        share = source.not_modified_share
        return "-" if share is None else f"{100 * share:.0f}%"

    @admin.action(description="Turn on again (clears failures, checks now)")
    def turn_on_again(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            enable_source(source.pk)
        self.message_user(request, f"{queryset.count()} sources turned on again.", messages.SUCCESS)
