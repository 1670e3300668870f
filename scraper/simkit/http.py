"""A simulator's HTTP side (stdlib ThreadingHTTPServer): requests parsed for an app's
`handle(Request) -> Response`, and the faults that need raw socket control (a dropped
connection, a body cut short after a full Content-Length)."""

from __future__ import annotations

import select
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
    method: str
    path: str  # relative to the portal's base folder, e.g. "landing.do"; "" for the base itself
    query: dict[str, str]
    form: dict[str, str]
    cookies: dict[str, str]
    user_agent: str
    client: str
    host: str
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    arrived: float | None = None  # when its first bytes reached this host (time.monotonic()), if known


@dataclass
class Response:
    status: int = 200
    body: bytes | str = ""
    content_type: str = "text/html;charset=UTF-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    drop: bool = False  # close the connection without answering
    truncate_at: float | None = None  # send this fraction of the body after a full Content-Length

    @property
    def payload(self) -> bytes:
        return self.body if isinstance(self.body, bytes) else self.body.encode("utf-8")


class App(Protocol):
    def handle(self, request: Request) -> Response: ...


def serve_in_thread(app: App, base: str, host: str, port: int, name: str) -> RunningSimulator:
    """Serve from a background thread; port 0 picks a free port."""
    server = SimServer((host, port), app, base)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name=f"{name}:{server.server_address[1]}", daemon=True)
    thread.start()
    return RunningSimulator(server, thread, base)


class RunningSimulator:
    def __init__(self, server: SimServer, thread: threading.Thread, base: str) -> None:
        self._server = server
        self._thread = thread
        self.host, self.port = str(server.server_address[0]), int(server.server_address[1])
        self.base_url = f"http://{self.host}:{self.port}{base}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SimServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App, base: str) -> None:
        self.app = app
        self.base = base  # "/gdcourts/": the folder the portal lives in, as on the real host
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)
        if _SO_TIMESTAMPNS is not None:
            # On the listening socket: its connections inherit it, and their first request,
            # which often comes before the connection is accepted, is stamped too.
            self.socket.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)

    def get_request(self) -> tuple[socket.socket, object]:
        conn, addr = super().get_request()
        # Headers and body go out in two writes: without NODELAY, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every response.
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._connections_lock:
            self._connections.add(conn)
        return conn, addr

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End kept-alive connections too, so nothing is served after stop()."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = 60  # idle kept-alive connections free their thread eventually
    server: SimServer

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle_one_request(self) -> None:
        try:
            self.arrived = _kernel_arrival(self.connection, self.rfile)
        except TimeoutError:
            self.close_connection = True  # idle for the whole timeout: as the stdlib would
            return
        super().handle_one_request()

    def _serve(self, method: str) -> None:
        base = self.server.base
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        url = urlsplit(self.path)
        path = base if url.path == "/" else url.path
        if not (path + "/").startswith(base):
            self._write(Response(status=404, body="<html><body>Not Found</body></html>"))
            return
        request = Request(
            method=method, path=path[len(base):] if path != base[:-1] else "",
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            form=dict(parse_qsl(body, keep_blank_values=True)) if method == "POST" else {},
            cookies=_cookies(self.headers.get_all("Cookie") or []),
            user_agent=self.headers.get("User-Agent", ""),
            client=self.client_address[0], host=self.headers.get("Host", ""),
            headers={k.lower(): v for k, v in self.headers.items()},
            arrived=self.arrived,
        )
        self._write(self.server.app.handle(request))

    def _write(self, response: Response) -> None:
        if response.drop:
            self.close_connection = True
            return
        payload = response.payload
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if response.truncate_at is not None:
            self.wfile.write(payload[:int(len(payload) * response.truncate_at)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(payload)


# The kernel's receive time of a segment (SCM_TIMESTAMPNS); Linux's number on the common
# architectures, which Python's socket module does not name.
_SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35) if sys.platform == "linux" else None
_TIMESPEC = struct.Struct("@qq")


def _kernel_arrival(sock: socket.socket, rfile) -> float | None:
    """When the next request's first bytes reached this host, on time.monotonic()'s clock: the
    kernel's receive time, peeked before the request is read. Logged when this thread got round
    to it instead, a request waits for the process's interpreter lock and a core, and two
    requests can look closer together than they came. None where unknown: no timestamps here,
    bytes already read ahead into the handler's buffer (a pipelining client), or the peer gone.
    Raises TimeoutError after the socket's timeout with nothing sent."""
    if _SO_TIMESTAMPNS is None:
        return None
    if not select.select([sock], [], [], 0)[0]:
        timeout = sock.gettimeout()
        sock.settimeout(0)
        try:
            ahead = rfile.peek(1)  # only what is buffered: the socket has nothing yet
        finally:
            sock.settimeout(timeout)
        if ahead:
            return None
    try:
        data, ancillary, _, _ = sock.recvmsg(1, socket.CMSG_SPACE(_TIMESPEC.size), socket.MSG_PEEK)
    except TimeoutError:
        raise
    except OSError:
        return None
    for level, kind, value in ancillary:
        if data and level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(value) >= _TIMESPEC.size:
            seconds, nanoseconds = _TIMESPEC.unpack_from(value)
            waited = max(0.0, time.time() - (seconds + nanoseconds / 1e9))
            return time.monotonic() - waited
    return None


def _cookies(headers: list[str]) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for header in headers:
        for part in header.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name:
                cookies.setdefault(name, value.strip().strip('"'))
    return cookies
