"""A real browser (Debian's Chromium, driven by Playwright) against the site served by a live server.

scripts/test.sh installs both (the `chromium` package and the `playwright` Python package, never a
downloaded browser). Elsewhere the browser tests are skipped when Chromium is missing; in CI
(CI=true) a missing browser is a failure, so they can never pass by not running.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("WIREDESK_TEST_CHROMIUM", "/usr/bin/chromium"))


def _unavailable() -> str:
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return ""


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop in this thread; Django refuses ORM calls from
    # a thread with a running loop unless told that this is a test doing it on purpose.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()
