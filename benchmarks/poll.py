"""Polling benchmark: one full poll cycle of 10,000 feeds on 200 hosts, as the embedded desk runs it.

A simulated web (one asyncio process listening on 200 loopback addresses, 127.0.1.1-127.0.1.200,
one port) serves 50 feeds per host. 90% of the feeds answer 304 to the ETag the desk holds; the
other 10% ignore conditional requests and answer 200 with three entries the desk already has (so
the cycle measures polling, not page extraction). The desk's database (SQLite, the embedded
default) is seeded as after an earlier cycle, every source due. Then `wiredesk poll --once` runs
with the shipped settings (WIREDESK_WORKERS worker threads, WIREDESK_HOST_DELAY between two
requests to one host) and the server records every request.

Reported: cycle time, requests per second, CPU seconds of the desk, the checks done and their
answers, and politeness: the shortest gap between two requests to one host and the most requests
any host saw in one second, against the configured rate.

    .venv/bin/python benchmarks/poll.py [--feeds 10000] [--hosts 200]

Prints a table and writes benchmarks/results/poll.json. Target: a cycle in at most 60 s on this
2-core machine, and no host ever above its configured rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import loopback  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TARGET_SECONDS = 60.0
ENTRIES_PER_CHANGED_FEED = 3


def host_ip(index: int) -> str:
    return loopback.address(1, index)


def feed_body(feed: int) -> bytes:
    items = "".join(f"<item><title>Item {k} of feed {feed}</title><link>http://example.invalid/{feed}/{k}</link>"
                    f"<guid isPermaLink='false'>urn:bench:{feed}:{k}</guid></item>"
                    for k in range(ENTRIES_PER_CHANGED_FEED))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Feed {feed}</title>{items}</channel></rss>".encode()


def changes_every_time(feed: int) -> bool:
    return feed % 10 == 0  # 10% of the feeds answer 200 whatever the client holds


# --- the simulated web -----------------------------------------------------------------------------

class FeedServer(asyncio.Protocol):
    """A minimal HTTP/1.1 server with keep-alive: enough for feeds, light enough not to be measured."""

    log: list[tuple[str, float, int]] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.ip = transport.get_extra_info("sockname")[0]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
            self.answer(path, headers)

    def answer(self, path: str, headers: dict[str, str]) -> None:
        try:
            feed = int(path.rsplit("/", 1)[1])
        except ValueError:
            self.reply(404, b"", {})
            return
        if not changes_every_time(feed) and headers.get("if-none-match") == '"v1"':
            status, body, extra = 304, b"", {"ETag": '"v1"'}
        elif changes_every_time(feed):
            status, body, extra = 200, feed_body(feed), {"Content-Type": "application/rss+xml"}
        else:
            status, body, extra = 200, feed_body(feed), {"Content-Type": "application/rss+xml", "ETag": '"v1"'}
        FeedServer.log.append((self.ip, time.monotonic(), status))
        self.reply(status, body, extra)

    def reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
        head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
        self.transport.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)  # type: ignore[attr-defined]


def serve(hosts: int, port: int, ready: multiprocessing.Event, stop: multiprocessing.Event, out: str) -> None:  # type: ignore[type-arg]
    async def main() -> None:
        loop = asyncio.get_running_loop()
        servers = [await loop.create_server(FeedServer, host_ip(h), port, backlog=512) for h in range(hosts)]
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for server in servers:
            server.close()

    asyncio.run(main())
    Path(out).write_text(json.dumps(FeedServer.log))


def free_port(hosts: int) -> int:
    return loopback.free_port(1, hosts)


# --- the desk ----------------------------------------------------------------------------------------

def seed(data_dir: str, feeds: int, hosts: int, port: int) -> None:
    """The database as after an earlier cycle: every source known with its ETag, every entry of the
    feeds that answer 200 stored, every source due now."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from wiredesk.articles.models import Article
    from wiredesk.core.urls import host_of
    from wiredesk.ingest.feeds import FeedEntry
    from wiredesk.ingest.identity import entry_identity
    from wiredesk.sources.models import Outlet, Source

    outlets = Outlet.objects.bulk_create([Outlet(name=f"Host {h}", slug=f"host-{h}") for h in range(hosts)])
    now = timezone.now()
    due = now - timedelta(minutes=1)
    sources = []
    for feed in range(feeds):
        url = f"http://{host_ip(feed % hosts)}:{port}/feed/{feed}"
        sources.append(Source(outlet=outlets[feed % hosts], feed_url=url, host=host_of(url),
                              etag="" if changes_every_time(feed) else '"v1"', next_check_at=due,
                              last_success_at=now - timedelta(minutes=15), feed_format="rss20"))
    sources = Source.objects.bulk_create(sources, batch_size=2000)
    articles = []
    for feed, source in enumerate(sources):
        if not changes_every_time(feed):
            continue
        for k in range(ENTRIES_PER_CHANGED_FEED):
            kind, key = entry_identity(FeedEntry(guid=f"urn:bench:{feed}:{k}", url="", title=""))
            articles.append(Article(source=source, outlet_id=source.outlet_id, dedup_key=key, identity=kind,
                                    guid=f"urn:bench:{feed}:{k}", url=f"http://example.invalid/{feed}/{k}",
                                    title=f"Item {k} of feed {feed}", published_at=now - timedelta(hours=1),
                                    fetch_status=Article.FetchStatus.SKIPPED, awaiting_story=False))
    Article.objects.bulk_create(articles, batch_size=2000)


def politeness(log: list[tuple[str, float, int]]) -> tuple[float, int]:
    """(shortest gap between two requests to one host, most requests to one host in any one second)."""
    by_host: dict[str, list[float]] = defaultdict(list)
    for ip, at, _ in log:
        by_host[ip].append(at)
    shortest, most = float("inf"), 0
    for times in by_host.values():
        times.sort()
        shortest = min([shortest, *(b - a for a, b in zip(times, times[1:], strict=False))])
        start = 0
        for end, at in enumerate(times):  # requests in [at - 1 s, at]: a sliding one-second window
            while times[start] <= at - 1.0 + 1e-9:
                start += 1
            most = max(most, end - start + 1)
    return shortest, most


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--profile", metavar="FILE", help="record the poll process with py-spy (raw stacks)")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="wiredesk-poll-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDESK_", "DATABASE_URL", "BROKER_URL"))}
    env.update(WIREDESK_DATA_DIR=data_dir, WIREDESK_HTTP_ALLOW_PRIVATE="127.0.0.0/8")
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wiredesk.settings"
    import django

    django.setup()
    from django.conf import settings

    delay = settings.WIREDESK["WIREDESK_HOST_DELAY"]
    workers = settings.WIREDESK["WIREDESK_WORKERS"]
    port = free_port(args.hosts)
    started = time.perf_counter()
    seed(data_dir, args.feeds, args.hosts, port)
    seeded = time.perf_counter() - started
    from django.db import connections

    connections.close_all()

    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    log_file = str(Path(data_dir) / "requests.json")
    server = multiprocessing.Process(target=serve, args=(args.hosts, port, ready, stop, log_file))
    server.start()
    ready.wait(30)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [sys.executable, "-m", "wiredesk.cli", "poll", "--once", "--quiet"]
    if args.profile:
        command = [str(Path(sys.executable).parent / "py-spy"), "record", "-r", "100", "-f", "raw", "-o", args.profile,
                   "--", *command]
    subprocess.run(command, env=env, cwd=data_dir, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cycle = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stop.set()
    server.join(30)
    log = [tuple(row) for row in json.loads(Path(log_file).read_text())]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shortest, most = politeness(log)  # type: ignore[arg-type]
    allowed = 1 if delay >= 1 else int(1 / delay) + 1 if delay > 0 else None
    checked_feeds = len(log)
    result = {
        "feeds": args.feeds, "hosts": args.hosts, "workers": workers, "host_delay_s": delay,
        "seed_seconds": round(seeded, 1),
        "cycle_seconds": round(cycle, 1),
        "requests": checked_feeds,
        "answered_304": sum(1 for _, _, status in log if status == 304),
        "requests_per_second": round(checked_feeds / cycle, 1),
        "desk_cpu_seconds": round(cpu, 1),
        "desk_cpu_ms_per_check": round(1000 * cpu / max(1, checked_feeds), 2),
        "shortest_gap_to_one_host_s": round(shortest, 3),
        "most_requests_one_host_one_second": most,
        "allowed_per_host_per_second": allowed,
        "target_cycle_seconds": TARGET_SECONDS,
        "cycle_target_met": cycle <= TARGET_SECONDS and checked_feeds == args.feeds,
        "politeness_target_met": shortest >= delay - 0.005 if delay > 0 else True,
    }
    width = max(map(len, result))
    print("\n".join(f"{k:<{width}}  {v}" for k, v in result.items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "poll.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
