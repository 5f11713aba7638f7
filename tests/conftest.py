"""Shared fixtures: local servers on 127.0.0.1, an outbound client allowed to reach them, the demo wire."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.localserver import LocalServer
from wiredesk.core.http import HttpClient, HttpConfig
from wiredesk.core.robots import RobotsCache
from wiredesk.demo.server import DemoWire
from wiredesk.demo.world import DemoWorld, build_world
from wiredesk.ingest.pipeline import Fetchers

LOOPBACK_ONLY = ("127.0.0.1/32",)


@pytest.fixture(autouse=True)
def fresh_report_cache() -> Iterator[None]:
    """Each test's rolled-back transaction hands the same ids out again, which a live database never
    does for committed rows (the engine's member cache relies on that): start every test empty."""
    from django.core.cache import cache

    from wiredesk.sources import scheduling
    from wiredesk.stories import stored
    from wiredesk.web import page_cache

    scheduling.forget_candidates()
    stored.clear()
    cache.clear()  # rendered pages too: a rolled-back test's content version is handed out again
    page_cache._seen.clear()
    yield
    stored.clear()
    cache.clear()
    page_cache._seen.clear()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


def make_client(**overrides: object) -> HttpClient:
    config = dict(host_delay=0.0, timeout=5.0, allow_networks=LOOPBACK_ONLY, user_agent="wiredesk-test/1")
    config.update(overrides)
    return HttpClient(HttpConfig(**config))  # type: ignore[arg-type]


@pytest.fixture
def http_client() -> Iterator[HttpClient]:
    http = make_client()
    yield http
    http.close()


@pytest.fixture
def fetchers(http_client: HttpClient) -> Fetchers:
    return Fetchers(client=http_client, robots=RobotsCache(http_client, "wiredesk-test/1"))


@pytest.fixture(scope="session")
def demo_world() -> DemoWorld:
    return build_world(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))


@pytest.fixture
def demo_wire(demo_world: DemoWorld) -> Iterator[DemoWire]:
    """The demo outlets, frozen at the world's anchor so tests see a fixed set of articles."""
    wire = DemoWire(demo_world, clock=lambda: demo_world.anchor).start()
    yield wire
    wire.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `exhaustive` run only when asked for by name (`-m exhaustive`)."""
    if "exhaustive" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="10,000-example property run: opt in with -m exhaustive")
    for item in items:
        if "exhaustive" in item.keywords:
            item.add_marker(skip)
