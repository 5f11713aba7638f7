"""URL helpers: canonical forms used for identity and for the blocklist."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track a click; two URLs that differ only in these are one page.
TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid", "ref", "rss", "partner",
})


def canonicalize(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def host_of(url: str) -> str:
    """Host with port, lower-cased: the unit of politeness."""
    return urlsplit(url).netloc.lower()


def domain_of(url: str) -> str:
    """Host name without port or a leading www., for display and domain-wide rules."""
    return bare_domain(urlsplit(url).hostname or "")


def site_of(url: str) -> str:
    """Host name and, when one is given, port: two sites served from one address stay apart."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = bare_domain(parts.hostname or "")
    return f"{host}:{port}" if host and port else host


def bare_domain(domain: str) -> str:
    """A domain as rules and hosts compare it: lower case, no outer dots, no leading www."""
    return domain.lower().strip(".").removeprefix("www.")
