"""The embedded mode: the web server and the in-process worker in one process."""

from __future__ import annotations

import logging
import signal
import sys
import threading

from django.conf import settings

from wiredesk.sources.worker import start_workers
from wiredesk.web.serve import make_server

log = logging.getLogger("wiredesk.web")


def serve_with_workers(host: str, port: int, *, banner: str = "") -> int:
    """Serve until interrupted; with BROKER_URL set, polling is left to the Celery workers."""
    try:
        server = make_server(host, port)
    except OSError as error:
        print(f"error: cannot serve on {host}:{port} ({error.strerror}); choose another with --port", file=sys.stderr)
        return 2
    stop = threading.Event()
    workers = []
    if not settings.WIREDESK["BROKER_URL"]:
        workers = start_workers(settings.WIREDESK["WIREDESK_WORKERS"], stop)

    def shutdown(*_: object) -> None:
        stop.set()
        server.close()

    signal.signal(signal.SIGTERM, shutdown)
    print(banner or f"wiredesk is serving on http://{host}:{port}/  (Ctrl-C stops it)", flush=True)
    try:
        server.run()
    except (KeyboardInterrupt, OSError):
        pass
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=15)
    return 0
