"""Build the outbound tools from settings; one set per worker process."""

from __future__ import annotations

from django.conf import settings

from wiredesk.core.http import HttpClient, HttpConfig
from wiredesk.core.pacing import redis_url_for_pacing
from wiredesk.core.robots import RobotsCache
from wiredesk.ingest.extract_pool import shared_pool
from wiredesk.ingest.pipeline import Fetchers


def http_config() -> HttpConfig:
    cfg = settings.WIREDESK
    return HttpConfig(
        user_agent=cfg["WIREDESK_USER_AGENT"], timeout=cfg["WIREDESK_HTTP_TIMEOUT"],
        max_bytes=cfg["WIREDESK_HTTP_MAX_BYTES"], max_redirects=cfg["WIREDESK_HTTP_MAX_REDIRECTS"],
        host_delay=cfg["WIREDESK_HOST_DELAY"], allow_networks=tuple(cfg["WIREDESK_HTTP_ALLOW_PRIVATE"]),
        pacing_url=redis_url_for_pacing(cfg["WIREDESK_CACHE_URL"], cfg["BROKER_URL"]),
    )


def build_fetchers() -> Fetchers:
    client = HttpClient(http_config())
    robots = RobotsCache(client, settings.WIREDESK["WIREDESK_USER_AGENT"]) \
        if settings.WIREDESK["WIREDESK_RESPECT_ROBOTS"] else None
    return Fetchers(client=client, robots=robots,
                    extractor=shared_pool(settings.WIREDESK["WIREDESK_EXTRACT_PROCESSES"]))
