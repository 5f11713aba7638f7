"""Serves the demo world on 127.0.0.1: one HTTP server per outlet, each on its own port.

Each outlet is its own host (its own port), as in the field, so per-host politeness and identity
behave as they would against real outlets. Feeds answer conditional GETs with 304.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from wiredesk.demo.feeds import render_feed
from wiredesk.demo.pages import ROBOTS_TXT, article_page, home_page, lead_image_svg
from wiredesk.demo.world import DemoArticle, DemoOutlet, DemoWorld

FEED_LIMIT = 400


def _now() -> datetime:
    return datetime.now(UTC)


class _OutletHandler(BaseHTTPRequestHandler):
    server: _OutletServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler API
        return

    def do_GET(self) -> None:  # noqa: N802 - BaseHTTPRequestHandler API
        world, outlet, base = self.server.world, self.server.outlet, self.server.base_url
        now = self.server.clock()
        path = self.path.split("?")[0]
        self.server.hits[path] = self.server.hits.get(path, 0) + 1
        if path == "/robots.txt":
            return self._send(200, ROBOTS_TXT.encode(), "text/plain")
        if path == "/feed":
            return self._feed(world, outlet, base, now)
        if path == "/":
            page = home_page(world, outlet, world.published(outlet.slug, now))
            return self._send(200, page.encode(), "text/html; charset=utf-8")
        if path.startswith("/news/"):
            article = world.find(outlet.slug, path.removeprefix("/news/"))
            if article and article.published <= now:
                return self._send(200, self.server.rendered_page(article), "text/html; charset=utf-8")
        if path.startswith("/img/") and path.endswith(".svg"):
            article = world.find(outlet.slug, path.removeprefix("/img/").removesuffix(".svg"))
            if article:
                return self._send(200, lead_image_svg(article, outlet).encode(), "image/svg+xml")
        return self._send(404, b"<h1>Not found</h1>", "text/html")

    def _feed(self, world: DemoWorld, outlet: DemoOutlet, base: str, now: datetime) -> None:
        items = world.published(outlet.slug, now)[:FEED_LIMIT]
        # The feed's own date is its newest item's, so an unchanged feed is byte-identical.
        newest = items[0].published if items else self.server.world.anchor
        body, content_type = render_feed(outlet, items, base, newest)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag or self._not_modified_since(newest):
            return self._send(304, b"", content_type, {"ETag": etag})
        return self._send(200, body, content_type, {"ETag": etag, "Last-Modified": format_datetime(newest, usegmt=True)})

    def _not_modified_since(self, newest: datetime) -> bool:
        since = self.headers.get("If-Modified-Since")
        if not since or self.headers.get("If-None-Match"):
            return False
        try:
            return newest.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body:
            self.wfile.write(body)


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, world: DemoWorld, outlet: DemoOutlet, clock: Callable[[], datetime], port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _OutletHandler)
        self.world, self.outlet, self.clock = world, outlet, clock
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"
        self.hits: dict[str, int] = {}
        self._pages: dict[str, bytes] = {}

    def rendered_page(self, article: DemoArticle) -> bytes:
        """An article page, rendered once: a page never changes after publication, and an outlet
        serves it from a cache, so the demo's outlets should not bill rendering to every reader."""
        page = self._pages.get(article.slug)
        if page is None:
            page = self._pages[article.slug] = article_page(self.world, self.outlet, article, self.base_url).encode()
        return page


def free_port_block(size: int = 10, start: int = 23000) -> int:
    """The first port of `size` consecutive free ports on 127.0.0.1 (for a demo wire at fixed ports)."""
    import socket

    for base in range(start, 60000, 37):
        sockets: list[socket.socket] = []
        try:
            for port in range(base, base + size):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no block of free ports on 127.0.0.1")


class DemoWire:
    """All demo outlets, started and stopped together."""

    def __init__(self, world: DemoWorld, clock: Callable[[], datetime] = _now, first_port: int = 0) -> None:
        """`first_port` 0 picks free ports; otherwise outlets take first_port, first_port+1, ...
        (fixed ports keep article links valid across demo restarts)."""
        self.world = world
        self.servers = [
            _OutletServer(world, outlet, clock, first_port + i if first_port else 0)
            for i, outlet in enumerate(world.outlets)
        ]
        self._threads: list[threading.Thread] = []

    def start(self) -> DemoWire:
        for server in self.servers:
            thread = threading.Thread(target=server.serve_forever, args=(0.1,), name=f"demo-{server.outlet.slug}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def outlets(self) -> list[tuple[DemoOutlet, str]]:
        """(outlet, base URL) for every running outlet."""
        return [(s.outlet, s.base_url) for s in self.servers]

    def base_url(self, slug: str) -> str:
        return next(s.base_url for s in self.servers if s.outlet.slug == slug)

    def feed_urls(self) -> dict[str, str]:
        return {s.outlet.slug: f"{s.base_url}/feed" for s in self.servers}

    def hits(self, slug: str) -> dict[str, int]:
        return next(s.hits for s in self.servers if s.outlet.slug == slug)

    def __enter__(self) -> DemoWire:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
