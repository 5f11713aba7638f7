"""A worker killed in the middle of ingesting loses nothing and duplicates nothing.

The desk runs in processes of its own, exactly as an operator starts it (`wiredesk run` on SQLite;
a Celery worker on PostgreSQL and Redis), against a local web of slow article pages, and is killed
with SIGKILL while it fetches, extracts, stores and places. Then it is started again and left to
finish. A separate process (tests.crash_check) reads what the killed processes left:

- right after the kill: nothing half-written is visible (no extracted article without text or
  search entry, no fingerprint or index key without its story membership, no membership without
  its fingerprint);
- a claim the killed worker held runs out with its lease (and nothing holds a claim longer);
- at the end: every entry of every feed stored exactly once, every extracted article in exactly one
  story, nothing left pending or waiting.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.factories import article_html, rss
from tests.localserver import LocalServer, Reply

ROOT = Path(__file__).resolve().parents[2]
FEEDS, ENTRIES = 4, 12
LEASE_SECONDS = 3
PAGE_DELAY = 0.004  # per 64-byte piece: about 40 ms a page, so a kill lands mid-job
REDIS_URL = os.environ.get("WIREDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PG_URL = os.environ.get("WIREDESK_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/wiredesk")


@pytest.fixture(autouse=True)
def once_per_run() -> None:
    """These tests bring their own databases (a data folder; a scratch PostgreSQL database), so the
    suite's second pass, on PostgreSQL, would only repeat them."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("run in the SQLite pass: the crash tests bring their own databases")


@pytest.fixture
def spawned() -> Iterator[list[subprocess.Popen]]:  # type: ignore[type-arg]
    """Processes a test starts; all killed at its end whatever happened (a worker left running would
    take the next test's tasks from the broker)."""
    processes: list[subprocess.Popen] = []  # type: ignore[type-arg]
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


@pytest.fixture
def slow_web() -> Iterator[LocalServer]:
    server = LocalServer().start()
    for feed in range(FEEDS):
        items = [(f"f{feed}e{n}", f"Report {n} from desk {feed} on the harbour works", "world")
                 for n in range(ENTRIES)]
        server.route(f"/feed{feed}", Reply(body=rss(items, server.base), content_type="application/rss+xml"))
        for guid, title, _ in items:
            server.route(f"/p/{guid}", Reply(body=article_html(title), chunk_delay=PAGE_DELAY))
    yield server
    server.stop()


def _opml(server: LocalServer, folder: Path) -> Path:
    outlines = "".join(f'<outline type="rss" text="Desk {n}" xmlUrl="{server.url(f"/feed{n}")}"/>'
                       for n in range(FEEDS))
    path = folder / "feeds.opml"
    path.write_text(f'<?xml version="1.0"?><opml version="2.0"><head/><body>{outlines}</body></opml>')
    return path


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDESK_", "DATABASE_URL", "BROKER_URL"))}
    env.update(WIREDESK_DATA_DIR=str(data_dir), WIREDESK_HTTP_ALLOW_PRIVATE="127.0.0.1/32",
               WIREDESK_HOST_DELAY="0", WIREDESK_LEASE_SECONDS=str(LEASE_SECONDS), WIREDESK_RESPECT_ROBOTS="false",
               WIREDESK_EXTRACT_PROCESSES="0", WIREDESK_WORKERS="2", PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "wiredesk.cli", *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, timeout=120)


def _state(env: dict[str, str]) -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-m", "tests.crash_check"], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(predicate: Callable[[], bool], seconds: float, what: str, describe: Callable[[], object] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}: {describe() if describe else ''}")


def _pages_served(server: LocalServer) -> int:
    return sum(1 for path, _ in server.requests if path.startswith("/p/"))


def _nothing_half_written(state: dict) -> None:  # type: ignore[type-arg]
    assert state["duplicate_entries"] == 0
    assert state["ok_without_text"] == 0 and state["ok_not_in_search"] == 0
    assert state["fingerprints_without_story"] == 0 and state["stories_without_fingerprint"] == 0
    assert state["index_keys_without_fingerprint"] == 0


def _left_nothing_half_written(env: dict[str, str], after_pages: int) -> None:
    """What the killed process left, read at once: consistent, and not yet everything."""
    partial = _state(env)
    print(f"after the kill at {after_pages} pages:", {k: partial[k] for k in ("ok", "pending_pages", "awaiting_story")})
    _nothing_half_written(partial)
    assert partial["ok"] < FEEDS * ENTRIES, "the kill came too late to test anything"


def _all_done(state: dict) -> bool:  # type: ignore[type-arg]
    return (state["ok"] == FEEDS * ENTRIES and state["pending_pages"] == 0 and state["awaiting_story"] == 0
            and state["ok_without_story"] == 0)


def _finished_exactly_once(state: dict) -> None:  # type: ignore[type-arg]
    _nothing_half_written(state)
    assert sorted(state["articles_by_feed"].values()) == [ENTRIES] * FEEDS
    assert _all_done(state), state


def _claims_run_out(env: dict[str, str], killed_at: float) -> None:
    """Whatever the killed process held is free, or held anew by a live worker, once its lease is over."""
    time.sleep(max(0.0, killed_at + LEASE_SECONDS + 0.5 - time.time()))
    for holder, seconds_left in _state(env)["claims"]:
        assert seconds_left <= LEASE_SECONDS, (holder, seconds_left)


def _kill_mid_ingest(process: subprocess.Popen, server: LocalServer, after_pages: int) -> float:  # type: ignore[type-arg]
    _wait(lambda: _pages_served(server) >= after_pages, 90, f"{after_pages} pages to be fetched")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return time.time()


# Killed in the first feed's first batch of pages (nothing of it committed yet), or later, with
# some feeds' pages written and placed and others half-way.
KILL_AFTER_PAGES = [pytest.param(10, id="in-first-batch"), pytest.param(30, id="after-some-batches")]


@pytest.mark.slow
@pytest.mark.parametrize("after_pages", KILL_AFTER_PAGES)
def test_killing_the_embedded_desk_mid_ingest_loses_and_duplicates_nothing(slow_web: LocalServer, tmp_path: Path,
                                                                           after_pages: int, spawned: list) -> None:  # type: ignore[type-arg]
    env = _env(tmp_path)
    _cli(env, "migrate")
    _cli(env, "import-opml", str(_opml(slow_web, tmp_path)), "--interval", "1")

    def start() -> subprocess.Popen:  # type: ignore[type-arg]
        spawned.append(subprocess.Popen([sys.executable, "-m", "wiredesk.cli", "run", "--no-starter", "--port",
                                         str(_free_port())], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))
        return spawned[-1]

    first = start()
    killed_at = _kill_mid_ingest(first, slow_web, after_pages)
    _left_nothing_half_written(env, after_pages)
    second = start()
    try:
        _claims_run_out(env, killed_at)
        _wait(lambda: _all_done(_state(env)), 60, "the restarted desk to finish", lambda: _state(env))
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait(timeout=30)
    _finished_exactly_once(_state(env))


def _service_up(url: str, default_port: int) -> bool:
    netloc = url.split("//", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = netloc.partition(":")
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host or "127.0.0.1", int(port or default_port))) == 0


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    """A database of its own on the test server, dropped afterwards (the killed workers must not
    share the suite's test database)."""
    if not _service_up(PG_URL, 5432) or not _service_up(REDIS_URL, 6379):
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL and Redis are needed for the scale-out crash test")
        pytest.skip("PostgreSQL or Redis not reachable")
    import psycopg

    name = f"wiredesk_crash_{uuid.uuid4().hex[:10]}"
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
@pytest.mark.parametrize("after_pages", KILL_AFTER_PAGES)
def test_killing_a_celery_worker_mid_ingest_loses_and_duplicates_nothing(
        slow_web: LocalServer, tmp_path: Path, scratch_postgres: str, after_pages: int,
        spawned: list) -> None:  # type: ignore[type-arg]
    broker = REDIS_URL.rsplit("/", 1)[0] + "/14"
    env = _env(tmp_path, DATABASE_URL=scratch_postgres, BROKER_URL=broker)
    import redis

    redis.Redis.from_url(broker).flushdb()
    _cli(env, "migrate")
    _cli(env, "import-opml", str(_opml(slow_web, tmp_path)), "--interval", "1")

    def worker() -> subprocess.Popen:  # type: ignore[type-arg]
        spawned.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "wiredesk.celery_app", "worker", "--pool=solo",
             "--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        return spawned[-1]

    def beat_once() -> None:  # what celery beat sends on its schedule, sent now
        subprocess.run([sys.executable, "-c", "from wiredesk.celery_app import app; "
                        "app.send_task('wiredesk.dispatch_due_sources'); app.send_task('wiredesk.place_stories')"],
                       env=env, cwd=ROOT, check=True, timeout=60)

    first = worker()
    beating = threading.Event()

    def beat() -> None:  # celery beat's rounds, while the first worker ingests
        while not beating.wait(0.5):
            beat_once()

    beater = threading.Thread(target=beat, daemon=True)
    beater.start()
    try:
        killed_at = _kill_mid_ingest(first, slow_web, after_pages)
    finally:
        beating.set()
        beater.join(timeout=60)
    _left_nothing_half_written(env, after_pages)
    second = worker()
    try:
        _claims_run_out(env, killed_at)

        def finished() -> bool:
            beat_once()
            return _all_done(_state(env))

        _wait(finished, 180, "the second worker to finish")
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait(timeout=30)
    _finished_exactly_once(_state(env))
