"""A deliberately bad "article spinner", so wiredesk can be shown and tested on spun copies.

Real content farms run wire copy through synonym swappers and round-trip machine translation; the
result keeps names, numbers and dates but garbles the wording ("carried out" becomes "worn out",
"that" becomes the German "die"). This module imitates that, at a chosen strength, for the demo
world's aggregator and for the copy-detection benchmarks. wiredesk never publishes its output as
its own text: it exists to be recognised.
"""

from __future__ import annotations

import random
import re

# Multi-word phrases first: tortured phrases, the signature of synonym tools.
PHRASES: dict[str, str] = {
    "carried out": "worn out", "at least": "at the very least", "on the outskirts of": "on the borders of",
    "took office": "took workplace", "broke out": "broke away", "opened an inquiry": "unfolded a question",
    "in a statement": "in an announcement", "news conference": "information convention",
    "interest rate": "curiosity price", "pay rise": "wage ascend", "emergency funds": "crisis budget",
    "car industry": "automobile trade", "went up": "went upward", "first job": "initial occupation",
    "living costs": "residing prices", "shortly after": "rapidly after", "more than": "greater than",
    "take part": "take component", "health": "wellness", "rescue teams": "salvage groups",
}
# Single words: synonym swaps plus function words a round trip through German or Dutch leaves.
WORDS: dict[str, str] = {
    "that": "die", "with": "met", "no": "new", "several": "multiple", "officials": "civil servants",
    "said": "stated", "people": "individuals", "heavy": "weighty", "fire": "hearth", "killed": "slew",
    "won": "gained", "rain": "precipitation", "told": "informed", "city": "metropolis",
    "company": "agency", "workers": "employees", "injured": "harmed", "expected": "anticipated",
    "homes": "houses", "river": "stream", "streets": "avenues", "deal": "contract", "rose": "ascended",
    "shares": "stocks", "fans": "followers", "match": "fit", "result": "consequence",
    "defeat": "beat", "victory": "conquest", "warned": "cautioned", "crash": "collision",
    "passengers": "travellers", "strike": "hit", "demanding": "challenging", "large": "giant",
    "quickly": "swiftly", "began": "commenced", "search": "hunt", "searching": "looking",
    "plant": "vegetation", "support": "assist", "families": "households",
    "where": "where?", "which": "welche", "also": "ook", "but": "maar", "is": "ist",
    "first": "preliminary", "team": "crew", "goal": "objective", "scored": "notched",
    "inquiry": "question", "investigation": "examination", "announced": "introduced",
    "government": "authorities", "minister": "priest", "election": "vote", "vote": "poll",
    "bank": "financial institution", "inflation": "swelling", "prices": "costs",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def _match_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def spin(text: str, strength: float = 0.6, seed: int = 0) -> str:
    """Garble wording at `strength` (0 to 1: the share of swappable spots swapped).

    Capitalised words inside a sentence (names, places) and numbers are left alone, as the
    tools that make such copies leave them.
    """
    rng = random.Random(seed)
    for phrase, replacement in PHRASES.items():
        pattern = re.compile(r"\b" + re.escape(phrase) + r"\b", re.IGNORECASE)
        text = pattern.sub(
            lambda m, r=replacement: _match_case(m.group(0), r) if rng.random() < strength else m.group(0),
            text,
        )

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        replacement = WORDS.get(word.lower())
        if replacement is None or replacement == word.lower():
            return word
        start = match.start()
        sentence_start = start == 0 or text[max(0, start - 2):start].strip() in {".", "\"", "“", ""}
        if word[0].isupper() and not sentence_start:
            return word  # a proper noun, or part of one
        if rng.random() >= strength:
            return word
        return _match_case(word, replacement)

    return _WORD.sub(swap, text)
