"""The rule for an `image_url` we pass on to OpenRouter: https to a public address only."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from application.errors import InvalidUrlError
from application.ports.video import AddressResolver

MAX_URL_CHARS = 2048
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_FORBIDDEN_CHARS = re.compile(r"[\s\\\x00-\x1f\x7f]")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
# IPv6 ranges that carry an IPv4 address in their last 32 bits: NAT64 and the old
# IPv4-compatible form (::a.b.c.d); mapped, 6to4 and Teredo have their own accessors.
_EMBEDDING = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
    ipaddress.IPv6Network("::/96"),
)


async def checked_image_url(url: str, resolver: AddressResolver) -> str:
    """security.md #38: https, no userinfo, the default port, at most 2048 characters, and
    every address the host resolves to is public (after unwrapping IPv4 inside IPv6).
    Numeric hosts other than a plain a.b.c.d (2130706433, 0x7f000001, 127.1, …) are
    refused outright: other parsers read them differently. We never fetch the URL; the
    check keeps this server from being used to point OpenRouter at internal hosts."""
    host = _host_of(url)
    literal = _literal_address(host)
    addresses = [literal] if literal is not None else await _resolved(host, resolver)
    if not all(is_public(address) for address in addresses):
        raise InvalidUrlError("The image URL points to a private or reserved address.")
    return url


def _host_of(url: str) -> str:
    if len(url) > MAX_URL_CHARS:
        raise InvalidUrlError(f"The image URL is longer than {MAX_URL_CHARS} characters.")
    if _FORBIDDEN_CHARS.search(url):
        raise InvalidUrlError("The image URL contains spaces, backslashes or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrlError("The image URL could not be parsed.") from exc
    if parts.scheme.lower() != "https":
        raise InvalidUrlError("The image URL must start with https://.")
    if "@" in parts.netloc:
        raise InvalidUrlError("The image URL may not contain a user name or password.")
    if port not in (None, 443):
        raise InvalidUrlError("The image URL must use the default https port.")
    if not parts.hostname:
        raise InvalidUrlError("The image URL has no host.")
    return parts.hostname


def _literal_address(host: str) -> IPAddress | None:
    """An IP literal, or None for a name; refuses the legacy numeric IPv4 spellings."""
    if ":" in host:  # urlsplit has removed the brackets of an IPv6 literal
        try:
            return ipaddress.IPv6Address(host)  # a zone id (%eth0) does not parse: refused
        except ValueError as exc:
            raise InvalidUrlError("The image URL has an invalid IPv6 address.") from exc
    try:
        return ipaddress.IPv4Address(host)  # only the canonical dotted quad parses
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    if _NUMERIC_LABEL.match(labels[-1]):  # WHATWG: a host ending in a number is IPv4
        raise InvalidUrlError("Write an IPv4 address as four decimal numbers, or use a name.")
    return None


async def _resolved(host: str, resolver: AddressResolver) -> list[IPAddress]:
    name = _dns_name(host)
    found = await resolver.resolve(name)
    if not found:
        raise InvalidUrlError("The image URL's host name does not resolve.")
    try:
        return [ipaddress.ip_address(address.split("%", 1)[0]) for address in found]
    except ValueError as exc:
        raise InvalidUrlError("The image URL's host resolved to something unexpected.") from exc


def _dns_name(host: str) -> str:
    try:
        name = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidUrlError("The image URL's host name is not valid.") from exc
    labels = name.rstrip(".").split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise InvalidUrlError("The image URL's host name is not valid.")
    return name


def is_public(address: IPAddress) -> bool:
    """Global and not multicast, and so is every IPv4 address carried inside it."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv4Address):
        return True
    return all(is_public(inner) for inner in _embedded_ipv4(address))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found = [address.sixtofour, *(address.teredo or ())]
    if any(address in network for network in _EMBEDDING):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [inner for inner in found if inner is not None]
