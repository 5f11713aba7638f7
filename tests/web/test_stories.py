"""Story pages and story credits on the site, from the demo world's real coverage."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.stories.test_engine import event, store
from wiredesk.demo.spinner import spin
from wiredesk.sources.models import Outlet
from wiredesk.stories.engine import attach
from wiredesk.stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_articles() -> dict[str, object]:
    e = event(4)
    articles = {
        "wire": store(e["original"], "wire", Outlet.Role.WIRE, 0),
        "copy": store(e["original"], "paper", Outlet.Role.NEWSPAPER, 30),
        "spun": store(e["original"], "farm", Outlet.Role.AGGREGATOR, 90,
                      spin("\n\n".join(e["original"].paragraphs[:-1]), 0.7, seed=4)),
        "indie": store(e["independent"], "indie", Outlet.Role.INDEPENDENT, 120),
    }
    for article in articles.values():
        attach(article)
    return articles


def test_the_story_page_shows_full_coverage_with_provenance(client: Client, story_articles: dict) -> None:
    story = Story.objects.get()
    page = client.get(reverse("web:story", args=[story.pk])).content.decode()
    assert "Primary source" in page and "Originally reported by <strong>Wire</strong>" in page
    assert f'href="{story_articles["wire"].url}"' in page
    for heading in ("Independent coverage", "Copies of the same text", "Machine-spun copies", "Timeline"):
        assert heading in page
    assert "What was swapped" in page and "<del>" in page and "<ins>" in page


def test_the_spun_copy_says_how_it_was_caught(client: Client, story_articles: dict) -> None:
    """A low text-only spin score beside a flagged copy would read as a contradiction: the page
    says whether the text gave it away or the comparison with the original did."""
    from wiredesk.core.signals import content_changed
    from wiredesk.stories.models import StoryMember

    member = StoryMember.objects.get(article=story_articles["spun"])
    page = client.get(reverse("web:story", args=[member.story_id])).content.decode()
    shown = f"{member.spin_score:.2f}"
    if member.spin_score >= 0.5:
        assert f"reads as machine-spun on its own (spin score {shown})" in page
    else:
        assert f"found by comparison with the original (its text alone scores {shown})" in page
    StoryMember.objects.filter(pk=member.pk).update(spin_score=0.1 if member.spin_score >= 0.5 else 0.9)
    content_changed.send(sender=StoryMember)  # as the story stage announces what it rewrites
    page = client.get(reverse("web:story", args=[member.story_id])).content.decode()
    assert ("found by comparison with the original" in page) == (member.spin_score >= 0.5)
    assert ("reads as machine-spun on its own" in page) == (member.spin_score < 0.5)


def test_article_pages_credit_the_original_and_flag_spun_copies(client: Client, story_articles: dict) -> None:
    spun_page = client.get(reverse("web:article", args=[story_articles["spun"].pk])).content.decode()
    assert "Machine-spun copy." in spun_page
    assert "Originally reported by" in spun_page and story_articles["wire"].url in spun_page
    wire_page = client.get(reverse("web:article", args=[story_articles["wire"].pk])).content.decode()
    assert "Machine-spun copy." not in wire_page and "Originally reported by" not in wire_page
    assert "Full coverage: 4 articles from 4 outlets" in wire_page


def test_the_front_page_leads_with_the_widest_story(client: Client, story_articles: dict) -> None:
    lonely = store(event(9)["original"], "wire", Outlet.Role.WIRE, 200)
    attach(lonely)
    page = client.get(reverse("web:front")).content.decode()
    assert page.index(story_articles["wire"].title) < page.index(lonely.title)
    assert "Full coverage: 4 articles" in page


def test_a_merged_story_redirects_to_the_one_that_absorbed_it(client: Client, story_articles: dict) -> None:
    live = Story.objects.get()
    gone = Story.objects.create(title="old", first_seen=live.first_seen, last_updated=live.last_updated, merged_into=live)
    response = client.get(reverse("web:story", args=[gone.pk]))
    assert response.status_code == 301 and response["Location"] == reverse("web:story", args=[live.pk])


def test_listings_never_show_a_spun_copy_as_an_original(client: Client, story_articles: dict) -> None:
    page = client.get(reverse("web:outlet", args=["farm"])).content.decode()
    assert story_articles["spun"].title.replace("'", "&#x27;") in page
    assert '<span class="badge spun">spun copy</span>' in page


def test_search_lists_originals_before_their_copies(client: Client, story_articles: dict) -> None:
    from wiredesk.articles import search

    search.index_articles(list(story_articles.values()))
    page = client.get(reverse("web:search"), {"q": story_articles["wire"].title.split()[0]}).content.decode()
    wire_link = reverse("web:article", args=[story_articles["wire"].pk])
    spun_link = reverse("web:article", args=[story_articles["spun"].pk])
    assert wire_link in page and spun_link in page
    assert page.index(f'href="{wire_link}"') < page.index(f'href="{spun_link}"')


def test_the_timeline_says_what_a_copy_copied_and_nothing_of_the_kind_for_independent_coverage(
        client: Client, story_articles: dict) -> None:
    """Independent coverage is matched to its closest earlier report, but it copied nothing: the
    timeline must not read "independent coverage of Wire"."""
    import re

    from wiredesk.stories.models import StoryMember

    indie = StoryMember.objects.get(article=story_articles["indie"])
    assert indie.relation == "same_story" and indie.related_to_id is not None
    page = client.get(reverse("web:story", args=[indie.story_id])).content.decode()
    timeline = page[page.index('id="tl-h"'):]
    rows = {re.search(r">([^<]+)</a>", row).group(1): row for row in re.findall(r"<li>.*?</li>", timeline, re.S)}
    assert "of Wire" in rows["Paper"]  # the wire copy names what it copied
    indie_row = " ".join(re.sub(r"<[^>]+>", " ", rows["Indie"]).split())
    assert "independent coverage" in indie_row.lower() and not re.search(r"\bof\b", indie_row), indie_row
