"""The takedown desk in the admin: review requests, approve or reject them, read the trail.

Deciding needs the `takedowns.decide_removalrequest` permission (editors and administrators).
Audit events can be read, never added, changed or deleted, by anyone.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from wiredesk.takedowns import services
from wiredesk.takedowns.models import AuditEvent, BlockRule, RemovalItem, RemovalRequest


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ItemInline(ReadOnlyInline):
    model = RemovalItem
    fields = readonly_fields = ("reason", "relation", "title", "url", "article", "removed_at")


class EventInline(ReadOnlyInline):
    model = AuditEvent
    fields = readonly_fields = ("at", "kind", "actor_label", "detail")


@admin.register(RemovalRequest)
class RemovalRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "requester_name", "organisation", "status", "created_at", "item_count")
    list_filter = ("status", "relationship")
    search_fields = ("requester_name", "organisation", "email", "domain")
    readonly_fields = ("requester_name", "organisation", "email", "urls", "domain", "relationship", "statement",
                       "status", "created_at", "confirmed_at", "decided_at", "decided_by")
    fields = readonly_fields + ("decision_note",)
    inlines = [ItemInline, EventInline]
    actions = ["approve_requests", "reject_requests"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come from the public form, confirmed by their sender

    @admin.display(description="items")
    def item_count(self, obj: RemovalRequest) -> int:
        return obj.items.count()

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("takedowns.decide_removalrequest")

    def _decide(self, request: HttpRequest, queryset: QuerySet[RemovalRequest], approve: bool) -> None:
        base = request.build_absolute_uri("/").rstrip("/")
        done = 0
        for removal in queryset:
            try:
                if approve:
                    services.approve(removal, request.user, removal.decision_note, base)
                else:
                    services.reject(removal, request.user, removal.decision_note, base)
                done += 1
            except services.TakedownError as error:
                self.message_user(request, str(error), messages.WARNING)
        self.message_user(request, f"{done} request(s) {'approved' if approve else 'rejected'}.", messages.SUCCESS)

    @admin.action(description="Approve: remove the items and block re-ingest", permissions=["decide"])
    def approve_requests(self, request: HttpRequest, queryset: QuerySet[RemovalRequest]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject", permissions=["decide"])
    def reject_requests(self, request: HttpRequest, queryset: QuerySet[RemovalRequest]) -> None:
        self._decide(request, queryset, approve=False)


@admin.register(BlockRule)
class BlockRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "short_value", "request", "hits", "last_hit_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("value",)
    readonly_fields = ("signature", "hits", "last_hit_at", "created_at", "request")

    @admin.display(description="value")
    def short_value(self, obj: BlockRule) -> str:
        return obj.value[:80]

    def save_model(self, request: HttpRequest, obj: BlockRule, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.record_manual_rule(obj, request.user, change)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "actor_label", "request")
    list_filter = ("kind",)
    readonly_fields = ("at", "kind", "actor", "actor_label", "request", "detail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
