"""A feed that was healthy and then turns hostile: every poll ends with a recorded error code, in
bounded time and memory, and the source keeps every article it stored before.

Memory is the process's peak resident size during the poll, measured against its size just before
(Linux: the peak is reset through /proc/self/clear_refs); the local server runs in this process too,
so its buffers count against the budget, never for it."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import make_client
from tests.factories import article_html, make_source, rss
from tests.localserver import LocalServer, Reply
from wiredesk.articles.models import Article
from wiredesk.ingest.pipeline import Fetchers, check_source
from wiredesk.sources.models import Source

pytestmark = pytest.mark.django_db

DEADLINE = 2.0  # the client's whole-request deadline in these tests (WIREDESK_HTTP_TIMEOUT)
MEMORY_BUDGET_MB = 100
STATUS = Path("/proc/self/status")


def _peak_mb() -> float:
    for line in STATUS.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc/self/status")


def _current_mb() -> float:
    for line in STATUS.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _gzip_bomb(decoded_mb: int) -> bytes:
    """A gzip body that inflates to `decoded_mb` MB of zeros, built a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * 1_000_000
    return b"".join(packer.compress(block) for _ in range(decoded_mb)) + packer.flush()


def _billion_laughs() -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel><title>&lol9;</title>'
            f'<item><title>&lol9;</title><link>http://x.invalid/a</link></item></channel></rss>').encode()


def _external_entity() -> bytes:
    return (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<rss version="2.0"><channel><title>&xxe;</title><item><title>Leak &xxe;</title>'
            b'<link>http://x.invalid/leak</link><guid>leak</guid></item></channel></rss>')


def _huge_title() -> bytes:
    return (b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>"
            + b"A" * 10_000_000 + b"</title><link>http://x.invalid/big</link></item></channel></rss>")


# name -> (reply, the error codes that are right for it)
CASES: dict[str, Callable[[LocalServer], tuple[Reply, set[str]]]] = {
    "gzip_bomb": lambda s: (Reply(body=_gzip_bomb(300), headers={"Content-Encoding": "gzip"},
                                  content_type="application/rss+xml"), {"too_large"}),
    "endless_body": lambda s: (Reply(body=b"<item>" * 10_000, repeat=10 ** 7, content_type="application/rss+xml"),
                               {"too_large", "timeout"}),
    "one_byte_a_second": lambda s: (Reply(body=rss([("slow", "Slow", "world")], s.base), chunk_delay=1.0,
                                          content_type="application/rss+xml"), {"timeout"}),
    "ten_megabyte_title": lambda s: (Reply(body=_huge_title(), content_type="application/rss+xml"), {"too_large"}),
    "redirect_loop": lambda s: (Reply(302, headers={"Location": "/feed"}), {"too_many_redirects"}),
    "redirect_to_metadata_service": lambda s: (Reply(302, headers={"Location": "http://169.254.169.254/latest/"}),
                                               {"blocked_address"}),
    "redirect_to_metadata_decimal": lambda s: (Reply(302, headers={"Location": "http://2852039166/"}),
                                               {"blocked_address"}),
    "redirect_to_metadata_hex": lambda s: (Reply(302, headers={"Location": "http://0xA9FEA9FE/"}),
                                           {"blocked_address"}),
    "redirect_to_metadata_ipv6_mapped": lambda s: (Reply(302, headers={"Location": "http://[::ffff:a9fe:a9fe]/"}),
                                                   {"blocked_address"}),
    "redirect_to_private": lambda s: (Reply(301, headers={"Location": "http://10.0.0.1/feed"}), {"blocked_address"}),
    "redirect_to_other_loopback": lambda s: (Reply(307, headers={"Location": f"http://127.0.0.2:{s.port}/feed"}),
                                             {"blocked_address"}),
    "billion_laughs": lambda s: (Reply(body=_billion_laughs(), content_type="application/rss+xml"), {"hostile_xml"}),
    "external_entity": lambda s: (Reply(body=_external_entity(), content_type="application/rss+xml"),
                                  {"hostile_xml"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_healthy_feed_turning_hostile_is_refused_in_bounded_time_and_memory(
        server: LocalServer, case: str) -> None:
    healthy = [("h1", "Budget passes", "politics"), ("h2", "Port reopens", "business")]
    server.route("/feed", Reply(body=rss(healthy, server.base), content_type="application/rss+xml"))
    for guid, title, _ in healthy:
        server.route(f"/p/{guid}", Reply(body=article_html(title)))
    fetchers = Fetchers(client=make_client(timeout=DEADLINE), robots=None)
    source = make_source(server.url("/feed"))
    assert check_source(source, fetchers).status == "ok"
    before = {a.pk: (a.title, a.text) for a in Article.objects.filter(source=source)}
    assert len(before) == 2

    reply, codes = CASES[case](server)
    server.route("/feed", reply)
    source = Source.objects.get(pk=source.pk)
    source.etag = source.last_modified = ""
    measured = _reset_peak()
    baseline = _current_mb()
    started = time.monotonic()
    report = check_source(source, fetchers, pages_per_job=0)
    elapsed = time.monotonic() - started
    grown = _peak_mb() - baseline

    assert elapsed < DEADLINE + 1.5, f"{case} took {elapsed:.1f} s"
    if measured:
        assert grown < MEMORY_BUDGET_MB, f"{case} grew the process by {grown:.0f} MB"
    source.refresh_from_db()
    assert report.status == "error" and report.error_code in codes, (report.error_code, report.message)
    assert source.last_error_code in codes and source.last_error_message
    assert not Article.objects.filter(source=source).exclude(pk__in=before).exists()
    after = {a.pk: (a.title, a.text) for a in Article.objects.filter(source=source, pk__in=before)}
    assert after == before  # every earlier article kept, unchanged
