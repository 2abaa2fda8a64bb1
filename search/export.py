"""Exports of passages and event pages: RIS, BibTeX, BibLaTeX, CSL-JSON and CSV, streamed.

`export(records, fmt)` yields text chunks, so a result set of any size is written in constant
memory; CSV citations come from the citation cache, each distinct one rendered once. Shapes per
CITATIONS.md: a quote is a presentation (`TY  - SLIDE`, `@misc`, `@unpublished`), an event
page a web page (`TY  - ELEC`, `@misc`, `@online`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import islice
from urllib.parse import quote

from . import cite
from .models import CiteRecord, PodiumError
from .vocabulary import DEFAULT_STYLE, EXPORT_FORMATS, OWN_WORDS, one_of

CSV_COLUMNS = [
    "text",
    "speaker",
    "role",
    "event",
    "organisation",
    "date",
    "url",
    "deep_link",
    "citation",
    "kind",
    "ap_line",
    "permalink",
]
# The kind column: a passage's kind, reported speech said plainly, an event's own page "page".
CSV_KINDS = {"sentence": "reported", "page": "page"}
# Spreadsheets (Excel) read a CSV as UTF-8 only when it starts with a byte-order mark.
CSV_BOM = "\ufeff"
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_NUMBERS = {f"{i:02d}" for i in range(1, 13)}
BATCH = 5000  # rows per cite.render call: its misses go to pandoc in parallel batches


def _one_line(value: str | None) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection),
# full-width forms included: such a cell gets a leading single quote and is shown as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def csv_cell(value: str | None) -> str:
    value = value or ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# --- RIS --------------------------------------------------------------------------------------


def ris_record(rec: CiteRecord) -> str:
    lines = [("TY", "SLIDE" if rec.speaker else "ELEC")]
    if rec.speaker:
        lines.append(("AU", person_sort_name(rec.speaker)))
    elif rec.organisation:
        lines.append(("AU", rec.organisation))
    lines.append(("TI", rec.title))
    if rec.speaker and rec.organisation:
        lines.append(("T2", rec.organisation))
    if rec.genre:
        lines.append(("M3", rec.genre))
    if rec.place:
        lines.append(("CY", rec.place))
    if rec.event_date:
        parts = rec.event_date.split("-") + ["", ""]
        lines.append(("DA", f"{parts[0]}/{parts[1]}/{parts[2]}/"))
        lines.append(("PY", parts[0]))
    lines.append(("UR", cite.http_url(rec.url)))
    if rec.accessed:
        lines.append(("Y2", rec.accessed.replace("-", "/")))
    if rec.text:
        lines.append(("N1", rec.text))
    if rec.role:
        lines.append(("N1", f"Role: {rec.role}"))
    lines.append(("ID", rec.id))
    body = "".join(f"{tag}  - {_one_line(value)}\n" for tag, value in lines if value)
    return body + "ER  - \n\n"


def person_sort_name(speaker: str) -> str:
    """A person as reference managers file them: "de la Cruz, Rafael" (the family name with its
    particles first); a mononym as it is."""
    name = cite.csl_name(speaker)
    if "literal" in name:
        return name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    return f"{family}, {name.get('given', '')}".strip(", ")


# --- BibTeX / BibLaTeX ------------------------------------------------------------------------

_BIB_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
}


def bib_escape(text: str | None) -> str:
    return "".join(_BIB_ESCAPES.get(c, c) for c in _one_line(text))


def _bib_author(rec: CiteRecord) -> str | None:
    if rec.speaker:
        name = cite.csl_name(rec.speaker)
        if "literal" in name:
            return "{" + bib_escape(name["literal"]) + "}"
        family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
        return f"{bib_escape(family)}, {bib_escape(name.get('given'))}"
    if rec.organisation:
        return "{" + bib_escape(rec.organisation) + "}"
    return None


def _bib_key(rec: CiteRecord) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "", rec.id) or "item"


def _bib_entry(kind: str, key: str, fields: list[tuple[str, str | None]]) -> str:
    body = ",\n".join(f"  {k} = {v}" for k, v in fields if v)
    return f"@{kind}{{{key},\n{body}\n}}\n\n"


def bibtex_record(rec: CiteRecord) -> str:
    date = (rec.event_date or "").split("-")
    how = (
        ", ".join(p for p in (rec.genre, rec.organisation, rec.place) if p)
        if rec.speaker
        else rec.site_name
    )
    fields = [
        ("author", _bib_wrap(_bib_author(rec))),
        ("title", "{{" + bib_escape(rec.title) + "}}"),
        ("howpublished", _bib_wrap(bib_escape(how)) if how else None),
        ("year", _bib_wrap(bib_escape(date[0]))),
        (
            "month",
            _MONTHS[int(date[1]) - 1] if len(date) > 1 and date[1] in _MONTH_NUMBERS else None,
        ),
        ("url", _bib_url(rec.url)),
        ("urldate", _bib_wrap(bib_escape(rec.accessed))),
        ("note", _bib_wrap(bib_escape(rec.text)) if rec.text else None),
    ]
    return _bib_entry("misc", _bib_key(rec), fields)


def biblatex_record(rec: CiteRecord) -> str:
    if rec.speaker:
        fields = [
            ("author", _bib_wrap(_bib_author(rec))),
            ("title", "{{" + bib_escape(rec.title) + "}}"),
            ("type", _bib_wrap(bib_escape(rec.genre)) if rec.genre else None),
            ("eventtitle", _bib_wrap(bib_escape(rec.organisation)) if rec.organisation else None),
            ("venue", _bib_wrap(bib_escape(rec.place)) if rec.place else None),
            ("date", _bib_wrap(bib_escape(rec.event_date))),
            ("url", _bib_url(rec.url)),
            ("urldate", _bib_wrap(bib_escape(rec.accessed))),
            ("note", _bib_wrap(bib_escape(rec.text)) if rec.text else None),
        ]
        return _bib_entry("unpublished", _bib_key(rec), fields)
    fields = [
        ("author", _bib_wrap(_bib_author(rec))),
        ("title", "{{" + bib_escape(rec.title) + "}}"),
        ("organization", _bib_wrap(bib_escape(rec.site_name)) if rec.site_name else None),
        ("date", _bib_wrap(bib_escape(rec.event_date))),
        ("url", _bib_url(rec.url)),
        ("urldate", _bib_wrap(bib_escape(rec.accessed))),
    ]
    return _bib_entry("online", _bib_key(rec), fields)


def _bib_wrap(value: str | None) -> str | None:
    return "{" + value + "}" if value else None


# RFC 3986's reserved and unreserved characters, and "%" of escapes already made: everything
# else (braces, backslashes, quotes, spaces, line breaks, non-ASCII) is percent-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


def _bib_url(url: str | None) -> str | None:
    """An http(s) URL as a BibTeX field: one line, no brace or backslash to close the field."""
    url = cite.http_url(url)
    return _bib_wrap(quote(url, safe=_URL_SAFE)) if url else None


# --- streaming --------------------------------------------------------------------------------


def _batches(records: Iterable[CiteRecord], size: int = BATCH) -> Iterator[list[CiteRecord]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


def _csv_rows(
    records: Iterable[CiteRecord], style: str, base_url: str, cache: cite.CitationCache | None
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield CSV_BOM + buffer.getvalue()
    for batch in _batches(records):
        citations = cite.render(batch, style, "text", cache)
        buffer.seek(0)
        buffer.truncate()
        for rec, citation in zip(batch, citations, strict=True):
            row = [
                rec.text, rec.speaker, rec.role, rec.title, rec.organisation, rec.event_date,
                cite.http_url(rec.url), cite.deep_link(rec.url, rec.text or rec.title),
                citation, CSV_KINDS.get(rec.kind or "page", rec.kind),
                cite.ap_line(rec) if rec.kind in OWN_WORDS else "",
                f"{base_url}/p/{rec.id}" if rec.kind else f"{base_url}/e/{rec.id}",
            ]  # fmt: skip
            writer.writerow([csv_cell(value) for value in row])
        yield buffer.getvalue()


def _csl_json(records: Iterable[CiteRecord], style: str | None) -> Iterator[str]:
    """The items Podium renders: in `style`'s form when one is named (APA drops a web page's
    site name when it is also the author), else the full item every other style renders
    (`container-title` included)."""
    yield "["
    first = True
    for rec in records:
        item = cite.csl_item(rec, style or "")
        yield ("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]\n"


def check_format(fmt: str) -> None:
    """PodiumError unless `fmt` is one of EXPORT_FORMATS."""
    if fmt not in EXPORT_FORMATS:
        raise PodiumError(f"unknown export format {fmt!r} (use {one_of(EXPORT_FORMATS)})")


def export(
    records: Iterable[CiteRecord],
    fmt: str,
    style: str | None = None,
    *,
    base_url: str = "",
    cache: cite.CitationCache | None = None,
) -> Iterator[str]:
    """Stream `records` in an export format (see EXPORT_FORMATS). `style` is the citation style
    of CSV rows (APA when None) and of CSL-JSON items; `base_url` starts CSV permalinks; CSV
    citations come from `cache` (see `cite.render`)."""
    check_format(fmt)
    if fmt == "csv":
        style = style or DEFAULT_STYLE
        cite.style_path(style)
        return _csv_rows(records, style, base_url.rstrip("/"), cache)
    if fmt == "csl-json":
        if style:
            cite.style_path(style)
        return _csl_json(records, style)
    one = {"ris": ris_record, "bibtex": bibtex_record, "biblatex": biblatex_record}[fmt]
    return (one(rec) for rec in records)


def export_filename(fmt: str, label: str, day: str) -> str:
    """A download's name that says what it holds: podium-sanctions-2024-05-03.ris (the search
    words, the speaker or the event, as ASCII words, then the day of the export)."""
    words = re.findall(
        r"[a-z0-9]+",
        unicodedata.normalize("NFKD", label.lower()).encode("ascii", "ignore").decode(),
    )
    slug = "-".join(words)[:60].strip("-") or "export"
    return f"podium-{slug}-{day}.{EXPORT_FORMATS[fmt].extension}"
