"""The JSON API: the site's content with its primary sources, described by an OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone

from tests.factories import make_source
from wiredesk.articles.models import Article
from wiredesk.editorial.models import Post
from wiredesk.sources.models import Outlet
from wiredesk.stories.models import Story, StoryMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, int]:
    source = make_source("https://wire.example/rss", name="Wire Agency", slug="wire", policy=Outlet.DisplayPolicy.FULL)
    now = timezone.now()
    original = Article.objects.create(source=source, outlet=source.outlet, dedup_key="1", identity="guid",
                                      url="https://wire.example/a/1", title="Dam opens", summary="The dam opened.",
                                      text="The dam opened on Monday.", published_at=now)
    copy = Article.objects.create(source=source, outlet=source.outlet, dedup_key="2", identity="guid",
                                  url="https://wire.example/a/2", title="Dam opens (copy)", published_at=now)
    story = Story.objects.create(title="Dam opens", first_seen=now, last_updated=now, size=2, outlet_count=1,
                                 primary_article=original)
    StoryMember.objects.create(article=original, story=story, published_at=now)
    StoryMember.objects.create(article=copy, story=story, relation="duplicate", related_to=original, published_at=now)
    Post.objects.create(headline="Our view", slug="our-view", body="b", byline="Desk", status=Post.Status.APPROVED,
                        publish_at=now)
    Post.objects.create(headline="Draft", slug="draft", body="b", byline="Desk")
    return {"original": original.pk, "copy": copy.pk, "story": story.pk}


def test_articles_carry_their_primary_source_and_credit(world: dict[str, int]) -> None:
    data = Client().get("/api/v1/articles").json()["articles"]
    first = next(a for a in data if a["id"] == world["original"])
    assert first["url"] == "https://wire.example/a/1" and first["credit"] == "Originally published by Wire Agency"
    copy = Client().get(f"/api/v1/articles/{world['copy']}").json()
    assert (copy["relation"], copy["related_to"], copy["story"]) == ("duplicate", world["original"], world["story"])
    assert Client().get(f"/api/v1/articles/{world['original']}").json()["text"] == "The dam opened on Monday."


def test_stories_posts_and_search(world: dict[str, int]) -> None:
    stories = Client().get("/api/v1/stories").json()["stories"]
    assert stories[0]["id"] == world["story"] and stories[0]["primary_article"] == world["original"]
    detail = Client().get(f"/api/v1/stories/{world['story']}").json()
    assert [a["id"] for a in detail["coverage"]] == [world["original"], world["copy"]]
    assert [p["headline"] for p in Client().get("/api/v1/posts").json()["posts"]] == ["Our view"]
    assert Client().get("/api/v1/articles?q=dam").status_code == 200


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=ten", "limit=-1"])
def test_a_bad_parameter_is_a_clear_400(query: str, world: dict[str, int]) -> None:
    response = Client().get(f"/api/v1/articles?{query}")
    assert response.status_code == 400 and "limit must be" in response.json()["error"]


def test_a_removed_article_is_gone_from_the_api(world: dict[str, int]) -> None:
    from wiredesk.takedowns.removal import remove_article
    remove_article(Article.objects.get(pk=world["original"]), timezone.now())
    gone = Client().get(f"/api/v1/articles/{world['original']}")
    assert gone.status_code == 410 and gone.json()["removed"] is True and "Dam opens" not in gone.content.decode()
    listed = Client().get("/api/v1/articles").content.decode() + Client().get(f"/api/v1/stories/{world['story']}").content.decode()
    assert "wire.example/a/1" not in listed and '"Dam opens"' not in listed


def test_the_openapi_document_describes_every_route_and_every_described_path_answers(world: dict[str, int]) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    described = set(document["paths"])
    routes = {"/api/v1/" + str(p.pattern).replace("<int:pk>", "{id}")
              for p in get_resolver().url_patterns[1].url_patterns}
    assert described == routes
    for path in described:
        url = path.replace("{id}", str(world["story"] if "stories" in path else world["copy"]))
        assert Client().get(url).status_code == 200, path


def test_the_api_only_reads(world: dict[str, int]) -> None:
    assert Client().post("/api/v1/articles").status_code == 405
    assert Client().delete(f"/api/v1/articles/{world['original']}").status_code == 405
