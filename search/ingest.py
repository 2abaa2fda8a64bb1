"""The one way in: read a page, extract it, store it, index it.

Both the CLI (`podium extract`, `podium ingest`) and the crawler call this module, so a page
becomes an event the same way whichever door it came through.
"""

from __future__ import annotations

import hashlib
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .models import ExtractError, PodiumError

MAX_PAGE_BYTES = 10 * 1024 * 1024


@dataclass
class RawPage:
    """The bytes of one page and where they came from."""

    source: str  # the argument as given (path or URL)
    raw: bytes
    url: str | None = None  # where it was fetched from (None for a local file)
    content_type: str | None = None
    fetched_at: str | None = None  # ISO 8601 UTC

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def read_input(arg: str, max_bytes: int = MAX_PAGE_BYTES) -> RawPage:
    """Read a local file or fetch a URL, refusing what cannot be a page, with a plain reason."""
    if urllib.parse.urlsplit(arg).scheme in ("http", "https"):
        return _fetch_once(arg, max_bytes)
    path = Path(arg)
    if not path.exists():
        raise ExtractError(f"no such file: {arg}")
    if not path.is_file():
        raise ExtractError(f"not a file: {arg}")
    size = path.stat().st_size
    if size == 0:
        raise ExtractError("the file is empty")
    if size > max_bytes:
        raise ExtractError(
            f"the file is too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read {arg}: {exc.strerror}") from exc
    fetched = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    return RawPage(source=arg, raw=raw, fetched_at=fetched.isoformat())


def _fetch_once(url: str, max_bytes: int) -> RawPage:
    """One polite GET for a URL named on the command line (the crawler has its own fetcher)."""
    try:
        from . import fetch  # the crawler's fetcher, when present

        return fetch.fetch_page(url, max_bytes=max_bytes)
    except ImportError:
        pass
    request = urllib.request.Request(url, headers={"User-Agent": "Podium/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            raw = response.read(max_bytes + 1)
            content_type = response.headers.get("Content-Type")
            final_url = response.geturl()
    except OSError as exc:
        raise ExtractError(f"cannot fetch {url}: {exc}") from exc
    if len(raw) > max_bytes:
        raise ExtractError(f"the page is larger than {max_bytes / 1e6:.0f} MB")
    return RawPage(url, raw, final_url, content_type, now_iso())


def extract_page(page: RawPage):
    """RawPage -> Event (raises ExtractError with a plain message)."""
    from .extract import extract_event

    return extract_event(page.raw, source=page.source, url=page.url, content_type=page.content_type)


__all__ = ["RawPage", "read_input", "extract_page", "PodiumError", "ExtractError"]
