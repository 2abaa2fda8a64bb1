"""Bodies read with a size cap: chunks joined and decompressed (gzip, deflate) until either
the wire size or the decompressed size passes the cap, so a gzip bomb stops early."""

from __future__ import annotations

import zlib


class TooLarge(ValueError):
    """A body over the cap, on the wire or once decompressed."""


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
            raise TooLarge(f"more than {max_bytes / 1e6:.0f} MB on the wire")
        if decoder is None:
            out += chunk
        else:
            # max_length bounds what one chunk may expand to: a bomb stops here.
            out += decoder.decompress(chunk, max_bytes + 1 - len(out))
            if decoder.unconsumed_tail:
                raise TooLarge(f"more than {max_bytes / 1e6:.0f} MB once decompressed")
        if len(out) > max_bytes:
            raise TooLarge(f"more than {max_bytes / 1e6:.0f} MB once decompressed")
    return bytes(out), wire


def gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    """A .gz file's contents (sitemap.xml.gz), with the same cap as any body."""
    body, _ = read_capped([data], "gzip", max_bytes)
    return body
