"""The newsroom desk in the admin.

Writers draft and submit for review, and only see and edit their own unpublished posts.
Editors (editorial.publish_post) see everything, publish now or schedule, and add corrections.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from wiredesk.core.signals import content_changed
from wiredesk.editorial.models import Post, PostUpdate
from wiredesk.editorial.rendering import render_markdown

MAX_BODY_CHARS = 100_000


def can_publish(request: HttpRequest) -> bool:
    return request.user.has_perm("editorial.publish_post")


class PostForm(forms.ModelForm):
    lead_image = forms.URLField(required=False, max_length=2000, assume_scheme="https",
                                help_text="Address of the lead image (https://...).")

    class Meta:
        model = Post
        fields = ["headline", "slug", "standfirst", "body", "section", "byline", "lead_image",
                  "lead_image_caption", "lead_image_credit", "status", "publish_at"]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if len(body) > MAX_BODY_CHARS:
            raise forms.ValidationError(f"The body is limited to {MAX_BODY_CHARS:,} characters.")
        if "\x00" in body:
            raise forms.ValidationError("The body contains a NUL character.")
        return body

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Post.Status.APPROVED and not data.get("publish_at"):
            data["publish_at"] = timezone.now()  # "publish" with no time means now
        return data


class UpdateInline(admin.TabularInline):
    model = PostUpdate
    extra = 0
    fields = ("kind", "note", "created_at")
    readonly_fields = ("created_at",)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return can_publish(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return can_publish(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a correction stays on the record


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostForm
    list_display = ("headline", "status", "publish_at", "section", "author")
    list_filter = ("status", "section")
    search_fields = ("headline", "standfirst", "body")
    prepopulated_fields = {"slug": ("headline",)}
    inlines = [UpdateInline]
    actions = ["publish_now", "submit_for_review"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        posts = super().get_queryset(request)
        return posts if can_publish(request) else posts.filter(author=request.user)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if not can_publish(request):
            status = form.base_fields["status"]
            status.choices = [(v, label) for v, label in Post.Status.choices if v != Post.Status.APPROVED]
            form.base_fields.pop("publish_at", None)
        return form

    def has_change_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or can_publish(request):
            return allowed
        return obj.author_id == request.user.pk and obj.status != Post.Status.APPROVED

    def has_delete_permission(self, request: HttpRequest, obj: Post | None = None) -> bool:
        return super().has_delete_permission(request, obj) and can_publish(request)

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user
        if not can_publish(request) and obj.status == Post.Status.APPROVED:
            obj.status = Post.Status.REVIEW  # a writer can never publish, whatever the form says
        obj.body_html = render_markdown(obj.body)
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        count = queryset.update(status=Post.Status.APPROVED, publish_at=timezone.now())
        content_changed.send(sender=Post)
        self.message_user(request, f"{count} post(s) published.", messages.SUCCESS)

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        count = queryset.filter(status=Post.Status.DRAFT).update(status=Post.Status.REVIEW)
        self.message_user(request, f"{count} post(s) sent to the editors.", messages.SUCCESS)

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request)
