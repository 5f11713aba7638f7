"""The one outbound HTTP client: every request wiredesk makes goes through `HttpClient.fetch`.

Why one client: the limits that keep a crawler safe (address guard, byte cap, total deadline,
redirect limit, identifying User-Agent, per-host pacing) only hold if nothing bypasses them.

The address guard sits in the connection layer (a network backend for httpcore), so the address
that was checked is the address that is connected to: DNS answers cannot change between check and
connect, and every redirect hop is checked because every hop opens its own connection.
"""

from __future__ import annotations

import email.utils
import functools
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import httpcore
import httpx

from wiredesk.core.errors import FetchError
from wiredesk.core.pacing import process_pacer

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class HttpConfig:
    user_agent: str = "wiredesk/0.1"
    timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    host_delay: float = 1.0
    allow_networks: tuple[str, ...] = ()
    pacing_url: str = ""  # a Redis server that paces hosts across processes and machines (core.pacing)


@dataclass
class FetchResult:
    url: str
    status: int
    headers: dict[str, str]
    content: bytes = b""
    not_modified: bool = False
    redirects: list[str] = field(default_factory=list)
    redirect_statuses: list[int] = field(default_factory=list)  # the status of each hop in `redirects`

    @property
    def moved_permanently(self) -> bool:
        """Every hop was a permanent redirect (301 or 308): the new address is the address now.
        One temporary hop (302, 303, 307) in the chain means the old address stays."""
        return bool(self.redirects) and all(status in (301, 308) for status in self.redirect_statuses)

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        charset = _charset(self.headers.get("content-type", ""))
        try:
            return self.content.decode(charset or "utf-8")
        except (LookupError, UnicodeDecodeError):
            return self.content.decode("utf-8", errors="replace")


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"')
    return ""


class AddressPolicy:
    """Decides which IP addresses the client may connect to."""

    def __init__(self, allow_networks: Iterable[str] = ()) -> None:
        self.allowed: list[IPNetwork] = [ipaddress.ip_network(n, strict=False) for n in allow_networks]

    def permits(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if any(address in network for network in self.allowed):
            return True
        # is_global is False for private, loopback, link-local, shared (100.64/10), reserved and
        # documentation ranges; multicast is global for some ranges but never a web server.
        return address.is_global and not address.is_multicast

    def check_host(self, host: str, port: int) -> list[str]:
        """Resolve `host` and return its addresses, or raise FetchError if any is refused."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchError("dns", f"cannot resolve {host}: {exc.strerror}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        for raw in addresses:
            if not self.permits(ipaddress.ip_address(raw.split("%")[0])):
                raise FetchError("blocked_address", f"{host} resolves to {raw}, a private or reserved address")
        return addresses


class GuardedBackend(httpcore.SyncBackend):
    """Resolves, checks, then connects to the checked address (TLS still verifies the host name)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        addresses = self.policy.check_host(host, port)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last_error = exc
        raise httpcore.ConnectError(str(last_error or f"no address for {host}"))


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process. Building one reads the whole CA bundle (about 20 ms);
    every client shares it, as an SSLContext may be used from many threads."""
    return httpx.create_ssl_context()


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__(verify=shared_ssl_context(), retries=0)
        # httpx exposes no hook for the network backend, so the pool is rebuilt with ours; the
        # rest of HTTPTransport (request/response mapping, exception mapping) is reused as is.
        self._pool = httpcore.ConnectionPool(
            ssl_context=shared_ssl_context(),
            max_connections=20,
            max_keepalive_connections=10,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(policy),
        )


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, moment.timestamp() - current)


REDIRECT_CODES = {301, 302, 303, 307, 308}


class HttpClient:
    """GETs through the guarded transport directly, not through `httpx.Client`.

    The client layer adds what a crawler must not use or pays for on every request: a cookie jar
    (cookies set by one outlet's page would ride along on the next request), automatic redirects
    (ours are followed by hand so each hop is checked) and request merging. Without it a request
    costs about a third less CPU, which the ingest worker spends on every page it downloads.
    """

    def __init__(self, config: HttpConfig) -> None:
        self.config = config
        self.policy = AddressPolicy(config.allow_networks)
        self.pacer = process_pacer(config.host_delay, config.pacing_url)
        self._transport = GuardedTransport(self.policy)
        self._headers = {"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"}

    def close(self) -> None:
        self._transport.close()

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "",
              accept: str = "*/*") -> FetchResult:
        """GET `url`, following redirects one checked hop at a time, within the byte and time caps."""
        deadline = time.monotonic() + self.config.timeout
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        redirects: list[str] = []
        statuses: list[int] = []
        current = url
        for _ in range(self.config.max_redirects + 1):
            _check_url(current)
            result = self._get_once(current, headers, deadline)
            if result.status in REDIRECT_CODES and "location" in result.headers:
                redirects.append(current)
                statuses.append(result.status)
                current = urljoin(current, result.headers["location"])
                continue
            result.redirects, result.redirect_statuses = redirects, statuses
            return result
        raise FetchError("too_many_redirects", f"more than {self.config.max_redirects} redirects from {url}")

    def post_form(self, url: str, fields: dict[str, str]) -> FetchResult:
        """POST a form (a WebSub subscription request) under the same guards as every GET: the
        address check, the pacing, the deadline and the byte cap. Redirects are not followed: a
        hub that moves answers with a status, recorded as such."""
        _check_url(url)
        body = urlencode(fields).encode()
        return self._get_once(url, {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"},
                              time.monotonic() + self.config.timeout, method="POST", body=body)

    def _get_once(self, url: str, headers: dict[str, str], deadline: float, *, method: str = "GET",
                  body: bytes | None = None) -> FetchResult:
        host = urlsplit(url).netloc.lower()
        self.pacer.wait(host)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", f"no answer from {host} within {self.config.timeout:g} s")
        try:
            request = httpx.Request(method, url, headers={**self._headers, **headers}, content=body,
                                    extensions={"timeout": httpx.Timeout(remaining).as_dict()})
            response = self._transport.handle_request(request)
            try:
                result = FetchResult(url=url, status=response.status_code,
                                     headers={k.lower(): v for k, v in response.headers.items()})
                if response.status_code == 304:
                    result.not_modified = True
                    return result
                if response.status_code in REDIRECT_CODES:
                    return result
                if response.status_code >= 400:
                    raise FetchError(
                        "http_status", f"{host} answered HTTP {response.status_code}",
                        status=response.status_code,
                        retry_after=parse_retry_after(response.headers.get("retry-after")),
                    )
                result.content = self._read_capped(response, deadline, host)
                return result
            finally:
                response.close()  # back to the pool, or dropped if not read to the end
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", f"no answer from {host} within {self.config.timeout:g} s") from exc
        except httpx.InvalidURL as exc:
            raise FetchError("invalid_url", f"cannot fetch {url!r}: {exc}") from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise FetchError("connection", f"cannot fetch from {host}: {exc}") from exc

    def _read_capped(self, response: httpx.Response, deadline: float, host: str) -> bytes:
        """The body, decoded, refused once it passes max_bytes or the deadline. Compressed bodies
        are inflated here, a bounded piece at a time: a 64 kB gzip read can inflate to 64 MB, so
        letting the library inflate whole network reads would let a gzip bomb past the cap first."""
        declared = response.headers.get("content-length", "")
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if declared.isdigit() and int(declared) > self.config.max_bytes and encoding in ("", "identity"):
            raise FetchError("too_large", f"{host} sent {declared} bytes; the cap is {self.config.max_bytes}")
        inflate = _inflater(encoding, host)
        chunks: list[bytes] = []
        size = 0

        def keep(piece: bytes) -> None:
            nonlocal size
            size += len(piece)
            if size > self.config.max_bytes:
                raise FetchError("too_large", f"{host} sent more than {self.config.max_bytes} bytes")
            chunks.append(piece)

        for raw in response.iter_raw():
            for piece in inflate(raw):
                keep(piece)
            if time.monotonic() > deadline:
                raise FetchError("timeout", f"{host} took longer than {self.config.timeout:g} s to send")
        for piece in inflate(b""):  # what the decompressor still holds
            keep(piece)
        return b"".join(chunks)


INFLATE_STEP = 1 << 20  # bytes of decoded output produced at a time


def _inflater(encoding: str, host: str):  # type: ignore[no-untyped-def]
    """A function from raw bytes to decoded pieces of at most INFLATE_STEP bytes, produced one at a
    time as they are read (b"" flushes)."""
    if encoding in ("", "identity"):
        return lambda raw: [raw] if raw else []
    if encoding in ("gzip", "x-gzip", "deflate"):
        # gzip: wbits 31; deflate: zlib-wrapped (15) as the standard says, or raw (-15) as some servers send
        state = {"decoder": zlib.decompressobj(31 if encoding != "deflate" else 15), "started": False}

        def inflate(raw: bytes) -> Iterator[bytes]:  # a generator: the caller checks the cap between pieces
            data = raw
            try:
                if encoding == "deflate" and not state["started"] and raw:
                    state["started"] = True
                    if raw[0] & 0x0F != 8:  # no zlib header: a raw deflate stream
                        state["decoder"] = zlib.decompressobj(-15)
                decoder = state["decoder"]
                while True:
                    piece = decoder.decompress(data, INFLATE_STEP)
                    if piece:
                        yield piece
                    data = decoder.unconsumed_tail
                    if not data:
                        break
                if not raw:
                    tail = decoder.flush()
                    if tail:
                        yield tail
            except zlib.error as exc:
                raise FetchError("bad_encoding", f"{host} sent a {encoding} body that cannot be decoded") from exc

        return inflate
    raise FetchError("bad_encoding", f"{host} answered in {encoding!r}, an encoding that was not asked for")


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError("invalid_url", f"only http and https URLs are fetched, not {url!r}")
    if not parts.hostname:
        raise FetchError("invalid_url", f"no host in URL {url!r}")
