"""Ingest benchmark: the whole pipeline against trafilatura extraction alone, on the demo world.

Both are measured in this run on the same pages, so the ratio is what matters: absolute times on a
shared machine are noise. Extraction alone is trafilatura in one thread; the pipeline runs as
`wiredesk demo` runs it (WIREDESK_WORKERS worker threads, the extraction process pool), and its
time includes reading the feeds, fetching every page over HTTP and writing every row. The CPU time
each side used is reported too (this process, the extraction processes, and apart from both the
outlets' servers), which a busy machine disturbs far less than wall time. Also measured: peak
resident memory of this process, and of a real `wiredesk demo` process after it has ingested the
demo world and served some pages.

    .venv/bin/python benchmarks/ingest.py [--skip-demo-process]

Prints a table and writes benchmarks/results/ingest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wiredesk.demo.server import free_port_block  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TARGET_RATIO = 1.25
TARGET_DEMO_MB = 400
REPEATS = 5  # each side is timed this many times and the fastest run kept, as timeit does


def _setup_django(data_dir: str) -> None:
    os.environ["WIREDESK_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["WIREDESK_HTTP_ALLOW_PRIVATE"] = "127.0.0.0/8"
    os.environ["WIREDESK_HOST_DELAY"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wiredesk.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _serve_demo_world(anchor: datetime, first_port: int) -> None:
    """Child process: the outlets' servers run apart, so their work is not billed to the pipeline."""
    from wiredesk.demo.server import DemoWire
    from wiredesk.demo.world import build_world

    world = build_world(anchor)
    DemoWire(world, clock=lambda: world.anchor, first_port=first_port).start()
    threading.Event().wait()


def measure_in_process() -> dict[str, float]:
    import httpx

    from wiredesk.demo.setup import register_demo_sources
    from wiredesk.demo.world import OUTLETS, build_world

    anchor = datetime(2026, 11, 25, 12, tzinfo=UTC)
    world = build_world(anchor)
    first_port = free_port_block(start=31000)
    server = multiprocessing.get_context("spawn").Process(target=_serve_demo_world, args=(anchor, first_port), daemon=True)
    server.start()
    try:
        bases = {o.slug: f"http://127.0.0.1:{first_port + i}" for i, o in enumerate(OUTLETS)}
        _wait_until_up(bases["newspulse"] + "/robots.txt")
        pages = []
        for slug, base in bases.items():
            for article in world.published(slug, world.anchor):
                url = f"{base}/news/{article.slug}"
                pages.append((url, httpx.get(url).content))
        extraction_seconds = min(_extract_all(pages) for _ in range(REPEATS))

        from django.conf import settings

        from wiredesk.articles.models import Article
        from wiredesk.ingest.extract_pool import shared_pool
        from wiredesk.sources.polling import poll_once

        shared_pool(settings.WIREDESK["WIREDESK_EXTRACT_PROCESSES"]).warm()  # started once per worker, not per page
        server_side = {server.pid, *_children(server.pid)}
        accounts = {"this process": lambda: [os.getpid()],
                    "extraction processes": lambda: [p for p in _children(os.getpid()) if p not in server_side],
                    "outlets' servers": lambda: sorted(server_side)}
        passes = []
        for _ in range(REPEATS):
            before = {name: _cpu_seconds(pids()) for name, pids in accounts.items()}
            seconds = _timed_pass(lambda: register_demo_sources([(o, bases[o.slug]) for o in OUTLETS]),
                                  with_stories=False)
            passes.append((seconds, {name: _cpu_seconds(pids()) - before[name] for name, pids in accounts.items()}))
        ingest_only_seconds, cpu = min(passes, key=lambda item: item[0])
        register_demo_sources([(o, bases[o.slug]) for o in OUTLETS])
        started = time.perf_counter()
        poll_once(progress=False)
        pipeline_seconds = time.perf_counter() - started
        stored = Article.objects.filter(fetch_status=Article.FetchStatus.OK).count()
    finally:
        server.terminate()
    return {
        "ingest_without_story_engine_seconds": round(ingest_only_seconds, 3),
        "ingest_without_story_engine_ratio": round(ingest_only_seconds / extraction_seconds, 3),
        **{f"ingest_cpu_seconds_{name.replace(' ', '_').replace(chr(39), '')}": round(value, 3)
           for name, value in cpu.items()},
        "ingest_cpu_to_extraction_cpu_ratio": round(
            (cpu["this process"] + cpu["extraction processes"]) / extraction_seconds, 3),
        "pages": len(pages),
        "worker_threads": settings.WIREDESK["WIREDESK_WORKERS"],
        "extraction_processes_configured": str(settings.WIREDESK["WIREDESK_EXTRACT_PROCESSES"]),
        "articles_stored": stored,
        "extraction_only_seconds": round(extraction_seconds, 3),
        "pipeline_seconds": round(pipeline_seconds, 3),
        "extraction_only_articles_per_second": round(len(pages) / extraction_seconds, 1),
        "pipeline_articles_per_second": round(stored / pipeline_seconds, 1),
        "pipeline_to_extraction_ratio": round(pipeline_seconds / extraction_seconds, 3),
        "peak_rss_mb_this_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


FUNDUS = ROOT.parent / "shared" / "data" / "fundus-evaluation" / "html"


def _serve_real_pages(directory: str, port: int) -> None:
    """Child process: real news pages (fundus-evaluation) behind one RSS feed, as an outlet would."""
    import gzip
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    pages = {f"/page/{i}": gzip.decompress(path.read_bytes())
             for i, path in enumerate(sorted(Path(directory).glob("*.html.gz")))}
    items = "".join(f"<item><title>Page {p}</title><link>http://127.0.0.1:{port}{p}</link><guid>{p}</guid></item>"
                    for p in pages)
    feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Real pages</title>{items}</channel></rss>".encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:  # noqa: N802
            body = feed if self.path == "/feed" else pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml" if self.path == "/feed" else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def measure_real_pages() -> dict[str, float]:
    """The same comparison on 80 real news pages from 16 publishers, when shared/data is present."""
    import gzip

    from wiredesk.articles.models import Article
    from wiredesk.sources.models import Outlet, Source
    from wiredesk.sources.polling import poll_once

    files = sorted(FUNDUS.glob("*.html.gz"))
    port = free_port_block(1, start=47000)
    server = multiprocessing.get_context("spawn").Process(target=_serve_real_pages, args=(str(FUNDUS), port), daemon=True)
    server.start()
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/feed")
        pages = [(f"http://127.0.0.1:{port}/page/{i}", gzip.decompress(f.read_bytes())) for i, f in enumerate(files)]
        extraction_seconds = min(_extract_all(pages) for _ in range(REPEATS))
        Source.objects.update(enabled=False)
        outlet = Outlet.objects.create(name="Real pages", slug="real-pages")
        Source.objects.create(outlet=outlet, feed_url=f"http://127.0.0.1:{port}/feed")
        started = time.perf_counter()
        from django.conf import settings

        settings.WIREDESK["WIREDESK_PAGES_PER_JOB"] = len(pages)
        from unittest import mock

        with mock.patch("wiredesk.sources.polling.place_all", lambda holder: 0):
            poll_once(progress=False)
        ingest_seconds = time.perf_counter() - started
        from wiredesk.stories.placement import place_all

        place_all("benchmark")
        pipeline_seconds = time.perf_counter() - started
        stored = Article.objects.filter(outlet=outlet, fetch_status=Article.FetchStatus.OK).count()
    finally:
        server.terminate()
    return {
        "real_pages": len(pages),
        "real_pages_extracted": stored,
        "real_extraction_only_seconds": round(extraction_seconds, 3),
        "real_ingest_without_story_engine_seconds": round(ingest_seconds, 3),
        "real_ingest_without_story_engine_ratio": round(ingest_seconds / extraction_seconds, 3),
        "real_pipeline_seconds": round(pipeline_seconds, 3),
        "real_pipeline_to_extraction_ratio": round(pipeline_seconds / extraction_seconds, 3),
    }


def _extract_all(pages: list[tuple[str, bytes]]) -> float:
    """Seconds for trafilatura alone to extract every page, one after another."""
    import trafilatura

    started = time.perf_counter()
    for url, page in pages:
        trafilatura.bare_extraction(page, url=url, with_metadata=True)
    return time.perf_counter() - started


def _timed_pass(register, with_stories: bool) -> float:  # type: ignore[no-untyped-def]
    """One ingest of freshly registered sources, optionally without placing articles in stories;
    everything it stored is deleted afterwards so the next pass starts empty."""
    from unittest import mock

    from wiredesk.sources.models import Outlet
    from wiredesk.sources.polling import poll_once
    from wiredesk.stories.models import Story, TermStat

    register()
    patch = contextlib.nullcontext() if with_stories else mock.patch(
        "wiredesk.sources.polling.place_all", lambda holder: 0)
    with patch:
        started = time.perf_counter()
        poll_once(progress=False)
        seconds = time.perf_counter() - started
    Outlet.objects.all().delete()
    Story.objects.all().delete()
    TermStat.objects.all().delete()
    return seconds


def _wait_until_up(url: str) -> None:
    import httpx

    for _ in range(100):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"demo wire did not start: {url}")


def measure_demo_process() -> dict[str, float]:
    """Start `wiredesk demo`, wait until it serves, read some pages, then read its memory from /proc."""
    import httpx

    port = free_port_block(start=31000)
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDESK_", "DATABASE_URL", "DJANGO_"))}
        env["WIREDESK_DATA_DIR"] = data_dir
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "wiredesk.cli", "demo", "--port", str(port)],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except httpx.HTTPError:
                    if process.poll() is not None or time.perf_counter() - started > 300:
                        raise RuntimeError("wiredesk demo did not start") from None
                    time.sleep(0.5)
            ready_seconds = time.perf_counter() - started
            front = httpx.get(f"http://127.0.0.1:{port}/", timeout=10).text
            for path in sorted(set(re.findall(r'href="(/article/\d+/)"', front)))[:20]:
                httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10)
            httpx.get(f"http://127.0.0.1:{port}/search/?q=floods", timeout=10)
            rss_kb, hwm_kb = _memory_kb(process.pid)
            children = _children(process.pid)
            children_kb = sum(_memory_kb(child)[0] for child in children)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return {"demo_ready_seconds": round(ready_seconds, 1), "demo_rss_mb": round(rss_kb / 1024, 1),
            "demo_peak_rss_mb": round(hwm_kb / 1024, 1),
            "demo_with_extraction_processes_rss_mb": round((rss_kb + children_kb) / 1024, 1),
            "extraction_processes": len(children)}


def _cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used so far, from /proc (0 for one that has gone)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the line)
    return total / ticks


def _memory_kb(pid: int) -> tuple[int, int]:
    """Resident and peak resident memory of a process, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return rss, peak


def _children(pid: int) -> list[int]:
    """Every descendant of `pid` (the extraction pool and its helper)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        for task in Path(f"/proc/{current}/task").iterdir():
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            for child in map(int, children):
                found.append(child)
                queue.append(child)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-demo-process", action="store_true", help="do not start a `wiredesk demo` process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _setup_django(data_dir)
        logging.getLogger("wiredesk").setLevel(logging.WARNING)
        result = measure_in_process()
        if FUNDUS.is_dir():
            result.update(measure_real_pages())
        else:
            print(f"({FUNDUS} not present: real-page comparison skipped)")
    if not args.skip_demo_process:
        result.update(measure_demo_process())
    result["targets"] = {"pipeline_to_extraction_ratio_max": TARGET_RATIO, "demo_rss_mb_max": TARGET_DEMO_MB}
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")

    print(f"{'measure':<42}{'value':>12}")
    print("-" * 54)
    for key, value in result.items():
        if key not in {"targets", "measured_at"}:
            print(f"{key:<42}{value:>12}")
    ingest_ratio = result["ingest_without_story_engine_ratio"]
    print(f"\ningest (read feeds, fetch, extract, store) / extraction alone, demo world: {ingest_ratio} "
          f"(target <= {TARGET_RATIO}): {'met' if ingest_ratio <= TARGET_RATIO else 'NOT met'}")
    if "real_ingest_without_story_engine_ratio" in result:
        real = result["real_ingest_without_story_engine_ratio"]
        print(f"the same on 80 real news pages: {real} (target <= {TARGET_RATIO}): "
              f"{'met' if real <= TARGET_RATIO else 'NOT met'}")
    print(f"CPU time, demo world (this machine's load does not change it much): ingest used "
          f"{result['ingest_cpu_to_extraction_cpu_ratio']} x the CPU of extraction alone "
          f"(this process {result['ingest_cpu_seconds_this_process']} s, extraction processes "
          f"{result['ingest_cpu_seconds_extraction_processes']} s; the outlets' servers another "
          f"{result['ingest_cpu_seconds_outlets_servers']} s)")
    story_ms = 1000 * (result["pipeline_seconds"] - result["ingest_without_story_engine_seconds"]) / result["pages"]
    print(f"with the story engine (issue #3's stage, asynchronous in production): "
          f"{result['pipeline_to_extraction_ratio']} x extraction on the demo world, "
          f"about {story_ms:.1f} ms per article for story placement (not part of the ingest target)")
    if "demo_rss_mb" in result:
        memory_ok = result["demo_with_extraction_processes_rss_mb"] <= TARGET_DEMO_MB
        print(f"wiredesk demo resident memory, with its {result['extraction_processes']} extraction processes, "
              f"{result['demo_with_extraction_processes_rss_mb']} MB (target <= {TARGET_DEMO_MB}): "
              f"{'met' if memory_ok else 'NOT met'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {RESULTS / 'ingest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
