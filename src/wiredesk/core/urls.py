"""URL helpers: canonical forms used for identity and for the blocklist."""

from __future__ import annotations

from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track a click; two URLs that differ only in these are one page.
TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid", "ref", "rss", "partner",
})


def _split(url: str) -> SplitResult | None:
    """urlsplit, or None for what it refuses ("http://[broken/", found by the property tests): URLs
    come from feeds, and one bad link must not stop a whole feed from being read."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _port(parts: SplitResult) -> int | None:
    try:
        return parts.port
    except ValueError:  # "host:99999", "host:abc"
        return None


def canonicalize(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters. A URL that
    cannot be taken apart is its own canonical form (stripped)."""
    parts = _split(url.strip())
    if parts is None:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = _port(parts)
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS]
    path = parts.path or "/"
    if not host and path.startswith("//"):  # "a:////": written out again, "//" would read as a host
        path = "/" + path.lstrip("/")
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def host_of(url: str) -> str:
    """Host with port, lower-cased: the unit of politeness ("" for what cannot be taken apart)."""
    parts = _split(url)
    return parts.netloc.lower() if parts else ""


def domain_of(url: str) -> str:
    """Host name without port or a leading www., for display and domain-wide rules."""
    parts = _split(url)
    return bare_domain(parts.hostname or "") if parts else ""


def site_of(url: str) -> str:
    """Host name and, when one is given, port: two sites served from one address stay apart."""
    parts = _split(url)
    if parts is None:
        return ""
    port = _port(parts)
    host = bare_domain(parts.hostname or "")
    return f"{host}:{port}" if host and port else host


def bare_domain(domain: str) -> str:
    """A domain as rules and hosts compare it: lower case, no outer dots, no leading www."""
    return domain.lower().strip(".").removeprefix("www.")
