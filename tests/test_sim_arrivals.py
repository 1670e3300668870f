"""The simulators log a request when it reached the host (the kernel's receive time), not when
their thread got round to it: a politeness measurement must not see windows the client never made."""

from __future__ import annotations

import socket
import sys
import threading
import time

import pytest

from scraper.simkit.http import Request, Response, serve_in_thread

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="kernel receive timestamps are Linux's")

GET = b"GET /sim/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


class _HeldApp:
    """Records each request's arrival; holds the first one until released."""

    def __init__(self) -> None:
        self.arrived: list[float | None] = []
        self.handling = threading.Event()
        self.release = threading.Event()

    def handle(self, request: Request) -> Response:
        self.arrived.append(request.arrived)
        if len(self.arrived) == 1:
            self.handling.set()
            assert self.release.wait(10)
        return Response(body="ok")


def _responses(conn: socket.socket, count: int) -> int:
    seen, data = 0, b""
    conn.settimeout(10)
    while seen < count:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        seen = data.count(b"HTTP/1.1 200")
    return seen


def test_a_request_waiting_for_its_thread_is_logged_when_it_came():
    app = _HeldApp()
    with serve_in_thread(app, "/sim/", "127.0.0.1", 0, "arrivals") as sim, \
            socket.create_connection((sim.host, sim.port)) as conn:
        conn.sendall(GET)
        assert app.handling.wait(10)
        sent = time.monotonic()
        conn.sendall(GET)  # reaches the host while its thread is busy with the first
        time.sleep(0.3)  # the thread held up this long (a busy interpreter, a busy core)
        app.release.set()
        assert _responses(conn, 2) == 2
    first, second = app.arrived
    assert first is not None and first <= sent
    assert second is not None and sent - 0.01 <= second <= sent + 0.05  # not 0.3 s later


def test_a_pipelining_client_is_served_and_its_read_ahead_request_logged_when_read():
    app = _HeldApp()
    app.release.set()
    with serve_in_thread(app, "/sim/", "127.0.0.1", 0, "arrivals") as sim, \
            socket.create_connection((sim.host, sim.port)) as conn:
        began = time.monotonic()
        conn.sendall(GET + GET)  # both in one segment: the second is read ahead with the first
        assert _responses(conn, 2) == 2
    first, second = app.arrived
    assert first is not None and first >= began - 0.01
    assert second is None  # its kernel time went with the first's bytes: the simulator logs it when read
