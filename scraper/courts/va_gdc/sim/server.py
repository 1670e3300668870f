"""The simulator's HTTP side (stdlib ThreadingHTTPServer) and its public entry points."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from scraper.courts.va_gdc.sim.app import BASE, App, Request, Response
from scraper.courts.va_gdc.sim.config import FaultSpec, SimConfig
from scraper.courts.va_gdc.sim.docket import Docket
from scraper.courts.va_gdc.sim.sessions import SimStats


class Simulator:
    """A local stand-in for the Virginia GDC portal, serving deterministic synthetic dockets."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.stats = SimStats()
        self.docket = Docket(self.config.seed, self.config.today)
        self._app = App(self.config, self.docket, self.stats)

    base_path = BASE  # where the portal lives on the server, as on the real host

    @property
    def today(self) -> dt.date:
        return self.docket.today

    def set_today(self, today: dt.date) -> None:
        """Move the simulator's clock; pages and `docket` answers follow at once."""
        self.docket.set_today(today)

    @property
    def faults(self) -> FaultSpec:
        return self._app.faults

    def set_faults(self, faults: FaultSpec) -> None:
        self._app.faults = faults

    def start(self, host: str = "127.0.0.1", port: int = 0) -> RunningSimulator:
        """Serve from a background thread; port 0 picks a free port."""
        server = _Server((host, port), self._app)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                  name=f"va-gdc-sim:{server.server_address[1]}", daemon=True)
        thread.start()
        return RunningSimulator(server, thread)

    def serve_forever(self, host: str = "127.0.0.1", port: int = 8450) -> None:
        """Serve in the calling thread until interrupted (the CLI's `sim va-gdc`)."""
        server = _Server((host, port), self._app)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.close_connections()
            server.server_close()


class RunningSimulator:
    def __init__(self, server: _Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        self.host, self.port = str(server.server_address[0]), int(server.server_address[1])
        self.base_url = f"http://{self.host}:{self.port}{BASE}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

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
    server: _Server

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        url = urlsplit(self.path)
        path = BASE if url.path == "/" else url.path
        if not (path + "/").startswith(BASE):
            self._write(Response(status=404, body="<html><body>Not Found</body></html>"))
            return
        request = Request(
            method=method, path=path[len(BASE):] if path != BASE[:-1] else "",
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            form=dict(parse_qsl(body, keep_blank_values=True)) if method == "POST" else {},
            cookies=_cookies(self.headers.get_all("Cookie") or []),
            user_agent=self.headers.get("User-Agent", ""),
            client=self.client_address[0], host=self.headers.get("Host", ""),
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


def _cookies(headers: list[str]) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for header in headers:
        for part in header.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name:
                cookies.setdefault(name, value.strip().strip('"'))
    return cookies
