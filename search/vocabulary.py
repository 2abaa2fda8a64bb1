"""The words users type and see, each defined once: passage and search kinds, sorts, export
formats, citation style names, and the limits of what one request may ask for.

The query layer, the JSON API and its OpenAPI description, the CLI's choices and the search
page's select options all read them from here (tests/test_vocabulary.py checks that each offers
exactly these), so a new sort or format cannot be added in one place only. Plain data (and
`one_of`, to list words in a message): any layer may import it.
"""

from __future__ import annotations

from typing import NamedTuple

# --- kinds ------------------------------------------------------------------------------------

PASSAGE_KINDS = ("quote", "turn", "sentence", "paragraph")  # the more precise unit first
OWN_WORDS = ("quote", "turn")  # a speaker's own words: each its own hit, never folded away
QUOTES = "quotes"  # the search kind (and `kind:` word) for OWN_WORDS together
SEARCH_KINDS = (*PASSAGE_KINDS, QUOTES)
KIND_LABELS = {
    QUOTES: "Quotes and turns",
    "quote": "Quotes",
    "turn": "Transcript turns",
    "sentence": "Sentences",
    "paragraph": "Paragraphs",
}

# --- what `podium check` / /api/check say of a pasted quote --------------------------------------

EXACT, CLOSE, NOT_FOUND = "exact", "close", "not found"
VERDICTS = (EXACT, CLOSE, NOT_FOUND)

# --- sorts ------------------------------------------------------------------------------------

RELEVANCE = "relevance"  # the default
NEWEST = "newest"
SORTS = (RELEVANCE, NEWEST, "oldest")

# --- export formats and citation styles -------------------------------------------------------


class ExportFormat(NamedTuple):
    label: str  # as a link names it
    media_type: str
    extension: str  # of a downloaded file


EXPORT_FORMATS = {
    "ris": ExportFormat("RIS", "application/x-research-info-systems", "ris"),
    "bibtex": ExportFormat("BibTeX", "application/x-bibtex", "bib"),
    "biblatex": ExportFormat("BibLaTeX", "application/x-bibtex", "bib"),
    "csl-json": ExportFormat("CSL-JSON", "application/vnd.citationstyles.csl+json", "json"),
    "csv": ExportFormat("CSV", "text/csv", "csv"),
}
# The export formats that also cite one passage (`podium cite --style ris`, ?style=ris): all
# but CSV, whose rows are a table, not a reference.
CITATION_FORMATS = tuple(name for name in EXPORT_FORMATS if name != "csv")
CITATION_MARKUPS = ("text", "html")  # what a rendered citation is written in, plain first
DEFAULT_STYLE = "apa"
MAIN_STYLES = ["apa", "mla", "chicago-author-date", "chicago-note-bibliography"]
AP_STYLE = "ap"  # Podium's own AP line, not a CSL style

# --- limits -----------------------------------------------------------------------------------

# Input past these is refused (a 400 on the web, exit status 2 on the command line); under
# them, the work is bounded so that no query takes more than about a second on 100,000 passages
# (bench/query_limits_bench.py measures the worst cases).
MAX_QUERY_CHARS = 1000  # the query text, or a quote pasted into check
MAX_FILTER_CHARS = 200  # a speaker or organisation filter
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_PAGE = 999_999
MAX_VERSION = 999_999  # of one page
DEFAULT_CHECK_RESULTS = 5
MAX_CHECK_RESULTS = 50
MAX_SPEAKERS = 100  # speakers one autocomplete request lists
MAX_STYLES = 20_000  # more than the CSL repository holds


def one_of(words) -> str:
    """`words` as a message lists them: "relevance, newest or oldest"."""
    *rest, last = words
    return f"{', '.join(rest)} or {last}" if rest else last
