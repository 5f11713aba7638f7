"""robots.txt checks for article pages, cached per origin.

Feeds are published for machines to read, so they are not checked; article pages are, because an
outlet may allow its feed to be read but not its pages to be copied.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from protego import Protego

from wiredesk.core.errors import FetchError
from wiredesk.core.http import HttpClient

CACHE_SECONDS = 6 * 3600
FAILURE_CACHE_SECONDS = 600


class RobotsCache:
    def __init__(self, client: HttpClient, user_agent: str) -> None:
        self.client = client
        self.user_agent = user_agent
        self._rules: dict[str, tuple[float, Protego | None]] = {}
        self._lock = threading.Lock()

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._rules_for(origin)
        return True if rules is None else bool(rules.can_fetch(url, self.user_agent))

    def _rules_for(self, origin: str) -> Protego | None:
        with self._lock:
            cached = self._rules.get(origin)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        rules, ttl = self._load(origin)
        with self._lock:
            self._rules[origin] = (time.monotonic() + ttl, rules)
        return rules

    def _load(self, origin: str) -> tuple[Protego | None, float]:
        """Rules and how long to keep them; None allows everything."""
        try:
            result = self.client.fetch(origin + "/robots.txt", accept="text/plain")
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                # RFC 9309 2.3.1.3: "unavailable" (4xx) means no restrictions.
                return None, CACHE_SECONDS
            # RFC 9309 2.3.1.4: "unreachable" (5xx, network) means assume complete disallow,
            # kept briefly so a passing outage does not block the outlet for hours.
            return Protego.parse("User-agent: *\nDisallow: /\n"), FAILURE_CACHE_SECONDS
        return Protego.parse(result.text()), CACHE_SECONDS
