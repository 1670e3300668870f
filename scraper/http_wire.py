"""httpcore's network layer on asyncio's own transports, with a hook just before each write.

Why not httpcore's default (anyio): its write yields to the event loop once before the bytes
go out, and whatever else is ready on the loop (another response being parsed) runs first, up
to tens of milliseconds on a busy worker. A rate limiter that gives a request its start as the
request leaves (`SharedRateLimiter.leaving`) needs the bytes to go in the same step: here the
hook is awaited, then `transport.write` hands them to the kernel at once.
"""

from __future__ import annotations

import asyncio
import functools
import select
import ssl
import typing
from collections.abc import Awaitable, Callable

import httpcore
import httpx

# A connection's unread bytes beyond this pause reading from its socket until they are taken.
READ_BUFFER_LIMIT = 256 * 1024

BeforeWrite = Callable[[str], Awaitable[None]]


class _Protocol(asyncio.Protocol):
    """Bytes received, end of stream, loss and write flow control, for one connection."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.lost: Exception | None = None
        self.closed = False
        self.paused = False
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._readable.set()
        if len(self.buffer) > READ_BUFFER_LIMIT and self.transport is not None and not self.paused:
            self.paused = True
            self.transport.pause_reading()

    def eof_received(self) -> bool | None:
        self.eof = True
        self._readable.set()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.lost = exc
        self._readable.set()
        self._writable.set()

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    async def wait_readable(self) -> None:
        while not self.buffer and not self.eof and not self.closed:
            self._readable.clear()
            await self._readable.wait()

    async def wait_writable(self) -> None:
        await self._writable.wait()


class WireStream(httpcore.AsyncNetworkStream):
    def __init__(self, protocol: _Protocol, transport: asyncio.Transport, host: str,
                 before_write: BeforeWrite | None) -> None:
        self._protocol, self._transport, self._host, self._before_write = protocol, transport, host, before_write

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self._protocol
        try:
            async with asyncio.timeout(timeout):
                await protocol.wait_readable()
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc) or "read timed out") from exc
        if protocol.buffer:
            data = bytes(protocol.buffer[:max_bytes])
            del protocol.buffer[:max_bytes]
            if protocol.paused and len(protocol.buffer) <= READ_BUFFER_LIMIT // 2 and not protocol.closed:
                protocol.paused = False
                self._transport.resume_reading()
            return data
        if protocol.lost is not None:
            raise httpcore.ReadError(str(protocol.lost) or type(protocol.lost).__name__) from protocol.lost
        return b""  # the end of the stream

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if self._before_write is not None:
            try:
                await self._before_write(self._host)
            except Exception as exc:  # the limiter's database away: not sent, so safe to retry
                # Not WriteError: httpcore would take it for a server that hung up early, and wait
                # for an answer to a request that never went.
                raise httpcore.ConnectError(f"the request could not be given its start: {type(exc).__name__}") from exc
        # Nothing awaited between the hook and the write: the bytes leave in the hook's step.
        if self._protocol.closed or self._transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        self._transport.write(buffer)
        try:
            async with asyncio.timeout(timeout):
                await self._protocol.wait_writable()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc) or "write timed out") from exc
        if self._protocol.closed and self._protocol.lost is not None:
            raise httpcore.WriteError(str(self._protocol.lost)) from self._protocol.lost

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> WireStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(self._transport, self._protocol, ssl_context,
                                                 server_hostname=server_hostname)
        except TimeoutError as exc:
            self._transport.close()
            raise httpcore.ConnectTimeout(str(exc) or "TLS handshake timed out") from exc
        except (OSError, ssl.SSLError, ConnectionError) as exc:
            self._transport.close()
            raise httpcore.ConnectError(str(exc)) from exc
        self._protocol.transport = transport  # the TLS layer's, to pause reading through
        return WireStream(self._protocol, transport, self._host, self._before_write)

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        if info == "is_readable":  # an idle kept-alive connection the server closed (or wrote to)
            if self._protocol.buffer or self._protocol.eof or self._protocol.closed:
                return True
            sock = self._transport.get_extra_info("socket")  # what the loop has not read yet
            return sock is not None and sock.fileno() >= 0 and _socket_readable(sock)
        return None


def _socket_readable(sock) -> bool:
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class WireBackend(httpcore.AsyncNetworkBackend):
    """TCP connections whose writes await `before_write(host)` first."""

    def __init__(self, before_write: BeforeWrite | None = None) -> None:
        self._before_write = before_write

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: typing.Iterable | None = None) -> WireStream:
        loop = asyncio.get_running_loop()
        protocol = _Protocol()
        try:
            async with asyncio.timeout(timeout):
                transport, _ = await loop.create_connection(
                    lambda: protocol, host, port, local_addr=(local_address, 0) if local_address else None)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc) or "connect timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = transport.get_extra_info("socket")
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
        except OSError as exc:
            transport.close()
            raise httpcore.ConnectError(str(exc)) from exc
        return WireStream(protocol, transport, host, self._before_write)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable | None = None) -> WireStream:
        raise httpcore.ConnectError("unix sockets are not used by the court adapters")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class WireTransport(httpx.AsyncHTTPTransport):
    """httpx's transport (its request and response mapping, its errors) on a `WireBackend`:
    its connection pool is replaced by one on the wire backend (httpx takes no network backend)."""

    def __init__(self, before_write: BeforeWrite | None = None, *, limits: httpx.Limits = httpx.Limits(),
                 ssl_context: ssl.SSLContext | None = None) -> None:
        ssl_context = ssl_context or default_ssl_context()
        super().__init__(limits=limits, verify=ssl_context)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
            http1=True, http2=False, network_backend=WireBackend(before_write))


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """One verifying context for the process: loading the certificate authorities took ~40 ms
    of CPU per session, half of a court's start on a busy worker (a context is thread-safe)."""
    return httpx.create_ssl_context()
