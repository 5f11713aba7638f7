"""Verifying candidates: what is a new article to an earlier one?

Candidates come from the index (shared LSH bands or shared rare immutables); here each pair is
measured exactly and given one relation, with a score and the evidence for it:

- duplicate: the same text (re-headed, trimmed, or wrapped in other boilerplate);
- wire_copy: the same text, credited to a wire agency (syndication);
- spun_copy: the same names and numbers in the same order, with the wording garbled;
- same_story: independent coverage of the same event;
- None: unrelated.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wiredesk.ingest.fingerprint import Fingerprint

DUPLICATE = "duplicate"
WIRE_COPY = "wire_copy"
SPUN_COPY = "spun_copy"
SAME_STORY = "same_story"
COPY_RELATIONS = (DUPLICATE, WIRE_COPY, SPUN_COPY)

COPY_CONTAINMENT = 0.7  # share of the shorter text's 5-word shingles found in the other
SPUN_MIN_IMMUTABLES = 0.75  # share of the shorter text's names and numbers found in the other
SPUN_MIN_ALIGNMENT = 0.45  # word-sequence similarity: spinning swaps words, keeps their order
SAME_STORY_SIMILARITY = 0.32  # weighted-term cosine for independent coverage of one event
SAME_STORY_MIN_NAMES = 2  # one event: the same people and places, not just the same kind of news
SAME_STORY_MIN_IMMUTABLES = 0.4  # and a good share of the same names and numbers
COPY_MIN_IMMUTABLES = 0.5
SPUN_MIN_SWAPS = 2  # scattered word swaps that make a near-copy a spun copy
SPUN_MIN_SWAP_RATE = 0.003  # ... per word of the shorter text
TYPO_DISTANCE = 2  # letters apart at most for a fixed typo or a spelling variant, which is not spin


@dataclass
class Candidate:
    """An earlier article as the matcher sees it.

    Its word sequence is only needed to tell spun copies apart, so a stored candidate may leave
    `fingerprint.tokens` empty and give `load_tokens` instead; it is called at most once.
    """

    key: Any
    fingerprint: Fingerprint
    wire_agency: str = ""  # agency credited in its text, or the agency it is
    is_wire_outlet: bool = False
    load_tokens: Callable[[], list[str]] | None = None
    rank: int = 0  # position among the candidates the index found, most shared keys first

    @property
    def tokens(self) -> list[str]:
        if not self.fingerprint.tokens and self.load_tokens is not None:
            self.fingerprint.tokens = self.load_tokens()
            self.load_tokens = None
        return self.fingerprint.tokens


@dataclass
class Match:
    relation: str | None
    candidate: Candidate | None
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


def containment(a: set[int] | np.ndarray, b: set[int] | np.ndarray) -> float:
    """Share of the smaller shingle set found in the other (sets, or sorted unique arrays)."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        shared = np.intersect1d(_as_array(a), _as_array(b), assume_unique=True).size
    else:
        shared = len(a & b)
    return shared / min(len(a), len(b))


def _as_array(values: set[int] | np.ndarray) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values
    return np.fromiter(values, dtype=np.uint32, count=len(values))


def overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def alignment(a: list[str], b: list[str], limit: int = 1500, at_least: float = 0.0) -> float:
    """How much of the word sequence survives, in order (difflib ratio over the first words).

    With `at_least`, a pair whose bag of words already caps the ratio below it gets that cap
    instead (difflib's quick_ratio, a bound on the ratio): the full alignment costs milliseconds,
    the bound a fraction of one, and most pairs that share their names are not copies."""
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(a=a[:limit], b=b[:limit], autojunk=False)
    if at_least:
        bound = matcher.quick_ratio()
        if bound < at_least:
            return bound
    return matcher.ratio()


def swapped_phrases(a: list[str], b: list[str], limit: int = 1500) -> list[tuple[str, str]]:
    """Places where a word or short phrase (up to 3 words) was replaced by another, as (old, new).

    Trimming deletes and boilerplate inserts; an editor's update rewrites whole sentences. Only
    spinning swaps single words and short phrases, scattered through the text.
    """
    a, b = a[:limit], b[:limit]
    if not a or not b:
        return []
    return [(" ".join(a[i1:i2]), " ".join(b[j1:j2]))
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
            if tag == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3]


def word_swaps(a: list[str], b: list[str], limit: int = 1500) -> int:
    return len(swapped_phrases(a, b, limit))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (short strings only: swapped words and phrases)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def is_lexical_swap(old: str, new: str, name_words: set[str]) -> bool:
    """A word chosen instead of another, as a spinner or a round-trip translation does: not a
    typo fix or a spelling variant (colour/color: a few letters apart), not a changed name or
    number (an editor's correction or update)."""
    words = f"{old} {new}".split()
    if any(not w.isalpha() or w in name_words for w in words):
        return False
    return edit_distance(old, new) > TYPO_DISTANCE


def cosine(a: dict[str, float], b: dict[str, float], idf: dict[str, float]) -> float:
    """Cosine of sublinear-tf × idf vectors (a term repeated 12 times is not 12 times the evidence)."""
    if not a or not b:
        return 0.0
    wa = {t: (1.0 + math.log(c)) * idf.get(t, 1.0) for t, c in a.items() if c > 0}
    wb = {t: (1.0 + math.log(c)) * idf.get(t, 1.0) for t, c in b.items() if c > 0}
    dot = sum(w * wb[t] for t, w in wa.items() if t in wb)
    norm_a = math.sqrt(sum(w * w for w in wa.values()))
    norm_b = math.sqrt(sum(w * w for w in wb.values()))
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


def classify(new: Fingerprint, new_wire_agency: str, candidate: Candidate, idf: dict[str, float],
             copies_only: bool = False) -> Match:
    """The relation of `new` to one earlier candidate. With `copies_only`, a candidate that is no
    copy is not measured further (the story engine leaves independent coverage to its model)."""
    other = candidate.fingerprint
    shared = containment(new.shingles, other.shingles)
    new_immutables, other_immutables = new.immutables, other.immutables  # each a new set: made once
    immutable_share = overlap(new_immutables, other_immutables)
    few_immutables = min(len(new_immutables), len(other_immutables)) < 3
    evidence: dict[str, Any] = {"containment": round(shared, 3), "immutables": round(immutable_share, 3)}
    # A copy keeps the names and numbers: templated text about other people is not a copy.
    same_facts = few_immutables or immutable_share >= COPY_MIN_IMMUTABLES
    if shared >= COPY_CONTAINMENT and same_facts:
        pairs = swapped_phrases(new.tokens, candidate.tokens)
        swaps = len(pairs)
        evidence["word_swaps"] = swaps
        many = swaps >= SPUN_MIN_SWAPS and swaps / max(1, min(len(new.tokens), len(candidate.tokens))) >= SPUN_MIN_SWAP_RATE
        # A single swap in an otherwise verbatim copy is spin when it is a word for a word
        # ("with" for "met", "stated" for "said"): republishers copy verbatim or correct facts.
        name_words = {w for name in new.names | other.names for w in name.split()}
        deliberate = swaps >= 1 and all(is_lexical_swap(old, repl, name_words) for old, repl in pairs)
        if many or deliberate:
            return Match(SPUN_COPY, candidate, shared, evidence)
        agency = new_wire_agency or (candidate.wire_agency if candidate.is_wire_outlet else "")
        if agency:
            evidence["agency"] = agency
            return Match(WIRE_COPY, candidate, shared, evidence)
        return Match(DUPLICATE, candidate, shared, evidence)
    if immutable_share >= SPUN_MIN_IMMUTABLES and not few_immutables:
        aligned = alignment(new.tokens, candidate.tokens, at_least=SPUN_MIN_ALIGNMENT)
        evidence["alignment"] = round(aligned, 3)  # below the bar, it may be the bound: at most this
        if aligned >= SPUN_MIN_ALIGNMENT:
            return Match(SPUN_COPY, candidate, aligned, evidence)
    if copies_only:
        return Match(None, candidate, 0.0, evidence)
    similarity = cosine(new.terms, other.terms, idf)
    names = new.names & other.names
    full_names = sum(1 for n in names if " " in n)  # "ingrid nakamura", not just "miravel"
    evidence.update(similarity=round(similarity, 3), shared_names=len(names))
    if (similarity >= SAME_STORY_SIMILARITY and len(names) >= SAME_STORY_MIN_NAMES and full_names >= 1
            and immutable_share >= SAME_STORY_MIN_IMMUTABLES):
        return Match(SAME_STORY, candidate, similarity, evidence)
    return Match(None, candidate, similarity, evidence)


_RANK = {DUPLICATE: 4, WIRE_COPY: 4, SPUN_COPY: 3, SAME_STORY: 1, None: 0}


def best_match(new: Fingerprint, new_wire_agency: str, candidates: list[Candidate],
               idf: dict[str, float], copies_only: bool = False) -> Match:
    """The strongest relation among candidates; among equals, the highest score, then the earliest
    (candidates come oldest first, so a copy links to the original, not to another copy)."""
    best = Match(None, None, 0.0)
    unbeatable = (max(_RANK.values()), 1.0)  # a whole copy: no later candidate can rank above it
    for candidate in candidates:
        match = classify(new, new_wire_agency, candidate, idf, copies_only)
        if (_RANK[match.relation], round(match.score, 2)) > (_RANK[best.relation], round(best.score, 2)):
            best = match
            if (_RANK[best.relation], round(best.score, 2)) >= unbeatable:
                break
    return best
