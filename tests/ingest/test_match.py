"""Relations between pairs, over texts from the project's own demo generator."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from wiredesk.demo.spinner import spin
from wiredesk.demo.world import DemoArticle, build_world
from wiredesk.ingest.fingerprint import fingerprint
from wiredesk.ingest.match import Candidate, best_match, classify

WORLD = build_world(datetime(2026, 11, 25, 12, tzinfo=UTC))


def text(article: DemoArticle) -> str:
    return "\n\n".join(article.paragraphs)


def original_and(relation: str) -> tuple[DemoArticle, DemoArticle]:
    other = next(a for a in WORLD.articles if a.relation == relation and a.event > 3)
    original = next(a for a in WORLD.articles if a.event == other.event and a.relation == "original")
    return original, other


def candidate(article: DemoArticle, wire: bool = False) -> Candidate:
    return Candidate(key=article.slug, fingerprint=fingerprint(article.title, text(article)),
                     wire_agency="mpa" if wire else "", is_wire_outlet=wire)


def relation(new_text: str, original: DemoArticle, agency: str = "", wire: bool = True) -> str | None:
    return classify(fingerprint("", new_text), agency, candidate(original, wire), {}).relation


def test_a_credited_copy_is_a_wire_copy_and_an_uncredited_one_a_duplicate() -> None:
    original, copy = original_and("wire_copy")
    assert relation(text(copy), original, agency="mpa") == "wire_copy"
    body = "\n\n".join(original.paragraphs[1:-1])  # credit and dateline stripped
    assert relation(body, original, wire=False) == "duplicate"


@pytest.mark.parametrize("wrap", ["trim", "boilerplate"])
def test_trimmed_and_wrapped_copies_are_duplicates(wrap: str) -> None:
    original, _ = original_and("wire_copy")
    body = text(original)
    copy = body[: int(len(body) * 0.7)] if wrap == "trim" else f"Sign up for our newsletter.\n\n{body}\n\nShare this story."
    assert relation(copy, original, wire=False) == "duplicate"


@pytest.mark.parametrize("strength", [0.4, 0.6, 0.8])
def test_spun_copies_are_recognised(strength: float) -> None:
    original, _ = original_and("wire_copy")
    assert relation(spin(text(original), strength, seed=5), original) == "spun_copy"


def _swap_first(body: str, old: str, new: str) -> str:
    assert f" {old} " in body
    return body.replace(f" {old} ", f" {new} ", 1)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("said", "stated", "spun_copy"),  # one synonym swap in a verbatim copy: a spinner's work
    ("the", "de", "duplicate"),  # two letters apart: a typo or a spelling variant, not spin
])
def test_one_swapped_word_is_spin_only_when_it_is_a_word_for_a_word(old: str, new: str, expected: str) -> None:
    original, _ = original_and("wire_copy")
    body = "\n\n".join(original.paragraphs[1:-1])
    assert relation(_swap_first(body, old, new), original, wire=False) == expected


def test_a_corrected_number_or_name_is_not_spin() -> None:
    original, _ = original_and("wire_copy")
    body = "\n\n".join(original.paragraphs[1:-1])
    found = re.search(r"\b\d{2,}\b", body)
    assert found is not None
    corrected = body[:found.start()] + str(int(found.group()) + 1) + body[found.end():]
    assert relation(corrected, original, wire=False) == "duplicate"


def test_independent_coverage_is_the_same_story() -> None:
    original, independent = original_and("independent")
    match = classify(fingerprint(independent.title, text(independent)), "", candidate(original, True), {})
    assert match.relation == "same_story", match.evidence
    # The story engine asks about copies only: coverage is its placement model's to judge.
    copies_only = classify(fingerprint(independent.title, text(independent)), "", candidate(original, True), {},
                           copies_only=True)
    assert copies_only.relation is None and "similarity" not in copies_only.evidence


def test_the_same_kind_of_news_about_other_people_is_unrelated() -> None:
    original, _ = original_and("wire_copy")
    other_event = next(a for a in WORLD.articles if a.relation == "original" and a.event == original.event + 8)
    assert relation(text(other_event), original) is None


def test_best_match_links_a_copy_to_the_earliest_equal() -> None:
    original, _ = original_and("wire_copy")
    earlier_copy = Candidate(key="earlier-copy", fingerprint=fingerprint(original.title, text(original)))
    candidates = [candidate(original, True), earlier_copy]  # oldest first, both the same text
    match = best_match(fingerprint(original.title, text(original)), "mpa", candidates, {})
    assert match.relation == "wire_copy" and match.candidate is candidates[0]
