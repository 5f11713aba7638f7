"""Every setting wiredesk reads from the environment, in one registry.

Why a registry: each setting has a working embedded default, a parser that fails loudly on a bad
value at start-up (not hours later in a worker), and a line of documentation. A test checks that
docs/configuration.md documents exactly the names listed here.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A setting in the environment has a value wiredesk cannot use."""


def parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def parse_positive_float(raw: str) -> float:
    value = float(raw)
    if value < 0:
        raise ValueError(f"must be zero or more, got {raw!r}")
    return value


def parse_positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(f"must be 1 or more, got {raw!r}")
    return value


def parse_processes(raw: str) -> int:
    """A count of processes, or "auto" for one per core (at most 4)."""
    if raw.strip().lower() == "auto":
        return min(4, os.cpu_count() or 1)
    value = int(raw)
    if value < 0:
        raise ValueError(f"must be 0 or more, got {raw!r}")
    return value


def parse_web_processes(raw: str) -> int:
    """"auto" (one per core, at most 4) or a count of 1 or more."""
    value = parse_processes(raw)
    if value < 1:
        raise ValueError(f"must be 1 or more, got {raw!r}")
    return value


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}


def parse_email_backend(raw: str) -> str:
    """One of the named mail backends, as Django's dotted path."""
    name = raw.strip().lower()
    if name not in EMAIL_BACKENDS:
        raise ValueError(f"expected one of {', '.join(EMAIL_BACKENDS)}, got {raw!r}")
    return EMAIL_BACKENDS[name]


def parse_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def parse_networks(raw: str) -> list[str]:
    """Comma-separated CIDR networks; each is validated now so a typo fails at start."""
    networks = parse_list(raw)
    for network in networks:
        ipaddress.ip_network(network, strict=False)
    return networks


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    parse: Callable[[str], Any]
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting("WIREDESK_DATA_DIR", "var", str,
            "Folder that holds all state: the SQLite database, the secret key, demo files."),
    Setting("DATABASE_URL", "", str,
            "Database URL. Empty means SQLite (WAL) at WIREDESK_DATA_DIR/wiredesk.sqlite3; "
            "postgres://user@host:5432/name for PostgreSQL."),
    Setting("WIREDESK_SECRET_KEY", "", str,
            "Django secret key. Empty means one is generated once and kept in WIREDESK_DATA_DIR/secret_key."),
    Setting("WIREDESK_DEBUG", "false", parse_bool, "Django debug mode. Never on in production."),
    Setting("WIREDESK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", parse_list,
            "Comma-separated host names the site answers to."),
    Setting("WIREDESK_SITE_NAME", "wiredesk", str, "Name shown in the masthead and outbound feeds."),
    Setting("WIREDESK_SITE_URL", "http://127.0.0.1:8000", str,
            "Public base URL of the site, used in outbound feeds and e-mails."),
    Setting("WIREDESK_HTTP_ALLOW_PRIVATE", "", parse_networks,
            "Comma-separated CIDR networks the outbound client may reach although they are private, "
            "loopback or link-local (e.g. 127.0.0.0/8 for the demo). Empty by default: such addresses "
            "are refused."),
    Setting("WIREDESK_HTTP_TIMEOUT", "15", parse_positive_float,
            "Seconds an outbound request may take in all (connect, wait and download)."),
    Setting("WIREDESK_HTTP_MAX_BYTES", "5000000", parse_positive_int,
            "Largest response body, in bytes, the outbound client accepts."),
    Setting("WIREDESK_HTTP_MAX_REDIRECTS", "5", parse_positive_int,
            "Redirects the outbound client follows before giving up."),
    Setting("WIREDESK_USER_AGENT", "wiredesk/0.1 (+https://github.com/wiredesk/wiredesk)", str,
            "User-Agent sent with every outbound request; name your instance and a contact."),
    Setting("WIREDESK_HOST_DELAY", "1.0", parse_positive_float,
            "Seconds between two requests to the same host (politeness), for the whole process; across "
            "processes and machines too when WIREDESK_CACHE_URL or BROKER_URL names a Redis server."),
    Setting("WIREDESK_RESPECT_ROBOTS", "true", parse_bool,
            "Check robots.txt before fetching an article page."),
    Setting("WIREDESK_POLL_INTERVAL", "900", parse_positive_int,
            "Seconds between two checks of a new feed, until its publishing rate is known."),
    Setting("WIREDESK_POLL_MIN_INTERVAL", "300", parse_positive_int,
            "Fewest seconds between two checks of one feed, however fast it publishes."),
    Setting("WIREDESK_POLL_MAX_INTERVAL", "21600", parse_positive_int,
            "Most seconds between two checks of one feed that publishes rarely (a feed's own ttl or "
            "update period may ask for longer, up to a day)."),
    Setting("WIREDESK_WEBSUB", "false", parse_bool,
            "Subscribe to the WebSub hubs feeds name, so new entries are pushed (WIREDESK_SITE_URL must "
            "reach this desk from the internet); the feeds are then polled only at the longest interval."),
    Setting("WIREDESK_METRICS_TOKEN", "", str,
            "Bearer token a Prometheus scraper on another machine presents for /metrics (empty: /metrics "
            "answers only requests from this machine). Set it in the environment, never in a file in the repo."),
    Setting("WIREDESK_SOURCE_MAX_FAILURES", "10", parse_positive_int,
            "Consecutive failed checks after which a source is turned off, with the reason shown in "
            "`wiredesk sources` and the admin (turn it on again there)."),
    Setting("WIREDESK_WEB_PROCESSES", "auto", parse_web_processes,
            "Web processes `wiredesk run` serves with (\"auto\": one per core, at most 4). Threads share one "
            "interpreter lock, so pages are rendered on several cores only by several processes; with 1, "
            "the web server and the worker share one process."),
    Setting("WIREDESK_SQLITE_CACHE_MB", "64", parse_positive_int,
            "SQLite page cache per database connection, in MB (embedded mode). Story placement inserts index "
            "rows all over its indexes; past SQLite's 2 MB default their inner pages are read again from the "
            "OS on every insert."),
    Setting("WIREDESK_WORKERS", "2", parse_positive_int,
            "Worker threads the in-process worker runs beside the web server."),
    Setting("WIREDESK_EXTRACT_PROCESSES", "auto", parse_processes,
            "Processes that extract article pages in parallel (\"auto\": one per core, at most 4; "
            "0: extract in the worker thread)."),
    Setting("WIREDESK_PAGES_PER_JOB", "60", parse_positive_int,
            "Article pages one feed check fetches at most; the rest wait for the next check."),
    Setting("WIREDESK_LEASE_SECONDS", "300", parse_positive_int,
            "How long a worker's claim on a source (and its host) and the story placer's lease last; what a "
            "killed worker held is free again after it."),
    Setting("WIREDESK_EMAIL_BACKEND", "console", parse_email_backend,
            "Where mail goes: console (printed; the demo), memory (kept in the process; tests), "
            "smtp (the WIREDESK_SMTP_* settings below)."),
    Setting("WIREDESK_EMAIL_FROM", "wiredesk <noreply@localhost>", str,
            "Sender of mail to readers and rights holders (removal request confirmations and decisions)."),
    Setting("WIREDESK_SMTP_HOST", "localhost", str, "SMTP server, when WIREDESK_EMAIL_BACKEND=smtp."),
    Setting("WIREDESK_SMTP_PORT", "587", parse_positive_int, "SMTP port."),
    Setting("WIREDESK_SMTP_USER", "", str, "SMTP user name (empty: no login)."),
    Setting("WIREDESK_SMTP_PASSWORD", "", str, "SMTP password; set it in the environment, never in a file in the repo."),
    Setting("WIREDESK_SMTP_TLS", "true", parse_bool, "Use STARTTLS with the SMTP server."),
    Setting("WIREDESK_TRUSTED_PROXIES", "", parse_networks,
            "Comma-separated CIDR networks of reverse proxies in front of wiredesk; from those, the reader's "
            "address is taken from X-Forwarded-For (used by the reply rate limit). Empty: REMOTE_ADDR."),
    Setting("WIREDESK_COMMENTS_PER_IP", "5", parse_positive_int,
            "Replies one address may leave in 10 minutes; more are refused with a form error."),
    Setting("WIREDESK_COMMENT_MAX_LINKS", "2", parse_positive_int,
            "A reply with more links than this is held as spam."),
    Setting("WIREDESK_CACHE_URL", "", str,
            "Cache for rendered pages: empty means one in each web process's memory (the embedded mode); "
            "redis://127.0.0.1:6379/1 shares one among all web processes (the scale-out mode)."),
    Setting("BROKER_URL", "", str,
            "Celery broker (redis://127.0.0.1:6379/0 or amqp://...). Empty means the in-process worker."),
)


def read_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse every registered setting; raise ConfigError naming the first bad one."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(setting.name, setting.default)
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{setting.name}={raw!r} is not valid: {exc}") from exc
    values["WIREDESK_DATA_DIR"] = Path(values["WIREDESK_DATA_DIR"]).resolve()
    return values
