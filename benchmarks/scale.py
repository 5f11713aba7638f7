"""Scale-out benchmark: the same simulated web ingested by one and then by two Celery worker
processes, on PostgreSQL and Redis, in one run.

A simulated web (one asyncio process on many loopback addresses, 127.0.2.x) serves `--feeds` feeds
spread over `--hosts` hosts, each feed listing `--entries` articles whose pages are news-like
prose (about 400 words; reports of a few hundred events, several outlets each, so stories form).
For each worker count the desk starts from an empty database: the feeds are registered, a Celery
worker (prefork pool, `--concurrency` 1 or 2, extraction in the worker process, `-X placement`)
and a placer (`-Q placement`, one process: story placement's own queue) are started, and
this script plays celery beat (dispatch every 0.5 s, placement every 0.5 s) until every page is
extracted and every article placed in a story.

Reported per worker count: articles per second end to end (fetched, extracted, stored and placed),
the same for fetch+extract+store alone, CPU seconds per article of the worker and placer processes, and
placement lag (from a page being stored to its article's placement) p50/p95; then the speed-up of
two workers over one. Target: at least 1.7x for fetch+extract+store on this 2-core machine, and
placement never the bottleneck (its lag stays bounded rather than growing with the run).

    .venv/bin/python benchmarks/scale.py [--feeds 200] [--entries 50] [--hosts 100]

Needs PostgreSQL (WIREDESK_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/wiredesk: a
scratch database is created beside it and dropped) and Redis (WIREDESK_TEST_REDIS_URL's server,
database 13). Writes benchmarks/results/scale.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import loopback  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
PG_URL = os.environ.get("WIREDESK_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/wiredesk")
REDIS_URL = os.environ.get("WIREDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0] + "/13"
TARGET_SPEEDUP = 1.7
WORDS = ("council harbour bridge storm vote minister strike court river market school hospital fire police "
         "budget election flood airport factory union mayor festival museum railway energy water court "
         "report inquiry tender contract village coast mountain border trade price wage farmers").split()


def host_ip(index: int) -> str:
    return loopback.address(2, index)


def page_text(event: int, outlet: int) -> str:
    """About 400 words about event `event`, worded per outlet: several outlets cover each event."""
    rng = random.Random(event * 7919 + outlet)
    topic = random.Random(event).sample(WORDS, 6)
    sentences = []
    for n in range(24):
        chosen = topic[n % 6], rng.choice(WORDS), topic[(n + 2) % 6], rng.choice(WORDS)
        sentences.append(f"The {chosen[0]} {chosen[1]} in Town{event} met the {chosen[2]} over the {chosen[3]} "
                         f"on day {event % 28 + 1}, officials said in report {event}.")
    return " ".join(sentences)


class Web(asyncio.Protocol):
    entries = 50
    hosts = 100

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.base = "http://{}:{}".format(*transport.get_extra_info("sockname")[:2])
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            parts = head.split(b" ", 2)
            self.answer(parts[1].decode() if len(parts) > 1 else "/")

    def answer(self, path: str) -> None:
        bits = path.strip("/").split("/")
        if bits[0] == "feed" and len(bits) == 2:
            feed = int(bits[1])
            items = "".join(f"<item><title>Report {feed}-{k}</title><link>{self.base}/p/{feed}/{k}</link>"
                            f"<guid isPermaLink='false'>urn:scale:{feed}:{k}</guid>"
                            f"<pubDate>Mon, 30 Nov 2026 {k % 24:02d}:00:00 GMT</pubDate></item>"
                            for k in range(Web.entries))
            body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>F{feed}</title>{items}</channel></rss>"
            self.reply(200, body.encode(), "application/rss+xml")
        elif bits[0] == "p" and len(bits) == 3:
            feed, k = int(bits[1]), int(bits[2])
            event = (feed * Web.entries + k) // 4  # four outlets' reports per event
            text = page_text(event, feed)
            body = (f"<html><head><title>Event {event} report</title></head><body><article><h1>Event {event}: "
                    f"{text[:60]}</h1>" + "".join(f"<p>{text[i:i + 400]}</p>" for i in range(0, len(text), 400))
                    + "</article></body></html>")
            self.reply(200, body.encode(), "text/html; charset=utf-8")
        else:
            self.reply(404, b"", "text/plain")

    def reply(self, status: int, body: bytes, kind: str) -> None:
        head = f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\nContent-Type: {kind}\r\n" \
               f"Content-Length: {len(body)}\r\n\r\n"
        self.transport.write(head.encode() + body)  # type: ignore[attr-defined]


def serve(hosts: int, entries: int, port: int, ready: multiprocessing.Event) -> None:  # type: ignore[type-arg]
    Web.entries, Web.hosts = entries, hosts

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for h in range(hosts):
            await loop.create_server(Web, host_ip(h), port, backlog=512)
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def free_port(hosts: int) -> int:
    return loopback.free_port(2, hosts)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


OBSERVER_CPU = [0.0]  # CPU of this script's own helper processes, kept out of the desk's


def query(env: dict[str, str], code: str) -> object:
    before = _children_cpu()
    try:
        return _query(env, code)
    finally:
        OBSERVER_CPU[0] += _children_cpu() - before


def _query(env: dict[str, str], code: str) -> object:
    out = subprocess.run([sys.executable, "-c", "import os, json; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                          "'wiredesk.settings'); import django; django.setup()\n" + code],
                         env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


PROGRESS = """
from wiredesk.articles.models import Article
from wiredesk.stories.models import StoryMember
print(json.dumps([Article.objects.filter(fetch_status='ok').count(), StoryMember.objects.count()]))
"""

LAGS = """
from django.db.models import F
from wiredesk.stories.models import StoryMember
lags = sorted((m.placed_at - m.article.fetched_at).total_seconds() for m in
              StoryMember.objects.select_related('article').exclude(article__fetched_at=None))
print(json.dumps([lags[len(lags) // 2], lags[int(len(lags) * 0.95)]] if lags else [None, None]))
"""


def one_run(workers: int, args: argparse.Namespace, port: int, work: Path) -> dict[str, object]:
    import psycopg
    import redis

    name = f"wiredesk_scale_{uuid.uuid4().hex[:8]}"
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDESK_", "DATABASE_URL", "BROKER_URL"))}
    env.update(DATABASE_URL=PG_URL.rsplit("/", 1)[0] + "/" + name, BROKER_URL=REDIS_URL,
               WIREDESK_DATA_DIR=str(work / f"data-{workers}"), WIREDESK_HTTP_ALLOW_PRIVATE="127.0.0.0/8",
               WIREDESK_HOST_DELAY=str(args.host_delay), WIREDESK_RESPECT_ROBOTS="false",
               WIREDESK_EXTRACT_PROCESSES="0", WIREDESK_PAGES_PER_JOB=str(args.entries), PYTHONPATH=str(ROOT / "src"))
    try:
        subprocess.run([sys.executable, "-m", "wiredesk.cli", "migrate"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        opml = work / "feeds.opml"
        opml.write_text('<?xml version="1.0"?><opml version="2.0"><head/><body>' + "".join(
            f'<outline type="rss" text="Outlet {f}" xmlUrl="http://{host_ip(f % args.hosts)}:{port}/feed/{f}"/>'
            for f in range(args.feeds)) + "</body></opml>")
        subprocess.run([sys.executable, "-m", "wiredesk.cli", "import-opml", str(opml), "--interval", "86400"],
                       env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        total = args.feeds * args.entries
        before, observed = _children_cpu(), OBSERVER_CPU[0]
        quiet = ["--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"]
        # Fetch workers leave placement to a placer process of its own, as the README's recipe runs them.
        # Warnings and errors of each process are kept in the run's folder (printed at the end).
        worker_log = (work / f"worker-{workers}.log").open("w")
        placer_log = (work / f"placer-{workers}.log").open("w")
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "wiredesk.celery_app", "worker",
                                   "--pool=prefork", f"--concurrency={workers}", "-X", "placement", *quiet],
                                  env=env, cwd=ROOT, stdout=worker_log, stderr=subprocess.STDOUT)
        placer = subprocess.Popen([sys.executable, "-m", "celery", "-A", "wiredesk.celery_app", "worker",
                                   "--pool=solo", "-Q", "placement", "-n", "placer@%h", *quiet],
                                  env=env, cwd=ROOT, stdout=placer_log, stderr=subprocess.STDOUT)
        beat = ("from wiredesk.celery_app import app\nimport time\nwhile True:\n"
                "    app.send_task('wiredesk.dispatch_due_sources'); app.send_task('wiredesk.place_stories')\n"
                "    time.sleep(0.5)\n")
        beater = subprocess.Popen([sys.executable, "-c", beat], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        started = time.perf_counter()
        stored_at = placed_at = None
        while time.perf_counter() - started < args.timeout:
            ok, placed = query(env, PROGRESS)  # type: ignore[misc]
            now = time.perf_counter() - started
            if stored_at is None and ok >= total:
                stored_at = now
            if ok >= total and placed >= total:
                placed_at = now
                break
            time.sleep(1.0)
        beat_cpu = _children_cpu()
        beater.kill()
        beater.wait()
        beat_cpu = _children_cpu() - beat_cpu
        for process in (worker, placer):
            process.send_signal(signal.SIGTERM)  # warm shutdown: the pool's processes are reaped, so counted
        for process in (worker, placer):
            process.wait(timeout=120)
        cpu = _children_cpu() - before - (OBSERVER_CPU[0] - observed) - beat_cpu
        p50, p95 = query(env, LAGS)  # type: ignore[misc]
        return {
            "workers": workers, "articles": total,
            "seconds_to_stored": round(stored_at, 1) if stored_at else None,
            "seconds_to_placed": round(placed_at, 1) if placed_at else None,
            "stored_per_second": round(total / stored_at, 1) if stored_at else None,
            "end_to_end_per_second": round(total / placed_at, 1) if placed_at else None,
            "cpu_ms_per_article": round(1000 * cpu / total, 1),
            "placement_lag_p50_s": round(p50, 1) if p50 is not None else None,
            "placement_lag_p95_s": round(p95, 1) if p95 is not None else None,
        }
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--host-delay", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    port = free_port(args.hosts)
    ready = multiprocessing.Event()
    web = multiprocessing.Process(target=serve, args=(args.hosts, args.entries, port, ready), daemon=True)
    web.start()
    ready.wait(30)
    work = Path(tempfile.mkdtemp(prefix="wiredesk-scale-"))
    runs = [one_run(workers, args, port, work) for workers in (1, 2)]
    web.kill()
    one, two = runs
    speedup = (two["stored_per_second"] / one["stored_per_second"]  # type: ignore[operator]
               if one["stored_per_second"] and two["stored_per_second"] else None)
    result = {"feeds": args.feeds, "entries_per_feed": args.entries, "hosts": args.hosts,
              "host_delay_s": args.host_delay, "runs": runs,
              "speedup_stored_2_over_1": round(speedup, 2) if speedup else None,
              "speedup_target": TARGET_SPEEDUP, "target_met": bool(speedup and speedup >= TARGET_SPEEDUP)}
    for run in runs:
        print("  ".join(f"{k}={v}" for k, v in run.items()))
    print(f"speed-up of 2 workers over 1 (fetch+extract+store): {result['speedup_stored_2_over_1']} "
          f"(target {TARGET_SPEEDUP})")
    print(f"worker and placer logs (warnings and errors): {work}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
