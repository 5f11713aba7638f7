"""The outbound client against a real local server: limits, the address guard, conditional GET."""

from __future__ import annotations

import ipaddress
import time

import pytest

from tests.conftest import make_client
from tests.localserver import LocalServer, Reply
from wiredesk.core.errors import FetchError
from wiredesk.core.http import AddressPolicy, HttpClient, HttpConfig, parse_retry_after
from wiredesk.core.pacing import HostPacer


def test_it_fetches_and_identifies_itself(server: LocalServer, http_client: HttpClient) -> None:
    server.route("/page", Reply(body=b"<p>hello</p>"))
    result = http_client.fetch(server.url("/page"))
    assert result.status == 200 and result.content == b"<p>hello</p>"
    assert server.requests[-1][1]["user-agent"] == "wiredesk-test/1"


def test_it_refuses_loopback_by_default(server: LocalServer) -> None:
    server.route("/page", Reply(body=b"secret"))
    default = HttpClient(HttpConfig(host_delay=0))
    with pytest.raises(FetchError) as caught:
        default.fetch(server.url("/page"))
    assert caught.value.code == "blocked_address"
    assert server.hits("/page") == 0  # refused before connecting


def test_it_checks_every_redirect_hop_against_the_guard(server: LocalServer, http_client: HttpClient) -> None:
    # 127.0.0.2 is loopback too, but outside the allowed 127.0.0.1/32: the hop must be refused.
    server.route("/jump", Reply(302, headers={"Location": f"http://127.0.0.2:{server.port}/inside"}))
    server.route("/inside", Reply(body=b"internal"))
    with pytest.raises(FetchError) as caught:
        http_client.fetch(server.url("/jump"))
    assert caught.value.code == "blocked_address"
    assert server.hits("/inside") == 0


def test_it_follows_allowed_redirects_and_reports_them(server: LocalServer, http_client: HttpClient) -> None:
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/new", Reply(body=b"moved"))
    result = http_client.fetch(server.url("/old"))
    assert result.content == b"moved"
    assert result.url == server.url("/new")
    assert result.redirects == [server.url("/old")]


def test_it_stops_redirect_loops(server: LocalServer) -> None:
    server.route("/a", Reply(302, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": "/a"}))
    http = make_client(max_redirects=3)
    with pytest.raises(FetchError) as caught:
        http.fetch(server.url("/a"))
    assert caught.value.code == "too_many_redirects"
    assert server.hits("/a") + server.hits("/b") == 4


@pytest.mark.parametrize("chunked", [False, True])
def test_it_caps_the_body_size(server: LocalServer, chunked: bool) -> None:
    server.route("/big", Reply(body=b"x" * 50_000, chunked=chunked))
    http = make_client(max_bytes=10_000)
    with pytest.raises(FetchError) as caught:
        http.fetch(server.url("/big"))
    assert caught.value.code == "too_large"


def test_it_gives_up_on_slow_servers_within_the_deadline(server: LocalServer) -> None:
    server.route("/slow", Reply(body=b"y" * 64 * 40, chunk_delay=0.1))  # about 4 s in all
    http = make_client(timeout=1.0)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        http.fetch(server.url("/slow"))
    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 3.0


def test_it_reports_http_errors_with_retry_after(server: LocalServer, http_client: HttpClient) -> None:
    server.route("/busy", Reply(503, b"busy", headers={"Retry-After": "120"}))
    with pytest.raises(FetchError) as caught:
        http_client.fetch(server.url("/busy"))
    assert (caught.value.code, caught.value.status, caught.value.retry_after) == ("http_status", 503, 120.0)


def test_it_sends_conditional_headers_and_reads_304(server: LocalServer, http_client: HttpClient) -> None:
    def feed(handler):  # type: ignore[no-untyped-def]
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        return Reply(body=b"<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Mon, 23 Nov 2026 08:00:00 GMT"})

    server.route("/feed", feed)
    first = http_client.fetch(server.url("/feed"))
    assert (first.etag, first.last_modified) == ('"v1"', "Mon, 23 Nov 2026 08:00:00 GMT")
    second = http_client.fetch(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    assert server.requests[-1][1]["if-modified-since"] == "Mon, 23 Nov 2026 08:00:00 GMT"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.example/", "http:///nohost", "gopher://x/"])
def test_it_refuses_other_schemes(http_client: HttpClient, url: str) -> None:
    with pytest.raises(FetchError) as caught:
        http_client.fetch(url)
    assert caught.value.code == "invalid_url"


@pytest.mark.parametrize(
    ("address", "permitted"),
    [
        ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False), ("127.0.0.1", False),
        ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
        ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False), ("93.184.216.34", True), ("2606:4700::1111", True),
    ],
)
def test_the_address_policy_refuses_non_public_addresses(address: str, permitted: bool) -> None:
    assert AddressPolicy().permits(ipaddress.ip_address(address)) is permitted


def test_the_address_policy_allows_configured_networks_only() -> None:
    policy = AddressPolicy(["127.0.0.0/8"])
    assert policy.permits(ipaddress.ip_address("127.0.0.5"))
    assert not policy.permits(ipaddress.ip_address("10.0.0.1"))


def test_unresolvable_hosts_are_a_dns_error(http_client: HttpClient) -> None:
    with pytest.raises(FetchError) as caught:
        http_client.fetch("http://no-such-host.invalid/")
    assert caught.value.code == "dns"


def test_the_pacer_spaces_requests_to_one_host() -> None:
    pacer = HostPacer(0.2)
    started = time.monotonic()
    for _ in range(3):
        pacer.wait("a.example")
    pacer.wait("b.example")  # another host is not held back
    assert 0.35 <= time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [("30", 30.0), (None, None), ("soon", None), ("Wed, 25 Nov 2026 12:01:00 GMT", 60.0)],
)
def test_it_reads_retry_after(header: str | None, expected: float | None) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp()
    assert parse_retry_after(header, now=now) == expected


def test_it_never_carries_cookies_from_one_response_to_the_next(server: LocalServer, http_client: HttpClient) -> None:
    # A crawler with a cookie jar would show one outlet's session, or tracking id, to every later page.
    server.route("/first", Reply(body=b"one", headers={"Set-Cookie": "session=abc; Path=/"}))
    server.route("/second", Reply(body=b"two"))
    http_client.fetch(server.url("/first"))
    assert http_client.fetch(server.url("/second")).content == b"two"
    assert "cookie" not in server.requests[-1][1]


def test_it_decodes_compressed_bodies(server: LocalServer, http_client: HttpClient) -> None:
    import gzip

    page = b"<p>" + b"compressed words " * 200 + b"</p>"
    server.route("/gz", Reply(body=gzip.compress(page), headers={"Content-Encoding": "gzip"}))
    assert http_client.fetch(server.url("/gz")).content == page
    assert "gzip" in server.requests[-1][1]["accept-encoding"]


@pytest.mark.parametrize("wbits", [15, -15], ids=["zlib-wrapped", "raw"])
def test_it_decodes_both_kinds_of_deflate(server: LocalServer, http_client: HttpClient, wbits: int) -> None:
    import zlib

    page = b"<p>" + b"deflated words " * 300 + b"</p>"
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    server.route("/df", Reply(body=packer.compress(page) + packer.flush(), headers={"Content-Encoding": "deflate"}))
    assert http_client.fetch(server.url("/df")).content == page


def test_a_gzip_bomb_is_refused_after_at_most_one_step_past_the_cap(server: LocalServer) -> None:
    import zlib

    from wiredesk.core import http

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(b"\0" * 1_000_000) for _ in range(200)) + packer.flush()
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    client = make_client(max_bytes=3_000_000)
    pieces: list[int] = []
    original = http._inflater

    def watched(encoding: str, host: str):  # type: ignore[no-untyped-def]
        inflate = original(encoding, host)
        return lambda raw: (pieces.append(len(p)) or p for p in inflate(raw))

    http._inflater = watched
    try:
        with pytest.raises(FetchError) as caught:
            client.fetch(server.url("/bomb"))
    finally:
        http._inflater = original
    assert caught.value.code == "too_large"
    assert max(pieces) <= http.INFLATE_STEP and sum(pieces) <= 3_000_000 + http.INFLATE_STEP


def test_corrupt_or_unasked_encodings_are_clear_errors(server: LocalServer, http_client: HttpClient) -> None:
    server.route("/bad", Reply(body=b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    server.route("/br", Reply(body=b"\x8b\x00\x80", headers={"Content-Encoding": "br"}))
    for path in ("/bad", "/br"):
        with pytest.raises(FetchError) as caught:
            http_client.fetch(server.url(path))
        assert caught.value.code == "bad_encoding"
