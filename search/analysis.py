"""What both index engines share: the passage document's fields, the analysers that turn text
into terms, and the ranking priors.

Fields: passage text (stemmed, accent- and case-folded), speaker (every spelling, folded),
event title, organisation, kind, date (DATETIME) and year for facets. Quotes and turns get a
document boost over paraphrase, so for the same words the speaker's own words rank first, and
greetings, thanks and bare questions a boost below one (`substance`).

`index.py` (which engine, writing, rebuilding) and `tantivy_index.py` (the tantivy engine)
both import this module; `query.py` analyses query words with the same analysers.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime

from whoosh import fields
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.support.charset import accent_map

from .models import IndexDoc

TEXT_ANALYZER = StemmingAnalyzer(stoplist=None, minsize=1) | CharsetFilter(accent_map)
NAME_ANALYZER = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)
KIND_BOOST = {"quote": 1.3, "turn": 1.25, "sentence": 1.1, "paragraph": 1.0}
# Chit-chat: a host's greeting, thanks, housekeeping or bare question says little on its own.
_CHIT_CHAT = re.compile(
    r"^\W*(?:[A-Z][^:.!?]{0,40}:\s*)?(?:welcome|thanks?\b|thank\s+you|good\s+(?:morning|afternoon|evening)|hello|hi\b|"
    r"ladies\s+and\s+gentlemen|let\s+me\s+(?:introduce|welcome|start|turn|hand)|"
    r"it(?:'|’)?s\s+(?:a|my)\s+(?:great\s+)?pleasure|(?:our|the)\s+next\s+(?:speaker|question)|"
    r"(?:we|i)(?:'|’)ll\s+(?:now|start|begin)|please\s+(?:join|welcome))",
    re.I,
)


def schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        event_id=fields.ID(stored=True),
        para_key=fields.ID(stored=True, sortable=True),
        kind=fields.ID(stored=True, sortable=True),
        text=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, phrase=True, spelling=True),
        speaker=fields.TEXT(analyzer=NAME_ANALYZER, field_boost=2.0, spelling=True),
        speaker_name=fields.ID(stored=True, sortable=True),
        speaker_id=fields.ID(stored=True),
        role=fields.STORED,
        title=fields.TEXT(analyzer=TEXT_ANALYZER, stored=True, field_boost=0.5),
        org=fields.TEXT(analyzer=NAME_ANALYZER),
        organisation=fields.ID(stored=True, sortable=True),
        date=fields.DATETIME(stored=True, sortable=True),
        year=fields.ID(stored=True, sortable=True),
        url=fields.STORED,
        paragraph=fields.NUMERIC(stored=True),
        position=fields.NUMERIC(stored=True),
        confidence=fields.NUMERIC(float, stored=True),
        version=fields.STORED,
        removed=fields.BOOLEAN(stored=True),
        corrected=fields.BOOLEAN(stored=True),
    )


def substance(text: str) -> float:
    """A ranking prior in (0, 1]: statements over greetings, thanks and short questions, so
    that for the same words a panellist's argument ranks above a host's "Who pays for it?"."""
    words = len(text.split())
    factor = 0.6 if words < 6 else 0.85 if words < 12 else 1.0
    if words < 25 and text.rstrip(" ”\"'’").endswith("?"):
        factor *= 0.7
    if _CHIT_CHAT.match(text):
        factor *= 0.6
    return factor


@functools.lru_cache(maxsize=65_536)
def _day(date: str) -> datetime | None:
    """The day of an event's "YYYY-MM-DD" date; None when it is not one."""
    try:
        return datetime.strptime(date, "%Y-%m-%d")
    except ValueError:
        return None


def fields_of(doc: IndexDoc) -> dict:
    """The field values of a passage's document, its boost (`_boost`) included."""
    day = _day(doc.event_date[:10]) if doc.event_date else None
    names = list(dict.fromkeys([doc.speaker, *doc.speaker_names] if doc.speaker else []))
    out = dict(
        id=doc.id,
        event_id=doc.event_id,
        para_key=f"{doc.event_id}:{doc.paragraph}",
        kind=doc.kind,
        text=doc.text,
        speaker=" ".join(names),
        speaker_name=doc.speaker or "",
        speaker_id=doc.speaker_id or "",
        role=doc.role,
        title=doc.event_title or "",
        org=doc.organisation or "",
        organisation=doc.organisation or "",
        year=doc.event_date[:4] if doc.event_date else "",
        url=doc.url,
        paragraph=doc.paragraph,
        position=doc.position,
        confidence=float(doc.confidence or 0.0),
        version=doc.version,
        removed=doc.removed,
        corrected=doc.corrected,
        _boost=KIND_BOOST.get(doc.kind, 1.0) * substance(doc.text),
    )
    if day:
        out["date"] = day
    return out
