"""The moderation queue: pending replies first, with approve, reject and spam actions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from wiredesk.comments.models import Comment, Thread
from wiredesk.core.signals import content_changed


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_body", "target_kind", "target_id", "status", "spam_reasons", "created_at")
    list_filter = ("status", "target_kind")
    search_fields = ("name", "body")
    readonly_fields = ("target_kind", "target_id", "parent", "name", "email", "body", "spam_reasons",
                       "ip_hash", "body_hash", "created_at", "moderated_at")
    actions = ["approve", "reject", "mark_spam"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # replies come from readers

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("comments.moderate_comment")

    @admin.display(description="reply")
    def short_body(self, obj: Comment) -> str:
        return obj.body[:80]

    def _set(self, request: HttpRequest, queryset: QuerySet[Comment], status: str) -> None:
        count = queryset.update(status=status, moderated_at=timezone.now())
        content_changed.send(sender=Comment)  # shown or hidden: the pages around it change
        self.message_user(request, f"{count} repl{'y' if count == 1 else 'ies'} marked {status}.", messages.SUCCESS)

    @admin.action(description="Approve", permissions=["moderate"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set(request, queryset, Comment.Status.APPROVED)

    @admin.action(description="Reject", permissions=["moderate"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set(request, queryset, Comment.Status.REJECTED)

    @admin.action(description="Mark as spam", permissions=["moderate"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._set(request, queryset, Comment.Status.SPAM)


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("target_kind", "target_id", "closed", "closed_at")
    list_filter = ("closed", "target_kind")
    actions = ["close", "reopen"]

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("comments.moderate_comment")

    @admin.action(description="Close comments", permissions=["moderate"])
    def close(self, request: HttpRequest, queryset: QuerySet[Thread]) -> None:
        queryset.update(closed=True, closed_at=timezone.now())
        content_changed.send(sender=Thread)

    @admin.action(description="Reopen comments", permissions=["moderate"])
    def reopen(self, request: HttpRequest, queryset: QuerySet[Thread]) -> None:
        queryset.update(closed=False, closed_at=None)
        content_changed.send(sender=Thread)
