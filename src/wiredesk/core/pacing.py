"""Per-host pacing: at least `delay` seconds between two requests to one host, from the whole desk.

Every worker thread has its own HTTP client, and at scale many processes on many machines fetch
at once; a politeness limit that each of them kept alone would multiply by their number. So the
in-process pacer is one per process (shared by every client in it), and when a Redis server is
configured (WIREDESK_CACHE_URL or BROKER_URL), every request also takes that host's slot there:
`SET key NX PX delay` succeeds for one requester per `delay`, whichever machine asks, and the others
wait out the key's remaining time. If Redis cannot be reached, pacing falls back to the process
(logged once) rather than stopping the fetch.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

log = logging.getLogger("wiredesk.pacing")
REDIS_RETRY_SECONDS = 30.0


class Pacer(Protocol):
    delay: float

    def wait(self, host: str) -> None: ...


class HostPacer:
    """Spaces requests to one host by at least `delay` seconds, across the threads of one process."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        if self.delay <= 0:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + self.delay
        if slot > now:
            time.sleep(slot - now)


class SharedHostPacer:
    """The process's pacer, then the host's slot in Redis, shared by every process and machine."""

    PREFIX = "wiredesk:pace:"

    def __init__(self, local: HostPacer, redis_url: str, max_wait: float = 60.0) -> None:
        import redis  # installed with celery[redis]; only the scale-out mode needs it

        self.delay = local.delay
        self.local = local
        self.client = redis.Redis.from_url(redis_url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self.max_wait = max_wait
        self._warned = False
        self._retry_at = 0.0  # after a Redis error, the process paces alone for a while

    def wait(self, host: str) -> None:
        self.local.wait(host)
        if self.delay <= 0 or time.monotonic() < self._retry_at:
            return
        import redis

        key, milliseconds = self.PREFIX + host, max(1, int(self.delay * 1000))
        give_up = time.monotonic() + self.max_wait
        try:
            while not self.client.set(key, b"1", nx=True, px=milliseconds):
                remaining = self.client.pttl(key)
                if time.monotonic() > give_up:
                    return  # a stuck key (no expiry) must not stop the desk: the process pacer held
                time.sleep(max(remaining, 1) / 1000 if remaining > 0 else 0.001)
        except redis.RedisError as error:
            self._retry_at = time.monotonic() + REDIS_RETRY_SECONDS
            if not self._warned:
                log.warning("event=pacing_local_only reason=%r", str(error))
                self._warned = True


_PROCESS: dict[tuple[float, str], Pacer] = {}
_PROCESS_LOCK = threading.Lock()


def process_pacer(delay: float, redis_url: str = "") -> Pacer:
    """The one pacer of this process for this delay (and Redis, if given)."""
    with _PROCESS_LOCK:
        key = (delay, redis_url)
        if key not in _PROCESS:
            local = HostPacer(delay)
            _PROCESS[key] = SharedHostPacer(local, redis_url) if redis_url else local
        return _PROCESS[key]


def redis_url_for_pacing(*urls: str) -> str:
    """The first of these settings that names a Redis server, or ''."""
    return next((url for url in urls if url.startswith(("redis://", "rediss://", "unix://"))), "")
