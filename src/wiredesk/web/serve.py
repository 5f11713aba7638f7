"""Serving the site in the embedded mode: waitress, a pure-Python WSGI server, beside the worker."""

from __future__ import annotations

import logging
import socket

from waitress.server import create_server

log = logging.getLogger("wiredesk.web")


def make_server(host: str = "127.0.0.1", port: int = 0, threads: int = 8,  # type: ignore[no-untyped-def]
                sock: socket.socket | None = None):
    """A waitress server bound now (so a busy port fails at once), served by `.run()`; on `sock`, a
    socket already listening (several web processes share one: web.processes). The application is
    loaded here, not on import: WhiteNoise lists the collected static files when it is built."""
    from wiredesk.wsgi import application

    if sock is not None:
        return create_server(application, sockets=[sock], threads=threads, ident="wiredesk")
    return create_server(application, host=host, port=port, threads=threads, ident="wiredesk")
