"""The plain data that flows between Podium's stages.

fetch   -> RawPage (the bytes of a page and where they came from)
extract -> Event (speakers, paragraphs, quotes, sentences)
ingest  -> Passage rows (what is stored and indexed)
query   -> SearchRequest in, SearchResponse out
cite    -> CiteRecord in, strings out

Nothing here does I/O; every stage takes these and returns these.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

from tld import get_fld

from .vocabulary import DEFAULT_PER_PAGE, RELEVANCE

# An attribution with this confidence or more is "confident": on the dev set at least 97 % of
# them name the right person (tests/test_calibration.py prints the table). Below it every
# surface says "uncertain" and offers no finished AP sentence.
CONFIDENT = 0.8


def attribution_state(speaker: str | None, confidence: float) -> str:
    """ "confident", "uncertain" or "none" (nobody attributed): what surfaces show."""
    if not speaker:
        return "none"
    return "confident" if confidence >= CONFIDENT else "uncertain"


class PodiumError(Exception):
    """A failure with a plain message meant for the user (bad input, unreadable page)."""


class ExtractError(PodiumError):
    """A page that cannot be turned into an event: empty, binary, too large, no body text."""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class RawPage:
    """The bytes of one page and where they came from."""

    source: str  # the argument as given (path or URL)
    raw: bytes
    url: str | None = None  # where it was fetched from (None for a local file)
    content_type: str | None = None
    fetched_at: str | None = None  # ISO 8601 UTC
    file_key: str | None = None  # a local file's opaque id: a hash of its resolved path

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def origin(self) -> str:
        """Who may write the events this page files under: its web site, or its file."""
        if self.url:
            return "web:" + site_of(self.url)
        return "file:" + (self.file_key or file_key(Path(self.source)))


def file_key(path: Path) -> str:
    return hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def host_key(url: str) -> str:
    """The URL's host name, lower case, without a leading `www.`."""
    host = (urllib.parse.urlsplit(url).hostname or "").rstrip(".")
    return host.removeprefix("www.")


def site_of(url: str) -> str:
    """The registrable domain of a URL (`news.example.co.uk` -> `example.co.uk`); the host
    without `www.` when there is none (an IP address, `localhost`, an unlisted suffix)."""
    return get_fld(url, fail_silently=True) or host_key(url)


@dataclass
class Speaker:
    """A person reported as speaking at an event, with the role given *at that event*."""

    name: str
    role: str | None = None


@dataclass
class Quote:
    """Words attributed to someone: a direct quotation (kind "quote") or a transcript turn.

    `text` is exactly what stands between the quotation marks (or the turn without its
    label); `start` is its character offset in `Event.paragraphs[paragraph]`.
    """

    text: str
    speaker: str | None
    paragraph: int
    kind: str = "quote"  # "quote" | "turn"
    start: int | None = None
    confidence: float = 1.0
    rule: str = ""  # the evidence: "name-before", "pronoun", "role-noun", "continuation", ...

    @property
    def attribution(self) -> str:
        """ "confident", "uncertain" or "none" (see CONFIDENT)."""
        return attribution_state(self.speaker, self.confidence)


@dataclass
class Sentence:
    """One body sentence and the speaker it reports (reported speech), or None."""

    paragraph: int
    start: int
    text: str
    speaker: str | None = None
    confidence: float = 0.0
    rule: str = ""

    @property
    def attribution(self) -> str:
        """ "confident", "uncertain" or "none" (see CONFIDENT)."""
        return attribution_state(self.speaker, self.confidence)


@dataclass
class Event:
    """One event page, normalised."""

    source: str  # the file path or URL it was read from
    url: str | None  # canonical URL
    title: str
    organisation: str | None = None
    venue: str | None = None
    event_date: str | None = None  # YYYY-MM-DD
    published: str | None = None  # YYYY-MM-DD, the page's own publication date
    genre: str | None = None  # "Expert discussion", "Round table", ... as the page says
    place: str | None = None  # "Moscow, Russia": city and country for citations
    site_name: str | None = None
    language: str | None = None
    body_from: str | None = None  # the evidence that gave the paragraphs (extract.py, body.py)
    speakers: list[Speaker] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def to_json(self) -> dict:
        """The `podium extract --json` shape (DESIGN.md), plus extra keys."""
        data = asdict(self)
        data["quotes"] = [dict(asdict(q), attribution=q.attribution) for q in self.quotes]
        data.pop("sentences")
        return data


@dataclass
class Passage:
    """A searchable unit: a quote, a transcript turn, a sentence or a paragraph of an event.

    `id` is stable: the same page ingested again gives the same ids.
    """

    id: str
    event_id: str
    kind: str  # one of vocabulary.PASSAGE_KINDS
    text: str
    paragraph: int
    position: int  # order within the event
    speaker: str | None = None  # display name as given at the event
    speaker_id: str | None = None
    role: str | None = None
    confidence: float = 0.0
    rule: str = ""
    start: int | None = None  # offset in the paragraph


@dataclass
class IndexDoc:
    """One passage with the event fields the index needs: what `index.py` writes."""

    id: str
    event_id: str
    kind: str
    text: str
    paragraph: int
    position: int
    speaker: str | None
    speaker_id: str | None
    speaker_names: list[str]  # every spelling seen for this person, for search
    role: str | None
    confidence: float
    event_title: str
    organisation: str | None
    event_date: str | None  # YYYY-MM-DD
    url: str | None
    version: int = 1
    removed: bool = False  # the source page is gone (404/410); still searchable
    corrected: bool = False  # an editor set the speaker


@dataclass
class CiteRecord:
    """Everything a citation of one passage (or one event page) needs."""

    id: str  # passage id, or event id for a whole page
    title: str  # event title
    url: str | None
    organisation: str | None = None
    site_name: str | None = None
    genre: str | None = None
    place: str | None = None
    event_date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    accessed: str | None = None  # YYYY-MM-DD: fetch time of the version cited
    version: int | None = None
    speaker: str | None = None  # None -> cite the page as a webpage by the organisation
    role: str | None = None
    text: str | None = None  # the quote or passage
    paragraph_text: str | None = None  # the paragraph the text sits in, as the page has it
    kind: str | None = None
    language: str | None = "en"
    confidence: float = 1.0  # of the attribution to `speaker` (an editor's correction: 1.0)


@dataclass
class SearchRequest:
    q: str = ""
    speaker: str | None = None
    org: str | None = None
    date_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    date_to: str | None = None
    kind: str | None = None  # one of vocabulary.SEARCH_KINDS
    sort: str = RELEVANCE  # one of vocabulary.SORTS
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


@dataclass
class SearchHit:
    id: str
    kind: str
    text: str
    highlights: str  # HTML-escaped text with <mark>…</mark>
    score: float
    speaker: dict | None  # {"name", "role", "id"}
    event: dict  # {"id", "title", "date", "url", "organisation"}
    paragraph: int = 0
    confidence: float | None = None
    also: list[dict] = field(default_factory=list)  # the paragraph's other matching quotes/turns
    attribution: str = "none"  # "confident" | "uncertain" | "none" (attribution_state)

    def to_json(self) -> dict:
        return _fields_of(self)


@dataclass
class SearchResponse:
    total: int
    results: list[SearchHit]
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None  # did-you-mean
    page: int = 1
    per_page: int = 10
    unmatched: list[str] = field(default_factory=list)  # query words no passage has
    match: str = "all"  # "all": hits have every word; "any": none had all, so some

    def to_json(self) -> dict:
        return {**_fields_of(self), "results": [hit.to_json() for hit in self.results]}


def _fields_of(obj) -> dict:
    """A dataclass's fields as a dict, values shared, not copied (asdict's deep copy of every
    hit, facet and list was a tenth of a search's time; a response is rendered once)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}
