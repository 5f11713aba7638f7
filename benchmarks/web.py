"""Read-path benchmark: the public site at archive scale, served as the README starts it.

Builds (once, then reuses) an archive of N articles in stories of five from 40 outlets over 100
days (benchmarks/web_archive.py), starts `wiredesk run` on it (waitress and the in-process worker,
the embedded default), and measures each page type:

- single-request time at the client on 127.0.0.1, median and p95 of REQUESTS sequential requests:
  cold (the site's content version is bumped before each request, as ingest does, so every one is
  rendered) and warm (served from the page cache);
- throughput under CONCURRENCY readers with wrk (2 threads, DURATION seconds): warm, and uncached
  (every request carries a session cookie, which the page cache never serves);
- the ceiling: the front page's own HTML served as a static file by the same server (whitenoise).

    .venv/bin/python benchmarks/web.py [--articles 200000 [--articles 1000000]] [--duration 10] [--skip-load]

Prints a table and writes benchmarks/results/web-<articles>.json. Given two sizes, it measures both
in one run and prints how much slower each page is on the larger (cold median and p95 ratios;
benchmarks/results/web-growth.json). Needs wrk for the load part
(`apt-get install wrk`); without it the load columns are skipped and say so.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import web_archive  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
REQUESTS = 30
WARMUP_ROUNDS = 4  # every page rendered this many times first (the kernel spreads them over the web processes)
VERSION_TTL = 1.05  # wiredesk.web.page_cache.VERSION_TTL, and a little
CONCURRENCY = 32
TARGET_P95_MS = 50.0
TARGET_LIST_P95_MS = 20.0
TARGET_WARM_FRONT_RPS = 500.0
TARGET_GROWTH = 1.3  # at 1M articles no more than this much slower than at 200k


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


DATABASE_URL: str | None = None  # --database-url: the archive in PostgreSQL instead of the embedded SQLite


def connect(directory: Path):  # type: ignore[no-untyped-def]
    """A plain DB-API connection to the archive (committed and closed by the caller)."""
    if DATABASE_URL:
        return web_archive._postgres(DATABASE_URL)
    return sqlite3.connect(directory / "wiredesk.sqlite3", timeout=30)


def prepare(directory: Path) -> dict[str, str]:
    """Park the archive's feeds (no polling during the run) and pick one story and one article."""
    db = connect(directory)
    try:
        db.execute("UPDATE sources_source SET next_check_at = '2100-01-01 00:00:00'")
        story = db.execute("SELECT id FROM stories_story WHERE primary_article_id IS NOT NULL "
                           "ORDER BY rank DESC LIMIT 1 OFFSET 20").fetchone()[0]
        article = db.execute("SELECT id FROM articles_article ORDER BY id DESC LIMIT 1 OFFSET 500").fetchone()[0]
        db.commit()
    finally:
        db.close()
    return {"front": "/", "story": f"/story/{story}/", "article": f"/article/{article}/",
            "section": "/section/world/", "search": "/search/?q=government", "feed": "/feeds/latest.rss",
            "api": "/api/v1/articles"}


def bump(directory: Path) -> None:
    """Move the content version, as ingest does when it stores something: every page is cold."""
    now = "now()" if DATABASE_URL else "datetime('now')"
    db = connect(directory)
    try:
        if not db.execute(f"UPDATE web_siteversion SET value = value + 1, changed_at = {now}").rowcount:
            db.execute(f"INSERT INTO web_siteversion (id, value, changed_at) VALUES (1, 1, {now})")
        db.commit()
    finally:
        db.close()


def fetch_ms(url: str, headers: dict[str, str] | None = None) -> float:
    request = urllib.request.Request(url, headers=headers or {})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as reply:
        reply.read()
        assert reply.status == 200, url
    return (time.perf_counter() - start) * 1000


def single_requests(base: str, path: str, directory: Path, *, cold: bool) -> dict[str, float]:
    times = []
    for _ in range(REQUESTS):
        if cold:
            bump(directory)
            time.sleep(VERSION_TTL)  # the server trusts the version it read for this long
        times.append(fetch_ms(base + path))
    times.sort()
    return {"median_ms": statistics.median(times), "p95_ms": times[max(0, int(len(times) * 0.95) - 1)]}


def wrk(url: str, duration: int, headers: dict[str, str] | None = None) -> dict[str, float] | None:
    if shutil.which("wrk") is None:
        return None
    command = ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50_ms": percentile("50"), "p99_ms": percentile("99"),
            "errors": int(errors.group(1)) if errors else 0}


def settle(base: str) -> None:
    """Wait until requests wrk gave up on are worked off, so the next measurement starts clean."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and fetch_ms(base + "/healthz") > 50:
        time.sleep(1)


def start_server(directory: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "WIREDESK_DATA_DIR": str(directory), "WIREDESK_WORKERS": "1"}
    env.pop("DATABASE_URL", None)
    if DATABASE_URL:
        env["DATABASE_URL"] = DATABASE_URL
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "wiredesk"), "run", "--host", "127.0.0.1",
                               "--port", str(port), "--no-starter"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            fetch_ms(f"http://127.0.0.1:{port}/healthz")
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, action="append",
                        help="archive size (repeat it to measure several and compare them; default 200000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--database-url", help="build and serve the archive in this PostgreSQL database "
                        "(dropped and created again) instead of the embedded SQLite; the results are "
                        "written as web-postgresql-<articles>.json")
    args = parser.parse_args()
    global DATABASE_URL
    DATABASE_URL = args.database_url
    results = []
    for articles in args.articles or [200_000]:
        results.append(measure(articles, args))
        report(results[-1])
        RESULTS.mkdir(exist_ok=True)
        name = f"web-{'postgresql-' if DATABASE_URL else ''}{articles}.json"
        (RESULTS / name).write_text(json.dumps(results[-1], indent=2) + "\n")
    if len(results) > 1:
        growth = compare(results)
        (RESULTS / f"web-{'postgresql-' if DATABASE_URL else ''}growth.json").write_text(json.dumps(growth, indent=2) + "\n")
    return 0


def compare(results: list[dict]) -> dict:
    """How much slower each page is on the largest archive than on the smallest, cold, in one run."""
    small, large = min(results, key=lambda r: r["articles"]), max(results, key=lambda r: r["articles"])
    growth: dict[str, object] = {"from": small["articles"], "to": large["articles"], "pages": {}}
    print(f"\n{large['articles']:,} against {small['articles']:,} articles, cold, same run "
          f"(target: no page more than {TARGET_GROWTH}x slower, by the median)")
    print(f"{'page':8} {'median':>16} {'ratio':>6} {'p95':>16} {'ratio':>6}")
    for name in small["pages"]:
        a, b = small["pages"][name]["cold"], large["pages"][name]["cold"]
        ratios = (b["median_ms"] / a["median_ms"], b["p95_ms"] / a["p95_ms"])
        growth["pages"][name] = {"median_ratio": round(ratios[0], 3), "p95_ratio": round(ratios[1], 3)}  # type: ignore[index]
        print(f"{name:8} {a['median_ms']:7.1f} -> {b['median_ms']:6.1f} {ratios[0]:6.2f} "
              f"{a['p95_ms']:7.1f} -> {b['p95_ms']:6.1f} {ratios[1]:6.2f}")
    worst = max(row["median_ratio"] for row in growth["pages"].values())  # type: ignore[attr-defined]
    growth["worst_median_ratio"] = worst
    print(f"target: {'met' if worst <= TARGET_GROWTH else 'NOT met'} (worst median ratio {worst:.2f})")
    return growth


def measure(articles: int, args: argparse.Namespace) -> dict:
    directory = web_archive.build(articles, database_url=DATABASE_URL)
    pages = prepare(directory)
    port = free_port()
    static_dir = directory / "static"
    static_dir.mkdir(exist_ok=True)
    server = start_server(directory, port)
    base = f"http://127.0.0.1:{port}"
    result: dict[str, object] = {"articles": articles, "database": "postgresql" if DATABASE_URL else "sqlite",
                                 "concurrency": CONCURRENCY, "pages": {}}
    try:
        front_html = urllib.request.urlopen(base + "/", timeout=60).read()
        (static_dir / "ceiling-front.html").write_bytes(front_html)  # whitenoise serves it from here
        # WhiteNoise lists the static folder when a process starts (no per-request scan outside
        # debug mode): start again so the file is served.
        server.terminate()
        server.wait(timeout=30)
        server = start_server(directory, port)
        fetch_ms(base + "/static/ceiling-front.html")
        # A fresh process renders its first pages slowly (imports, templates, connections): that is
        # reported apart, and every page is rendered a few times before anything is timed.
        result["first_front_page_ms"] = fetch_ms(base + "/", {"Cookie": "sessionid=benchmark"})
        for _ in range(WARMUP_ROUNDS):
            for path in pages.values():
                fetch_ms(base + path, {"Cookie": "sessionid=benchmark"})
        if not args.skip_load:  # first, while nothing else has loaded the server
            result["ceiling"] = wrk(base + "/static/ceiling-front.html", args.duration)
        for name, path in pages.items():
            row: dict[str, object] = {"path": path, "cold": single_requests(base, path, directory, cold=True),
                                      "warm": single_requests(base, path, directory, cold=False)}
            if not args.skip_load:
                row["load_warm"] = wrk(base + path, args.duration)
                settle(base)
                row["load_uncached"] = wrk(base + path, args.duration, {"Cookie": "sessionid=benchmark"})
                settle(base)
            result["pages"][name] = row  # type: ignore[index]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return result


def report(result: dict) -> None:
    def load(cell: dict | None) -> str:
        return "  (wrk absent)" if cell is None else f"{cell['rps']:8.0f} {cell['p50_ms']:7.1f} {cell['p99_ms']:7.1f}"

    print(f"{result['articles']:,} articles ({result.get('database', 'sqlite')}); single requests (ms) and "
          f"{result['concurrency']} readers with wrk")
    print(f"{'page':8} {'cold med':>8} {'cold p95':>8} {'warm med':>8} {'warm p95':>8}   "
          f"{'warm rps':>8} {'p50':>7} {'p99':>7}   {'uncached':>8} {'p50':>7} {'p99':>7}")
    for name, row in result["pages"].items():
        line = (f"{name:8} {row['cold']['median_ms']:8.1f} {row['cold']['p95_ms']:8.1f} "
                f"{row['warm']['median_ms']:8.1f} {row['warm']['p95_ms']:8.1f}")
        if "load_warm" in row:
            line += f"   {load(row['load_warm'])}   {load(row['load_uncached'])}"
        print(line)
    if result.get("ceiling"):
        ceiling = result["ceiling"]
        front = result["pages"]["front"].get("load_warm")
        print(f"ceiling: the front page's HTML as a static file, same server: {ceiling['rps']:.0f} requests/s"
              + (f"; warm front page at {front['rps'] / ceiling['rps']:.2f} of it" if front else ""))
    if "first_front_page_ms" in result:
        print(f"first front page a freshly started server renders: {result['first_front_page_ms']:.1f} ms "
              f"(then {WARMUP_ROUNDS} rounds of every page before timing)")
    worst = max(row["cold"]["p95_ms"] for row in result["pages"].values())
    lists = max(result["pages"][n]["cold"]["p95_ms"] for n in ("feed", "api"))
    print(f"targets: cold p95 <= {TARGET_P95_MS:.0f} ms on every page: {'met' if worst <= TARGET_P95_MS else 'NOT met'} "
          f"(worst {worst:.1f}); feed and API p95 <= {TARGET_LIST_P95_MS:.0f} ms: "
          f"{'met' if lists <= TARGET_LIST_P95_MS else 'NOT met'} ({lists:.1f})")
    front = result["pages"]["front"].get("load_warm")
    if front:
        ceiling_rps = result["ceiling"]["rps"] if result.get("ceiling") else float("inf")
        met = front["rps"] >= TARGET_WARM_FRONT_RPS and front["rps"] * 2 >= ceiling_rps
        print(f"warm front page >= {TARGET_WARM_FRONT_RPS:.0f} requests/s and within 2x of the ceiling: "
              f"{'met' if met else 'NOT met'} ({front['rps']:.0f})")


if __name__ == "__main__":
    raise SystemExit(main())
