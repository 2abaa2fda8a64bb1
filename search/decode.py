"""Bytes -> text, and text that shows only what the page says.

`decode` follows w3lib's rules (the Scrapy project's): the HTTP header's charset, the BOM, the
page's <meta>, then detection; a declared ISO-8859-1 is read as windows-1252, as browsers do,
so curly quotes sent as cp1252 bytes stay quotes.

`visible` removes the invisible characters that can make extracted text display words the
source does not say (bidi embeddings, overrides and isolates) or hide a word from search
(zero-width spaces and joiners, the BOM used as a zero-width no-break space, soft hyphens).
The archived bytes are never touched; only the extracted text is.
"""

from __future__ import annotations

import charset_normalizer
from w3lib.encoding import html_to_unicode

from .models import ExtractError

_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)


def visible(text: str) -> str:
    """`text` without bidi controls, zero-width characters and soft hyphens."""
    return text.translate(_INVISIBLE)


def _detect(raw: bytes) -> str | None:
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw[:65536]).best()
    return best.encoding if best is not None else None


def decode(raw: bytes, content_type: str | None = None) -> str:
    """Text of a page: charset from the HTTP header, the BOM, <meta>, or detection."""
    if not raw.strip():
        raise ExtractError("the page is empty")
    head = raw[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError("the file is binary, not an HTML page")
    _, text = html_to_unicode(content_type, raw, auto_detect_fun=_detect)
    if "\ufffd" in text and _detect(raw) not in (None, "utf-8"):
        # a declared charset that names no real encoding: w3lib fell back to UTF-8
        text = raw.decode(_detect(raw), errors="replace")
    return text
