"""The embedded mode: the web server and the in-process worker in one process."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from django.conf import settings

from wiredesk.sources.worker import start_workers
from wiredesk.web.serve import make_server

log = logging.getLogger("wiredesk.web")
WEB_THREADS = 8  # per web process: requests waiting on the network or the database overlap


def serve_with_workers(host: str, port: int, *, banner: str = "", web_processes: int | None = None) -> int:
    """Serve until interrupted; with BROKER_URL set, polling is left to the Celery workers.

    With more than one web process (WIREDESK_WEB_PROCESSES, where the system can fork), the web
    processes and the worker run as children of a supervisor (web.processes); with one, the web
    server and the worker threads share this process."""
    processes = settings.WIREDESK["WIREDESK_WEB_PROCESSES"] if web_processes is None else web_processes
    if processes > 1 and hasattr(os, "fork"):
        from wiredesk.web.processes import bind, serve_processes

        try:
            sock = bind(host, port)
        except OSError as error:
            print(f"error: cannot serve on {host}:{port} ({error.strerror}); choose another with --port",
                  file=sys.stderr)
            return 2
        from wiredesk.wsgi import application  # noqa: F401  (loaded once here, shared by the forked processes)

        print(banner or f"wiredesk is serving on http://{host}:{port}/ with {processes} web processes "
              "(Ctrl-C stops it)", flush=True)
        return serve_processes(sock, processes, WEB_THREADS, with_worker=not settings.WIREDESK["BROKER_URL"])
    try:
        server = make_server(host, port, threads=WEB_THREADS)
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
