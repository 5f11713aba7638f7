"""Article cards (web.cards): what each part shows, escaped, linked where Django's router says."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from tests.web.test_pages import make_article
from wiredesk.articles.models import Article
from wiredesk.sources.models import Outlet
from wiredesk.stories.models import Story, StoryMember
from wiredesk.web.cards import render_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlet() -> Outlet:
    return Outlet.objects.create(name='Ledger <b>&</b> "Co"', slug="ledger")


def test_a_card_escapes_what_outlets_send_and_links_article_outlet_and_section(outlet: Outlet) -> None:
    article = make_article('Bridge <script>alert(1)</script> & "closes"', outlet=outlet, section="world")
    html = render_card(article)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;closes&quot;" in html
    assert 'Ledger &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot;' in html
    assert f'<a href="{reverse("web:article", args=[article.pk])}">' in html
    assert f'href="{reverse("web:outlet", args=["ledger"])}"' in html
    assert f'href="{reverse("web:section", args=["world"])}">World</a>' in html
    assert html.startswith('<article class="card">') and "<h3" in html and "card-image" not in html


def test_the_lead_card_is_a_level_two_headline_with_its_image(outlet: Outlet) -> None:
    article = make_article("Floods", outlet=outlet, lead_image='https://img.example/a.jpg?x=1&y="2"')
    lead, plain = render_card(article, is_lead=True), render_card(article)
    assert lead.startswith('<article class="card lead">') and "<h2" in lead
    assert 'src="https://img.example/a.jpg?x=1&amp;y=&quot;2&quot;"' in lead
    assert "card-image" not in plain


def test_time_is_shown_in_the_sites_zone_with_a_machine_readable_stamp(outlet: Outlet) -> None:
    article = make_article("Rates", outlet=outlet)
    article.published_at = datetime(2026, 3, 5, 22, 30, tzinfo=UTC)
    assert '<time datetime="2026-03-05T22:30:00+00:00">5 Mar, 22:30</time>' in render_card(article)
    with override_settings(TIME_ZONE="Asia/Tokyo"):
        assert '<time datetime="2026-03-06T07:30:00+09:00">6 Mar, 07:30</time>' in render_card(article)


@pytest.mark.parametrize(("replies", "label"), [(0, None), (1, "1 reply"), (4, "4 replies")])
def test_replies_are_counted_and_linked(outlet: Outlet, replies: int, label: str | None) -> None:
    article = make_article("Vote", outlet=outlet)
    article.reply_count = replies
    html = render_card(article)
    if label is None:
        assert "#comments" not in html
    else:
        assert f'<a href="{reverse("web:article", args=[article.pk])}#comments">{label}</a>' in html


def test_a_long_summary_is_cut_at_forty_words(outlet: Outlet) -> None:
    article = make_article("Long", outlet=outlet)
    article.summary = " ".join(f"w{i}" for i in range(60)) + " <i>"
    html = render_card(article)
    assert "w39 …</p>" in html and "w40" not in html and "<i>" not in html


def test_copies_folded_into_a_card_and_the_front_pages_story_link(outlet: Outlet) -> None:
    article = make_article("Quake", outlet=outlet)
    other = Outlet.objects.create(name="Wire & Co", slug="wire")
    now = timezone.now()
    story = Story.objects.create(title="Quake", first_seen=now, last_updated=now)
    StoryMember.objects.create(article=article, story=story, relation="wire_copy", published_at=now)
    article = Article.objects.get(pk=article.pk)
    article.more_coverage = [SimpleNamespace(outlet=other), SimpleNamespace(outlet=outlet)]
    article.top_story = SimpleNamespace(pk=story.pk, size=5, outlet_count=1)
    html = render_card(article)
    assert '<span class="badge wire_copy">wire copy</span> ' in html
    link = reverse("web:story", args=[story.pk])
    assert f'<a href="{link}">+2 more from Wire &amp; Co, Ledger &lt;b&gt;' in html
    assert f'<a href="{link}">Full coverage: 5 articles from 1 outlet</a>' in html
    article.top_story = SimpleNamespace(pk=story.pk, size=1, outlet_count=1)
    assert "Full coverage" not in render_card(article)


def test_links_follow_the_script_prefix_the_site_is_served_under(outlet: Outlet) -> None:
    article = make_article("Prefix", outlet=outlet)
    try:
        set_script_prefix("/news/")
        html = render_card(article)
        assert f'href="/news/article/{article.pk}/"' in html and 'href="/news/outlet/ledger/"' in html
    finally:
        set_script_prefix("/")
    assert f'href="/article/{article.pk}/"' in render_card(article)
