"""The address a request came from, also behind a reverse proxy.

Behind nginx, a load balancer or a CDN every request arrives from the proxy, so per-address limits
(reply rate limits) would count every reader as one. X-Forwarded-For names the client, but anyone
can send that header: it is believed only as far as it was written by proxies the operator listed
(WIREDESK_TRUSTED_PROXIES). Read from the right, the first address that is not a trusted proxy is
the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(cidrs: Iterable[str]) -> list[Network]:
    return [ipaddress.ip_network(cidr, strict=False) for cidr in cidrs]


def _is_trusted(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(meta: Mapping[str, str], networks: list[Network]) -> str:
    """REMOTE_ADDR, or when that is a trusted proxy, the nearest untrusted hop it forwarded for."""
    remote = meta.get("REMOTE_ADDR", "")
    if not networks or not _is_trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a garbled header written by the client: fall back to what we know
    return hops[0] if hops else remote  # every hop is a trusted proxy: the first one is the client
