"""Fetching a subscribed calendar from its URL: https, never into a private network, bounded.

A URL that an owner types is fetched by our server, so it must not become a way to reach what
only the server can reach (the database, the cloud's metadata service, the intranet): every
address the host name resolves to must be a public one — no loopback, private, link-local,
shared or reserved address, IPv4 inside IPv6 included — checked after DNS resolution, then the
connection goes to exactly that checked address (no second lookup an attacker could answer
differently), and each redirect is checked the same way. The setting
RESOURCEPOOL_CALENDAR_FETCH_ALLOW (comma-separated networks, e.g. "10.1.2.0/24") lets an
operator allow an intranet calendar server; plain http is accepted only for such addresses.

Bounded: at most MAX_REDIRECTS redirects, imports.MAX_BYTES of body (read as a stream), and
TIMEOUT_SECONDS for everything. `webcal://` (what calendar apps publish) means https.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from resourcepool.calendar_feeds.imports import MAX_BYTES, too_large
from resourcepool.errors import N_, ValidationFailed
from resourcepool.settings import get_settings
from resourcepool.textrules import has_control_characters

MAX_URL_LENGTH = 2000
MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 20
USER_AGENT = "resourcepool-calendar-import/1"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Fetched:
    """A 200 with the body, or a 304 (unchanged since the ETag / Last-Modified we sent)."""

    changed: bool
    content: bytes = b""
    etag: str | None = None
    last_modified: str | None = None


def _refuse(message: str, **params: object) -> ValidationFailed:
    return ValidationFailed(message, field="url", **params)


def check_url(url: object) -> str:
    """The subscription URL as it will be fetched (webcal → https), or ValidationFailed."""
    if not isinstance(url, str) or not url.strip():
        raise _refuse(N_("Enter the web address of the calendar (https://…)."))
    url = url.strip()
    if len(url) > MAX_URL_LENGTH or has_control_characters(url) or any(c.isspace() for c in url):
        raise _refuse(N_("Enter the web address of the calendar (https://…)."))
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://"):]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises for a port that is not a number
    except ValueError:
        raise _refuse(N_("Enter the web address of the calendar (https://…).")) from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise _refuse(N_("Enter the web address of the calendar (https://…)."))
    if parts.username or parts.password:
        raise _refuse(N_("Put no user name or password into the calendar's address."))
    return url


def allowed_networks() -> list[Network]:
    return [ipaddress.ip_network(n, strict=False) for n in get_settings().calendar_fetch_allow]


def _public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def _resolve(host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise _refuse(N_("The server's name cannot be found: %(host)s."), host=host[:100]) from None
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


async def _checked_address(url: str, allowed: Sequence[Network]) -> Address:
    """The address to connect to: every address of the host is public or allowed."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = await _resolve(parts.hostname, port)
    if not addresses:
        raise _refuse(N_("The server's name cannot be found: %(host)s."), host=parts.hostname[:100])
    # Every address the name has must be acceptable: the next lookup could answer any of them.
    listed = [any(a in n for n in allowed) for a in addresses]
    for address, allowed_here in zip(addresses, listed):
        if not allowed_here and not _public(address):
            raise _refuse(N_("This address leads into a private network; calendars are only "
                             "fetched from the internet."))
    if parts.scheme == "http" and not all(listed):
        raise _refuse(N_("The calendar's address must start with https://."))
    return addresses[0]


def _pinned(url: str, address: Address) -> tuple[str, str]:
    """The URL with its host replaced by the checked address, and the Host header."""
    parts = urlsplit(url)
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = host + (f":{parts.port}" if parts.port else "")
    header = parts.hostname or ""
    if ":" in header:
        header = f"[{header}]"
    return urlunsplit(parts._replace(netloc=netloc)), header + (f":{parts.port}" if parts.port else "")


async def _get(client: httpx.AsyncClient, url: str, headers: dict[str, str],
               allowed: Sequence[Network]) -> Fetched | str:
    """One hop: the result, or the next URL to go to."""
    address = await _checked_address(url, allowed)
    target, host = _pinned(url, address)
    extensions = {"sni_hostname": urlsplit(url).hostname} if url.startswith("https") else {}
    async with client.stream("GET", target, headers={**headers, "Host": host},
                             extensions=extensions) as response:
        if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
            return check_url(urljoin(url, response.headers["location"]))
        if response.status_code == 304:
            return Fetched(changed=False)
        if response.status_code != 200:
            raise _refuse(N_("The calendar's server answered with status %(status)s."),
                          status=response.status_code)
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BYTES:
            raise too_large()
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > MAX_BYTES:
                raise too_large()
        return Fetched(True, bytes(body), response.headers.get("etag"),
                       response.headers.get("last-modified"))


async def fetch_calendar(url: str, etag: str | None = None,
                         last_modified: str | None = None) -> Fetched:
    """GET the calendar at `url` (checked with check_url), conditionally when an ETag or
    Last-Modified of the last copy is given. Raises ValidationFailed (field "url") saying why."""
    allowed = allowed_networks()
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = httpx.Timeout(10, connect=5)
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            # trust_env=False: no proxy from the environment gets to choose where we connect.
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False) as client:
                for _ in range(MAX_REDIRECTS + 1):
                    result = await _get(client, url, headers, allowed)
                    if isinstance(result, Fetched):
                        return result
                    url = result
    except (TimeoutError, httpx.TimeoutException):
        raise _refuse(N_("The calendar's server did not answer in time.")) from None
    except httpx.ConnectError as exc:
        if isinstance(exc.__context__, ssl.SSLError) or "CERTIFICATE" in str(exc).upper():
            raise _refuse(N_("The calendar's server has no valid certificate.")) from None
        raise _refuse(N_("The calendar's server cannot be reached.")) from None
    except httpx.HTTPError:
        raise _refuse(N_("The calendar's server cannot be reached.")) from None
    raise _refuse(N_("The calendar's address redirects too often."))
