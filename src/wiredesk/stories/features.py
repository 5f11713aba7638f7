"""What the placement model sees of an (article, candidate story) pair.

Pure: reports and weights in, one number per feature out. The engine builds the reports from stored
fingerprints, the training script gets its rows from the same engine run with the gold stories
(`Teacher`), so what is learned is exactly what is later scored.

The features say, each in its own way, "same event?": how close the words are (body and headline,
to the story as a whole and to its closest member), whether the article names the story's people,
places and numbers (weighted by rarity: a name few articles carry says more than a party's), what
happened once the names are set aside, whether the article is about someone the story is not
(principal conflicts, ingest.principals), and when (time since the story last moved, its age and
size). Headline-only items have no body: `headline_only` and its products with the closeness
features let the model weigh what such an item has.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from wiredesk.ingest import fingerprint as fp
from wiredesk.ingest import principals as principal_names
from wiredesk.stories.closeness import Closeness, closeness

BASE_FEATURES = (
    "body_centroid", "body_max", "body_mean", "title_centroid", "title_max", "names_share", "names_cos",
    "numbers_share", "core_covered", "action_mean", "conflict", "lead_mentioned", "principals_known",
    "unique_full_names", "gap_log", "age_log", "size_log", "members_headline_only", "margin",
)
# A headline-only item and an article with text say "same event" in different measure (a headline's
# few words against a story's bodies): each feature also comes multiplied by `headline_only`, so the
# model has one set of weights for each kind of item.
# Same wording means more when the same people, places and numbers come with it, and less when the
# article is about someone else: closeness times identity, so a linear model can weigh the two together
# (two fires at one company share their wording, not their towns). For articles with text only: a
# headline's few words are weighed by their own products above.
INTERACTIONS = tuple((a, b) for a in ("body_centroid", "title_centroid")
                     for b in ("names_share", "numbers_share", "core_covered", "conflict", "principals_known"))
FEATURES = (*BASE_FEATURES, "headline_only", *(f"headline_only*{name}" for name in BASE_FEATURES),
            *(f"{a}*{b}" for a, b in INTERACTIONS))


@dataclass(frozen=True)
class Report:
    """One article as placement sees it (the new one, or a stored member of a story)."""

    terms: Mapping[str, float]
    title_terms: Mapping[str, float]
    names: frozenset[str]
    numbers: frozenset[str]
    principals: Mapping[str, int]
    has_text: bool
    published: datetime
    words: frozenset[str] = frozenset()  # what it is known to contain, for the principal tests

    # Sublinear term frequencies, worked out once per report: a stored member is compared with
    # every article that finds its story, and only the idf part changes from one to the next.
    @cached_property
    def body_tf(self) -> dict[str, float]:
        return sublinear(self.terms)

    @cached_property
    def title_tf(self) -> dict[str, float]:
        return sublinear(self.title_terms)

    @cached_property
    def action_tf(self) -> dict[str, float]:
        return sublinear(principal_names.without_names(dict(self.terms), self.names))

    @cached_property
    def names_tf(self) -> dict[str, float]:
        return sublinear({n: 1.0 for n in self.names})

    @cached_property
    def weight_keys(self) -> frozenset[str]:
        """Every count its features read: terms and headline terms, names, numbers (as stored: 120 characters)."""
        keys = {f"t:{t}" for t in (*self.terms, *self.title_terms)}
        keys.update(f"n:{n}" for n in self.names)
        keys.update(f"d:{d}" for d in self.numbers)
        return frozenset(key[:120] for key in keys)


def title_terms(title: str, print_: fp.Fingerprint) -> dict[str, float]:
    return fp.weighted_terms(fp.tokenize(title), print_.names)


def member_report(print_: fp.Fingerprint, title: str, has_text: bool, published: datetime) -> Report:
    """A placed article as the stories it joins see it (as stories.stored decodes it again); the
    training script builds its split examples (stories.split) with this too."""
    names = sorted(print_.names)
    return Report(print_.terms, title_terms(title, print_), frozenset(names), frozenset(print_.numbers),
                  print_.principals, has_text, published, principal_names.member_words(names, print_.terms))


@dataclass
class StorySample:
    """A candidate story: its latest members (newest first) and what the story row knows."""

    key: object
    members: list[Report]
    first_seen: datetime
    last_updated: datetime
    size: int
    centroid: dict[str, float] = field(default_factory=dict)


class Weights:
    """Inverse document frequencies from the stored counts; a term nobody has counted is as rare as can be."""

    def __init__(self, dfs: dict[str, int], docs: int) -> None:
        self.dfs, self.docs = dfs, docs
        self._known: dict[str, float] = {}  # each key's idf, computed once per article scored
        self._tables: dict[str, dict[str, float]] = {}  # the same, by prefix then term
        self.vectors: dict[tuple[int, str], tuple[Mapping[str, float], dict[str, float]]] = {}  # see `weighted`

    def idf(self, key: str) -> float:
        value = self._known.get(key)
        if value is None:
            value = self._known[key] = self.idf_of_count(self.dfs.get(key[:120], 0))
        return value

    def idf_of_count(self, df: int) -> float:
        """The idf of a key counted in `df` articles (every idf is worked out here, so all agree)."""
        return math.log((self.docs + 1) / (df + 1)) + 1.0

    def table(self, prefix: str) -> dict[str, float]:
        """term -> idf for one kind of key, filled by `idf_of` (the vectors' inner loop reads it)."""
        return self._tables.setdefault(prefix, {})

    def idf_of(self, prefix: str, term: str) -> float:
        value = self.table(prefix)[term] = self.idf(prefix + term)
        return value

    def forget(self) -> None:
        self._known.clear()
        self._tables.clear()
        self.vectors.clear()


def sublinear(counts: Mapping[str, float]) -> dict[str, float]:
    """1 + log(count): a term repeated 12 times is not 12 times the evidence."""
    return {t: 1.0 + math.log(c) for t, c in counts.items() if c > 0}


def weighted(tf: Mapping[str, float], weights: Weights, prefix: str = "t:") -> dict[str, float]:
    """Sublinear term frequencies (`sublinear`) × idf, unit length. Worked out once per article for
    each report in view (a candidate is both a story's member and the closest report to the article);
    the result is shared, so callers only read it."""
    memo = weights.vectors.get((id(tf), prefix))
    if memo is not None and memo[0] is tf:
        return memo[1]
    table = weights.table(prefix)
    for term in tf:
        if term not in table:
            weights.idf_of(prefix, term)
    raw = {term: frequency * table[term] for term, frequency in tf.items()}
    norm = math.sqrt(sum(w * w for w in raw.values()))
    vector = {t: w / norm for t, w in raw.items()} if norm else {}
    weights.vectors[(id(tf), prefix)] = (tf, vector)  # the input is kept too, so its id is not reused
    return vector


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def _weighted_share(values: Iterable[str], found: set[str] | frozenset[str], weights: Weights, prefix: str) -> float:
    values = list(values)
    total = sum(weights.idf(prefix + v) for v in values)
    return sum(weights.idf(prefix + v) for v in values if v in found) / total if total else 0.0


HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def _whole(later: datetime, earlier: datetime, unit: timedelta) -> float:
    """Whole units apart. Coverage of one event comes over hours and days; seconds and minutes say
    more about how a corpus was collected (a crawler's batch, an undated file in input order) than
    about the news, so they are never resolved. The time since a story last moved is counted in
    hours (a live story is updated hour by hour); its age in days, since an event's coverage runs
    for days, and a corpus whose events all end within hours (the demo world's, an aggregator's
    clusters crawled in seconds) would otherwise teach that a story a day old is closed."""
    return float(abs(later - earlier) // unit)


@dataclass
class Prepared:
    """The article as every candidate story is compared with it (its word closeness is worked out
    for all stories at once: stories.closeness)."""

    report: Report
    token_counts: Counter[str]


def prepare(report: Report, token_counts: Counter[str]) -> Prepared:
    return Prepared(report, token_counts)


def story_features(article: Prepared, story: StorySample, weights: Weights,
                   elsewhere: set[str], near: Mapping[str, Closeness] | None = None) -> dict[str, float]:
    """Every feature but `margin` (which compares stories: see `add_margins`). `near` is this story's
    closeness in each kind of words, when the caller worked it out for all stories in view at once."""
    report, members = article.report, story.members
    if near is None:
        near = {kind: found[0] for kind, found in closeness(report, [members], weights).items()}
    body, title, action = near["body"], near["title"], near["action"]
    body_centroid, body_max, body_mean = body.centroid, body.best, body.mean
    title_centroid, title_max = title.centroid, title.best
    action_mean, names_cos = action.mean, near["names"].centroid
    story_names = Counter(n for m in members for n in m.names)
    story_numbers = {d for m in members for d in m.numbers}
    core = [n for n, c in story_names.items() if c >= max(1.0, len(members) / 2)]
    words = report.words | {w for n in report.names for w in n.split()}
    views = [principal_names.StoryView(m.principals, m.words) for m in members]
    conflict = principal_names.conflicts(dict(report.principals), words, views, article.token_counts, common=elsewhere)
    story_full = {n for n in story_names if " " in n}
    unique_full = len({n for n in report.names if " " in n} & story_full - elsewhere)
    weight: Counter[str] = Counter()
    for m in members:
        weight.update(m.principals)
    story_words = frozenset().union(*(m.words for m in members)) if members else frozenset()
    mentions = sum(report.principals.values())
    return {
        "body_centroid": body_centroid, "body_max": body_max, "body_mean": body_mean,
        "title_centroid": title_centroid, "title_max": title_max,
        "names_share": _weighted_share(report.names, set(story_names), weights, "n:"),
        "names_cos": names_cos,
        "numbers_share": _weighted_share(report.numbers, story_numbers, weights, "d:"),
        "core_covered": (sum(principal_names.mentions(n, words) for n in core) / len(core)) if core else 0.0,
        "action_mean": action_mean, "conflict": 1.0 if conflict else 0.0,
        # Whom the story is about, named in the article? Whom the article is about, known to the story?
        # (0.5 where there is no one to ask about.)
        "lead_mentioned": (float(principal_names.mentions(max(weight, key=lambda n: (weight[n], n)), words))
                           if weight else 0.5),
        "principals_known": (sum(c for n, c in report.principals.items()
                                 if principal_names.mentions(n, story_words)) / mentions) if mentions else 0.5,
        "unique_full_names": min(unique_full, 3) / 3.0,
        "gap_log": math.log1p(_whole(report.published, story.last_updated, HOUR)),
        "age_log": math.log1p(_whole(report.published, story.first_seen, DAY)),
        "size_log": math.log1p(story.size),
        "members_headline_only": sum(not m.has_text for m in members) / len(members) if members else 0.0,
        "headline_only": 0.0 if report.has_text else 1.0,
    }


def add_margins(rows: list[dict[str, float]]) -> None:
    """How much closer the article is to this story than to the best other one in view (with two
    close stories, the one it is clearly nearer is the better bet; alone in view, a story is no
    nearer than itself: 0); then the headline-only products."""
    for i, row in enumerate(rows):
        others = [r["body_centroid"] for j, r in enumerate(rows) if j != i]
        row["margin"] = row["body_centroid"] - max(others, default=row["body_centroid"])
        for name in BASE_FEATURES:
            row[f"headline_only*{name}"] = row["headline_only"] * row[name]
        for a, b in INTERACTIONS:
            row[f"{a}*{b}"] = (1.0 - row["headline_only"]) * row[a] * row[b]
