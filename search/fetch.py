"""Polite HTTP: robots.txt, per-host delays, retries, conditional GET, and hard caps.

A `Fetcher` makes every request the crawler sends. It never raises for what a server does:
each outcome is a `Fetched` — a response (200, 304, 404 …) or a plain `error` saying why
there is none (disallowed by robots.txt, too large, a redirect loop, a PDF served as
text/html, timed out after 3 attempts). Bodies are read in chunks and decompressed here,
so neither a 50 MB page nor a gzip bomb is ever held whole.
"""

from __future__ import annotations

import dataclasses
import email.utils
import re
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from datetime import UTC

import urllib3
from protego import Protego

from .config import Config
from .ingest import RawPage, now_iso
from .models import ExtractError

CHUNK = 64 * 1024
RETRY_STATUSES = {429, 502, 503, 504}

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


@dataclass
class Fetched:
    """One URL's outcome: the final response, or why there is none."""

    url: str
    final_url: str
    status: int | None = None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    fetched_at: str = ""
    error: str | None = None
    attempts: int = 0
    wire_bytes: int = 0
    archivable: bool = False  # a response arrived (even one that ended in an error)
    archived: tuple[str, int] | None = None  # (WARC file, offset) of its response record

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304

    @property
    def gone(self) -> bool:
        return self.status in (404, 410)


class _TooLarge(ValueError):
    pass


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


def _decoder(encoding: str | None):
    encoding = (encoding or "identity").strip().lower()
    if encoding in ("identity", ""):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise ValueError(f"unsupported Content-Encoding {encoding!r}")


def read_capped(chunks, encoding: str | None, max_bytes: int) -> tuple[bytes, int]:
    """Join body chunks, decompressing as we go; stop once either size passes `max_bytes`."""
    decoder = _decoder(encoding)
    out, wire = bytearray(), 0
    for chunk in chunks:
        wire += len(chunk)
        if wire > max_bytes:
            raise _TooLarge(f"more than {max_bytes / 1e6:.0f} MB on the wire")
        if decoder is None:
            out += chunk
        else:
            # max_length bounds what one chunk may expand to: a bomb stops here.
            out += decoder.decompress(chunk, max_bytes + 1 - len(out))
            if decoder.unconsumed_tail:
                raise _TooLarge(f"more than {max_bytes / 1e6:.0f} MB once decompressed")
        if len(out) > max_bytes:
            raise _TooLarge(f"more than {max_bytes / 1e6:.0f} MB once decompressed")
    return bytes(out), wire


def gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    """A .gz file's contents (sitemap.xml.gz), with the same cap as any body."""
    body, _ = read_capped([data], "gzip", max_bytes)
    return body


class Fetcher:
    """Sends requests for one crawl pass: robots.txt, delays and caps per host."""

    def __init__(self, config: Config, *, delay: float | None = None, archive=None,
                 sleep=time.sleep):  # fmt: skip
        """`archive`: an ArchiveWriter that gets every response received (None: not kept)."""
        self.config = config
        self.archive = archive
        self.delay = config.delay if delay is None else delay
        self.sleep = sleep
        self.pool = urllib3.PoolManager(
            retries=False,
            timeout=urllib3.Timeout(connect=config.timeout, read=config.timeout),
            headers={"User-Agent": config.user_agent},
        )
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
            got = self._request(origin + "/robots.txt", kind="robots")
            if got.error is None and got.status == 200:
                text = got.body.decode("utf-8", "replace")
                self._robots[origin] = Protego.parse(text)
            elif got.status is not None and 400 <= got.status < 500 and got.status != 429:
                self._robots[origin] = None
            else:
                self._robots[origin] = Protego.parse("User-agent: *\nDisallow: /")
                self._robots_problem[origin] = got.error or f"HTTP {got.status}"
        return self._robots[origin]

    def allowed(self, url: str) -> bool:
        rules = self.robots(url)
        return rules is None or rules.can_fetch(url, self.config.user_agent)

    def host_delay(self, url: str) -> float:
        rules = self._robots.get(self._origin(url))
        crawl_delay = rules.crawl_delay(self.config.user_agent) if rules else None
        return max(self.delay, float(crawl_delay or 0))

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
        if not self.allowed(url):
            problem = self._robots_problem.get(self._origin(url))
            error = (
                f"robots.txt could not be read ({problem}), so the host is not crawled (RFC 9309)"
                if problem else "disallowed by robots.txt"
            )  # fmt: skip
            return Fetched(url, url, error=error, fetched_at=now_iso())
        return self._request(url, etag=etag, last_modified=last_modified, kind=kind)

    def _request(self, url, *, etag=None, last_modified=None, kind="page") -> Fetched:
        return self._follow(url, etag=etag, last_modified=last_modified, kind=kind)

    def _follow(self, url, *, etag, last_modified, kind) -> Fetched:
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
            got.url, got.attempts = url, attempt
            self.log.append(("GET", current, got.status))
            retry_in = self._retry_in(got, attempt)
            if retry_in is not None:
                if time.monotonic() + retry_in > deadline:
                    got.error = (got.error or f"HTTP {got.status}") + (
                        f"; not retried: waiting {retry_in:.0f} s would pass the "
                        f"{cfg.max_time:.0f} s limit for one page"
                    )
                    return got
                self.sleep(retry_in)
                continue
            if got.error is None and got.status in (301, 302, 303, 307, 308):
                location = got.header("Location")
                if not location:
                    got.error = f"HTTP {got.status} redirect without a Location"
                    return got
                target = urllib.parse.urljoin(current, location)
                if target in seen:
                    got.error = f"redirect loop: {' -> '.join(seen + [target])}"
                    return got
                if len(seen) > cfg.max_redirects:
                    got.error = f"more than {cfg.max_redirects} redirects"
                    return got
                if urllib.parse.urlsplit(target).scheme not in ("http", "https"):
                    got.error = f"redirect to a non-web address: {target}"
                    return got
                if kind == "page" and not self.allowed(target):
                    got.error = f"redirected to {target}, which robots.txt disallows"
                    return got
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

    def _retry_in(self, got: Fetched, attempt: int) -> float | None:
        """Seconds to wait before trying again, or None to stop here."""
        transient = got.status in RETRY_STATUSES or (got.error or "").startswith("timed out")
        transient = transient or (got.error or "").startswith("connection failed")
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
        got = Fetched(url, url, request_headers=list(headers.items()), fetched_at=now_iso())
        timeout = max(0.1, min(cfg.timeout, deadline - time.monotonic()))
        try:
            response = self.pool.request(
                "GET", url, headers=headers, redirect=False, preload_content=False,
                decode_content=False, timeout=urllib3.Timeout(connect=timeout, read=timeout),
            )  # fmt: skip
        except urllib3.exceptions.NewConnectionError as exc:  # a subclass of the timeout error
            refused = isinstance(exc.__cause__ or exc.__context__, ConnectionRefusedError)
            got.error = "connection refused" if refused else f"connection failed: {_short(exc)}"
            return got
        except urllib3.exceptions.TimeoutError:
            got.error = f"timed out after {timeout:.0f} s"
            return got
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            got.error = f"connection failed: {_short(exc)}"
            return got
        got.status, got.reason = response.status, response.reason or ""
        got.headers = list(response.headers.items())
        got.archivable = True
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
                got.error = problem
                return got
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > cfg.max_bytes:
                got.error = (
                    f"too large: {int(length) / 1e6:.1f} MB (the limit is "
                    f"{cfg.max_bytes / 1e6:.0f} MB)"
                )
                return got
            got.body, got.wire_bytes = read_capped(
                _until(response.stream(CHUNK, decode_content=False), deadline),
                response.headers.get("Content-Encoding"),
                cfg.max_bytes,
            )
        except _TooLarge as exc:
            got.error = f"too large: {exc} (the limit is {cfg.max_bytes / 1e6:.0f} MB)"
            got.body = b""
        except _Overtime:
            got.error = f"timed out: the page took longer than {cfg.max_time:.0f} s to arrive"
            got.body = b""
        except (ValueError, zlib.error) as exc:
            got.error = f"cannot decode the response: {_short(exc)}"
            got.body = b""
        except urllib3.exceptions.TimeoutError:
            got.error = f"timed out after {timeout:.0f} s"
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            got.error = f"connection failed: {_short(exc)}"
        finally:
            response.release_conn()
        if got.error is None and kind == "page":
            what = sniff_binary(got.body)
            if what:
                ctype = response.headers.get("Content-Type", "no Content-Type")
                got.error = f"not a web page: served as {ctype} but the bytes are {what}"
        return got


class _Overtime(Exception):
    pass


def _until(chunks, deadline: float):
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise _Overtime
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


def fetch_page(url: str, *, max_bytes: int, config: Config | None = None):
    """One page for `podium ingest URL`: the crawler's rules, one request, a RawPage or an error."""
    config = dataclasses.replace(config or Config(), max_bytes=max_bytes)
    got = Fetcher(config, delay=0).get(url)
    if got.error:
        raise ExtractError(f"cannot fetch {url}: {got.error}")
    return RawPage(url, got.body, got.final_url, got.header("Content-Type"), got.fetched_at)
