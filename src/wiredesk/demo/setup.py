"""Registers the demo world's outlets and feeds as ordinary wiredesk sources."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from wiredesk.demo.world import DemoOutlet
from wiredesk.sources.models import Outlet, Source
from wiredesk.sources.services import register_source

ROLE = {"wire": Outlet.Role.WIRE, "syndicator": Outlet.Role.NEWSPAPER,
        "independent": Outlet.Role.INDEPENDENT, "aggregator": Outlet.Role.AGGREGATOR}
DEMO_INTERVAL = 60  # seconds: the demo world publishes every few minutes


def demo_anchor(data_dir: Path) -> datetime:
    """The demo world's origin, kept across restarts so its stories and links stay the same."""
    marker = data_dir / "demo_anchor"
    if marker.exists():
        try:
            return datetime.fromisoformat(marker.read_text().strip())
        except ValueError:
            pass
    anchor = datetime.now(UTC).replace(microsecond=0)
    marker.write_text(anchor.isoformat())
    return anchor


def register_demo_sources(outlets: Iterable[tuple[DemoOutlet, str]], interval: int = DEMO_INTERVAL) -> list[Source]:
    """One outlet and one feed per (demo outlet, base URL); the wire agency allows full text."""
    sources = []
    for demo, base_url in outlets:
        policy = Outlet.DisplayPolicy.FULL if demo.role == "wire" else Outlet.DisplayPolicy.EXCERPT
        outlet, _ = Outlet.objects.update_or_create(
            slug=demo.slug,
            defaults={"name": demo.name, "homepage": base_url + "/", "role": ROLE[demo.role],
                      "display_policy": policy},
        )
        sources.append(register_source(f"{base_url}/feed", outlet=outlet, title=demo.name,
                                       interval=interval))
    return sources
