"""The public side of the takedown desk: request, confirm, follow, and the transparency page."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from wiredesk.takedowns import services
from wiredesk.takedowns.forms import RemovalRequestForm
from wiredesk.takedowns.models import AuditEvent, RemovalItem, RemovalRequest

log = logging.getLogger("wiredesk.takedowns")
PUBLIC_EVENTS = {AuditEvent.Kind.SUBMITTED, AuditEvent.Kind.CONFIRMED, AuditEvent.Kind.MATCHED,
                 AuditEvent.Kind.APPROVED, AuditEvent.Kind.REJECTED, AuditEvent.Kind.ITEM_REMOVED}


def site_base(request: HttpRequest) -> str:
    """Base URL for links in mail: the configured public URL, else the one this request came to."""
    configured = settings.WIREDESK["WIREDESK_SITE_URL"].rstrip("/")
    return configured or request.build_absolute_uri("/").rstrip("/")


@require_http_methods(["GET", "POST"])
def request_removal(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RemovalRequestForm(request.POST)
        if form.is_valid():
            try:
                services.submit(form.request_fields(), site_base(request))
            except (SMTPException, OSError) as error:
                log.warning("event=removal_mail_failed error=%s", type(error).__name__)
                form.add_error(None, "We could not send the confirmation email, so nothing was saved. "
                                     "Please try again in a few minutes.")
            else:
                return redirect("web:removal-sent")
        status = 400
    else:
        form = RemovalRequestForm(initial={"urls": request.GET.get("url", "")[:2000]})
        status = 200
    return render(request, "wiredesk/removal_form.html", {"form": form}, status=status)


def removal_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "wiredesk/removal_sent.html")


@require_http_methods(["GET", "POST"])
def confirm_removal(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST confirms, so a mail scanner opening the link does nothing."""
    removal = get_object_or_404(RemovalRequest, confirm_token=token)
    if request.method == "POST":
        removal = services.confirm(removal)
        return redirect("web:removal-status", token=removal.status_token)
    return render(request, "wiredesk/removal_confirm.html", {"removal": removal})


def removal_status(request: HttpRequest, token: str) -> HttpResponse:
    removal = get_object_or_404(RemovalRequest, status_token=token)
    items = removal.items.order_by("reason", "pk")
    events = removal.events.filter(kind__in=PUBLIC_EVENTS)
    response = render(request, "wiredesk/removal_status.html", {"removal": removal, "items": items, "events": events})
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the private link must not leak to other sites
    return response


def transparency(request: HttpRequest) -> HttpResponse:
    """Counts by month and outcome; no names, no addresses."""
    rows = (RemovalRequest.objects.exclude(status=RemovalRequest.Status.UNCONFIRMED)
            .annotate(month=TruncMonth("created_at")).values("month", "status").annotate(n=Count("id"))
            .order_by("-month"))
    months: dict[object, dict[str, int]] = {}
    for row in rows:
        months.setdefault(row["month"], {})[row["status"]] = row["n"]
    removed = (RemovalItem.objects.filter(removed_at__isnull=False).annotate(month=TruncMonth("removed_at"))
               .values("month").annotate(n=Count("id")))
    for row in removed:
        months.setdefault(row["month"], {})["items_removed"] = row["n"]
    refused = (AuditEvent.objects.filter(kind=AuditEvent.Kind.REINGEST_BLOCKED).annotate(month=TruncMonth("at"))
               .values("month").annotate(n=Count("id")))
    for row in refused:
        months.setdefault(row["month"], {})["reingest_blocked"] = row["n"]
    table = [{"month": month, **{k: counts.get(k, 0) for k in
                                 ("pending", "approved", "rejected", "items_removed", "reingest_blocked")}}
             for month, counts in sorted(months.items(), key=lambda kv: kv[0], reverse=True)]
    return render(request, "wiredesk/transparency.html", {"months": table})
