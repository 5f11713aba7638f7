"""The decoded-fingerprint cache (stories.stored) and the two ways a story is refreshed."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from wiredesk.sources.models import Outlet
from wiredesk.stories import candidates, counts, engine, stored, story_row
from wiredesk.stories.models import Fingerprint, Story, StoryMember

from .test_engine import event, store

pytestmark = pytest.mark.django_db


def _same(a: stored.StoredPrint, b: stored.StoredPrint) -> None:
    assert np.array_equal(a.shingles, b.shingles) and np.array_equal(a.signature, b.signature)
    ra, rb = a.report, b.report
    assert (dict(ra.terms), dict(ra.title_terms), ra.names, ra.numbers, dict(ra.principals), ra.has_text,
            ra.words) == (dict(rb.terms), dict(rb.title_terms), rb.names, rb.numbers, dict(rb.principals),
                          rb.has_text, rb.words)
    assert ra.published == rb.published


def test_a_fingerprint_cached_on_commit_reads_as_the_decoded_row(django_capture_on_commit_callbacks) -> None:
    e = event(5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = engine.attach(store(e["original"], "wire", Outlet.Role.WIRE, 0)).article
    assert callbacks, "placing an article must cache its fingerprint once committed"
    pk = Fingerprint.objects.get(article=article).pk
    remembered = stored.prints([pk])[pk]
    stored.clear()
    decoded = stored.prints([pk])[pk]
    assert remembered is not decoded
    _same(remembered, decoded)


def test_nothing_is_cached_before_commit_and_a_rollback_drops_what_was_kept_aside() -> None:
    e = event(6)
    article = engine.attach(store(e["original"], "wire", Outlet.Role.WIRE, 0)).article
    pk = Fingerprint.objects.get(article=article).pk
    assert pk not in stored._CACHE  # the test's transaction never commits...
    assert stored.prints([pk])[pk] is stored._PENDING[pk]  # ...but the next article of a batch reads it
    with pytest.raises(RuntimeError), engine.placing():
        later = engine.attach(store(event(7)["original"], "wire", Outlet.Role.WIRE, 5)).article
        later_pk = Fingerprint.objects.get(article=later).pk
        assert later_pk in stored._PENDING
        raise RuntimeError("the batch fails")
    assert later_pk not in stored._PENDING and not Fingerprint.objects.filter(pk=later_pk).exists()
    assert counts.COUNTS.dfs == {}  # the copy of the counts held the rolled-back counts: started again


def test_the_cache_stays_within_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stored, "CACHE_SIZE", 2)
    pks = []
    for number, minutes in ((4, 0), (5, 600), (6, 1200)):
        article = engine.attach(store(event(number)["original"], f"paper{number}", Outlet.Role.NEWSPAPER,
                                      minutes)).article
        pks.append(Fingerprint.objects.get(article=article).pk)
    stored.forget_pending()  # as if they were written by another process: read from the database
    found = stored.prints(pks)
    assert set(found) == set(pks)  # all asked for are returned...
    assert len(stored._CACHE) == 2  # ...but no more than the bound are kept
    assert stored.prints([10**9]) == {}  # an id with no row is simply absent


def test_a_large_story_refreshes_exactly_as_a_small_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Up to SMALL_STORY members a story is recomputed from one read; above it from SQL aggregates
    and the members that can be primary. Both must give the same row."""
    e = event(7)
    engine.attach(store(e["independent"], "indie", Outlet.Role.INDEPENDENT, 0))
    engine.attach(store(e["original"], "wire", Outlet.Role.WIRE, 5))
    for n in range(6):
        engine.attach(store(e["original"], f"paper-{n}", Outlet.Role.NEWSPAPER, 10 + n))
    story = Story.objects.get(pk=StoryMember.objects.get(article__outlet__slug="wire").story_id)
    assert story.size >= 3

    def refreshed(small: int) -> tuple[object, ...]:
        monkeypatch.setattr(story_row, "SMALL_STORY", small)
        Story.objects.filter(pk=story.pk).update(size=0, outlet_count=0, primary_article=None, primary_agency="",
                                                 title="", first_seen=story.first_seen - timedelta(days=9))
        row = Story.objects.get(pk=story.pk)
        story_row.refresh_story(row)
        row.refresh_from_db()
        return (row.size, row.outlet_count, row.first_seen, row.last_updated, row.primary_article_id,
                row.primary_agency, row.title)

    small, large = refreshed(64), refreshed(1)
    assert small == large
    assert small[4] == StoryMember.objects.get(article__outlet__slug="wire").article_id  # the wire's own report


def test_a_stored_articles_words_are_read_once_and_kept_within_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stored, "TOKEN_CACHE_SIZE", 2)
    reads: list[int] = []

    def loader(pk: int, words: list[str]):  # type: ignore[no-untyped-def]
        return lambda: reads.append(pk) or list(words)

    assert stored.tokens(1, loader(1, ["the", "fire", "spread"])) == ["the", "fire", "spread"]
    assert stored.tokens(1, loader(1, ["never", "read"])) == ["the", "fire", "spread"]
    assert stored.tokens(2, loader(2, [])) == []
    assert stored.tokens(2, loader(2, ["never"])) == []  # an empty text is kept as such, not read again
    stored.tokens(3, loader(3, ["third"]))
    assert reads == [1, 2, 3] and len(stored._TOKENS) == 2
    stored.tokens(1, loader(1, ["read", "again"]))  # the oldest was dropped: read anew
    assert reads == [1, 2, 3, 1]


def test_candidates_read_by_plain_statement_carry_aware_times() -> None:
    first = engine.attach(store(event(7)["original"], "wire", Outlet.Role.WIRE, 0)).article
    engine.attach(store(event(7)["original"], "paper", Outlet.Role.NEWSPAPER, 30))
    (candidate, member), = candidates.load_candidates([first.pk])
    story = Story.objects.get(pk=member.story.pk)
    assert candidate.key == first.pk and member.published_at == first.published_at
    assert member.published_at.tzinfo is not None
    assert (member.story.first_seen, member.story.last_updated, member.story.size) == (
        story.first_seen, story.last_updated, story.size)


def test_the_copy_of_the_counts_is_dropped_when_another_process_wrote_counts() -> None:
    from wiredesk.stories.models import TermStat

    engine.attach(store(event(5)["original"], "wire", Outlet.Role.WIRE, 0))
    assert counts.COUNTS.dfs and counts.COUNTS.token == TermStat.objects.get(term=counts.WRITES).df
    counted = next(key for key, df in counts.COUNTS.dfs.items() if df > 0 and key.startswith("t:"))
    # Another placer counts an article: new counts and a token of its own.
    TermStat.objects.filter(term=counted).update(df=1000)
    TermStat.objects.filter(term=counts.WRITES).update(df=counts.COUNTS.token % 1000 + 1)
    generation = counts.COUNTS.generation
    engine.attach(store(event(6)["original"], "paper", Outlet.Role.NEWSPAPER, 600))
    assert counts.COUNTS.generation > generation  # started again...
    weights = counts.StoredWeights(0)
    weights.need(frozenset({counted}))
    assert weights.dfs[counted] == 1000  # ...and reads what the other process wrote


def test_the_copy_of_the_counts_follows_this_process_own_writes() -> None:
    from wiredesk.stories.models import TermStat

    engine.attach(store(event(5)["original"], "wire", Outlet.Role.WIRE, 0))
    generation = counts.COUNTS.generation
    engine.attach(store(event(5)["original"], "paper", Outlet.Role.NEWSPAPER, 30))
    assert counts.COUNTS.generation == generation  # its own write kept the copy
    stored_counts = dict(TermStat.objects.filter(term__in=list(counts.COUNTS.dfs)).values_list("term", "df"))
    assert {k: v for k, v in counts.COUNTS.dfs.items() if v} == {
        k: v for k, v in stored_counts.items() if k in counts.COUNTS.dfs and v}
