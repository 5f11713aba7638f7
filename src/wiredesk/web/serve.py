"""Serving the site in the embedded mode: waitress, a pure-Python WSGI server, beside the worker."""

from __future__ import annotations

import logging

from waitress.server import create_server

from wiredesk.wsgi import application

log = logging.getLogger("wiredesk.web")


def make_server(host: str, port: int, threads: int = 8):  # type: ignore[no-untyped-def]
    """A waitress server bound now (so a busy port fails at once), served by `.run()`."""
    return create_server(application, host=host, port=port, threads=threads, ident="wiredesk")
