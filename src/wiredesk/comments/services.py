"""Taking a reply: rate limit, spam rules, one level of replies, then the moderation queue.

Every reply waits for a moderator (pending) unless a spam rule holds it as spam first. Nothing is
stored when the form is refused (rate limit, closed thread, bad parent).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from wiredesk.comments.models import Comment, Thread
from wiredesk.core.text import content_hash

RATE_WINDOW = timedelta(minutes=10)
REPEAT_WINDOW = timedelta(days=1)
_LINK = re.compile(r"https?://|www\.|<a\s|\[url", re.IGNORECASE)


class CommentRefused(Exception):
    """The reply cannot be taken; the message is for the form."""


@dataclass(frozen=True)
class ReplyTarget:
    kind: str
    id: int


def ip_hash(address: str) -> str:
    """A keyed hash: rate limits work, yet the stored value reveals no address."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def is_closed(target: ReplyTarget) -> bool:
    return Thread.objects.filter(target_kind=target.kind, target_id=target.id, closed=True).exists()


def spam_reasons(body: str, body_hash: str, now: datetime) -> list[str]:
    reasons = []
    if len(_LINK.findall(body)) > settings.WIREDESK["WIREDESK_COMMENT_MAX_LINKS"]:
        reasons.append("too_many_links")
    if Comment.objects.filter(body_hash=body_hash, created_at__gte=now - REPEAT_WINDOW).exists():
        reasons.append("repeated_text")  # bots paste the same text; people rarely write it twice
    return reasons


def leave_reply(target: ReplyTarget, *, name: str, email: str, body: str, parent_id: int | None,
                address: str) -> Comment:
    now = timezone.now()
    if is_closed(target):
        raise CommentRefused("Comments are closed on this item.")
    hashed = ip_hash(address)
    recent = Comment.objects.filter(ip_hash=hashed, created_at__gte=now - RATE_WINDOW).count()
    if recent >= settings.WIREDESK["WIREDESK_COMMENTS_PER_IP"]:
        raise CommentRefused("You have replied a lot in the last few minutes. Please wait a little and try again.")
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, target_kind=target.kind, target_id=target.id,
                                        parent__isnull=True, status=Comment.Status.APPROVED).first()
        if parent is None:
            raise CommentRefused("The reply you are answering is not available.")
    body_hash = content_hash(body)
    reasons = spam_reasons(body, body_hash, now)
    return Comment.objects.create(
        target_kind=target.kind, target_id=target.id, parent=parent, name=name, email=email, body=body,
        status=Comment.Status.SPAM if reasons else Comment.Status.PENDING, spam_reasons=reasons,
        ip_hash=hashed, body_hash=body_hash, created_at=now)


def approved_thread(target: ReplyTarget) -> list[Comment]:
    """Approved top-level replies, each with its approved replies in `.shown_replies`."""
    comments = list(Comment.objects.filter(target_kind=target.kind, target_id=target.id,
                                           status=Comment.Status.APPROVED))
    top = [c for c in comments if c.parent_id is None]
    for comment in top:
        comment.shown_replies = [c for c in comments if c.parent_id == comment.pk]  # type: ignore[attr-defined]
    return top


def approved_counts(kind: str, ids: list[int]) -> dict[int, int]:
    """Approved replies per item, for a whole listing in one query."""
    rows = (Comment.objects.filter(target_kind=kind, target_id__in=ids, status=Comment.Status.APPROVED)
            .values("target_id").annotate(n=Count("id")))
    return {row["target_id"]: row["n"] for row in rows}
