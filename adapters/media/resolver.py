"""SystemAddressResolver: a host name's addresses from the system resolver, off the loop."""

from __future__ import annotations

import asyncio
import socket

from application.ports.video import AddressResolver


class SystemAddressResolver(AddressResolver):
    """All A and AAAA answers (security.md #38: every one of them is checked). getaddrinfo
    runs in the loop's executor; a name that does not resolve in time resolves to nothing."""

    def __init__(self, timeout_s: float = 5.0) -> None:
        self._timeout_s = timeout_s

    async def resolve(self, host: str) -> list[str]:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self._timeout_s):
                infos = await loop.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError, UnicodeError):
            return []
        return sorted({str(info[4][0]) for info in infos})
