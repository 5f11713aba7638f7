"""Many simulated hosts on one machine: the loopback addresses of one /24, one port free on all."""

from __future__ import annotations

import socket


def address(network: int, index: int) -> str:
    """The index-th host of 127.0.<network>.0/24 (Linux answers on every 127/8 address)."""
    return f"127.0.{network}.{index + 1}"


def free_port(network: int, hosts: int) -> int:
    """A port free on every one of the hosts' addresses, so one port serves them all."""
    while True:
        with socket.socket() as probe:
            probe.bind((address(network, 0), 0))
            port = probe.getsockname()[1]
        try:
            for index in range(hosts):
                with socket.socket() as sock:
                    sock.bind((address(network, index), port))
            return port
        except OSError:
            continue
