"""Fingerprints of an article's text: what copy detection, spin detection and clustering compare.

- word 5-shingles (hashed) and their MinHash signature with LSH band keys, for finding copies
  among any number of stored articles at constant cost per article;
- immutables: names, numbers and quoted speech, which spinning and syndication leave alone;
- weighted terms, for comparing independent coverage of one event.

Pure: text in, dataclasses out.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from wiredesk.ingest import principals as principal_names
from wiredesk.ingest.stopwords import STOPWORDS

SHINGLE_SIZE = 5
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
MAX_TERMS = 60
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_rng = np.random.default_rng(20261125)
# Multiply-shift hashing: h(x) = (a*x + b) >> 32 over 64-bit words, a odd. Fixed seed: signatures
# must mean the same thing in every process and on every machine, forever.
_A = (_rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1))
_B = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*\d(?![\w])|(?<![\w.,])\d(?![\w,.])")
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:[ \t]+(?:(?:of|de|la|van|von|al|bin)[ \t]+)?[A-Z][\w'’-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"“(–—-]\s*)$")
_QUOTE = re.compile(r"[\"“]([^\"”]{12,400})[\"”]")


@dataclass
class Fingerprint:
    tokens: list[str]
    shingles: set[int] | np.ndarray  # a set when computed, a sorted uint32 array when loaded
    signature: np.ndarray
    band_keys: list[int]
    names: set[str]
    numbers: set[str]
    quotes: list[str]
    terms: dict[str, float] = field(default_factory=dict)
    principals: dict[str, int] = field(default_factory=dict)  # see ingest.principals

    @property
    def immutables(self) -> set[str]:
        return self.names | self.numbers


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def tokenize(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def shingle_hashes(tokens: list[str], size: int = SHINGLE_SIZE) -> set[int]:
    """crc32 of each run of `size` words (the whole text if shorter)."""
    if len(tokens) < size:
        return {zlib.crc32(" ".join(tokens).encode())} if tokens else set()
    return {zlib.crc32(" ".join(tokens[i:i + size]).encode()) for i in range(len(tokens) - size + 1)}


EMPTY_SIGNATURE = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)  # MinHash of no shingles


def minhash(shingles: set[int]) -> np.ndarray:
    if not shingles:
        return EMPTY_SIGNATURE.copy()
    values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    with np.errstate(over="ignore"):
        hashed = (values[:, None] * _A[None, :] + _B[None, :]) & _MASK64
    return (hashed >> np.uint64(32)).min(axis=0).astype(np.uint32)


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 63-bit key per band, the band's number mixed in so bands never collide.

    No keys for the signature of no shingles (a headline-only item has no body to shingle): every
    such item would share all of its bands, so each look-up would read every headline-only item in
    its window (placement slowed with every one stored) and find nothing a shared band means."""
    if (signature == EMPTY_SIGNATURE).all():
        return []
    return keys_of_bands(signature)


def keys_of_bands(signature: np.ndarray) -> list[int]:
    """The band keys of any signature (stories migration 0010 removes those of the empty one)."""
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = zlib.crc32(chunk, band * 0x9E3779B1 & 0xFFFFFFFF)
        keys.append((band << 32) | digest)
    return keys


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / NUM_PERM


def immutables(text: str) -> tuple[set[str], set[str], list[str]]:
    """Names (capitalised runs), numbers, quotations.

    A single capitalised word at the start of a sentence is only a name if it also appears
    capitalised mid-sentence ("Floods forced…" is not a name; "…in Lindqvist" is).
    """
    text = text or ""
    mid_sentence: set[str] = set()
    initial: set[str] = set()
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        at_start = bool(_SENTENCE_START.search(text[max(0, match.start() - 3):match.start()]))
        while words and words[0].lower() in STOPWORDS:
            words, at_start = words[1:], False
        if not words or (len(words) == 1 and len(words[0]) < 3 and not words[0].isupper()):
            continue
        name = normalize(" ".join(words))
        (initial if at_start and len(words) == 1 else mid_sentence).add(name)
    names = mid_sentence | {n for n in initial if n in mid_sentence}
    numbers = {m.group(0).replace(",", "") for m in _NUMBER.finditer(text or "")}
    quotes = [q.strip() for q in _QUOTE.findall(text or "")]
    return names, numbers, quotes


def weighted_terms(tokens: list[str], names: set[str]) -> dict[str, float]:
    """Content words by frequency, words of names counted double: they tell events apart."""
    name_words = {w for name in names for w in name.split()}
    counts: Counter[str] = Counter()
    for token in tokens:
        if token in STOPWORDS or (len(token) < 3 and not token.isdigit()):
            continue
        counts[token] += 2.0 if token in name_words else 1.0
    return dict(counts.most_common(MAX_TERMS))


def fingerprint(title: str, text: str) -> Fingerprint:
    body = text or ""
    tokens = tokenize(body)
    shingles = shingle_hashes(tokens)
    signature = minhash(shingles)
    names, numbers, quotes = immutables(f"{title}\n{body}")
    lead_names, _, _ = immutables(f"{title}\n{body[:principal_names.LEAD_CHARS]}")
    title_tokens = tokenize(title)  # the body is tokenized once, above; the headline counts twice in terms
    return Fingerprint(
        tokens=tokens, shingles=shingles, signature=signature, band_keys=band_keys(signature),
        names=names, numbers=numbers, quotes=quotes,
        terms=weighted_terms([*title_tokens, *title_tokens, *tokens], names),
        principals=principal_names.principals(lead_names, names, [*title_tokens, *tokens]),
    )
