"""Labelled story corpora for training and evaluating story placement.

Each corpus is a list of `wiredesk analyze` input rows (id, title, text, publisher, timestamp, story)
plus the group each gold story belongs to: the unit a fold never splits (an ECB+ topic holds two
events of one kind, so both stay on one side; elsewhere the story itself). A headline-only variant
of each full-text corpus keeps the title (or, where a corpus has none, the first sentence) and drops
the text, as a feed that gives only headlines would.

Real data is read from ../shared/data when present and skipped when absent; the demo world is the
project's own and always there. Nothing here is copied into the project.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / "benchmarks" / ".cache"


@dataclass
class Corpus:
    name: str
    base: str  # the documents it is made of: variants of one base share folds and never train each other
    rows: list[dict[str, Any]]
    group_of: dict[str, str] = field(default_factory=dict)  # gold story -> fold unit
    train: bool = True  # part of the shipped model's training data

    @property
    def gold(self) -> dict[Any, str]:
        return {r["id"]: r["story"] for r in self.rows}


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _row(raw: dict[str, Any], title: str, text: str) -> dict[str, Any]:
    return {"id": raw["id"], "title": title, "text": text, "url": raw.get("url") or "",
            "publisher": raw.get("publisher") or "", "timestamp": raw.get("timestamp"), "story": str(raw["story"])}


def _first_sentence(text: str) -> str:
    from wiredesk.core.text import first_sentence

    return first_sentence(text)


def headline_only(corpus: Corpus) -> Corpus:
    rows = [{**r, "title": r["title"] or _first_sentence(r["text"]), "text": ""} for r in corpus.rows]
    return Corpus(f"{corpus.name}/headlines", corpus.base, rows, corpus.group_of, corpus.train)


def timed(corpus: Corpus, spacing_minutes: int = 60) -> Corpus:
    """The corpus as a feed would deliver it, for a corpus that has no publication times: each item
    `spacing_minutes` after the one before, in input order (no label is read). Evaluated, never
    trained on: it asks whether placement still joins a report to its event when reports come
    hours apart, as coverage does, rather than seconds apart, as an undated file is read."""
    start = datetime(2020, 1, 6, tzinfo=UTC)
    rows = [{**r, "timestamp": (start + timedelta(minutes=spacing_minutes * i)).isoformat()}
            for i, r in enumerate(corpus.rows)]
    return Corpus(f"{corpus.name}/timed", corpus.base, rows, corpus.group_of, train=False)


def demo_world() -> Corpus:
    """The demo world's articles published before its anchor, labelled by the generator's events."""
    from wiredesk.demo.world import build_world

    anchor = datetime(2026, 1, 15, 12, tzinfo=UTC)
    world = build_world(anchor)
    names = {o.slug: o.name for o in world.outlets}
    rows = [{"id": f"{a.outlet}/{a.slug}", "title": a.title, "text": "\n\n".join(a.paragraphs), "url": "",
             "publisher": names[a.outlet], "timestamp": a.published.isoformat(), "story": str(a.event)}
            for a in world.articles if a.published <= anchor]
    return Corpus("demo-world", "demo-world", rows, {r["story"]: r["story"] for r in rows})


def ecbplus() -> Corpus | None:
    path = DATA / "ecbplus-dev" / "ecbplus-dev.jsonl"
    if not path.exists():
        return None
    raw = _read(path)
    rows = [_row(r, r.get("title") or "", r.get("text") or "") for r in raw]
    return Corpus("ecbplus-dev", "ecbplus-dev", rows, {str(r["story"]): f"topic-{r['topic']}" for r in raw})


def uci(name: str, path: Path, train: bool = True) -> Corpus | None:
    if not path.exists():
        return None
    rows = [_row(r, r.get("title") or "", "") for r in _read(path)]
    return Corpus(name, name, rows, {r["story"]: r["story"] for r in rows}, train)


def duc() -> Corpus | None:
    """Topics of months (DUC clusters are topics, not events): evaluated, never trained on, since
    its labels would teach the model to join distinct events of one topic."""
    path = DATA / "duc2006" / "duc2006.jsonl"
    if not path.exists():
        return None
    rows = [_row(r, r.get("title") or "", r.get("text") or "") for r in _read(path)]
    return Corpus("duc2006", "duc2006", rows, {r["story"]: r["story"] for r in rows}, train=False)


def all_corpora() -> list[Corpus]:
    """Every corpus present, with the headline-only variant of each full-text one."""
    found: list[Corpus] = [demo_world()]
    ecb = ecbplus()
    if ecb:
        found += [ecb, headline_only(ecb), timed(ecb)]
    for corpus in (uci("uci-news-head-dev", DATA / "uci-news-head-dev" / "head-dev.jsonl"),
                   uci("uci-news-sample", DATA / "uci-news-aggregator-sample" / "random_sample.jsonl")):
        if corpus:
            found.append(corpus)
    d = duc()
    if d:
        found += [d, headline_only(d)]
    found.insert(1, headline_only(found[0]))
    return found


def folds(corpus: Corpus, k: int = 5) -> list[set[str]]:
    """k sets of groups, each group whole, sizes balanced by documents (largest groups first, each
    to the lightest fold; ties by name, so the split is the same on every run)."""
    sizes: dict[str, int] = {}
    for row in corpus.rows:
        group = corpus.group_of[row["story"]]
        sizes[group] = sizes.get(group, 0) + 1
    k = min(k, len(sizes))
    buckets: list[set[str]] = [set() for _ in range(k)]
    load = [0] * k
    for group, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        lightest = min(range(k), key=lambda i: (load[i], i))
        buckets[lightest].add(group)
        load[lightest] += size
    return buckets


def run_analyze(rows: list[dict[str, Any]], extra: list[str] | None = None) -> tuple[list[dict[str, Any]], float, float]:
    """Results, seconds, and peak resident MB of a `wiredesk analyze` child process (the live code
    path, on a fresh temporary database)."""
    with tempfile.TemporaryDirectory() as work:
        source, target = Path(work) / "in.jsonl", Path(work) / "out.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDESK_", "DATABASE_URL"))}
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run([sys.executable, "-m", "wiredesk.cli", "analyze", str(source), "-o", str(target), "--quiet",
                        *[arg.replace("{work}", work) for arg in (extra or [])]],
                       check=True, env=env, cwd=work)
        seconds = time.perf_counter() - started
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        return [json.loads(line) for line in target.read_text().splitlines()], seconds, peak


def _engine_digest() -> str:
    """Hash of the code that computes features: a cached training run is reused only while it holds."""
    digest = hashlib.sha256()
    for folder in ("stories", "ingest"):
        for path in sorted((ROOT / "src" / "wiredesk" / folder).glob("*.py")):
            if path.name not in {"model.py", "split.py", "linear.py"}:  # decisions: never read by a training run
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def teacher_rows(corpus: Corpus) -> list[dict[str, Any]]:
    """One training row per placed article: the engine run with the gold stories (see stories.teacher).
    Cached under benchmarks/.cache by corpus content and engine code."""
    rows = corpus.rows
    key = hashlib.sha256((_engine_digest() + json.dumps(rows, sort_keys=True)).encode()).hexdigest()[:20]
    cached = CACHE / f"{corpus.name.replace('/', '_')}-{key}.jsonl"
    if not cached.exists():
        features = Path(tempfile.mkdtemp()) / "features.jsonl"
        run_analyze(rows, ["--train-features", str(features)])
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(features.read_text())
    return [json.loads(line) for line in cached.read_text().splitlines()]
