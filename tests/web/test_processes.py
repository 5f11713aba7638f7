"""The embedded mode on several cores: `wiredesk run` as an operator starts it, in processes of its own.

One command still runs it all: a supervisor with N web processes sharing one listening socket and one
worker process. A web process that dies is replaced; SIGTERM stops them all; a supervisor killed with
SIGKILL takes its children with it (nothing keeps serving or polling behind the operator's back).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def once_per_run() -> None:
    """The desk under test brings its own SQLite data folder: the PostgreSQL pass would only repeat it."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("run in the SQLite pass: these tests bring their own database")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as reply:  # noqa: S310 (a loopback address the test chose)
        return reply.status


def _wait(predicate, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str]]:  # type: ignore[type-arg]
    if not Path("/proc/self/task").exists():
        pytest.skip("needs Linux /proc to see the supervisor's children")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDESK_", "DATABASE_URL", "BROKER_URL"))}
    env.update(WIREDESK_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT / "src"))
    process = subprocess.Popen([sys.executable, "-m", "wiredesk.cli", "run", "--no-starter", "--port", str(port),
                                "--web-processes", "2"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return _get(base + "/healthz") == 200
        except OSError:
            return False

    try:
        assert _wait(answers, 60), "the desk never answered"
        yield process, base
    finally:
        for child in _children(process.pid):
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def test_two_web_processes_and_a_worker_serve_and_a_dead_web_process_is_replaced(desk) -> None:  # type: ignore[no-untyped-def]
    process, base = desk
    assert _wait(lambda: len(_children(process.pid)) == 3)  # two web processes and the worker
    before = _children(process.pid)
    assert [_get(base + "/") for _ in range(6)] == [200] * 6
    with urllib.request.urlopen(base + "/", timeout=10) as reply:  # noqa: S310
        assert "/static/wiredesk/site.css" not in reply.read().decode()  # run collected: the hashed name is linked
    victim = before[0]  # the first web process (children are started web first, then the worker)
    os.kill(victim, signal.SIGKILL)
    assert _get(base + "/healthz") == 200  # the other web process keeps the site up meanwhile
    assert _wait(lambda: len(_children(process.pid)) == 3 and victim not in _children(process.pid), 15)
    assert [_get(base + "/") for _ in range(6)] == [200] * 6


def test_sigterm_stops_every_process(desk) -> None:  # type: ignore[no-untyped-def]
    process, _ = desk
    assert _wait(lambda: len(_children(process.pid)) == 3)
    children = _children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert _wait(lambda: not any(_alive(child) for child in children), 10)


def test_a_killed_supervisor_leaves_no_process_behind(desk) -> None:  # type: ignore[no-untyped-def]
    process, base = desk
    assert _wait(lambda: len(_children(process.pid)) == 3)
    children = _children(process.pid)
    process.kill()
    process.wait(timeout=10)
    assert _wait(lambda: not any(_alive(child) for child in children), 10)
    with pytest.raises(OSError):
        _get(base + "/healthz")


def test_gunicorn_serves_the_site_with_hashed_static_files_for_a_year(tmp_path: Path) -> None:
    """The scale-out web tier as the README starts it: `wiredesk migrate`, `wiredesk collectstatic`,
    then gunicorn with N processes; pages link the stylesheet by its hashed name, served immutable."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDESK_", "DATABASE_URL", "BROKER_URL"))}
    env.update(WIREDESK_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT / "src"))
    for command in ("migrate", "collectstatic"):
        subprocess.run([sys.executable, "-m", "wiredesk.cli", command], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "wiredesk.wsgi:application", "--workers", "2", "--worker-class",
                                "gthread", "--threads", "4", "--bind", f"127.0.0.1:{port}"],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        def answers() -> bool:
            try:
                return _get(base + "/healthz") == 200
            except OSError:
                return False

        assert _wait(answers, 60), "gunicorn never answered"
        assert _wait(lambda: len(_children(process.pid)) == 2)
        with urllib.request.urlopen(base + "/", timeout=10) as reply:  # noqa: S310
            page = reply.read().decode()
        stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        assert stylesheet.startswith("/static/wiredesk/site.") and stylesheet != "/static/wiredesk/site.css"
        with urllib.request.urlopen(base + stylesheet, timeout=10) as reply:  # noqa: S310
            assert reply.headers["Content-Type"].startswith("text/css")
            assert "immutable" in reply.headers["Cache-Control"] and "max-age=315360000" in reply.headers["Cache-Control"]
    finally:
        process.terminate()
        process.wait(timeout=30)
