"""The embedded mode on every core: several web processes and one worker process, one command.

Python threads share one interpreter lock, so a single process renders at most one uncached page at
a time however many cores the machine has. `wiredesk run` therefore binds the listening socket
once and forks WIREDESK_WEB_PROCESSES web processes that all accept on it (the kernel hands each
connection to one of them), plus one process for the in-process worker (feed checks and the story
stage). The parent only supervises: it starts no threads, so forking again to replace a process
that died is safe, and it stops them all on SIGTERM or Ctrl-C.

Each child asks the kernel to kill it if the parent dies (Linux PR_SET_PDEATHSIG), so a supervisor
killed with SIGKILL leaves nothing behind, exactly as the single process did; work a killed worker
held is picked up again after its lease, as after any crash.

Every process keeps its own page cache; a change made in one (a takedown in the admin) reaches the
others through the content version in the database within page_cache.VERSION_TTL.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections

log = logging.getLogger("wiredesk.web")

STOP_GRACE = 20.0  # seconds children get to finish after SIGTERM before they are killed
RESPAWN_DELAY = (1.0, 30.0)  # first and longest pause before a process that died is started again
_PR_SET_PDEATHSIG = 1


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound now so a busy port fails at once, before anything is forked."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def _die_with_parent(parent: int) -> None:
    """Ask the kernel for SIGKILL when the supervisor dies (Linux); elsewhere children outlive it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died between the fork and the request
        os._exit(0)


def _web(sock: socket.socket, threads: int) -> None:
    from wiredesk.web.serve import make_server

    server = make_server(sock=sock, threads=threads)
    signal.signal(signal.SIGTERM, lambda *_: server.close())
    signal.signal(signal.SIGINT, lambda *_: server.close())
    try:
        server.run()
    except OSError:  # the socket closed under a stopping server
        pass


def _worker() -> None:
    from wiredesk.sources.worker import start_workers

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threads = start_workers(settings.WIREDESK["WIREDESK_WORKERS"], stop)
    while not stop.wait(1.0):
        pass
    for thread in threads:
        thread.join(timeout=15)
    from wiredesk.ingest.extract_pool import close_shared

    close_shared()


class Supervisor:
    """Starts the processes, starts again any that dies, stops them all on request."""

    def __init__(self, roles: dict[str, Callable[[], None]]) -> None:
        self.roles = roles
        self.children: dict[int, str] = {}
        self.stopping = False
        self.parent = os.getpid()
        self.delay = {role: RESPAWN_DELAY[0] for role in roles}

    def spawn(self, role: str) -> None:
        connections.close_all()  # a database connection must never be shared across a fork
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _die_with_parent(self.parent)
                self.roles[role]()
            except BaseException:  # the child ends here whatever happens; the parent logs and replaces it
                log.exception("event=process_failed role=%s", role)
                code = 1
            finally:
                connections.close_all()
                logging.shutdown()
                os._exit(code)
        self.children[pid] = role

    def stop(self, *_: object) -> None:
        self.stopping = True
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def run(self) -> int:
        for role in self.roles:
            self.spawn(role)
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        deadline = None
        while self.children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                if self.stopping:
                    deadline = deadline or time.monotonic() + STOP_GRACE
                    if time.monotonic() > deadline:
                        for child in list(self.children):
                            os.kill(child, signal.SIGKILL)
                time.sleep(0.1)
                continue
            role = self.children.pop(pid, None)
            if role is None or self.stopping:
                continue
            log.warning("event=process_exited role=%s status=%s restart_in=%.0fs", role, status, self.delay[role])
            time.sleep(self.delay[role])
            self.delay[role] = min(RESPAWN_DELAY[1], self.delay[role] * 2)
            if not self.stopping:
                self.spawn(role)
        return 0


def serve_processes(sock: socket.socket, web_processes: int, threads: int, with_worker: bool) -> int:
    roles: dict[str, Callable[[], None]] = {f"web-{n + 1}": (lambda: _web(sock, threads)) for n in range(web_processes)}
    if with_worker:
        roles["worker"] = _worker
    sys.stdout.flush()
    return Supervisor(roles).run()
