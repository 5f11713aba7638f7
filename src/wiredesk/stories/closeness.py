"""How close an article's words are to each candidate story's members, for all stories at once.

Placement compares every article with up to 6 stories of up to 20 members, in four kinds of words
(body, headline, what happened with the names set aside, the names themselves). Done one member at
a time in Python dictionaries this was the largest part of placing an article; here each kind is a
few array operations over every member of every story in view together.

The numbers are the ones `features.weighted` and `features.centroid_cosine` give (sublinear term
frequencies times idf, unit length; cosine to the story's centroid, highest and mean cosine to one
member): only the order of the additions differs.

Terms are interned process-wide (a key such as "t:flood" gets one integer for the life of the
process), and each stored report keeps its terms as arrays, so a member decoded once is never
turned into a dictionary walk again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # features reads this module; the types only are needed here
    from wiredesk.stories.features import Report, Weights

# Which of a report's term frequencies each kind reads, and under which prefix its counts are kept.
KINDS = {"body": ("body_tf", "t:"), "title": ("title_tf", "t:"), "action": ("action_tf", "t:"),
         "names": ("names_tf", "n:")}


class TermIds:
    """Process-wide key -> integer table. Names and numbers are an open vocabulary, so a placer that
    runs for months would grow it without end: past MAX_KEYS it starts again, under a new
    `generation`, and arrays made under an older one are made again (report_arrays)."""

    MAX_KEYS = 2_000_000

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.keys: list[str] = []
        self.generation = 0

    def renew_if_full(self) -> None:
        """Called between articles, never while one is being scored (its arrays must agree)."""
        if len(self.keys) > self.MAX_KEYS:
            self.ids, self.keys = {}, []
            self.generation += 1

    def of(self, keys: Sequence[str]) -> np.ndarray:
        ids, table = self.ids, self.keys
        out = np.empty(len(keys), dtype=np.int64)
        for n, key in enumerate(keys):
            found = ids.get(key)
            if found is None:
                found = ids[key] = len(table)
                table.append(key)
            out[n] = found
        return out


TERMS = TermIds()


def _arrays(tf: Mapping[str, float], prefix: str) -> tuple[np.ndarray, np.ndarray]:
    return TERMS.of([prefix + term for term in tf]), np.fromiter(tf.values(), dtype=np.float64, count=len(tf))


def report_arrays(report: Report, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(term ids, sublinear frequencies) of one kind of a report's words, worked out once per report."""
    cache = report.__dict__.setdefault("_closeness_arrays", {})
    if cache.get("generation") != TERMS.generation:
        cache.clear()
        cache["generation"] = TERMS.generation
    found = cache.get(kind)
    if found is None:
        attribute, prefix = KINDS[kind]
        found = cache[kind] = _arrays(getattr(report, attribute), prefix)
    return found


@dataclass(frozen=True)
class Closeness:
    """One kind of words, article against one story."""

    centroid: float
    best: float
    mean: float


def _idf(ids: np.ndarray, weights: Weights) -> np.ndarray:
    """The weights' idf of each distinct id (the same formula, from the same counts): a few thousand
    keys share a few hundred counts, so each count's idf is worked out once."""
    keys, dfs = TERMS.keys, weights.dfs
    counts = np.fromiter((dfs.get(keys[i][:120], 0) for i in ids.tolist()), dtype=np.int64, count=len(ids))
    distinct, slots = np.unique(counts, return_inverse=True)
    return np.array([weights.idf_of_count(int(df)) for df in distinct.tolist()], dtype=np.float64)[slots]


def closeness(article: Report, stories: Sequence[Sequence[Report]], weights: Weights,
              kinds: Sequence[str] = tuple(KINDS)) -> dict[str, list[Closeness]]:
    """For each kind, one Closeness per story (stories in the order given). Every term in view gets
    its idf once, whichever kinds it appears in."""
    TERMS.renew_if_full()
    members = [m for story in stories for m in story]
    story_of = np.repeat(np.arange(len(stories)), [len(story) for story in stories])
    arrays = {kind: (report_arrays(article, kind), [report_arrays(m, kind) for m in members]) for kind in kinds}
    every = np.concatenate([ids for mine, theirs in arrays.values() for ids, _ in (*theirs, mine)])
    distinct, slots = np.unique(every, return_inverse=True)
    idf = _idf(distinct, weights)
    result: dict[str, list[Closeness]] = {}
    start = 0
    for kind, (mine, theirs) in arrays.items():
        size = sum(len(ids) for ids, _ in theirs) + len(mine[0])
        result[kind] = _one_kind(mine, theirs, slots[start:start + size], idf, story_of, len(stories))
        start += size
    return result


def _one_kind(article: tuple[np.ndarray, np.ndarray], members: list[tuple[np.ndarray, np.ndarray]],
              slots: np.ndarray, idf: np.ndarray, story_of: np.ndarray, story_count: int) -> list[Closeness]:
    """`slots` place each entry (members' in order, then the article's) in `idf`."""
    lengths = np.fromiter((len(ids) for ids, _ in members), dtype=np.int64, count=len(members))
    values = np.concatenate([v for _, v in members] + [article[1]])
    weighted = values * idf[slots]
    # unit length per member (an empty member stays all zeros, as an empty dictionary would)
    owner = np.repeat(np.arange(len(members) + 1), np.append(lengths, len(article[0])))
    norms = np.sqrt(np.bincount(owner, weighted * weighted, minlength=len(members) + 1))
    unit = np.divide(weighted, norms[owner], out=np.zeros_like(weighted), where=norms[owner] > 0)
    split = int(lengths.sum())
    member_unit, member_slot = unit[:split], slots[:split]
    article_dense = np.zeros(len(idf))
    article_dense[slots[split:]] = unit[split:]
    entry_member = owner[:split]
    sims = np.bincount(entry_member, member_unit * article_dense[member_slot], minlength=len(members))
    # the centroid of each story: its members' unit vectors summed, term by term
    entry_story = story_of[entry_member]
    cells, cell_of = np.unique(entry_story * len(idf) + member_slot, return_inverse=True)
    summed = np.bincount(cell_of, member_unit, minlength=len(cells))
    centroid_norms = np.sqrt(np.bincount(cells // len(idf), summed * summed, minlength=story_count))
    sim_sums = np.bincount(story_of, sims, minlength=story_count)
    counts = np.bincount(story_of, minlength=story_count)
    best = np.full(story_count, -np.inf)
    np.maximum.at(best, story_of, sims)
    out = []
    for s in range(story_count):
        if not counts[s]:
            out.append(Closeness(0.0, 0.0, 0.0))
            continue
        centroid = float(sim_sums[s] / centroid_norms[s]) if centroid_norms[s] else 0.0
        out.append(Closeness(centroid, float(best[s]), float(sim_sums[s] / counts[s])))
    return out


def cosines(article: Report, others: Sequence[Report], weights: Weights, kind: str = "body") -> list[float]:
    """The article's cosine with each of `others` in one kind of words (each its own one-member story)."""
    return [found.centroid for found in closeness(article, [[other] for other in others], weights, (kind,))[kind]]


def pairwise(reports: Sequence[Report], weights: Weights, kind: str = "body") -> np.ndarray:
    """Every report's cosine with every other in one kind of words (n × n, ones on the diagonal
    where a report has words): how a story's own members stand to each other (stories.split)."""
    TERMS.renew_if_full()
    arrays = [report_arrays(r, kind) for r in reports]
    if not arrays:
        return np.zeros((0, 0))
    every = np.concatenate([ids for ids, _ in arrays])
    distinct, slots = np.unique(every, return_inverse=True)
    idf = _idf(distinct, weights)
    dense = np.zeros((len(reports), len(distinct)))
    rows = np.repeat(np.arange(len(reports)), [len(ids) for ids, _ in arrays])
    dense[rows, slots] = np.concatenate([v for _, v in arrays]) * idf[slots]
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    dense = np.divide(dense, norms, out=np.zeros_like(dense), where=norms > 0)
    return dense @ dense.T
