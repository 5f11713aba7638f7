"""Headline, authors and time from what a page declares; prose free of markup and clutter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import html as lxml_html

from wiredesk.ingest.extract import extract_article
from wiredesk.ingest.page.authors import authors_from_byline, find_authors, join_names
from wiredesk.ingest.page.dates import find_published
from wiredesk.ingest.page.headline import best_headline, site_names, strip_site_name
from wiredesk.ingest.page.meta import read_page_meta

TESTDATA = Path(__file__).resolve().parents[2] / "src" / "wiredesk" / "ingest" / "testdata"
URL = "https://ledger.example/city/bridge-reopens"


def _page(head: str, body: str = "<p>Body.</p>"):
    tree = lxml_html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return tree, read_page_meta(tree)


@pytest.fixture(scope="module")
def ledger():
    return extract_article((TESTDATA / "article_jsonld.html").read_bytes(), URL)


def test_the_declared_headline_wins_over_the_site_logo_and_the_suffixed_title(ledger) -> None:
    assert ledger.title == "Harbour bridge reopens after ‘tricky’ repairs"  # JSON-LD, entities decoded


def test_authors_are_a_list_of_people_from_json_ld(ledger) -> None:
    assert ledger.authors == ["Maja Ekberg", "Tomas Reyes"]
    assert ledger.byline == "Maja Ekberg and Tomas Reyes"


def test_the_time_of_day_and_zone_are_kept(ledger) -> None:
    assert ledger.published == datetime(2026, 11, 20, 7, 45, tzinfo=timezone(timedelta(hours=1)))


def test_text_is_plain_prose_and_the_html_keeps_links_and_tables(ledger) -> None:
    paragraphs = ledger.text.split("\n\n")
    assert paragraphs[0].startswith("The harbour bridge reopened") and "city roads office said" in paragraphs[0]
    assert len(paragraphs) == 4
    for markup in ("](", "http", "<", "| Phase", "Hinge pins"):
        assert markup not in ledger.text
    assert 'href="https://ledger.example/city/roads"' in ledger.html
    assert "<table>" in ledger.html and "Hinge pins" in ledger.html


@pytest.mark.parametrize("clutter", ["Ferry timetable returns", "Finally driving over the bridge", "* * *",
                                     "is a city reporter", "Market hall"])
def test_teasers_embeds_dividers_and_the_author_box_are_left_out(ledger, clutter: str) -> None:
    assert clutter not in ledger.text
    assert clutter not in ledger.html


def test_a_broken_json_ld_block_is_skipped_not_fatal() -> None:
    _, meta = _page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A",}</script>'
                    '<script type="application/ld+json">{ nope</script>')
    assert [a["headline"] for a in meta.articles] == ["A"]  # a trailing comma is forgiven


@pytest.mark.parametrize(("title", "expected"), [
    ("Storm closes port | Coast Herald", "Storm closes port"),
    ("Coast Herald - Storm closes port", "Storm closes port"),
    ("Storm closes port - coastherald.com", "Storm closes port"),
    ("Storm closes port: what we know", "Storm closes port: what we know"),  # not a site name
])
def test_site_names_are_stripped_only_where_they_are_the_site(title: str, expected: str) -> None:
    _, meta = _page('<meta property="og:site_name" content="Coast Herald">')
    assert strip_site_name(title, site_names(meta, "https://www.coastherald.example/x")) == expected


@pytest.mark.parametrize(("title", "host"), [
    ("Zinsen setzen Dax zu | Börsen-Zeitung", "https://www.boersen-zeitung.example/x"),  # ö spelled oe
    ("Zinsen setzen Dax zu | Bórsen Zeitung", "https://www.borsenzeitung.example/x"),  # accents dropped
])
def test_a_site_name_is_known_however_its_host_spells_its_letters(title: str, host: str) -> None:
    _, meta = _page("")
    assert strip_site_name(title, site_names(meta, host)) == "Zinsen setzen Dax zu"


def test_the_visible_h1_inside_the_article_beats_a_logo_h1_when_nothing_is_declared() -> None:
    tree, meta = _page("<title>Site</title>", "<h1>Site</h1><article><h1>Storm closes port</h1></article>")
    assert best_headline(tree, meta, "https://site.example/x") == "Storm closes port"


def test_an_author_that_is_only_the_site_gives_way_to_a_person() -> None:
    tree, meta = _page('<meta property="og:site_name" content="Coast Herald">'
                       '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
                       '{"@type": "Organization", "name": "Coast Herald"}}</script>'
                       '<meta name="author" content="By Ines Halvorsen">')
    assert find_authors(tree, meta, site_names(meta, "https://coastherald.example/x")) == ["Ines Halvorsen"]


def test_image_credits_and_newsroom_initials_are_not_authors() -> None:
    tree, meta = _page('<meta name="author" content="Ines Halvorsen (ih)">'
                       '<meta name="author" content="(Image: Getty Images/iStockphoto)">')
    assert find_authors(tree, meta) == ["Ines Halvorsen"]


def test_a_visible_byline_is_read_when_nothing_is_declared() -> None:
    tree, meta = _page("", '<article><span class="author-name">Von Lena Brandt</span><p>Text.</p></article>')
    assert find_authors(tree, meta) == ["Lena Brandt"]


def test_microdata_authors_of_teasers_are_not_the_articles() -> None:
    body = ('<div itemscope itemtype="https://schema.org/NewsArticle"><span itemprop="author">Ada Moreau</span></div>'
            '<div itemscope itemtype="https://schema.org/NewsArticle"><span itemprop="author">Other Writer</span></div>')
    tree, meta = _page("", body)
    assert find_authors(tree, meta) == ["Ada Moreau"]


@pytest.mark.parametrize(("byline", "names"), [
    ("By Rosa Lind", ["Rosa Lind"]),
    ("Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
    ("Trine Juncher Jørgensen og Tôrtia Reimer-Johansen", ["Trine Juncher Jørgensen", "Tôrtia Reimer-Johansen"]),
    ("Smith, Jones", ["Smith, Jones"]),  # two surnames or one inverted name: not safe to split
    ("Reporting by Ann Ode; editing by Bo Ray", ["Ann Ode"]),  # the editor is not an author
    ("Madonna", ["Madonna"]),
    ("Meridian Press Agency", ["Meridian Press Agency"]),
    ("", []),
])
def test_stored_bylines_become_author_lists_only_where_safe(byline: str, names: list[str]) -> None:
    assert authors_from_byline(byline) == names


def test_join_names_reads_like_a_byline() -> None:
    assert join_names(["A B", "C D", "E F"]) == "A B, C D and E F"
    assert join_names([]) == ""


def test_a_declared_time_with_a_zone_beats_one_without() -> None:
    tree, meta = _page('<script type="application/ld+json">{"@type": "NewsArticle", '
                       '"datePublished": "Fri Apr 28 19:20:36 CEST 2023"}</script>'
                       '<meta property="article:published_time" content="2023-04-28T19:20:36+0200">')
    assert find_published(tree, meta) == datetime(2023, 4, 28, 17, 20, 36, tzinfo=UTC)


def test_a_page_without_declared_date_falls_back_to_the_visible_one() -> None:
    page = (b"<html><head><title>Storm</title></head><body><article><h1>Storm closes port</h1>"
            b"<p class='date'>Published 14 March 2025</p>" + b"<p>The port closed for two days. " * 8 +
            b"</p></article></body></html>")
    article = extract_article(page, "https://site.example/news/storm")
    assert article.published is not None and article.published.date().isoformat() == "2025-03-14"


def _live_blog(updates: int) -> bytes:
    entries = ", ".join(
        f'{{"@type": "BlogPosting", "headline": "Update {n}", "articleBody": "Minute {n}: the visiting side '
        f'pressed again, and the keeper saved a low shot from the edge of the area after a long spell."}}'
        for n in range(updates))
    ld = (f'{{"@type": "LiveBlogPosting", "headline": "Cup final, live", "liveBlogUpdate": [{entries}]}}')
    stub = "<p>Follow the cup final as it happens, with every chance and every change from the ground.</p>" * 2
    return (f'<html><head><script type="application/ld+json">{ld}</script></head><body><article>'
            f'<h1>Cup final, live</h1>{stub}<div id="updates"></div></article></body></html>').encode()


def test_a_declared_body_replaces_an_extraction_that_missed_the_article() -> None:
    article = extract_article(_live_blog(12), "https://site.example/live")
    assert "Minute 11: the visiting side pressed again" in article.text
    assert "Minute 0:" in article.html


def test_a_short_declared_body_does_not_replace_the_page() -> None:
    article = extract_article(_live_blog(1), "https://site.example/live")
    assert "Follow the cup final" in article.text and "Minute 0" not in article.text


def test_the_twitter_cards_written_by_names_the_author_where_the_author_meta_is_an_address() -> None:
    tree, meta = _page('<meta name="author" content="l.brandt@coastherald.example">'
                       '<meta name="twitter:label1" content="Geschätzte Lesezeit"><meta name="twitter:data1" content="4 Minuten">'
                       '<meta name="twitter:label2" content="Written by"><meta name="twitter:data2" content="Lena Brandt">')
    assert find_authors(tree, meta) == ["Lena Brandt"]
    tree, meta = _page('<meta name="twitter:misc:Geschrieben von" content="Ines Halvorsen">'
                       '<meta name="twitter:misc:Est. reading time" content="3 Minuten">')
    assert find_authors(tree, meta) == ["Ines Halvorsen"]


@pytest.mark.parametrize(("body", "names"), [
    ('<p>Text.</p><div class="edit cf">(责编：牛镛、岳弘彬)</div>', ["牛镛", "岳弘彬"]),
    ('<ul><li class="info">Von: <span><a href="/p/ada">Ada  MOREAU</a>, Lena BRANDT</span></li></ul>',
     ["Ada MOREAU", "Lena BRANDT"]),
    ('<div class="row"><span>Sehernur Karsu &nbsp;|</span> <span class="tarih">05.04.2025 - 14:02</span></div>',
     ["Sehernur Karsu"]),
    ('<p>Body text.</p><p style="text-align:right;"><strong>Lê Phương</strong></p>', ["Lê Phương"]),
])
def test_a_byline_the_layout_shows_without_marking_it_is_read(body: str, names: list[str]) -> None:
    tree, meta = _page("", body)
    assert find_authors(tree, meta) == names


@pytest.mark.parametrize("body", [
    '<div><h3>Radio One | Regional News | 17.06.2025 | 15:00 Uhr</h3></div>',  # two undated parts: no byline
    '<p>Bylines are written by reporters: a plain sentence.</p>',  # "by" without a colon opens prose
    '<p style="text-align:right;">Photo credits and more text</p>',  # right-aligned, not bold
    '<p style="text-align:right;"><strong>Read the full report on 12 pages</strong></p>',
    '<footer><p>By: Site Desk</p></footer><nav><span>Ana Lind | 05.04.2025</span></nav>',  # page furniture
    '<p>The Latest | September 3, 2024</p>',  # a label: names open with no article
])
def test_lines_that_only_resemble_a_byline_name_no_one(body: str) -> None:
    tree, meta = _page("", body)
    assert find_authors(tree, meta) == []


def test_a_brand_label_in_the_author_box_is_not_the_author() -> None:
    body = ('<div class="authors"><span class="authors__brand-identifier">capital</span>'
            '<ul><li class="authors__list-item"><span>von</span> <span>Jemima Kelly</span></li></ul></div>'
            '<span class="teaser__author">von Other Writer</span>')
    tree, meta = _page("", body)
    assert find_authors(tree, meta) == ["Jemima Kelly"]


def test_a_name_beside_a_written_out_date_is_a_byline_too() -> None:
    tree, meta = _page("", '<p class="meta">By Ana Lind | April 5, 2025</p>')
    assert find_authors(tree, meta) == ["Ana Lind"]
