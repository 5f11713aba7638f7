"""Site template learned per host: short blocks a host prints on many articles leave the prose."""

from __future__ import annotations

import pytest

from tests.factories import make_source
from tests.localserver import LocalServer, Reply
from wiredesk.articles.models import Article, HostBlock
from wiredesk.articles.repeats import DatabaseTally
from wiredesk.ingest.page.repeats import MIN_REPEATS, MemoryTally, block_key, strip_site_template
from wiredesk.ingest.pipeline import Fetchers, check_source

PROMO = "Join our readers' forum and follow the conversation."


def article(n: int) -> tuple[str, str]:
    prose = [f"Story {n} opens with its own first sentence about event number {n}.",
             f"A second paragraph, also only in story {n}, with the details of that event.", PROMO]
    return "\n\n".join(prose), "".join(f"<p>{p}</p>" for p in prose)


@pytest.mark.parametrize("tally_kind", ["memory", "database"])
@pytest.mark.django_db
def test_a_block_printed_on_enough_articles_of_a_host_is_dropped(tally_kind: str) -> None:
    tally = MemoryTally() if tally_kind == "memory" else DatabaseTally()
    for n in range(MIN_REPEATS):
        text, html = strip_site_template("ledger.example", *article(n), tally)
        assert PROMO in text  # not yet known as template
    text, html = strip_site_template("ledger.example", *article(99), tally)
    assert PROMO not in text and PROMO.split("'")[0] not in html
    assert "Story 99 opens" in text and "Story 99 opens" in html
    other_text, _ = strip_site_template("elsewhere.example", *article(100), tally)
    assert PROMO in other_text  # one host's template says nothing about another's


def test_long_paragraphs_are_never_taken_for_template() -> None:
    tally = MemoryTally()
    long_block = "A long paragraph that many articles quote in full. " * 12
    for n in range(MIN_REPEATS + 1):
        text, _ = strip_site_template("h.example", f"Only in {n}.\n\n{long_block.strip()}", "", tally)
    assert long_block.strip() in text


def test_an_article_the_host_prints_again_keeps_its_text() -> None:
    """Found by benchmarks/scale.py's crash run: a host that served one report under four
    addresses had the fourth stored as an extracted article with no text at all, its every short
    paragraph taken for template. A template frames an article, it is never most of it."""
    tally = MemoryTally()
    text, html = article(7)
    for _ in range(MIN_REPEATS):
        strip_site_template("h.example", text, html, tally)
    again_text, again_html = strip_site_template("h.example", text, html, tally)
    assert again_text == text and again_html == html
    framed_text, _ = strip_site_template("h.example", *article(8), tally)
    assert "Story 8 opens" in framed_text and PROMO not in framed_text  # a new article: the template still goes


def test_learning_can_be_switched_off_for_a_refetch() -> None:
    tally = MemoryTally()
    for _ in range(MIN_REPEATS + 2):
        strip_site_template("h.example", *article(1), tally, learn=False)
    assert tally.counts("h.example", [block_key(PROMO)]) == {}


@pytest.mark.django_db
def test_the_pipeline_learns_the_template_and_counts_each_article_once(server: LocalServer, fetchers: Fetchers) -> None:
    from tests.factories import rss

    items = [(f"s{n}", f"Story {n}", "world") for n in range(MIN_REPEATS + 1)]
    server.route("/feed", Reply(body=rss(items, server.base), content_type="application/rss+xml"))
    for n, (guid, _, _) in enumerate(items):
        text, _ = article(n)
        body = "".join(f"<p>{p} {'Words that make the body long enough to read.' * (p != PROMO)}</p>"
                       for p in text.split("\n\n"))
        server.route(f"/p/{guid}", Reply(body=f"<html><body><article>{body}</article></body></html>".encode()))
    check_source(make_source(server.url("/feed")), fetchers)
    texts = [Article.objects.get(guid=guid).text for guid, _, _ in items]
    assert sum(PROMO in t for t in texts) == MIN_REPEATS  # the last one read no longer carries it
    assert HostBlock.objects.get(key=block_key(PROMO)).articles == MIN_REPEATS + 1
