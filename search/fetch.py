"""Polite HTTP: robots.txt, per-host delays, retries, conditional GET, and hard caps.

A `Fetcher` makes every request the crawler sends. It never raises for what a server does:
each outcome is a `Fetched` — a response (200, 304, 404 …) or a plain `error` saying why
there is none (disallowed by robots.txt, too large, a redirect loop, a PDF served as
text/html, timed out after 3 attempts) — and its `kind` (a `FetchKind`), which is what the
crawler decides on: whether to retry, skip, or mark an event removed. Bodies are read in
chunks under a cap, decompressed as they come (`capped.py`), so neither a 50 MB page nor a
gzip bomb is ever held whole. `max_time` holds at the socket:
while the status line and headers arrive, a timer hangs up the connection at the deadline;
while the body arrives, each read's timeout is what is left of it. A server trickling bytes
cannot outlast the limit.

Every host is resolved before it is reached and refused when any of its addresses is
loopback, private, link-local, reserved or otherwise not public (unless the source opts in
with `allow_private`); each connection then goes to the very address that was checked, so
a second DNS answer cannot swap it, and every redirect target is checked the same way
before it is requested. A Crawl-delay above `max_crawl_delay` is capped, and the cap is
noted in `Fetcher.notes`.
"""

from __future__ import annotations

import email.utils
import functools
import ipaddress
import logging
import re
import socket
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from datetime import UTC
from enum import StrEnum

import urllib3
from protego import Protego
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .capped import TooLarge, read_capped
from .config import Config
from .models import ExtractError, RawPage, host_key, now_iso

log = logging.getLogger(__name__)

CHUNK = 64 * 1024

# Bytes that say "this is not a web page", whatever the Content-Type claims.
_MAGIC = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"ID3", "an MP3 file"),
]
_PAGE_TYPES = re.compile(r"^(text/html|application/xhtml\+xml|text/plain)\b", re.I)
_XML_TYPES = re.compile(r"(xml|rss|atom|gzip|text/plain|octet-stream)", re.I)


class FetchKind(StrEnum):
    """What a fetch came to, for the code that acts on it (`Fetched.error` says it to people)."""

    OK = "ok"  # a 200 and its whole body
    NOT_MODIFIED = "not_modified"  # 304: what was fetched last time still holds
    GONE = "gone"  # 404 or 410
    HTTP_ERROR = "http_error"  # any other status (403, 500, a 503 after its retries, 204 …)
    DISALLOWED = "disallowed"  # robots.txt disallows the URL
    ROBOTS_UNREADABLE = "robots_unreadable"  # no answer from robots.txt: the host is not crawled
    ADDRESS_REFUSED = "address_refused"  # an internal address (see why_not_public)
    REDIRECT_REFUSED = "redirect_refused"  # a loop, too many, or to where the crawler must not go
    NOT_A_PAGE = "not_a_page"  # a Content-Type, or bytes, that are not a web page
    TOO_LARGE = "too_large"  # over max_bytes, on the wire or once decompressed
    UNDECODABLE = "undecodable"  # a Content-Encoding that cannot be decoded
    TIMEOUT = "timeout"  # no answer in time
    CONNECTION_FAILED = "connection_failed"  # reset, a name that does not resolve …
    CONNECTION_REFUSED = "connection_refused"  # nothing listens there


# What is tried again (after a backoff, within the page's max_time): these statuses, these kinds.
# A refused connection is not: nothing listening now will not be listening in a second.
RETRY_STATUSES = {429, 502, 503, 504}
RETRY_KINDS = {FetchKind.TIMEOUT, FetchKind.CONNECTION_FAILED}


def _status_kind(status: int) -> FetchKind:
    """The kind of a response whose body arrived as it should: what its status says."""
    if status == 200:
        return FetchKind.OK
    if status == 304:
        return FetchKind.NOT_MODIFIED
    if status in (404, 410):
        return FetchKind.GONE
    return FetchKind.HTTP_ERROR


@dataclass
class Fetched:
    """One URL's outcome: the final response, or why there is none."""

    url: str
    final_url: str
    kind: FetchKind
    status: int | None = None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    fetched_at: str = ""
    error: str | None = None
    wire_bytes: int = 0
    archivable: bool = False  # a response arrived (even one that ended in an error)
    archived: tuple[str, int] | None = None  # (WARC file, offset) of its response record

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    def fail(self, kind: FetchKind, error: str) -> Fetched:
        """Mark this fetch as giving no page: `kind` for the code, `error` for people."""
        self.kind, self.error = kind, error
        return self


class AddressRefused(Exception):
    """A host the crawler must not reach (an internal address), with the reason."""


_NOT_PUBLIC = [
    ("is_loopback", "a loopback"),
    ("is_link_local", "a link-local"),
    ("is_private", "a private"),
    ("is_multicast", "a multicast"),
    ("is_unspecified", "an unspecified"),
    ("is_reserved", "a reserved"),
]


def why_not_public(address: str) -> str | None:
    """Why an IP address is off limits to the crawler (None: a public address)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for attribute, what in _NOT_PUBLIC:
        if getattr(ip, attribute):
            return f"{ip} is {what} address"
    return None if ip.is_global else f"{ip} is not a public address"


def checked_address(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to for host:port, once every address it resolves to is allowed.

    Raises AddressRefused for an internal address, OSError when the name does not resolve."""
    infos = socket.getaddrinfo(host.rstrip("."), port, type=socket.SOCK_STREAM)
    if not allow_private:
        for *_, sockaddr in infos:
            reason = why_not_public(sockaddr[0])
            if reason:
                raise AddressRefused(
                    f"refused: {host} is an internal address ({reason}); a source on an "
                    "intranet needs allow_private = true"
                )
    return infos[0][4][0]


# The deadline of the page this thread is fetching (set by Fetcher._once): urllib3 gives no
# way to hand it to the connection that reads the response's headers.
_PAGE = threading.local()


def _hang_up(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # the blocked read returns at once
    except OSError:
        pass


@functools.cache
def _guarded_pools(allow_private: bool) -> dict:
    """urllib3 pool classes whose connections go only to checked addresses, and whose
    headers must arrive before the page's deadline."""

    def new_conn(base):
        def _new_conn(self):
            address = checked_address(self._dns_host, self.port, allow_private)
            named, self._dns_host = self._dns_host, address  # connect to what was checked
            try:
                return base._new_conn(self)
            finally:
                self._dns_host = named  # Host header, SNI and certificate: the name

        return _new_conn

    def getresponse(base):
        def _getresponse(self):
            deadline = getattr(_PAGE, "deadline", None)
            if deadline is None or self.sock is None:
                return base.getresponse(self)
            timer = threading.Timer(max(0.0, deadline - time.monotonic()), _hang_up, (self.sock,))
            timer.daemon = True
            timer.start()
            try:
                return base.getresponse(self)
            finally:
                timer.cancel()

        return _getresponse

    http_conn = type("GuardedHTTPConnection", (HTTPConnection,),
                     {"_new_conn": new_conn(HTTPConnection),
                      "getresponse": getresponse(HTTPConnection)})  # fmt: skip
    https_conn = type("GuardedHTTPSConnection", (HTTPSConnection,),
                      {"_new_conn": new_conn(HTTPSConnection),
                       "getresponse": getresponse(HTTPSConnection)})  # fmt: skip
    return {
        "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


def sniff_binary(body: bytes) -> str | None:
    """What a body is, when it is plainly not text (None for text)."""
    head = body[:1024]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data"
    return None


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class Fetcher:
    """Sends requests for one crawl pass: robots.txt, delays and caps per host."""

    def __init__(self, config: Config, *, delay: float | None = None, archive=None,
                 sleep=time.sleep, allow_private: bool = False,
                 hosts: set[str] | None = None):  # fmt: skip
        """`archive`: an ArchiveWriter that gets every response received, but for bodies
        refused as not a page (None: nothing kept). `allow_private`: internal addresses may
        be reached. `hosts`: redirects are followed only onto these hosts (see
        models.host_key; None: any public host)."""
        self.config = config
        self.archive = archive
        self.delay = config.delay if delay is None else delay
        self.sleep = sleep
        self.allow_private = allow_private
        self.hosts = hosts
        self.pool = urllib3.PoolManager(
            retries=False,
            timeout=urllib3.Timeout(connect=config.timeout, read=config.timeout),
            headers={"User-Agent": config.user_agent},
        )
        self.pool.pool_classes_by_scheme = _guarded_pools(allow_private)
        self.notes: list[str] = []  # what the run log should say (a capped Crawl-delay)
        self._robots: dict[str, Protego | None] = {}
        self._robots_problem: dict[str, str] = {}  # origin -> why its robots.txt is unreadable
        self._last_request: dict[str, float] = {}
        self.log: list[tuple[str, str, int | None]] = []  # (method, url, status) of every request

    # --- robots.txt ----------------------------------------------------------------------

    def _origin(self, url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def robots(self, url: str) -> Protego | None:
        """The host's robots.txt (None: allowed everywhere). RFC 9309: 4xx allows all,
        5xx or no answer disallows all until it can be read."""
        origin = self._origin(url)
        if origin not in self._robots:
            got = self._follow(origin + "/robots.txt", kind="robots")
            if got.kind is FetchKind.OK:
                text = got.body.decode("utf-8", "replace")
                self._robots[origin] = Protego.parse(text)
            elif got.status is not None and 400 <= got.status < 500 and got.status != 429:
                self._robots[origin] = None
            else:
                self._robots[origin] = Protego.parse("User-agent: *\nDisallow: /")
                self._robots_problem[origin] = got.error or f"HTTP {got.status}"
                log.info("%s/robots.txt could not be read (%s): the host is not crawled",
                         origin, self._robots_problem[origin])  # fmt: skip
        return self._robots[origin]

    def allowed(self, url: str) -> bool:
        rules = self.robots(url)
        return rules is None or rules.can_fetch(url, self.config.user_agent)

    def host_delay(self, url: str) -> float:
        rules = self._robots.get(self._origin(url))
        crawl_delay = float((rules.crawl_delay(self.config.user_agent) if rules else None) or 0)
        cap = self.config.max_crawl_delay
        if crawl_delay > cap:
            note = (f"{self._origin(url)}/robots.txt asks for a Crawl-delay of "
                    f"{crawl_delay:.0f} s; capped at {cap:.0f} s")  # fmt: skip
            if note not in self.notes:
                self.notes.append(note)
            crawl_delay = cap
        return max(self.delay, crawl_delay)

    def refusal(self, url: str) -> str | None:
        """Why the crawler must not request this URL's host (None: it may)."""
        parts = urllib.parse.urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            checked_address(parts.hostname or "", port, self.allow_private)
        except AddressRefused as exc:
            return str(exc)
        except (OSError, ValueError, UnicodeError):
            return None  # a name that does not resolve fails as a connection, with its retries
        return None

    # --- requests ------------------------------------------------------------------------

    def _wait_turn(self, url: str, delay: float) -> None:
        host = urllib.parse.urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None:
            wait = last + delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = time.monotonic()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            kind: str = "page") -> Fetched:  # fmt: skip
        """GET one URL as the crawler does: robots first, then conditional, capped, retried."""
        refused = self.refusal(url)
        if refused:
            log.debug("not requested: %s", refused)
            return Fetched(url, url, FetchKind.ADDRESS_REFUSED, error=refused, fetched_at=now_iso())
        if not self.allowed(url):
            problem = self._robots_problem.get(self._origin(url))
            if problem:
                outcome = FetchKind.ROBOTS_UNREADABLE
                error = (f"robots.txt could not be read ({problem}), so the host is not crawled "
                         "(RFC 9309)")  # fmt: skip
            else:
                outcome, error = FetchKind.DISALLOWED, "disallowed by robots.txt"
            log.debug("not requested: %s: %s", url, error)
            return Fetched(url, url, outcome, error=error, fetched_at=now_iso())
        return self._follow(url, etag=etag, last_modified=last_modified, kind=kind)

    def _follow(self, url, *, etag=None, last_modified=None, kind="page") -> Fetched:
        cfg = self.config
        deadline = time.monotonic() + cfg.max_time
        seen = [url]
        current = url
        attempt = 0
        while True:
            attempt += 1
            headers = {"Accept-Encoding": "gzip, deflate", "User-Agent": cfg.user_agent}
            if kind == "page":
                headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            if kind != "robots":
                self._wait_turn(current, self.host_delay(current))
            got = self._once(current, headers, kind, deadline)
            if self.archive is not None and got.archivable:  # every response, retries too
                got.archived = self.archive.write_exchange(got)
            got.url = url
            self.log.append(("GET", current, got.status))
            log.debug("GET %s: %s", current, got.status or got.kind)
            retry_in = self._retry_in(got, attempt)
            if retry_in is not None:
                if time.monotonic() + retry_in > deadline:
                    got.error = (got.error or f"HTTP {got.status}") + (
                        f"; not retried: waiting {retry_in:.0f} s would pass the "
                        f"{cfg.max_time:.0f} s limit for one page"
                    )
                    return got
                log.info("%s: %s; trying again in %.1f s (attempt %d of %d)", current,
                         got.error or f"HTTP {got.status}", retry_in, attempt + 1,
                         cfg.retries)  # fmt: skip
                self.sleep(retry_in)
                continue
            if got.error is None and got.status in (301, 302, 303, 307, 308):
                location = got.header("Location")
                if not location:
                    got.error = f"HTTP {got.status} redirect without a Location"
                    return got
                target = urllib.parse.urljoin(current, location)
                if target in seen:
                    return got.fail(
                        FetchKind.REDIRECT_REFUSED, f"redirect loop: {' -> '.join(seen + [target])}"
                    )
                if len(seen) > cfg.max_redirects:
                    return got.fail(
                        FetchKind.REDIRECT_REFUSED, f"more than {cfg.max_redirects} redirects"
                    )
                if urllib.parse.urlsplit(target).scheme not in ("http", "https"):
                    return got.fail(
                        FetchKind.REDIRECT_REFUSED, f"redirect to a non-web address: {target}"
                    )
                refused = self.refusal(target) or self._off_hosts(target)
                if refused:
                    return got.fail(
                        FetchKind.REDIRECT_REFUSED,
                        f"redirected to {target}, not followed: {refused}",
                    )
                if kind == "page" and not self.allowed(target):
                    return got.fail(
                        FetchKind.REDIRECT_REFUSED,
                        f"redirected to {target}, which robots.txt disallows",
                    )
                seen.append(target)
                current, attempt = target, 0
                continue
            if got.error is None and got.status not in (200, 304):
                if got.status and got.status >= 400:
                    if attempt > 1:
                        got.error = f"HTTP {got.status} {got.reason} after {attempt} attempts"
                    else:
                        got.error = f"HTTP {got.status} {got.reason}".strip()
            return got

    def _off_hosts(self, url: str) -> str | None:
        if self.hosts is None or host_key(url) in self.hosts:
            return None
        return "it is not on the source's own hosts"

    def _retry_in(self, got: Fetched, attempt: int) -> float | None:
        """Seconds to wait before trying again, or None to stop here."""
        transient = got.status in RETRY_STATUSES or got.kind in RETRY_KINDS
        if not transient or attempt >= self.config.retries:
            if transient and got.error is None:
                got.error = f"HTTP {got.status} {got.reason} after {attempt} attempts"
            elif transient:
                got.error = f"{got.error} (after {attempt} attempts)"
            return None
        after = retry_after_seconds(got.header("Retry-After"))
        backoff = self.config.backoff * 2 ** (attempt - 1)
        return max(after or 0.0, backoff)

    def _once(self, url: str, headers: dict, kind: str, deadline: float) -> Fetched:
        cfg = self.config
        sent = {"request_headers": list(headers.items()), "fetched_at": now_iso()}
        timeout = max(0.1, min(cfg.timeout, deadline - time.monotonic()))
        overtime = f"timed out: the page took longer than {cfg.max_time:.0f} s to arrive"

        def no_response(kind: FetchKind, error: str) -> Fetched:
            return Fetched(url, url, kind, error=error, **sent)

        _PAGE.deadline = deadline
        try:
            response = self.pool.request(
                "GET", url, headers=headers, redirect=False, preload_content=False,
                decode_content=False, timeout=urllib3.Timeout(connect=timeout, read=timeout),
            )  # fmt: skip
        except AddressRefused as exc:  # the name now resolves elsewhere than when checked
            return no_response(FetchKind.ADDRESS_REFUSED, str(exc))
        except urllib3.exceptions.NewConnectionError as exc:  # a subclass of the timeout error
            if isinstance(exc.__cause__ or exc.__context__, ConnectionRefusedError):
                return no_response(FetchKind.CONNECTION_REFUSED, "connection refused")
            return no_response(FetchKind.CONNECTION_FAILED, f"connection failed: {_short(exc)}")
        except urllib3.exceptions.TimeoutError:
            return no_response(FetchKind.TIMEOUT, f"timed out after {timeout:.0f} s")
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            if time.monotonic() >= deadline:  # hung up on by the deadline's timer
                return no_response(FetchKind.TIMEOUT, overtime)
            return no_response(FetchKind.CONNECTION_FAILED, f"connection failed: {_short(exc)}")
        finally:
            _PAGE.deadline = None
        got = Fetched(url, url, _status_kind(response.status), response.status,
                      response.reason or "", list(response.headers.items()), archivable=True,
                      **sent)  # fmt: skip
        try:
            if got.status != 200:
                body, wire = read_capped(
                    response.stream(CHUNK, decode_content=False),
                    response.headers.get("Content-Encoding"),
                    min(cfg.max_bytes, 1024 * 1024),
                )
                got.body, got.wire_bytes = body, wire
                return got
            problem = _refuse_type(response.headers.get("Content-Type"), kind)
            if problem:
                got.archivable = False
                return got.fail(FetchKind.NOT_A_PAGE, problem)
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > cfg.max_bytes:
                got.archivable = False
                return got.fail(
                    FetchKind.TOO_LARGE,
                    f"too large: {int(length) / 1e6:.1f} MB (the limit is "
                    f"{cfg.max_bytes / 1e6:.0f} MB)",
                )
            got.body, got.wire_bytes = read_capped(
                _until(response, deadline, cfg.timeout),
                response.headers.get("Content-Encoding"),
                cfg.max_bytes,
            )
        except TooLarge as exc:
            got.fail(
                FetchKind.TOO_LARGE, f"too large: {exc} (the limit is {cfg.max_bytes / 1e6:.0f} MB)"
            )
            got.body, got.archivable = b"", False
        except _Overtime:
            got.fail(FetchKind.TIMEOUT, overtime)
            got.body, got.archivable = b"", False
        except (ValueError, zlib.error) as exc:
            got.fail(FetchKind.UNDECODABLE, f"cannot decode the response: {_short(exc)}")
            got.body, got.archivable = b"", False
        except urllib3.exceptions.TimeoutError:
            got.fail(FetchKind.TIMEOUT, f"timed out after {timeout:.0f} s")
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            got.fail(FetchKind.CONNECTION_FAILED, f"connection failed: {_short(exc)}")
        finally:
            response.release_conn()
        if got.error is None and kind == "page":
            what = sniff_binary(got.body)
            if what:
                ctype = response.headers.get("Content-Type", "no Content-Type")
                got.fail(
                    FetchKind.NOT_A_PAGE,
                    f"not a web page: served as {ctype} but the bytes are {what}",
                )
                got.archivable = False  # a PDF or an image is not kept as if it were a page
        return got


class _Overtime(Exception):
    pass


def _until(response, deadline: float, timeout: float):
    """The raw body as it arrives, each socket read given only what is left of the deadline
    (read1 returns what one read brings, so a trickle cannot hold a read open past it)."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Overtime
        sock = getattr(response.connection, "sock", None)
        if sock is not None:
            sock.settimeout(min(timeout, left))
        try:
            chunk = response.read1(CHUNK, decode_content=False)
        except (urllib3.exceptions.TimeoutError, TimeoutError):
            if time.monotonic() >= deadline - 0.01:
                raise _Overtime from None
            raise
        if not chunk:
            return
        yield chunk


def _refuse_type(content_type: str | None, kind: str) -> str | None:
    if not content_type:
        return None
    if kind == "page" and not _PAGE_TYPES.match(content_type):
        return f"not a web page: Content-Type {content_type.split(';')[0].strip()}"
    if kind in ("sitemap", "feed") and not (
        _XML_TYPES.search(content_type) or _PAGE_TYPES.match(content_type)
    ):
        return f"not a sitemap or feed: Content-Type {content_type.split(';')[0].strip()}"
    return None


def _short(exc: Exception) -> str:
    text = str(getattr(exc, "reason", None) or exc)
    return text.split(": ", 1)[-1][:200]


def fetch_page(url: str, config: Config | None = None):
    """One page for `podium ingest URL`: the crawler's rules and podium.toml's `[crawl]`
    settings (internal addresses only with `allow_private`), a RawPage or an error."""
    config = config or Config()
    got = Fetcher(config, delay=0, allow_private=config.allow_private).get(url)
    if got.error:
        raise ExtractError(f"cannot fetch {url}: {got.error}")
    return RawPage(url, got.body, got.final_url, got.header("Content-Type"), got.fetched_at)
