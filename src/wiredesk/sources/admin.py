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
    list_display = ("feed_url", "outlet", "enabled", "health", "last_success_at", "next_check_at")
    list_filter = ("enabled", "feed_format", "interval_fixed")
    search_fields = ("feed_url", "outlet__name")
    readonly_fields = ("host", "claimed_until", "claimed_by", "etag", "last_modified", "feed_format",
                       "last_checked_at", "last_success_at", "error_count", "last_error_code", "last_error_message",
                       "disabled_reason", "publish_rate", "interval_hint", "newest_entry_at", "check_count",
                       "not_modified_count")
    actions = ["turn_on_again"]

    @admin.display(description="health")
    def health(self, source: Source) -> str:
        """One line a desk editor reads at a glance: why it is off, or its rhythm and failures."""
        if not source.enabled and source.disabled_reason:
            return f"off: {source.disabled_reason}"
        share = source.not_modified_share
        parts = [f"{source.publish_rate:.1f} items a day", f"every {source.check_interval} s",
                 "304 -" if share is None else f"304 {100 * share:.0f}%"]
        if source.error_count:
            failures = "1 failure" if source.error_count == 1 else f"{source.error_count} failures in a row"
            parts.append(f"{failures} ({source.last_error_code})")
        return " · ".join(parts)

    @admin.action(description="Turn on again (clears failures, checks now)")
    def turn_on_again(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            enable_source(source.pk)
        self.message_user(request, f"{queryset.count()} sources turned on again.", messages.SUCCESS)
