"""Which URLs may be fetched: http(s) only, and only public addresses unless allowed.

`check_url(url, allow_private)` returns the parsed target and the addresses its host resolves
to, every one of them checked; the fetcher connects to one of exactly those addresses (so a
name cannot resolve to a public address for the check and a private one for the connection),
and checks again on each redirect. Refused: other schemes (``file:``, ``ftp:``, ``data:``...),
URLs with a user name or password, and, unless `allow_private`, private, loopback, link-local
(cloud metadata at 169.254.169.254), shared, reserved, multicast and unspecified addresses,
including IPv4 addresses written as IPv6 (``::ffff:127.0.0.1``).

Left out: proxies (the fetcher ignores proxy settings), IPv6 tunnels' embedded IPv4 addresses.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from index.errors import BadArticle

SCHEMES = ("http", "https")


class RefusedURL(BadArticle):
    """A URL that is never fetched (scheme, credentials, or a private address)."""


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str                 # as written (no brackets), lower case
    port: int
    addresses: tuple[str, ...]


def looks_like_url(text: str) -> bool:
    """Does a command-line argument name a URL (any scheme) rather than a path?

    >>> looks_like_url("https://example.org/a"), looks_like_url("file:///etc/passwd"), looks_like_url("notes/a.txt")
    (True, True, False)
    """
    scheme, sep, _ = text.partition(":")
    return bool(sep) and len(scheme) > 1 and scheme[0].isalpha() and all(
        ch.isalnum() or ch in "+.-" for ch in scheme)


def address_problem(address: str) -> str:
    """Why `address` is not public ("" when it is).

    >>> address_problem("169.254.169.254"), address_problem("93.184.216.34"), address_problem("::ffff:10.0.0.1")
    ('a link-local address', '', 'a private address')
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, test in (("a loopback", ip.is_loopback), ("a link-local", ip.is_link_local),
                       ("an unspecified", ip.is_unspecified), ("a multicast", ip.is_multicast),
                       ("a private", ip.is_private), ("a reserved", ip.is_reserved)):
        if test:
            return f"{kind} address"
    if not ip.is_global:
        return "a non-public address"
    return ""


def check_url(url: str, allow_private: bool = False) -> Target:
    """The fetchable target `url` names, or `RefusedURL` (scheme, credentials, address) /
    `BadArticle` (malformed, name does not resolve)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as err:
        raise BadArticle(url, f"not a valid URL ({err})") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise RefusedURL(url, f"refused: only http and https URLs are fetched, not {scheme or 'a bare path'}:")
    if parts.username is not None or parts.password is not None:
        raise RefusedURL(url, "refused: URLs with a user name or password are not fetched")
    host = (parts.hostname or "").lower()
    if not host:
        raise BadArticle(url, "not a valid URL (no host)")
    port = port or (443 if scheme == "https" else 80)
    addresses = resolve(host, port, url)
    if not allow_private:
        for address in addresses:
            problem = address_problem(address)
            if problem:
                resolved = "" if address == host else f" ({address})"
                raise RefusedURL(url, f"refused: {host} is {problem}{resolved}; "
                                      "use --allow-private to fetch from your own network")
    return Target(url.strip(), scheme, host, port, addresses)


def resolve(host: str, port: int, url: str) -> tuple[str, ...]:
    """Every address `host` stands for (a literal address stands for itself)."""
    try:
        ipaddress.ip_address(host)
        return (host,)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as err:
        raise BadArticle(url, f"cannot resolve {host} ({err})") from None
    found = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not found:
        raise BadArticle(url, f"cannot resolve {host}")
    return found
