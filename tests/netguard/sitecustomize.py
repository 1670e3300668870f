"""The tests' network guard: nothing may leave the machine.

tests/conftest.py puts this folder on PYTHONPATH, so every Python process a test starts (the
`evictwatch` CLI, the scheduler service, helper scripts) imports this module at start-up; the
test process itself installs the same guard from conftest. A connection to anything but
127.0.0.0/8 or ::1 (or a Unix socket) is refused at once with NetworkGuardError instead of
reaching out (or hanging until a timeout), and a name other than localhost is never sent to DNS.
"""

from __future__ import annotations

import ipaddress
import socket

__all__ = ["NetworkGuardError", "allowed_address", "install"]

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_HINT = "tests may only reach 127.0.0.0/8 and ::1 (tests/netguard/sitecustomize.py)"


class NetworkGuardError(ConnectionRefusedError):
    """A test (or a process it started) tried to reach the network beyond this machine."""


# One class per process, whichever name imported this module first: a started process (a test
# worker too) imports it as `sitecustomize`, the tests as `tests.netguard.sitecustomize`.
NetworkGuardError = socket.__dict__.setdefault("_evictwatch_NetworkGuardError", NetworkGuardError)  # type: ignore[misc]


def allowed_address(host: object) -> bool:
    """127.0.0.0/8, ::1 (or an IPv4-mapped 127.x) and the names of this machine's loopback."""
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%", 1)[0]
    if name.lower() in LOCAL_NAMES or name.lower().endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def install() -> None:
    """Patches socket.socket.connect/connect_ex and socket.getaddrinfo (once per process)."""
    if getattr(socket, "_evictwatch_netguard", False):
        return
    true_connect, true_connect_ex = socket.socket.connect, socket.socket.connect_ex
    true_getaddrinfo = socket.getaddrinfo
    inet = {socket.AF_INET, getattr(socket, "AF_INET6", socket.AF_INET)}

    def refuse(address: object) -> NetworkGuardError:
        return NetworkGuardError(f"netguard: connection to {address!r} refused: {_HINT}")

    def connect(self: socket.socket, address, /):  # noqa: ANN001
        if self.family in inet and not (isinstance(address, tuple) and allowed_address(address[0])):
            raise refuse(address)
        return true_connect(self, address)

    def connect_ex(self: socket.socket, address, /):  # noqa: ANN001
        if self.family in inet and not (isinstance(address, tuple) and allowed_address(address[0])):
            raise refuse(address)
        return true_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        # An IP literal needs no DNS (connect() judges it); only local names are looked up.
        name = host.decode() if isinstance(host, bytes) else host
        if name is None or _is_ip(name) or allowed_address(name):
            return true_getaddrinfo(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, f"netguard: {name!r} is not looked up: {_HINT}")

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
    socket._evictwatch_netguard = True  # type: ignore[attr-defined]


def _chain_next_sitecustomize() -> None:
    """Run the sitecustomize this one shadows (a distribution's own), if there is one."""
    import importlib.util
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    for entry in sys.path:
        if os.path.abspath(entry or ".") == here:
            continue
        candidate = os.path.join(entry or ".", "sitecustomize.py")
        if os.path.isfile(candidate):
            spec = importlib.util.spec_from_file_location("_shadowed_sitecustomize", candidate)
            if spec and spec.loader:
                spec.loader.exec_module(importlib.util.module_from_spec(spec))
            return


if __name__ == "sitecustomize":  # imported by the interpreter at start-up: a test's child process
    install()
    _chain_next_sitecustomize()
