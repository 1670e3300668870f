"""scraper.http_wire: httpcore's network layer on asyncio's transports, its write hook awaited
just before the bytes go. Against a small HTTP/1.1 server on 127.0.0.1 (plain and TLS, a
certificate made for the tests), stopped when each test ends."""

from __future__ import annotations

import asyncio
import ssl
import time
from pathlib import Path

import httpx
import pytest

from scraper.http_wire import WireTransport

TLS = Path(__file__).parent / "fixtures" / "tls"


class Server:
    """Answers each request with its path as the body; `/close` closes after answering, `/hang`
    never answers. `arrivals`: when each request's first line came in (time.monotonic())."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while line := await reader.readline():
                self.arrivals.append(time.monotonic())
                path = line.split()[1].decode()
                while (await reader.readline()) not in (b"\r\n", b""):
                    pass
                if path == "/hang":
                    await asyncio.sleep(30)
                body = path.encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
                if path == "/close":
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


async def serve(tls: bool = False):
    context = None
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(TLS / "cert.pem", TLS / "key.pem")
    server = Server()
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=context)
    port = listener.sockets[0].getsockname()[1]
    return server, listener, f"{'https' if tls else 'http'}://127.0.0.1:{port}"


def client(before_write=None, *, tls: bool = False, timeout: float = 5.0) -> httpx.AsyncClient:
    trusted = ssl.create_default_context(cafile=TLS / "cert.pem") if tls else None  # the tests' certificate alone
    return httpx.AsyncClient(transport=WireTransport(before_write, ssl_context=trusted), timeout=timeout)


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_requests_go_and_come_back_over_one_kept_connection(tls):
    async def main():
        server, listener, base = await serve(tls)
        try:
            async with client(tls=tls) as http:
                bodies = [(await http.get(f"{base}/page/{i}")).text for i in range(3)]
        finally:
            listener.close()
            await listener.wait_closed()
        return bodies, server.connections

    bodies, connections = asyncio.run(main())
    assert bodies == ["/page/0", "/page/1", "/page/2"]
    assert connections == 1


def test_the_hook_is_awaited_before_the_bytes_leave():
    async def main():
        server, listener, base = await serve()
        ends: list[float] = []
        hosts: list[str] = []

        async def before_write(host: str) -> None:
            hosts.append(host)
            await asyncio.sleep(0.2)  # a limiter making the request wait for its start
            ends.append(time.monotonic())

        try:
            async with client(before_write) as http:
                began = time.monotonic()
                await http.get(f"{base}/a")
                await http.post(f"{base}/b", content=b"x" * 10)  # headers and body: one hook each
        finally:
            listener.close()
            await listener.wait_closed()
        return began, ends, hosts, server.arrivals

    began, ends, hosts, arrivals = asyncio.run(main())
    assert set(hosts) == {"127.0.0.1"}
    assert len(arrivals) == 2 and arrivals[0] >= began + 0.2
    assert arrivals[0] >= ends[0] and arrivals[1] >= ends[1]  # nothing reached the server before its hook ended


def test_a_connection_the_server_closed_is_not_reused():
    async def main():
        server, listener, base = await serve()
        try:
            async with client() as http:
                first = (await http.get(f"{base}/close")).text
                await asyncio.sleep(0.05)  # the server's close reaches the idle connection
                second = (await http.get(f"{base}/again")).text
        finally:
            listener.close()
            await listener.wait_closed()
        return first, second, server.connections

    assert asyncio.run(main()) == ("/close", "/again", 2)


def test_timeouts_and_refusals_are_httpx_errors():
    async def main():
        server, listener, base = await serve()
        try:
            async with client(timeout=0.3) as http:
                with pytest.raises(httpx.ReadTimeout):
                    await http.get(f"{base}/hang")
        finally:
            listener.close()
            await listener.wait_closed()
        async with client() as http:  # the listener is gone: nothing answers on its port
            with pytest.raises(httpx.ConnectError):
                await http.get(f"{base}/gone")

    asyncio.run(main())


def test_a_certificate_not_trusted_is_refused():
    async def main():
        server, listener, base = await serve(tls=True)
        try:
            async with httpx.AsyncClient(transport=WireTransport()) as http:  # the system's authorities only
                with pytest.raises(httpx.ConnectError):
                    await http.get(f"{base}/x")
        finally:
            listener.close()
            await listener.wait_closed()

    asyncio.run(main())


def test_a_hook_that_fails_leaves_the_request_unsent_and_retryable():
    async def main():
        server, listener, base = await serve()

        async def before_write(host: str) -> None:
            raise ConnectionError("the limiter's database is away")

        try:
            async with client(before_write) as http:
                with pytest.raises(httpx.ConnectError):  # a transport error: the polite client retries it
                    await http.get(f"{base}/a")
        finally:
            listener.close()
            await listener.wait_closed()
        return server.arrivals

    assert asyncio.run(main()) == []  # nothing reached the server


def test_a_proxy_in_the_environment_keeps_httpx_own_transports(monkeypatch):
    from scraper.http import HostGovernor, PoliteSession, RealClock, RetryPolicy, SpacingRateLimiter

    governor = HostGovernor(rate_limiter=SpacingRateLimiter({}, RealClock()), max_concurrency_per_host=1,
                            clock=RealClock(), retry=RetryPolicy())

    async def transports():
        kinds = []
        for proxy in (None, "http://127.0.0.1:3128"):
            if proxy:
                monkeypatch.setenv("HTTPS_PROXY", proxy)
            session = PoliteSession(governor, user_agent="evictwatch-test (ops@example.org)")
            kinds.append(isinstance(session._client._transport, WireTransport))
            await session.aclose()
        return kinds

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert asyncio.run(transports()) == [True, False]
