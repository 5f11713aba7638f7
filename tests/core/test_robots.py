from __future__ import annotations

from tests.localserver import LocalServer, Reply
from wiredesk.core.http import HttpClient
from wiredesk.core.robots import RobotsCache


def test_it_obeys_disallow_rules_and_caches_them(server: LocalServer, http_client: HttpClient) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
    robots = RobotsCache(http_client, "wiredesk-test/1")
    assert robots.allows(server.url("/news/1"))
    assert not robots.allows(server.url("/private/2"))
    assert server.hits("/robots.txt") == 1


def test_a_missing_robots_file_allows_everything(server: LocalServer, http_client: HttpClient) -> None:
    assert RobotsCache(http_client, "wiredesk-test/1").allows(server.url("/anything"))


def test_an_unreachable_robots_file_disallows_for_now(server: LocalServer, http_client: HttpClient) -> None:
    server.route("/robots.txt", Reply(503, b"down"))
    assert not RobotsCache(http_client, "wiredesk-test/1").allows(server.url("/news/1"))


def test_rules_for_our_user_agent_apply(server: LocalServer, http_client: HttpClient) -> None:
    server.route("/robots.txt", Reply(body=b"User-agent: wiredesk-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
                                      content_type="text/plain"))
    assert not RobotsCache(http_client, "wiredesk-test/1").allows(server.url("/news/1"))
    assert RobotsCache(http_client, "otherbot/2").allows(server.url("/news/1"))
