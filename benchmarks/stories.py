"""Story-intelligence benchmark: clustering, copy and spin detection, and cost.

    .venv/bin/python benchmarks/stories.py [--only clustering|copies|cost] [--scale 100000]

Clustering and copies read ../shared/data when present and skip cleanly when absent. Everything runs
through `wiredesk analyze`, the live code path, in a child process on a fresh database. Prints tables
and writes benchmarks/results/stories.json.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpora import Corpus, all_corpora, folds, run_analyze, teacher_rows  # noqa: E402
from split_training import training_states  # noqa: E402
from train_stories import LEARNERS, train, training_articles  # noqa: E402

from wiredesk.core.dates import parse_datetime  # noqa: E402
from wiredesk.demo.spinner import spin  # noqa: E402
from wiredesk.demo.world import build_world  # noqa: E402
from wiredesk.ingest.fingerprint import tokenize  # noqa: E402
from wiredesk.ingest.match import word_swaps  # noqa: E402
from wiredesk.stories.split import HEADLINE  # noqa: E402

WIKINEWS = [DATA / "wikinews" / "wikinews-2019-2020.jsonl", DATA / "wikinews" / "wikinews-timeline.jsonl"]


# --- metrics -------------------------------------------------------------------------------------

def bcubed(gold: dict[Any, Any], predicted: dict[Any, Any]) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 (Amigó et al. 2009)."""
    by_gold, by_pred = defaultdict(set), defaultdict(set)
    for item, label in gold.items():
        by_gold[label].add(item)
    for item, label in predicted.items():
        by_pred[label].add(item)
    precision = recall = 0.0
    for item in gold:
        same_pred, same_gold = by_pred[predicted[item]], by_gold[gold[item]]
        both = len(same_pred & same_gold)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    p, r = precision / len(gold), recall / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: dict[Any, Any], predicted: dict[Any, Any]) -> tuple[float, float, float]:
    """Precision, recall, F1 over all pairs of documents put together."""
    def pairs(labels: dict[Any, Any]) -> set[tuple[Any, Any]]:
        groups = defaultdict(list)
        for item, label in labels.items():
            groups[label].append(item)
        return {(a, b) for members in groups.values() for i, a in enumerate(members) for b in members[i + 1:]}

    g, p = pairs(gold), pairs(predicted)
    precision = len(g & p) / len(p) if p else 1.0
    recall = len(g & p) / len(g) if g else 1.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


# --- running the engine --------------------------------------------------------------------------

def tfidf_baseline(rows: list[dict[str, Any]], threshold: float = 0.3) -> dict[Any, int]:
    """Single-pass clustering on TF-IDF cosine to cluster centroids: the classic baseline."""
    docs = [re.findall(r"\w+", f"{r.get('title') or ''} {r.get('text') or ''}".lower()) for r in rows]
    df = Counter(t for d in docs for t in set(d))
    idf = {t: math.log((len(docs) + 1) / (c + 1)) + 1 for t, c in df.items()}
    vocab = {t: i for i, t in enumerate(idf)}
    centroids: list[np.ndarray] = []
    labels: dict[Any, int] = {}
    for row, doc in zip(rows, docs, strict=True):
        vec = np.zeros(len(vocab))
        for t, c in Counter(doc).items():
            vec[vocab[t]] = (1 + math.log(c)) * idf[t]
        norm = np.linalg.norm(vec)
        vec = vec / norm if norm else vec
        best, score = -1, threshold
        for i, centroid in enumerate(centroids):
            sim = float(vec @ centroid) / (np.linalg.norm(centroid) or 1.0)
            if sim >= score:
                best, score = i, sim
        if best < 0:
            centroids.append(vec.copy())
            best = len(centroids) - 1
        else:
            centroids[best] += vec
        labels[row["id"]] = best
    return labels


def in_time_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The order `wiredesk analyze` processes them in (timestamps, else input order): the baseline
    streams in the same order."""
    keyed = [(parse_datetime(r.get("timestamp")) if r.get("timestamp") not in (None, "") else None, i, r)
             for i, r in enumerate(rows)]
    if any(when is None for when, _, _ in keyed):
        return list(rows)
    return [r for _, _, r in sorted(keyed, key=lambda item: (item[0], item[1]))]


def score_fold(corpus: Corpus, test: list[dict[str, Any]], model_path: Path | None) -> dict[str, Any]:
    gold = {r["id"]: r["story"] for r in test}
    out, seconds, _ = run_analyze(test, ["--model", str(model_path)] if model_path else [])
    ours = {o["id"]: o["story"] for o in out}
    base = tfidf_baseline(in_time_order(test))
    return {"wiredesk": bcubed(gold, ours), "tfidf": bcubed(gold, base), "wiredesk_pairwise": pairwise(gold, ours),
            "docs": len(test), "gold_stories": len(set(gold.values())), "stories": len(set(ours.values())),
            "seconds": round(seconds, 2)}


def _mean_sd(values: list[float]) -> tuple[float, float]:
    return float(np.mean(values)), float(np.std(values))


def clustering(k: int = 5, only: list[str] | None = None, learner: str = "logistic",
               without: tuple[str, ...] = (), split: bool = True) -> dict[str, Any]:
    """Grouped k-fold cross-validation of the whole training procedure, per corpus: for each fold,
    a model is trained on every training corpus without that fold's groups (of any variant of this
    corpus), and scored on the fold; the TF-IDF baseline runs on the same fold. Then leave one
    corpus out: trained on the other corpora only, scored on all of this one."""
    corpora = all_corpora()
    teacher = {c.name: teacher_rows(c) for c in corpora if c.train}
    split_cache: dict[str, list[dict[str, Any]]] = {}

    def split_examples(held_out: dict[str, set[str]] | None, among: list[Corpus]) -> dict[str, Any]:
        if not split:
            return {}
        return {"split_examples": training_states(among, held_out, split_cache),
                "headline_split_examples": training_states(among, held_out, split_cache, kind=HEADLINE)}
    results: dict[str, Any] = {}
    work = Path(tempfile.mkdtemp(prefix="wiredesk-cv-"))
    print(f"\n{'corpus':<28}{'docs':>6}{'folds':>6}{'wiredesk B3 F1':>18}{'(P / R)':>14}{'TF-IDF B3 F1':>18}"
          f"{'gain':>7}{'LOCO':>7}")
    for corpus in corpora:
        if only and corpus.name not in only:
            continue
        per_fold = []
        for number, groups in enumerate(folds(corpus, k)):
            model = train(training_articles(corpora, {corpus.base: groups}, teacher), version=f"cv-{number}",
                          learner=learner, without=without,
                          **split_examples({corpus.base: groups}, corpora))
            path = work / f"{corpus.name.replace('/', '_')}-{number}.json"
            path.write_text(model.to_json())
            test = [r for r in corpus.rows if corpus.group_of[r["story"]] in groups]
            per_fold.append(score_fold(corpus, test, path))
        others = [c for c in corpora if c.base != corpus.base]
        loco_path = work / f"{corpus.name.replace('/', '_')}-loco.json"
        loco_path.write_text(train(training_articles(others, None, teacher), version="loco", learner=learner,
                                   without=without, **split_examples(None, others)).to_json())
        loco = score_fold(corpus, corpus.rows, loco_path)
        ours = _mean_sd([f["wiredesk"][2] for f in per_fold])
        base = _mean_sd([f["tfidf"][2] for f in per_fold])
        p, r = _mean_sd([f["wiredesk"][0] for f in per_fold])[0], _mean_sd([f["wiredesk"][1] for f in per_fold])[0]
        results[corpus.name] = {
            "docs": len(corpus.rows), "folds": len(per_fold), "bcubed_f1": [round(ours[0], 4), round(ours[1], 4)],
            "bcubed_p": round(p, 4), "bcubed_r": round(r, 4),
            "tfidf_bcubed_f1": [round(base[0], 4), round(base[1], 4)], "gain": round(ours[0] - base[0], 4),
            "leave_one_corpus_out": {"bcubed": [round(x, 4) for x in loco["wiredesk"]],
                                     "tfidf_bcubed": [round(x, 4) for x in loco["tfidf"]]},
            "trained_on_it": corpus.train, "per_fold": per_fold,
        }
        print(f"{corpus.name:<28}{len(corpus.rows):>6}{len(per_fold):>6}{ours[0]:>11.3f} ± {ours[1]:.3f}"
              f"{p:>7.3f} /{r:>5.3f}{base[0]:>11.3f} ± {base[1]:.3f}{ours[0] - base[0]:>+7.3f}{loco['wiredesk'][2]:>7.3f}")
    return results


# --- copies --------------------------------------------------------------------------------------

BOILERPLATE_HEAD = "Subscribe to our newsletter for the day's top stories.\n\nAdvertisement\n\n"
BOILERPLATE_TAIL = "\n\nShare this article: Facebook Twitter Email\n\nRelated: More from our newsroom\n\n© Our Site. All rights reserved."
VARIANTS = ["verbatim", "trimmed", "reheaded", "wrapped", "wire", "spun-0.3", "spun-0.5", "spun-0.7"]
EXPECTED = {"verbatim": "duplicate", "trimmed": "duplicate", "reheaded": "duplicate", "wrapped": "duplicate",
            "wire": "wire_copy", "spun-0.3": "spun_copy", "spun-0.5": "spun_copy", "spun-0.7": "spun_copy"}


def make_copy_corpus(originals: list[dict[str, Any]], seed: int = 11) -> tuple[list[dict[str, Any]], dict[str, tuple[str, str]]]:
    """Originals a day apart; each gets one copy of a variant, an hour after it."""
    rng = random.Random(seed)
    rows, gold = [], {}
    base = 1_600_000_000
    for i, original in enumerate(originals):
        oid, text, title = f"o{i}", original["text"], original["title"]
        variant = VARIANTS[i % len(VARIANTS)]
        publisher = "Reuters" if variant == "wire" else "Original Times"
        if variant == "wire":
            text = f"LONDON (Reuters) - {text}"
        rows.append({"id": oid, "title": title, "text": text, "publisher": publisher, "timestamp": base + i * 86400})
        paragraphs = text.split("\n\n")
        copy_text, copy_title = text, title
        if variant == "trimmed":
            copy_text = "\n\n".join(paragraphs[: max(1, math.ceil(len(paragraphs) * 0.7))])
        elif variant == "reheaded":
            copy_title = "Breaking: " + " ".join(reversed(title.split()))
        elif variant == "wrapped":
            copy_text = BOILERPLATE_HEAD + text + BOILERPLATE_TAIL
        elif variant.startswith("spun"):
            copy_text = spin(text, float(variant.split("-")[1]), seed=rng.randint(0, 10**6))
            copy_title = spin(title, float(variant.split("-")[1]), seed=i)
        cid = f"c{i}"
        rows.append({"id": cid, "title": copy_title, "text": copy_text, "publisher": "Copy Daily",
                     "timestamp": base + i * 86400 + 3600})
        # A light spin can find nothing to swap in a text: what comes out is the same text, and
        # the truth for it is "duplicate" (the definition), whatever the spinner was asked.
        unchanged = variant.startswith("spun") and copy_text == text
        gold[cid] = ("duplicate" if unchanged else EXPECTED[variant], oid)
        gold[oid] = ("original", "")
    return rows, gold


def copies() -> dict[str, Any]:
    if not all(p.exists() for p in WIKINEWS):
        print("\ncopies: wikinews sets not present: skipped")
        return {}
    originals = [json.loads(line) for p in WIKINEWS for line in p.read_text().splitlines() if line.strip()]
    originals = [o for o in originals if len((o.get("text") or "").split()) >= 80]
    rows, gold = make_copy_corpus(originals)
    out, seconds, _ = run_analyze(rows)
    predicted = {o["id"]: o for o in out}
    relations = ["duplicate", "wire_copy", "spun_copy"]
    table = {}
    print(f"\n{'relation':<12}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}")
    for relation in relations:
        gold_ids = {i for i, (r, _) in gold.items() if r == relation}
        pred_ids = {i for i, o in predicted.items() if o["relation"] == relation}
        tp = len(gold_ids & pred_ids)
        p = tp / len(pred_ids) if pred_ids else 1.0
        r = tp / len(gold_ids) if gold_ids else 1.0
        table[relation] = {"gold": len(gold_ids), "predicted": len(pred_ids), "precision": round(p, 4), "recall": round(r, 4)}
        print(f"{relation:<12}{len(gold_ids):>6}{len(pred_ids):>6}{p:>7.3f}{r:>7.3f}")
    copy_ids = [i for i, (r, _) in gold.items() if r != "original"]
    linked = sum(1 for i in copy_ids if predicted[i]["related_to"] == gold[i][1])
    originals_ids = [i for i, (r, _) in gold.items() if r == "original"]
    false_spin = sum(1 for i in originals_ids if predicted[i]["spin_score"] >= 0.5)
    by_variant = {}
    for index, variant in enumerate(VARIANTS):
        ids = [f"c{i}" for i in range(len(originals)) if i % len(VARIANTS) == index]
        by_variant[variant] = {
            "relation_correct": round(sum(predicted[i]["relation"] == gold[i][0] for i in ids) / len(ids), 4),
            "spin_flagged": round(sum(predicted[i]["spin_score"] >= 0.5 for i in ids) / len(ids), 4),
        }
    originals_as_copies = sum(1 for i in originals_ids if predicted[i]["relation"] in relations)
    # A light spin can leave a text untouched where the spinner's dictionary finds nothing to swap:
    # such a "spun copy" is a duplicate in fact. Report recall also over copies that changed.
    texts = {r["id"]: r["text"] for r in rows}
    changed = [i for i, (r, o) in gold.items() if r == "spun_copy"
               and word_swaps(tokenize(texts[o]), tokenize(texts[i])) >= 2]
    changed_recall = sum(predicted[i]["relation"] == "spun_copy" for i in changed) / len(changed) if changed else 1.0
    result = {"relations": table, "linking_recall_at_1": round(linked / len(copy_ids), 4),
              "spin_false_positive_rate": round(false_spin / len(originals_ids), 4),
              "originals_mistaken_for_copies": originals_as_copies, "by_variant": by_variant,
              "spun_copies_with_2_or_more_swaps": len(changed), "spun_recall_where_words_changed": round(changed_recall, 4),
              "originals": len(originals_ids), "copies": len(copy_ids), "seconds": round(seconds, 2)}
    print(f"linking recall@1 {result['linking_recall_at_1']:.3f}; spin false positives on originals "
          f"{false_spin}/{len(originals_ids)} ({result['spin_false_positive_rate']:.2%}); originals taken for copies {originals_as_copies}")
    print(f"spun-copy recall over the {len(changed)} spun copies with 2 or more swapped words: {changed_recall:.3f}")
    print(f"{'variant':<10}{'relation ok':>12}{'spin flagged':>14}")
    for variant, v in by_variant.items():
        print(f"{variant:<10}{v['relation_correct']:>12.3f}{v['spin_flagged']:>14.3f}")
    return result


# --- cost ----------------------------------------------------------------------------------------

ARTICLES_PER_DAY = 2000  # a large desk: 60,000 articles a month


def synthetic_corpus(count: int) -> list[dict[str, Any]]:
    """Demo-world articles (our own generator), enough events for `count` articles, dated."""
    from datetime import timedelta


    events = max(10, count // 5)
    # The archive grows at a steady rate, as a desk's does: ARTICLES_PER_DAY, never all of it
    # inside one story window (the demo world packs its 300 articles into four days).
    days = max(4.0, count / ARTICLES_PER_DAY)
    world = build_world(datetime(2026, 1, 1, tzinfo=UTC), past_events=events, future_events=0,
                        past_span=timedelta(days=days))
    rows = []
    for n, a in enumerate(sorted(world.articles, key=lambda a: a.published)[:count]):
        rows.append({"id": n, "title": a.title, "text": "\n\n".join(a.paragraphs), "publisher": a.outlet,
                     "timestamp": a.published.isoformat()})
    return rows


def cost(scale: int, headlines: bool = False) -> dict[str, Any]:
    """Per-article time as the archive grows, for analyze as a whole (store + place) and for story
    placement alone (`engine.attach`), each over 1,000 articles after 1k stored and at the end.
    `headlines`: the same articles with their titles only, as a headline feed gives them: placement
    of headline-only items, and the settled stories' judgements (stories.settle), which run between
    placements and so count in analyze as a whole, not in placement alone."""
    rows = synthetic_corpus(scale)
    if headlines:
        rows = [{**row, "text": ""} for row in rows]
    timings = Path(tempfile.mkdtemp()) / "timings.json"
    out, seconds, peak = run_analyze(rows, ["--timings", str(timings)])
    per_article = json.loads(timings.read_text()) if timings.exists() else []

    def window(start: int, column: int, size: int = 1000) -> float:
        chunk = [t[column] for t in per_article[start:start + size]]
        return 1000 * sum(chunk) / len(chunk) if chunk else float("nan")

    end = max(0, len(per_article) - 1000)
    result: dict[str, Any] = {"headlines_only": headlines, "articles": len(out), "seconds": round(seconds, 1),
                              "articles_per_second": round(len(out) / seconds, 1)}
    for column, label in ((0, "store_and_place"), (1, "placement")):
        at_1k, at_end = window(1000, column), window(end, column)
        result[f"{label}_ms_at_1k_stored"] = round(at_1k, 3)
        result[f"{label}_ms_at_{len(out) // 1000}k_stored"] = round(at_end, 3)
        result[f"{label}_ratio_end_to_1k"] = round(at_end / at_1k, 3) if at_1k else None
    placement_total = sum(t[1] for t in per_article)
    result["placement_articles_per_second"] = round(len(per_article) / placement_total, 1) if placement_total else None
    result["peak_rss_mb"] = round(peak, 1)
    print("\n" + "\n".join(f"{k:<40}{v:>12}" for k, v in result.items()))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["clustering", "copies", "cost"])
    parser.add_argument("--scale", type=int, default=100_000, help="articles for the cost run")
    parser.add_argument("--corpus", action="append", help="clustering: evaluate only this corpus (repeatable)")
    parser.add_argument("--without", action="append", help="clustering: train without this feature (repeatable)")
    parser.add_argument("--learner", choices=LEARNERS, default="logistic", help="clustering: the learner to cross-validate")
    parser.add_argument("--no-split", action="store_true", help="clustering: train without the split decision")
    parser.add_argument("--headlines", action="store_true", help="cost: the articles as headlines only (no text)")
    args = parser.parse_args()
    result: dict[str, Any] = {}
    if args.only in (None, "clustering"):
        result["clustering"] = clustering(only=args.corpus, learner=args.learner, without=tuple(args.without or ()),
                                          split=not args.no_split)
    if args.only in (None, "copies"):
        result["copies"] = copies()
    if args.only in (None, "cost"):
        result["cost"] = cost(args.scale, args.headlines)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "stories.json" if args.only is None else f"stories-{args.only}{'-headlines' if args.headlines else ''}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten {RESULTS / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
