"""`/metrics`: the Prometheus text format, counted by the real pipeline and placement stage, served
to this machine or to a scraper with the token."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import article_html, make_source, rss
from tests.localserver import LocalServer, Reply
from wiredesk.ingest.pipeline import Fetchers, check_source
from wiredesk.metrics import counters
from wiredesk.metrics.exposition import render
from wiredesk.stories.placement import place_all

pytestmark = pytest.mark.django_db
SAMPLE = re.compile(r'^([a-z_]+)(\{[a-z]+="[^"]*"(,[a-z]+="[^"]*")*\})? (-?[0-9.e+]+|\+Inf)$')


def parse(text: str) -> dict[str, float]:
    """Sample lines by their full name and labels; every line must be a comment or a valid sample."""
    values = {}
    for line in text.splitlines():
        if line.startswith("# "):
            assert line.startswith(("# HELP wiredesk_", "# TYPE wiredesk_")), line
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample: {line!r}"
        values[line.rsplit(" ", 1)[0]] = float(line.rsplit(" ", 1)[1])
    return values


def test_the_pipeline_and_the_story_stage_are_counted(server: LocalServer, fetchers: Fetchers) -> None:
    items = [("m1", "Bridge opens", "world"), ("m2", "Dam holds", "world"), ("m3", "Gone page", "world")]
    server.route("/feed", Reply(body=rss(items, server.base), content_type="application/rss+xml"))
    server.route("/p/m1", Reply(body=article_html("Bridge opens")))
    server.route("/p/m2", Reply(body=article_html("Dam holds")))
    server.route("/p/m3", Reply(404, b"missing"))
    source = make_source(server.url("/feed"))
    check_source(source, fetchers)
    server.route("/feed", Reply(500, b"down"))
    check_source(source, fetchers, pages_per_job=0)
    place_all("metrics-test")
    values = parse(render())
    assert values["wiredesk_articles_stored_total"] == 3
    assert values['wiredesk_fetches_total{kind="feed",outcome="ok"}'] == 1
    assert values['wiredesk_fetches_total{kind="feed",outcome="error",code="http_status"}'] == 1
    assert values['wiredesk_fetches_total{kind="page",outcome="ok"}'] == 2
    assert values['wiredesk_fetches_total{kind="page",outcome="failed",code="http_status"}'] == 1
    assert values["wiredesk_placed_total"] == values["wiredesk_placement_lag_seconds_count"] >= 2
    assert values['wiredesk_placement_lag_seconds_bucket{le="+Inf"}'] == values["wiredesk_placed_total"]
    assert values['wiredesk_sources{state="enabled"}'] == 1 and values["wiredesk_sources_due"] == 0
    assert values["wiredesk_pages_waiting"] == 0  # the failed page's retry is not due yet


def test_lag_buckets_are_cumulative() -> None:
    counters.count_placed([0.5, 10, 10, 4000])
    values = parse(render())
    assert values['wiredesk_placement_lag_seconds_bucket{le="1"}'] == 1
    assert values['wiredesk_placement_lag_seconds_bucket{le="15"}'] == 3
    assert values['wiredesk_placement_lag_seconds_bucket{le="3600"}'] == 3
    assert values['wiredesk_placement_lag_seconds_bucket{le="+Inf"}'] == 4
    assert values["wiredesk_placement_lag_seconds_sum"] == pytest.approx(4020.5)


def test_label_values_are_escaped() -> None:
    counters.count_fetch("feed", "error", 'odd "code"\\')
    text = render()
    assert 'code="odd \\"code\\"\\\\"' in text


def test_metrics_are_served_to_this_machine_or_with_the_token(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_METRICS_TOKEN": "s3cret"}
    local = Client(REMOTE_ADDR="127.0.0.1")
    response = local.get("/metrics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "no-store" in response["Cache-Control"] and "wiredesk_sources_due" in response.content.decode()
    remote = Client(REMOTE_ADDR="203.0.113.9")
    assert remote.get("/metrics").status_code == 403
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200
    # A reverse proxy on this machine forwards other people's requests: not "this machine".
    assert local.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    settings.WIREDESK = {**settings.WIREDESK, "WIREDESK_METRICS_TOKEN": ""}
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
