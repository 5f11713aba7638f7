"""Which of a page's declared headlines the labels take, and whether any choosing rule generalises.

    .venv/bin/python benchmarks/headline_sources.py

On fundus-parser-dev (skipped cleanly when absent), for every page: the cleaned candidate of each
source (`ingest.page.headline.candidates`: JSON-LD, og:title, twitter:title, microdata, the visible
<h1>, <title>), which of them equal the labelled headline, and the score of choosing rules, each
with its free choice (which source wins a disagreement) made by leave-one-publisher-out: chosen on
the other publishers, scored on the one left out. Written because the headline target (0.93) was
not met: this shows where the labels split, that they split by publisher (each publisher's labels
keep to the source its parser reads, and the publishers divide about evenly between JSON-LD and
og:title), and that no source order or vote learned across publishers beats the shipped order.
Writes benchmarks/results/headline-sources.json.
"""

from __future__ import annotations

import collections
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks.extract import META_SET, _same, load_meta_pages  # noqa: E402

TRUST = ("json-ld", "og:title", "twitter:title", "microdata", "h1", "title")
SOCIAL_FIRST = ("og:title", "json-ld", "twitter:title", "microdata", "h1", "title")


def page_sources() -> list[tuple[str, dict[str, str], set[str]]]:
    """(page, first candidate of each source, the sources that equal the label)."""
    import trafilatura

    from wiredesk.ingest.page.headline import candidates
    from wiredesk.ingest.page.meta import read_page_meta

    found = []
    for page in load_meta_pages():
        if not page.title:
            continue
        tree = trafilatura.load_html(page.html)
        sources: dict[str, str] = {}
        for source, text in candidates(tree, read_page_meta(tree), page.url):
            sources.setdefault(source, text)
        found.append((page.name, sources, {s for s, t in sources.items() if _same(t, page.title)}))
    return found


def in_order(sources: dict[str, str], order: tuple[str, ...]) -> str | None:
    return next((s for s in order if s in sources), None)


def visible_decides(sources: dict[str, str], order: tuple[str, ...]) -> str | None:
    """JSON-LD and og:title disagree: the one the visible <h1> repeats; neither: `order` decides."""
    declared, social, visible = sources.get("json-ld"), sources.get("og:title"), sources.get("h1")
    if declared and social and not _same(declared, social) and visible:
        if _same(visible, declared):
            return "json-ld"
        if _same(visible, social):
            return "og:title"
    return in_order(sources, order)


def majority(sources: dict[str, str], order: tuple[str, ...]) -> str | None:
    """The text most sources agree on (ties: `order`)."""
    votes = collections.Counter(t for t in sources.values())
    best = max(votes.values(), default=0)
    return next((s for s in order if s in sources and votes[sources[s]] == best), None)


Rule = Callable[[dict[str, str], tuple[str, ...]], str | None]


def leave_one_publisher_out(rows: list[tuple[str, dict[str, str], set[str]]], rule: Rule) -> int:
    def right(names: set[str], order: tuple[str, ...]) -> int:
        return sum(rule(sources, order) in ok for name, sources, ok in rows if name in names)

    publisher = {name: name.rsplit("_", 3)[0] for name, _, _ in rows}
    total = 0
    for held_out in sorted(set(publisher.values())):
        train = {n for n, p in publisher.items() if p != held_out}
        test = {n for n, p in publisher.items() if p == held_out}
        order = max((TRUST, SOCIAL_FIRST), key=lambda o: right(train, o))  # ties: the shipped order
        total += right(test, order)
    return total


def publisher_conventions(rows: list[tuple[str, dict[str, str], set[str]]]) -> dict[str, int]:
    """Per publisher, which of JSON-LD and og:title the label takes where the two disagree.

    If the labels followed something on the page, publishers would mix; if they follow each
    publisher's parser, a publisher keeps to one side and the sides split across publishers.
    """
    sides: dict[str, list[str]] = collections.defaultdict(list)
    for name, sources, ok in rows:
        declared, social = sources.get("json-ld"), sources.get("og:title")
        if declared and social and not _same(declared, social):
            side = "json-ld" if "json-ld" in ok else "og:title" if "og:title" in ok else "neither"
            sides[name.rsplit("_", 3)[0]].append(side)
    counts = collections.Counter(collections.Counter(v).most_common(1)[0][0] for v in sides.values())
    repeated = [v for v in sides.values() if len(v) > 1]
    return {"publishers": len(sides), "take_json_ld": counts["json-ld"], "take_og_title": counts["og:title"],
            "take_neither": counts["neither"], "with_two_or_more_pages": len(repeated),
            "of_those_always_the_same_side": sum(len(set(v)) == 1 for v in repeated)}


def main() -> int:
    if not META_SET.exists():
        print(f"{META_SET} is absent: nothing to measure")
        return 0
    rows = page_sources()
    n = len(rows)
    present = collections.Counter(s for _, sources, _ in rows for s in sources)
    right = collections.Counter(s for _, _, ok in rows for s in ok)
    print(f"{'source':16s}{'present':>9s}{'equals label':>14s}")
    for source in TRUST:
        print(f"{source:16s}{present[source]:9d}{right[source] / max(present[source], 1):14.3f}")
    split = collections.Counter(
        ("J" if "json-ld" in ok else "-") + ("O" if "og:title" in ok else "-") + ("H" if "h1" in ok else "-")
        for _, sources, ok in rows
        if "json-ld" in sources and "og:title" in sources and not _same(sources["json-ld"], sources["og:title"]))
    print(f"\nJSON-LD and og:title disagree on {sum(split.values())} pages; the label is "
          "(J: JSON-LD, O: og:title, H: the visible h1): " + ", ".join(f"{k} {v}" for k, v in split.most_common()))
    conventions = publisher_conventions(rows)
    print(f"per publisher (where they disagree): {conventions['take_json_ld']} publishers' labels take JSON-LD, "
          f"{conventions['take_og_title']} og:title, {conventions['take_neither']} neither; of the "
          f"{conventions['with_two_or_more_pages']} publishers with two or more such pages, "
          f"{conventions['of_those_always_the_same_side']} always take the same side")
    results: dict[str, object] = {
        "pages": n, "any_source_right": sum(1 for _, _, ok in rows if ok) / n,
        "shipped_order": sum(in_order(s, TRUST) in ok for _, s, ok in rows) / n,
        "best_order_in_hindsight": max(sum(in_order(s, o) in ok for _, s, ok in rows) for o in (TRUST, SOCIAL_FIRST)) / n}
    for name, rule in (("order", in_order), ("visible_decides", visible_decides), ("majority", majority)):
        results[f"lopo_{name}"] = leave_one_publisher_out(rows, rule) / n
    print(f"\n{'rule (free choice made leave-one-publisher-out)':52s}headline exact")
    for key, value in results.items():
        if isinstance(value, float):
            print(f"{key:52s}{value:.3f}")
    results["publisher_conventions"] = conventions
    target = ROOT / "benchmarks" / "results" / "headline-sources.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
