"""Site keys for per-site learning: host and port, never the path."""

from __future__ import annotations

import pytest

from wiredesk.core.urls import site_of


@pytest.mark.parametrize(("url", "site"), [
    ("https://www.Ledger.example/city/a", "ledger.example"),
    ("http://127.0.0.1:8101/news/a", "127.0.0.1:8101"),
    ("http://127.0.0.1:8102/news/a", "127.0.0.1:8102"),
    ("http://host.example:notaport/x", "host.example"),
    ("not a url", ""),
])
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site
