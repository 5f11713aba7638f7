"""A scriptable HTTP server on 127.0.0.1 for tests: routes map a path to a handler function."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    chunk_delay: float = 0.0  # seconds between 1-byte-ish chunks: a slow server
    chunked: bool = False  # no Content-Length: the client cannot know the size in advance
    repeat: int = 1  # the body sent this many times over (chunked): a huge or endless stream from a small body


Route = Callable[[BaseHTTPRequestHandler], Reply]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.posts: list[tuple[str, dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms Nagle/delayed-ACK stalls on keep-alive

            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:  # noqa: N802
                """As GET; the body is read first and kept in `posts` (path, headers, body)."""
                self.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.posts.append((self.path, {k.lower(): v for k, v in self.headers.items()}, self.body))
                self.do_GET()

            def do_GET(self) -> None:  # noqa: N802
                outer.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = outer.routes.get(self.path.split("?")[0])
                reply = route(self) if route else Reply(404, b"not found")
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                if reply.chunked or reply.repeat > 1:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(len(reply.body)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    self._write(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _write(self, reply: Reply) -> None:
                if reply.repeat > 1:  # until the client hangs up (BrokenPipe ends it) or the count runs out
                    piece = f"{len(reply.body):x}\r\n".encode() + reply.body + b"\r\n"
                    for _ in range(reply.repeat):
                        self.wfile.write(piece)
                    self.wfile.write(b"0\r\n\r\n")
                    return
                step = 64 if reply.chunk_delay else max(1, len(reply.body))
                for start in range(0, len(reply.body), step):
                    piece = reply.body[start:start + step]
                    if reply.chunked:
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    else:
                        self.wfile.write(piece)
                    self.wfile.flush()
                    if reply.chunk_delay:
                        time.sleep(reply.chunk_delay)
                if reply.chunked:
                    self.wfile.write(b"0\r\n\r\n")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, reply: Reply | Route) -> None:
        self.routes[path] = reply if callable(reply) else (lambda _h, r=reply: r)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p.split("?")[0] == path)

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
