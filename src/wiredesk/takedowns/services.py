"""What the takedown desk does, step by step; shared by the public views and the admin.

Every step writes an AuditEvent in the same transaction as its effect, so the trail never says
something happened that did not, or misses something that did.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wiredesk.articles.models import Article
from wiredesk.core.urls import canonicalize
from wiredesk.takedowns import matching
from wiredesk.takedowns.blocklist import text_print
from wiredesk.takedowns.models import AuditEvent, BlockRule, RemovalItem, RemovalRequest
from wiredesk.takedowns.removal import remove_article

log = logging.getLogger("wiredesk.takedowns")
User = AbstractBaseUser | AnonymousUser | None


class TakedownError(Exception):
    """A step that cannot be taken in the request's current state."""


def _event(request: RemovalRequest | None, kind: str, actor: User = None, label: str = "",
           **detail: Any) -> AuditEvent:
    staff = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(request=request, kind=kind, actor=staff,
                                     actor_label=label or (staff.get_username() if staff else "system"),
                                     detail=detail)


def submit(data: dict[str, Any], base_url: str) -> RemovalRequest:
    """Store a validated request and mail the confirmation link. If the mail cannot be sent,
    nothing is stored (the transaction rolls back) and the error reaches the form."""
    with transaction.atomic():
        request = RemovalRequest.objects.create(**data)
        _event(request, AuditEvent.Kind.SUBMITTED, label="requester",
               urls=len(request.urls), domain=request.domain)
        link = base_url + reverse("web:removal-confirm", args=[request.confirm_token])
        send_mail(
            "Confirm your removal request",
            f"Hello {request.requester_name},\n\nwe received a request to remove content from this site.\n"
            f"To confirm it, open this link and press Confirm:\n\n{link}\n\n"
            "If you did not ask for this, ignore this message; nothing will happen.\n",
            None, [request.email],
        )
        _event(request, AuditEvent.Kind.MAIL_SENT, label="system", purpose="confirm")
    return request


def confirm(request: RemovalRequest) -> RemovalRequest:
    """The requester proved they read the mailbox: the request goes to review with its items."""
    with transaction.atomic():
        request = RemovalRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RemovalRequest.Status.UNCONFIRMED:
            return request  # a second click changes nothing
        request.status, request.confirmed_at = RemovalRequest.Status.PENDING, timezone.now()
        request.save(update_fields=["status", "confirmed_at"])
        _event(request, AuditEvent.Kind.CONFIRMED, label="requester")
        refresh_items(request)
    return request


def refresh_items(request: RemovalRequest) -> list[RemovalItem]:
    """(Re)compute what the request covers; copies found since the last look are added."""
    matches = matching.covered(request.urls, request.domain)
    existing = set(request.items.values_list("article_id", flat=True))
    articles = Article.objects.in_bulk([m.article_id for m in matches if m.article_id not in existing])
    new = [RemovalItem(request=request, article=articles[m.article_id], reason=m.reason, relation=m.relation,
                       url=articles[m.article_id].url, title=articles[m.article_id].title[:500])
           for m in matches if m.article_id in articles]
    RemovalItem.objects.bulk_create(new)
    if new:
        _event(request, AuditEvent.Kind.MATCHED, label="system", items=len(new),
               named=sum(i.reason == RemovalItem.Reason.NAMED for i in new),
               copies=sum(i.reason == RemovalItem.Reason.COPY for i in new))
    return new


def _pending(request: RemovalRequest) -> RemovalRequest:
    """The request, locked for this transaction, if it is waiting for a decision."""
    request = RemovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RemovalRequest.Status.PENDING:
        raise TakedownError(f"request #{request.pk} is {request.status}, not pending review")
    return request


def _decide(request: RemovalRequest, status: str, actor: User, note: str, base_url: str, **detail: Any) -> None:
    request.status, request.decided_at, request.decided_by = status, timezone.now(), _staff(actor)
    request.decision_note = note
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    kind = AuditEvent.Kind.APPROVED if status == RemovalRequest.Status.APPROVED else AuditEvent.Kind.REJECTED
    _event(request, kind, actor, note=note, **detail)
    _notify(request, base_url)


def approve(request: RemovalRequest, actor: User, note: str = "", base_url: str = "") -> int:
    """Remove every covered item, block re-ingest, tell the requester. Returns items removed."""
    with transaction.atomic():
        request = _pending(request)
        refresh_items(request)
        now = timezone.now()
        removed = 0
        for item in request.items.select_related("article").filter(removed_at__isnull=True):
            article = item.article
            if article is not None:
                _block_article(request, article, actor)
                if article.removed_at is None:
                    remove_article(article, now)
                    removed += 1
                    _event(request, AuditEvent.Kind.ITEM_REMOVED, actor, article=article.pk, url=article.url,
                           reason=item.reason, relation=item.relation)
            item.removed_at, item.title = now, ""
            item.save(update_fields=["removed_at", "title"])
        for url in request.urls:
            _add_rule(request, BlockRule.Kind.URL, canonicalize(url), actor)
        if request.domain:
            _add_rule(request, BlockRule.Kind.DOMAIN, request.domain, actor)
        _decide(request, RemovalRequest.Status.APPROVED, actor, note, base_url, removed=removed)
    log.info("event=removal_approved request=%s removed=%d", request.pk, removed)
    return removed


def reject(request: RemovalRequest, actor: User, note: str = "", base_url: str = "") -> None:
    with transaction.atomic():
        _decide(_pending(request), RemovalRequest.Status.REJECTED, actor, note, base_url)


def _staff(actor: User) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _block_article(request: RemovalRequest, article: Article, actor: User) -> None:
    """Rules for the article's address, its canonical address and its text (before purging)."""
    _add_rule(request, BlockRule.Kind.URL, canonicalize(article.url), actor)
    if article.canonical_url:
        _add_rule(request, BlockRule.Kind.CANONICAL_URL, canonicalize(article.canonical_url), actor)
    text = article.text or ""
    if len(text.split()) >= 20:  # a headline alone is too little to recognise text by
        printed = text_print(text)
        _add_rule(request, BlockRule.Kind.FINGERPRINT, printed.digest, actor, signature=printed.signature)


def _add_rule(request: RemovalRequest, kind: str, value: str, actor: User, signature: bytes | None = None) -> None:
    rule, created = BlockRule.objects.get_or_create(kind=kind, value=value[:2000],
                                                    defaults={"request": request, "signature": signature})
    if created:
        _event(request, AuditEvent.Kind.BLOCK_ADDED, actor, rule=rule.pk, rule_kind=kind,
               value=value[:200] if kind != BlockRule.Kind.FINGERPRINT else value[:16])


def _notify(request: RemovalRequest, base_url: str) -> None:
    link = (base_url or "") + reverse("web:removal-status", args=[request.status_token])
    outcome = "approved: the items are removed" if request.status == RemovalRequest.Status.APPROVED else "rejected"
    note = f"\n\nNote from the desk: {request.decision_note}" if request.decision_note else ""
    send_mail(f"Your removal request #{request.pk} was {request.status}",
              f"Hello {request.requester_name},\n\nyour removal request was {outcome}.{note}\n\n"
              f"Its status page: {link}\n", None, [request.email])
    _event(request, AuditEvent.Kind.MAIL_SENT, label="system", purpose="decision")


def record_manual_rule(rule: BlockRule, actor: User, changed: bool) -> None:
    """A block rule a staff member added or edited by hand is a step of the desk too."""
    if rule.kind in (BlockRule.Kind.URL, BlockRule.Kind.CANONICAL_URL):
        normalised = canonicalize(rule.value)
        if normalised != rule.value:
            BlockRule.objects.filter(pk=rule.pk).update(value=normalised)
    _event(rule.request, AuditEvent.Kind.BLOCK_ADDED, actor, rule=rule.pk, rule_kind=rule.kind,
           value=rule.value[:200], manual=True, changed=changed)
