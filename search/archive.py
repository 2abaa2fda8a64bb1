"""The archive: every HTTP exchange the crawler makes, kept in gzip WARC files (warcio).

Files live in `<home>/corpus/archive/` and are named by Podium, never by anything scraped:
`podium-<UTC time>-<pid>-<n>.warc.gz`, rotating past `archive_file_mb`. Each fetch is a
request record and a response record (with WARC-Date = fetch time and a payload digest);
a page ingested from a local file is a `resource` record. A version in the store points
at its record by (file, offset), so the exact bytes behind any citation can be shown.

Bodies are archived decoded: the response's Content-Encoding is kept as
`X-Archive-Orig-Content-Encoding` so readers never try to decompress twice.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .models import PodiumError

_NAME = re.compile(r"^podium-([0-9TZ]+)-(\d+)-(\d+)\.warc\.gz$")
_BUILDER = RecordBuilder()  # builds records; ArchiveWriter only appends them
_HOP_BY_HOP = {"content-encoding", "transfer-encoding", "content-length", "connection"}


@dataclass
class Archived:
    """One archived response (or resource) read back."""

    url: str
    date: str  # ISO 8601 UTC, the fetch time
    status: int | None
    headers: list[tuple[str, str]]
    body: bytes
    file: str
    offset: int
    kind: str = "response"  # or "resource": a page ingested by `podium ingest`, not crawled

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def _warc_date(iso: str | None) -> str:
    when = datetime.fromisoformat(iso) if iso else datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(warc_date: str) -> str:
    return datetime.strptime(warc_date[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC).isoformat()


class ArchiveWriter:
    """Appends records to the current WARC file of one process, rotating by size."""

    def __init__(self, directory: Path, max_file_mb: int = 256):
        self.directory = directory
        self.max_bytes = max_file_mb * 1024 * 1024
        self._file = None
        self._name = None
        self._count = 0

    def _open(self):
        if self._file is not None and self._file.tell() < self.max_bytes:
            return
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self._count += 1
        self._name = f"podium-{stamp}-{os.getpid()}-{self._count}.warc.gz"
        self._file = open(self.directory / self._name, "ab")  # noqa: SIM115 - kept open
        self._writer = WARCWriter(self._file, gzip=True)

    def close(self) -> None:
        if self._file is not None:
            os.fsync(self._file.fileno())  # and on the disk, before the pass reports done
            self._file.close()
            self._file = None

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self, *records) -> tuple[str, int]:
        """Append records to one file (a request never parted from its response); returns
        the file and where the last record starts."""
        self._open()
        for record in records:
            offset = self._file.tell()
            self._writer.write_record(record)
        self._file.flush()  # in the OS's hands now: a kill -9 after this loses nothing
        return self._name, offset

    def write_exchange(self, fetched) -> tuple[str, int]:
        """A request and its response; returns where the response record starts."""
        date = _warc_date(fetched.fetched_at)
        target = fetched.final_url
        request_line = f"GET {_path(target)} HTTP/1.1"
        request = _BUILDER.create_warc_record(
            target,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(
                request_line, fetched.request_headers, is_http_request=True
            ),
            warc_headers_dict={"WARC-Date": date},
        )
        headers = [
            (f"X-Archive-Orig-{k}" if k.lower() in _HOP_BY_HOP else k, v)
            for k, v in fetched.headers
        ]
        status_line = f"{fetched.status} {fetched.reason or ''}".strip()
        response = _BUILDER.create_warc_record(
            target,
            "response",
            payload=io.BytesIO(fetched.body),
            length=len(fetched.body),
            http_headers=StatusAndHeaders(status_line, headers, protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": date},
        )
        return self._write(request, response)

    def write_resource(self, uri: str, body: bytes, content_type: str | None,
                       fetched_at: str | None) -> tuple[str, int]:  # fmt: skip
        """A page that came from a file, not from HTTP."""
        record = _BUILDER.create_warc_record(
            uri,
            "resource",
            payload=io.BytesIO(body),
            length=len(body),
            warc_content_type=content_type or "text/html",
            warc_headers_dict={"WARC-Date": _warc_date(fetched_at)},
        )
        return self._write(record)


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _checked(directory: Path, name: str) -> Path:
    """The path of an archive file named in the store: Podium's own names only."""
    if not _NAME.match(name or ""):
        raise PodiumError(f"not an archive file name: {name!r}")
    return directory / name


def _archived(record, name: str, offset: int) -> Archived:
    headers = record.http_headers.headers if record.http_headers else []
    status = None
    if record.rec_type == "response" and record.http_headers:
        status = int(record.http_headers.get_statuscode() or 0) or None
    elif record.rec_type == "resource":
        status = 200
        headers = [("Content-Type", record.rec_headers.get_header("Content-Type") or "")]
    return Archived(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        date=_iso(record.rec_headers.get_header("WARC-Date")),
        status=status,
        headers=list(headers),
        body=record.content_stream().read(),
        file=name,
        offset=offset,
        kind=record.rec_type,
    )


def read_record(directory: Path, name: str, offset: int) -> Archived:
    """The response or resource record at (file, offset)."""
    path = _checked(directory, name)
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            return _archived(record, name, offset)
    except (OSError, StopIteration, ArchiveLoadFailed) as exc:
        raise PodiumError(f"archived copy {name}@{offset} cannot be read: {exc}") from exc


def archive_files(directory: Path) -> list[Path]:
    """The archive's files, oldest first: by the time in their names, then by process id and
    file number as numbers (two `podium ingest` runs in one second: pid 998 before 1002)."""
    if not directory.exists():
        return []

    def age(path: Path) -> tuple[str, int, int]:
        stamp, pid, number = _NAME.match(path.name).groups()
        return stamp, int(pid), int(number)

    return sorted((p for p in directory.iterdir() if _NAME.match(p.name)), key=age)


def iter_archive(directory: Path) -> Iterator[Archived]:
    """Every response and resource record, oldest file first; a torn last record, or bytes
    that are no WARC record, end their file."""
    for path in archive_files(directory):
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            try:
                for record in records:
                    if not record.format.startswith("warc"):
                        break  # warcio reads a damaged file as an old ARC file: not ours
                    if record.rec_type in ("response", "resource"):
                        # read the body before asking for the offset: asking moves the stream
                        found = _archived(record, path.name, 0)
                        found.offset = records.get_record_offset()
                        yield found
            except (ArchiveLoadFailed, EOFError, OSError, ValueError):
                continue  # a record cut short by a crash: everything before it was read
