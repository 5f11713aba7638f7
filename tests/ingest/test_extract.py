"""Extraction and sanitising over fixture pages with real-world clutter and hostile markup."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wiredesk.core.errors import ExtractionError
from wiredesk.ingest.extract import extract_article

TESTDATA = Path(__file__).resolve().parents[2] / "src" / "wiredesk" / "ingest" / "testdata"


def test_it_extracts_the_article_and_leaves_the_clutter() -> None:
    article = extract_article((TESTDATA / "article_clutter.html").read_bytes(), "https://gazette.example/news/tram-line")
    assert article.title == "Council approves new tram line"
    assert article.authors == ["Rosa Lind"]
    assert article.published == datetime(2026, 11, 23, tzinfo=UTC) or article.published.date().isoformat() == "2026-11-23"
    assert article.lead_image == "https://gazette.example/img/tram.jpg"
    assert article.language == "en"
    assert article.canonical_url == "https://gazette.example/news/tram-line"
    assert "voted 31 to 12" in article.text
    assert "Shop owners along the planned route" in article.text
    for clutter in ("cookies", "Advertisement", "First! Trams", "Bus fares to rise", "Privacy"):
        assert clutter not in article.text
    assert article.html.startswith("<p>")


def test_it_strips_every_script_vector_from_hostile_pages() -> None:
    article = extract_article((TESTDATA / "hostile.html").read_bytes(), "https://town.example/meeting")
    lowered = article.html.lower()
    for vector in ("<script", "javascript:", "onclick", "onerror", "onmouseover", "<iframe", "<style", "document.cookie"):
        assert vector not in lowered
    assert "school budget" in article.text
    assert 'href="https://town.example/plan"' in article.html


@pytest.mark.parametrize(
    ("page", "code"),
    [(b"", "empty_page"), (b"<html><body><nav>Home</nav></body></html>", "no_article")],
)
def test_it_refuses_pages_without_an_article(page: bytes, code: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_article(page, "https://x.example/")
    assert caught.value.code == code
