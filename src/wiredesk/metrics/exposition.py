"""The Prometheus text exposition of the desk's counters and gauges (format 0.0.4).

Counters come from the shared table (metrics.counters); gauges are read at scrape time, each from
an index that holds just what it counts (due sources, pages waiting, articles waiting for a story),
so a scrape costs the same at any archive size."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Min, Q
from django.utils import timezone

from wiredesk.articles.models import Article
from wiredesk.metrics.counters import LAG_BUCKETS
from wiredesk.metrics.models import Counter
from wiredesk.sources.models import Source

HELP = {
    "wiredesk_articles_stored_total": ("counter", "Feed entries stored as new articles."),
    "wiredesk_fetches_total": ("counter", "Outbound fetches by kind (feed, page), outcome and error code."),
    "wiredesk_placed_total": ("counter", "Articles placed in stories."),
    "wiredesk_placement_lag_seconds": ("histogram", "Seconds from an article's text being final to its placement."),
    "wiredesk_sources": ("gauge", "Sources by state."),
    "wiredesk_sources_due": ("gauge", "Enabled sources due for a check and not claimed by a worker."),
    "wiredesk_pages_waiting": ("gauge", "Article pages waiting to be fetched and extracted (new, or retry due)."),
    "wiredesk_placement_waiting": ("gauge", "Articles waiting for the story stage."),
    "wiredesk_placement_oldest_wait_seconds": ("gauge", "Age of the oldest article waiting for the story stage."),
}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(pairs: dict[str, str]) -> str:
    inner = ",".join(f'{key}="{_escape(value)}"' for key, value in pairs.items() if value != "")
    return "{" + inner + "}" if inner else ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def samples(now: datetime | None = None) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Every metric's samples: name -> [(labels, value)]."""
    now = now or timezone.now()
    out: dict[str, list[tuple[dict[str, str], float]]] = defaultdict(list)
    counters = {(c.name, c.label, c.code): c.value for c in Counter.objects.all()}
    out["wiredesk_articles_stored_total"].append(({}, counters.get(("articles_stored", "", ""), 0.0)))
    for (name, label, code), value in sorted(counters.items()):
        if name == "fetches":
            kind, _, outcome = label.partition(":")
            out["wiredesk_fetches_total"].append(({"kind": kind, "outcome": outcome, "code": code}, value))
    out["wiredesk_placed_total"].append(({}, counters.get(("placed", "", ""), 0.0)))
    for bound in (*map(str, LAG_BUCKETS), "+Inf"):
        out["wiredesk_placement_lag_seconds_bucket"].append(
            ({"le": bound}, counters.get(("placement_lag_bucket", bound, ""), 0.0)))
    out["wiredesk_placement_lag_seconds_sum"].append(({}, counters.get(("placement_lag_sum", "", ""), 0.0)))
    out["wiredesk_placement_lag_seconds_count"].append(({}, counters.get(("placed", "", ""), 0.0)))

    enabled = Source.objects.filter(enabled=True)
    out["wiredesk_sources"].append(({"state": "enabled"}, enabled.count()))
    out["wiredesk_sources"].append(({"state": "disabled"}, Source.objects.filter(enabled=False).count()))
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    out["wiredesk_sources_due"].append(({}, enabled.filter(free, next_check_at__lte=now).count()))
    pages = Article.objects.filter(Q(fetch_status=Article.FetchStatus.PENDING) |
                                   Q(fetch_status=Article.FetchStatus.FAILED, next_fetch_at__lte=now))
    out["wiredesk_pages_waiting"].append(({}, pages.count()))
    waiting = Article.objects.filter(awaiting_story=True)
    out["wiredesk_placement_waiting"].append(({}, waiting.count()))
    oldest = waiting.aggregate(first=Min("published_at"))["first"]
    out["wiredesk_placement_oldest_wait_seconds"].append(
        ({}, max(0.0, (now - oldest).total_seconds()) if oldest else 0.0))
    return out


def render(now: datetime | None = None) -> str:
    lines = []
    for name, rows in samples(now).items():
        family = name.removesuffix("_bucket").removesuffix("_sum").removesuffix("_count")
        if family in HELP and (name == family or name.endswith("_bucket")):
            kind, text = HELP[family]
            lines += [f"# HELP {family} {text}", f"# TYPE {family} {kind}"]
        lines += [f"{name}{_labels(labels)} {_number(value)}" for labels, value in rows]
    return "\n".join(lines) + "\n"
