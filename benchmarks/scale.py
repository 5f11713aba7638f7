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

Then a crash run (skipped with --no-crash): two workers ingest the same web again from an empty
database while the fetch worker (with its whole pool, as when a machine dies) and the placer are
killed with SIGKILL in turn (KILLS) and started again. Right after each kill nothing half-written
may be visible; at the end every entry of every feed must be stored exactly once, every extracted
article be in exactly one story, and no claim outlive its lease (the checks of
tests/sources/test_crash_safety.py, read by tests/crash_check.py).

    .venv/bin/python benchmarks/scale.py [--feeds 200] [--entries 50] [--hosts 100] [--no-crash | --crash-only]

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
from typing import Any

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


class Desk:
    """One desk from an empty database: a scratch PostgreSQL database, a flushed Redis database, the
    feeds registered, and its processes (fetch worker, placer, this script's beat) started and
    stopped here. The worker runs in a session of its own, so a kill takes its pool with it, as
    when a machine dies."""

    def __init__(self, label: str, workers: int, args: argparse.Namespace, port: int, work: Path,
                 **settings: str) -> None:
        self.label, self.workers, self.args, self.work = label, workers, args, work
        self.name = f"wiredesk_scale_{uuid.uuid4().hex[:8]}"
        self.admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDESK_", "DATABASE_URL", "BROKER_URL"))}
        self.env.update(DATABASE_URL=PG_URL.rsplit("/", 1)[0] + "/" + self.name, BROKER_URL=REDIS_URL,
                        WIREDESK_DATA_DIR=str(work / f"data-{label}"), WIREDESK_HTTP_ALLOW_PRIVATE="127.0.0.0/8",
                        WIREDESK_HOST_DELAY=str(args.host_delay), WIREDESK_RESPECT_ROBOTS="false",
                        WIREDESK_EXTRACT_PROCESSES="0", WIREDESK_PAGES_PER_JOB=str(args.entries),
                        PYTHONPATH=str(ROOT / "src"), **settings)
        self.port = port
        self.total = args.feeds * args.entries
        self.worker: subprocess.Popen | None = None  # type: ignore[type-arg]
        self.placer: subprocess.Popen | None = None  # type: ignore[type-arg]
        self.beater: subprocess.Popen | None = None  # type: ignore[type-arg]
        self.beat_cpu = 0.0

    def __enter__(self) -> Desk:
        import psycopg
        import redis

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        redis.Redis.from_url(REDIS_URL).flushdb()
        subprocess.run([sys.executable, "-m", "wiredesk.cli", "migrate"], env=self.env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        opml = self.work / "feeds.opml"
        opml.write_text('<?xml version="1.0"?><opml version="2.0"><head/><body>' + "".join(
            f'<outline type="rss" text="Outlet {f}" xmlUrl="http://{host_ip(f % self.args.hosts)}:{self.port}/feed/{f}"/>'
            for f in range(self.args.feeds)) + "</body></opml>")
        subprocess.run([sys.executable, "-m", "wiredesk.cli", "import-opml", str(opml), "--interval", "86400"],
                       env=self.env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc: object) -> None:
        import psycopg

        for process in (self.beater, self.worker, self.placer):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _celery(self, role: str, *options: str) -> subprocess.Popen:  # type: ignore[type-arg]
        # Warnings and errors of each process are kept in the run's folder (printed at the end).
        log = (self.work / f"{role}-{self.label}.log").open("a")
        quiet = ["--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"]
        return subprocess.Popen([sys.executable, "-m", "celery", "-A", "wiredesk.celery_app", "worker", *options,
                                 *quiet], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def start_worker(self) -> None:
        """Fetch workers leave placement to a placer process of its own, as the README's recipe runs them."""
        self.worker = self._celery("worker", "--pool=prefork", f"--concurrency={self.workers}", "-X", "placement")

    def start_placer(self) -> None:
        self.placer = self._celery("placer", "--pool=solo", "-Q", "placement", "-n", "placer@%h")

    def start_beat(self) -> None:
        """This script plays celery beat: due feeds and placement every 0.5 s."""
        beat = ("from wiredesk.celery_app import app\nimport time\nwhile True:\n"
                "    app.send_task('wiredesk.dispatch_due_sources'); app.send_task('wiredesk.place_stories')\n"
                "    time.sleep(0.5)\n")
        self.beater = subprocess.Popen([sys.executable, "-c", beat], env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)

    def stop_beat(self) -> None:
        before = _children_cpu()
        assert self.beater is not None
        self.beater.kill()
        self.beater.wait()
        self.beat_cpu += _children_cpu() - before

    def stop_gracefully(self) -> None:
        for process in (self.worker, self.placer):
            assert process is not None
            process.send_signal(signal.SIGTERM)  # warm shutdown: the pool's processes are reaped, so counted
        for process in (self.worker, self.placer):
            assert process is not None
            process.wait(timeout=120)

    def progress(self) -> tuple[int, int]:
        ok, placed = query(self.env, PROGRESS)  # type: ignore[misc]
        return ok, placed

    def state(self) -> dict[str, Any]:
        """What a crash test checks (tests/crash_check.py), read by a process of its own."""
        before = _children_cpu()
        try:
            out = subprocess.run([sys.executable, "-m", "tests.crash_check"], env=self.env, cwd=ROOT, check=True,
                                 capture_output=True, text=True, timeout=600)
        finally:
            OBSERVER_CPU[0] += _children_cpu() - before
        return json.loads(out.stdout)


def one_run(workers: int, args: argparse.Namespace, port: int, work: Path) -> dict[str, object]:
    with Desk(str(workers), workers, args, port, work) as desk:
        before, observed = _children_cpu(), OBSERVER_CPU[0]
        desk.start_worker()
        desk.start_placer()
        desk.start_beat()
        started = time.perf_counter()
        stored_at = placed_at = None
        while time.perf_counter() - started < args.timeout:
            ok, placed = desk.progress()
            now = time.perf_counter() - started
            if stored_at is None and ok >= desk.total:
                stored_at = now
            if ok >= desk.total and placed >= desk.total:
                placed_at = now
                break
            time.sleep(1.0)
        desk.stop_beat()
        desk.stop_gracefully()
        cpu = _children_cpu() - before - (OBSERVER_CPU[0] - observed) - desk.beat_cpu
        p50, p95 = query(desk.env, LAGS)  # type: ignore[misc]
        total = desk.total
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


# The crash run's kills: at these shares of the pages stored, this process is killed with SIGKILL
# (the fetch worker with its whole pool, as when its machine dies) and started again at once.
KILLS = ((0.25, "worker"), (0.45, "placer"), (0.65, "worker"))
CRASH_LEASE_SECONDS = 20
TIMELINE_SECONDS = 30.0  # the crash run's progress is recorded this often (seconds, stored, placed)


def _half_written(state: dict[str, Any]) -> list[str]:
    """What must never be seen, even right after a kill (as tests/sources/test_crash_safety.py)."""
    keys = ("duplicate_entries", "ok_without_text", "ok_not_in_search", "fingerprints_without_story",
            "stories_without_fingerprint", "index_keys_without_fingerprint")
    return [f"{key}={state[key]}" for key in keys if state[key]]


def crash_run(args: argparse.Namespace, port: int, work: Path) -> dict[str, object]:
    """Two workers ingest the same web while KILLS land; afterwards every entry is stored exactly
    once, every extracted article is in exactly one story, and no claim outlives its lease."""
    with Desk("crash", 2, args, port, work, WIREDESK_LEASE_SECONDS=str(CRASH_LEASE_SECONDS)) as desk:
        desk.start_worker()
        desk.start_placer()
        desk.start_beat()
        started = time.perf_counter()
        kills: list[dict[str, object]] = []
        pending = list(KILLS)
        finished_at = None
        watching: list[tuple[dict[str, object], int, int]] = []  # (kill, progress column, count at the kill)
        timeline: list[tuple[float, int, int]] = []  # (seconds, stored, placed) every TIMELINE_SECONDS
        while time.perf_counter() - started < args.timeout:
            ok, placed = desk.progress()
            elapsed = time.perf_counter() - started
            if not timeline or elapsed - timeline[-1][0] >= TIMELINE_SECONDS:
                timeline.append((round(elapsed, 1), ok, placed))
            if pending and ok >= pending[0][0] * desk.total:
                share, role = pending.pop(0)
                process = desk.worker if role == "worker" else desk.placer
                assert process is not None
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                killed_at = time.time()
                seen = desk.state()  # read at once: what the killed process left
                kills.append({"role": role, "stored_when_killed": seen["ok"], "placed_when_killed": placed,
                              "half_written_after": _half_written(seen),
                              "check_seconds": round(time.time() - killed_at, 1)})
                desk.start_worker() if role == "worker" else desk.start_placer()
                kills[-1]["killed_at"] = killed_at
                watching.append((kills[-1], 0 if role == "worker" else 1, seen["ok"] if role == "worker" else placed))
                continue
            for watch in [w for w in watching if (ok, placed)[w[1]] > w[2]]:
                # the first progress of the kind the killed process made, since its restart
                watch[0]["resumed_after_s"] = round(time.time() - float(watch[0]["killed_at"]), 1)
                watching.remove(watch)
            if not pending and ok >= desk.total and placed >= desk.total:
                state = desk.state()
                if state["pending_pages"] == 0 and state["awaiting_story"] == 0 and state["ok_without_story"] == 0:
                    finished_at = time.perf_counter() - started
                    break
            time.sleep(1.0)
        desk.stop_beat()
        # Whatever the killed processes held is free, or held anew by a live one, once its lease is over.
        time.sleep(max(0.0, max((float(k["killed_at"]) for k in kills), default=0.0) + CRASH_LEASE_SECONDS + 1
                       - time.time()))
        state = desk.state()
        desk.stop_gracefully()
        per_feed = sorted(set(state["articles_by_feed"].values()))
        problems = [p for k in kills for p in k["half_written_after"]]  # type: ignore[attr-defined]
        problems += [f"after: {p}" for p in _half_written(state)]
        if per_feed != [args.entries]:
            problems.append(f"articles a feed: {per_feed} (want {args.entries} each)")
        if state["ok"] != desk.total or state["ok_without_story"] or state["pending_pages"] or state["awaiting_story"]:
            problems.append(f"not finished: ok={state['ok']} pending={state['pending_pages']} "
                            f"awaiting={state['awaiting_story']} without story={state['ok_without_story']}")
        outlived = [c for c in state["claims"] if c[1] > CRASH_LEASE_SECONDS]
        if outlived:
            problems.append(f"claims longer than the lease: {outlived[:3]}")
        for kill in kills:
            kill.pop("killed_at")
        return {"workers": 2, "articles": desk.total, "kills": kills,
                "seconds_to_finish": round(finished_at, 1) if finished_at else None,
                "problems": problems, "exactly_once": not problems and finished_at is not None,
                "timeline": timeline}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--host-delay", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--no-crash", action="store_true", help="skip the crash run (kills during a third ingest)")
    parser.add_argument("--crash-only", action="store_true", help="only the crash run (no speed-up measured)")
    args = parser.parse_args()
    port = free_port(args.hosts)
    ready = multiprocessing.Event()
    web = multiprocessing.Process(target=serve, args=(args.hosts, args.entries, port, ready), daemon=True)
    web.start()
    ready.wait(30)
    work = Path(tempfile.mkdtemp(prefix="wiredesk-scale-"))
    runs = [] if args.crash_only else [one_run(workers, args, port, work) for workers in (1, 2)]
    crash = None if args.no_crash else crash_run(args, port, work)
    web.kill()
    speedup = None
    if runs:
        one, two = runs
        speedup = (two["stored_per_second"] / one["stored_per_second"]  # type: ignore[operator]
                   if one["stored_per_second"] and two["stored_per_second"] else None)
    result = {"feeds": args.feeds, "entries_per_feed": args.entries, "hosts": args.hosts,
              "host_delay_s": args.host_delay, "runs": runs,
              "speedup_stored_2_over_1": round(speedup, 2) if speedup else None,
              "speedup_target": TARGET_SPEEDUP, "target_met": bool(speedup and speedup >= TARGET_SPEEDUP),
              "crash": crash}
    for run in runs:
        print("  ".join(f"{k}={v}" for k, v in run.items()))
    if runs:
        print(f"speed-up of 2 workers over 1 (fetch+extract+store): {result['speedup_stored_2_over_1']} "
              f"(target {TARGET_SPEEDUP})")
    if crash is not None:
        for kill in crash["kills"]:  # type: ignore[union-attr]
            print(f"killed the {kill['role']} with SIGKILL at {kill['stored_when_killed']} stored, "
                  f"{kill['placed_when_killed']} placed; half-written right after: {kill['half_written_after'] or 'nothing'} "
                  f"(checked in {kill['check_seconds']} s; its work resumed {kill.get('resumed_after_s')} s after the kill)")
        print(f"crash run: finished in {crash['seconds_to_finish']} s; every entry stored exactly once, every "
              f"article in exactly one story, no claim past its lease: {'yes' if crash['exactly_once'] else 'NO'}"
              + (f" ({'; '.join(crash['problems'])})" if crash["problems"] else ""))  # type: ignore[arg-type]
    print(f"worker and placer logs (warnings and errors): {work}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / ("scale-crash.json" if args.crash_only else "scale.json")).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
