"""Whose address a request is: REMOTE_ADDR, or X-Forwarded-For only as far as trusted proxies wrote it."""

from __future__ import annotations

from wiredesk.core.client_address import client_address, trusted_networks

PROXIES = trusted_networks(["10.0.0.0/8", "127.0.0.1/32"])


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    meta = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert client_address(meta, []) == "203.0.113.9"


def test_a_request_straight_from_a_client_keeps_its_own_address_whatever_it_claims() -> None:
    meta = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert client_address(meta, PROXIES) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_forwarded_client_counts() -> None:
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client_address(meta, PROXIES) == "198.51.100.7"


def test_a_forged_first_hop_does_not_help_a_client_behind_two_proxies() -> None:
    # The client wrote "1.2.3.4" itself; the outer proxy appended the real client, the inner one the outer proxy.
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7, 10.1.2.3"}
    assert client_address(meta, PROXIES) == "198.51.100.7"


def test_garbled_or_missing_headers_fall_back_to_the_proxy() -> None:
    assert client_address({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-ip"}, PROXIES) == "127.0.0.1"
    assert client_address({"REMOTE_ADDR": "127.0.0.1"}, PROXIES) == "127.0.0.1"
