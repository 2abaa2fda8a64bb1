"""A think tank's website on 127.0.0.1, for crawl tests: the sample pages behind robots.txt,
a sitemap index (one child gzipped), an RSS feed and a paginated listing, with ETags and
Last-Modified, and a row of broken pages (429, 500, slow, gzip bomb, 50 MB, redirect loop,
binary). Tests edit and remove pages while it runs, and read which paths were requested.
Hostile tests add links to the listing, redirects, a Crawl-delay, and a body trickled one
byte at a time (`/trickle/`).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"
FAULTS = ["fault-429", "fault-500", "fault-slow", "fault-bomb", "fault-huge", "fault-loop",
          "fault-binary"]  # fmt: skip
INCLUDE = [r"/events/[a-z0-9-]+/$"]


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)


class FixtureSite:
    def __init__(self, samples: Path = SAMPLES, faults: bool = True):
        self.pages = {p.stem: p.read_bytes() for p in sorted(samples.glob("*.html"))}
        self.faults = list(FAULTS) if faults else []
        if faults:
            _bomb()  # made before the crawler asks, so the 1 s timeout measures the crawler
        self.requests: list[tuple[str, int]] = []
        self.moved_to_listing: set[str] = set()  # slugs that now redirect to /events/
        self.robots_status = 200
        self.lock = threading.Lock()
        self.slow_seconds = 3.0
        self.extra_links: list[str] = []  # hrefs added to every listing page
        self.redirects: dict[str, str] = {}  # path -> Location of a 302
        self.robots_extra = ""  # more lines of robots.txt (a Crawl-delay)
        self.agents: list[str] = []  # User-Agent of every request
        self.trickle = (40, 0.5)  # /trickle/: this many bytes, one per this many seconds
        self.trickled = 0  # bytes of /trickle/ written before the client hung up
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes

            def log_message(self, *args):
                pass

            def do_GET(self):
                site.handle(self)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # the crawler hanging up on a bomb or a slow page is expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FixtureSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what tests change and read ---------------------------------------------------

    def url(self, slug: str) -> str:
        return f"{self.base}/events/{slug}/"

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _ in self.requests]

    def statuses(self) -> list[int]:
        """Statuses of the event-page requests (not listings, sitemaps or feeds)."""
        with self.lock:
            return [s for p, s in self.requests if re.fullmatch(r"/events/[a-z0-9-]+/", p)]

    def reset_log(self) -> None:
        with self.lock:
            self.requests.clear()

    # --- the site -------------------------------------------------------------------------

    def _slugs(self) -> list[str]:
        return sorted(self.pages)

    def _listing(self, page: int) -> bytes:
        slugs = self._slugs() + self.faults
        per = 5
        chunk = slugs[(page - 1) * per : page * per]
        items = "".join(f'<li><a href="/events/{s}/">{s}</a></li>' for s in chunk)
        items += "".join(f'<li><a href="{href}">a report</a></li>' for href in self.extra_links)
        more = len(slugs) > page * per
        nav = f'<a rel="next" href="/events/?page={page + 1}">Next ›</a>' if more else ""
        return (
            f"<html><head><title>Events</title></head><body><nav><a href='/'>Home</a>"
            f"<a href='/about/'>About</a></nav><h1>Events</h1><ul>{items}</ul>{nav}"
            f"<a href='/events/members-only/'>members</a></body></html>"
        ).encode()

    def _sitemap_index(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.base}/sitemap-events.xml.gz</loc></sitemap>"
            f"<sitemap><loc>{self.base}/sitemap-private.xml</loc></sitemap>"
            + (
                f"<sitemap><loc>{self.base}/sitemap-bomb.xml.gz</loc></sitemap>"
                if self.faults
                else ""
            )
            + "</sitemapindex>"
        ).encode()

    def _urlset(self, urls: list[str]) -> bytes:
        locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
        ).encode()

    def _feed(self) -> bytes:
        items = "".join(
            f"<item><title>{s}</title><link>{self.url(s)}</link></item>" for s in self._slugs()[-4:]
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Events</title>'
            f"<link>{self.base}/</link>{items}</channel></rss>"
        ).encode()

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        with self.lock:
            self.agents.append(h.headers.get("User-Agent") or "")
        status = self._route(h, path)
        with self.lock:
            self.requests.append((path, status))

    def _send(self, h, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        if status == 200 and not headers:  # listings, sitemaps, feeds: ETags too
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if h.headers.get("If-None-Match") == etag:
                status, body = 304, b""
            headers = [("ETag", etag)]
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        for k, v in headers:
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
        return status

    def _route(self, h, path: str) -> int:
        if path == "/robots.txt":
            if self.robots_status != 200:
                return self._send(h, self.robots_status, b"unavailable", "text/plain")
            body = b"User-agent: *\nDisallow: /events/members-only/\n" + self.robots_extra.encode()
            return self._send(h, 200, body, "text/plain")
        if path in self.redirects:
            return self._send(h, 302, headers=[("Location", self.redirects[path])])
        if path == "/trickle/":
            return self._trickle(h)
        if path == "/trickle-headers/":
            return self._trickle(h, headers=True)
        if path == "/sitemap.xml":
            return self._send(h, 200, self._sitemap_index(), "application/xml")
        if path == "/sitemap-events.xml.gz":
            urls = [self.url(s) for s in self._slugs()[::2]]
            return self._send(h, 200, gzip.compress(self._urlset(urls)), "application/x-gzip")
        if (
            path == "/sitemap-bomb.xml.gz"
        ):  # a .gz file (no Content-Encoding) that expands to 200 MB
            return self._send(h, 200, _bomb(), "application/x-gzip")
        if path == "/sitemap-private.xml":
            urls = [self.url("members-only")]
            return self._send(h, 200, self._urlset(urls), "application/xml")
        if path == "/feed.xml":
            return self._send(h, 200, self._feed(), "application/rss+xml")
        if path.startswith("/events/?page=") or path == "/events/":
            page = int(path.rsplit("=", 1)[1]) if "=" in path else 1
            return self._send(h, 200, self._listing(page))
        if path.rstrip("/").rsplit("/", 1)[-1] in self.moved_to_listing:
            return self._send(h, 301, headers=[("Location", "/events/")])
        if path.startswith("/events/fault-"):
            return self._fault(h, path.split("/")[2])
        if path.startswith("/events/"):
            slug = path.split("/")[2]
            body = self.pages.get(slug)
            if body is None:
                return self._send(h, 404, b"<h1>Not found</h1>")
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if h.headers.get("If-None-Match") == etag:
                h.send_response(304)
                h.send_header("ETag", etag)
                h.send_header("Content-Length", "0")
                h.end_headers()
                return 304
            if "gzip" in (h.headers.get("Accept-Encoding") or ""):
                return self._send(h, 200, gzip.compress(body), headers=[
                    ("ETag", etag), ("Content-Encoding", "gzip"),
                    ("Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT")])  # fmt: skip
            return self._send(h, 200, body, headers=[("ETag", etag)])
        return self._send(h, 404, b"<h1>Not found</h1>")

    def _trickle(self, h, headers: bool = False) -> int:
        """The body (or, with `headers`, the status line and headers) one byte at a time."""
        size, every = self.trickle
        if headers:
            head = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"x" * size + b"\r\n\r\n"
            data = head
        else:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(size))
            h.end_headers()
            data = b"x" * size
        try:
            for byte in data:
                time.sleep(every)
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                with self.lock:
                    self.trickled += 1
        except (BrokenPipeError, ConnectionResetError):
            pass
        return 200

    def _fault(self, h, name: str) -> int:
        if name == "fault-429":
            return self._send(h, 429, b"slow down", headers=[("Retry-After", "1")])
        if name == "fault-500":
            return self._send(h, 500, b"<h1>Internal Server Error</h1>")
        if name == "fault-slow":
            time.sleep(self.slow_seconds)
            return self._send(h, 200, b"<html><body><p>late</p></body></html>")
        if name == "fault-bomb":  # 200 MB of zeros in ~200 KB
            return self._send(h, 200, _bomb(), headers=[("Content-Encoding", "gzip")])
        if name == "fault-huge":  # 50 MB of HTML, chunked: no Content-Length to refuse early
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            chunk = b"<p>" + b"words " * 10000 + b"</p>"
            try:
                for _ in range(50 * 1024 * 1024 // len(chunk)):
                    h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                h.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            return 200
        if name == "fault-loop":
            return self._send(h, 302, headers=[("Location", "/events/fault-loop-b/")])
        if name == "fault-loop-b":
            return self._send(h, 302, headers=[("Location", "/events/fault-loop/")])
        if name == "fault-binary":
            return self._send(h, 200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 50)
        return self._send(h, 404)


def podium_toml(site: FixtureSite, *, name: str = "fixture", delay: float = 0.0,
                allow_private: bool = True) -> str:  # fmt: skip
    """The site as a source. The site is on 127.0.0.1, which the crawler refuses unless the
    source opts in (`allow_private`), as an intranet source would."""
    private = str(allow_private).lower()
    return f"""
[crawl]
timeout = 1.0
max_time = 8.0
retries = 2
backoff = 0.1
allow_private = {private}

[[source]]
name = "{name}"
organisation = "Fixture Institute"
start = ["{site.base}/events/"]
sitemaps = ["{site.base}/sitemap.xml"]
feeds = ["{site.base}/feed.xml"]
include = {INCLUDE!r}
schedule = "0 */6 * * *"
delay = {delay}
allow_private = {private}
""".replace("'", '"')
