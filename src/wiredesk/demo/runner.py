"""`wiredesk demo`: start the demo wire, ingest it, then serve the site while it keeps publishing."""

from __future__ import annotations

import sys
import time

from django.conf import settings

from wiredesk.articles.models import Article
from wiredesk.demo.newsroom import publish_demo_posts
from wiredesk.demo.server import DemoWire
from wiredesk.demo.setup import demo_anchor, register_demo_sources
from wiredesk.demo.world import build_world
from wiredesk.sources.models import Outlet
from wiredesk.sources.polling import poll_once
from wiredesk.web.runner import serve_with_workers
from wiredesk.web.static_files import collect_if_changed


def run_demo(host: str = "127.0.0.1", port: int = 8000, ingest_only: bool = False) -> int:
    world = build_world(demo_anchor(settings.DATA_DIR))
    try:
        wire = DemoWire(world, first_port=port + 1).start()
    except OSError as error:
        print(f"error: the demo outlets need ports {port + 1}-{port + len(world.outlets)} on 127.0.0.1 "
              f"({error.strerror}); choose another range with --port", file=sys.stderr)
        return 2
    try:
        register_demo_sources(wire.outlets())
        publish_demo_posts()
        print(f"Demo wire: {len(wire.servers)} fictional outlets on http://127.0.0.1:{port + 1}-{port + len(wire.servers)}")
        started = time.monotonic()
        poll_once(progress=True)
        articles = Article.objects.count()
        outlets = Outlet.objects.filter(articles__isnull=False).distinct().count()
        print(f"Ingested {articles} articles from {outlets} outlets in {time.monotonic() - started:.0f} s.")
        if ingest_only:
            return 0
        collect_if_changed()
        # One process: the demo's outlets are threads of this one, and forking beside running threads
        # is not safe (a lock one of them holds would stay locked in the child for ever).
        return serve_with_workers(host, port, web_processes=1, banner=(
            f"wiredesk demo is serving on http://{host}:{port}/  — the demo wire publishes new stories "
            "every few minutes. Ctrl-C stops it."))
    finally:
        wire.stop()
