"""Queries: the query language, filters, ranking, collapsing, facets, highlights, did-you-mean.

Query language (Whoosh's parser): words; "exact phrases" (curly “…”, « » and „…“ count as
phrase marks); AND / OR / NOT / -word; word*; word~ (fuzzy); speaker:margoev; org:valdai;
kind:quote; date:2023; date:[2022-01 to 2023-06]. Whatever is pasted is a valid query:
what the parser cannot take falls back to plain words. `speaker:`, `org:`, `kind:` and
`date:` are strict filters, never loosened.

What a search matches, in one definition (`Plan`):

* words the index has never seen are set aside and reported (`unmatched`), and the rest
  searched: "Maryasov sanctions" on an archive without Maryasov shows sanctions, and says so;
* every remaining word must match (`match = "all"`); when no passage has them all, any may
  (`match = "any"`). Queries of four words or more (paraphrases) always take any, ranked
  by meaning too.

Ranking is BM25F over passage text, speaker names and event title, with index-time boosts
for quotes and turns and against chit-chat (`analysis.KIND_BOOST`, `analysis.substance`). A
query word that names a speaker puts that speaker's own words first — quotes, turns, then
reported speech — before passages that only mention the name; the other words count there
only in what the passage reports, not in the role its speaker is billed with (`_says`).

Engines: the searcher is Whoosh's or `tantivy_index.TantivySearcher`, which answers the
same calls (search under filters, every matching document, term frequencies, the term
dictionary, columns); everything here is the same for both.

Collapsing: one hit per paragraph — its best unit — and every other quote or turn of that
paragraph that matched rides along in `also`, so none is hidden. The total counts
paragraphs over every match (not only the page shown, whatever its size), and the facets
count the same paragraphs, each once. Under relevance, a card whose text is a copy of one
above it (the same statement on another page) comes after every card that is not
(`_copies_last`).
"""

from __future__ import annotations

import copy
import functools
import html
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import qparser, query, scoring, sorting
from whoosh.analysis import STOP_WORDS as WHOOSH_STOP_WORDS

from . import analysis, meaning
from . import index as index_mod
from .cite import http_url
from .models import PodiumError, SearchHit, SearchRequest, SearchResponse, attribution_state
from .vocabulary import (
    CLOSE,
    DEFAULT_CHECK_RESULTS,
    EXACT,
    MAX_CHECK_RESULTS,
    MAX_FILTER_CHARS,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    NEWEST,
    NOT_FOUND,
    OWN_WORDS,
    PASSAGE_KINDS,
    QUOTES,
    RELEVANCE,
    SEARCH_KINDS,
    SORTS,
    one_of,
)

# The work one query may cost, past the input limits of vocabulary.py: bounded so that no
# query takes more than about a second on 100,000 passages (bench/query_limits_bench.py).
MAX_QUERY_TERMS = 32  # words searched; the rest of a long paste is ignored
MAX_FUZZY_TERMS = 4  # words~ looked up; later ones are matched as typed
MAX_FUZZY_DISTANCE = 2  # word~5 means word~2
MAX_EXPANSIONS = 32  # index terms one prefix, wildcard or fuzzy word may stand for
MAX_EXPANDED = 96  # ... and all of them together, for one query
MAX_PHRASES = 2  # "exact phrases" matched as phrases; later ones as their words
MAX_SUGGEST_TERMS = 6  # did-you-mean is tried on queries of at most this many words,
MAX_SUGGEST_CHARS = 40  # ... none longer than this (spelling a word costs its length squared)
MAX_STRICT_TERMS = 8  # the rarest this many words must all match ...
MAX_LOOSE_TERMS = 6  # ... and when none does, the rarest this many words may match
COLLAPSE_DEPTH = 400  # hits looked at to fill a page of collapsed results
KIND_TIER = {kind: i for i, kind in enumerate(PASSAGE_KINDS)}  # the more precise unit first

# Function words: matched like any word, never marked in highlights.
STOP_WORDS = WHOOSH_STOP_WORDS | set(
    """about above after again all also am an any because been before being but did do does
    doing down during each few had has having he her here hers him his how i into its me more
    most my no nor only other our ours out over own same she should so some such than then
    there these they those through too under until up very was were what where which while
    who whom why would""".split()
)
_PHRASE_MARKS = str.maketrans({c: '"' for c in "“”„‟«»″"})
_FIELD_ALIASES = {"speaker": "speaker", "org": "org", "kind": "kind", "title": "title"}
_DATE_TERM = re.compile(r"\bdate:(\[[^\]]*\]?|\S+)", re.I)
_POSSESSIVE = re.compile(r"(\w)['’]s\b", re.I)
_SYNTAX = re.compile(r"[\"'():\[\]{}^~*?+\-!/\\]")

# A Whoosh searcher reads its files through shared handles: two threads using one move each
# other's read position (garbled postings under waitress's threads). So each thread keeps its
# own searcher; what is derived from an index generation (filter sets, numpy columns) is
# immutable once built and shared by all threads.
_local = threading.local()
_derived: dict[tuple[str, int], dict] = {}
_derived_lock = threading.Lock()


def _searcher(index_dir: Path):
    """This thread's searcher for the live index, reopened after a commit or a rebuild."""
    # A commit that lands while we look may delete the TOC file we just listed: look again.
    for attempt in range(10):
        try:
            return _open_searcher(index_dir)
        except FileNotFoundError:
            if attempt == 9:
                raise
            time.sleep(0.02)


def _open_searcher(index_dir: Path):
    target = index_mod.live_dir(index_dir)
    if target is None:
        return None
    readers = _local.__dict__.setdefault("readers", {})
    key = str(index_dir)
    cached = readers.get(key)
    if cached and cached[0] == target and cached[1].up_to_date():
        return cached[1]
    with _spare_lock:
        spares = _spare.get(key, [])
        while spares:
            spare = spares.pop()
            if spare[0] == target and spare[1].up_to_date():
                readers[key] = spare
                return spare[1]
    searcher = _new_searcher(target)
    readers[key] = (target, searcher)
    return searcher


def _new_searcher(target: Path):
    """A searcher of the index in `target`, whichever engine wrote it."""
    if index_mod.is_tantivy(target):
        from .tantivy_index import TantivySearcher

        searcher = TantivySearcher(target)
        searcher.podium_generation = (str(target), searcher.generation)
        return searcher
    # A new reader rather than searcher.refresh(): Whoosh's refresh fails on an empty index.
    ix = whoosh_index.open_dir(target)
    searcher = ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
    searcher.podium_generation = (str(target), ix.latest_generation())
    return searcher


# Searchers opened (and searched) ahead by `warm`, each handed whole to the first thread that
# has none: a server's threads never open the index under a user's first query.
_spare: dict[str, list] = {}
_spare_lock = threading.Lock()


def warm(index_dir: Path, requests: list[SearchRequest], readers: int = 1) -> None:
    """Do now what the first searches would wait for: run `requests` (so the columns,
    filters and facets derived from the index are built), open `readers` searchers, each
    searched once, and keep them for the threads that search next."""
    key = str(index_dir)
    opened = []
    for i in range(readers):
        for req in requests if i == 0 else requests[:1]:  # what is derived is shared
            search(index_dir, req)
        held = _local.__dict__.get("readers", {}).pop(key, None)
        if held is not None:
            opened.append(held)
    with _spare_lock:
        _spare[key] = opened


def _cache(searcher, name: str) -> dict:
    """A cache of things derived from the searcher's index generation, shared across threads."""
    with _derived_lock:
        shared = _derived.get(searcher.podium_generation)
        if shared is None:
            while len(_derived) >= 4:  # older generations: superseded by commits
                _derived.pop(next(iter(_derived)))
            shared = _derived[searcher.podium_generation] = {}
        return shared.setdefault(name, {})


# --- parsing --------------------------------------------------------------------------------


def parse_period(value: str | None, end: bool = False) -> datetime | None:
    """YYYY, YYYY-MM or YYYY-MM-DD -> the first (or, with end=True, last) moment of that period."""
    if not value:
        return None
    value = value.strip()
    for fmt, step in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            start = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if not end:
            return start
        if step == "day":
            return start.replace(hour=23, minute=59, second=59, microsecond=999999)
        if step == "month":
            if (start.year, start.month) == (datetime.max.year, 12):
                return datetime.max
            nxt = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
            return nxt - timedelta(microseconds=1)
        if start.year == datetime.max.year:
            return datetime.max
        return start.replace(year=start.year + 1) - timedelta(microseconds=1)
    raise PodiumError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")


def _date_filter(date_from, date_to):
    start, end = parse_period(date_from), parse_period(date_to, end=True)
    if start and end and start > end:
        raise PodiumError(f"the date range is empty: {date_from} is after {date_to}")
    if start or end:
        return query.DateRange("date", start, end)
    return None


def _inline_dates(text: str) -> tuple[str, list]:
    """Pull `date:2023` and `date:[2022-01 to 2023-06]` out of the query text."""
    filters = []

    def take(m: re.Match) -> str:
        value = m.group(1).strip("[]")
        parts = re.split(r"\s+to\s+", value, flags=re.I)
        try:
            if len(parts) == 2:
                f = _date_filter(parts[0] or None, parts[1] or None)
            else:
                f = _date_filter(value, value)
        except PodiumError:
            return " "
        if f is not None:
            filters.append(f)
        return " "

    return _DATE_TERM.sub(take, text), filters


def _parser(schema, group, fields=("text", "speaker", "title")):
    boosts = {"text": 1.0, "speaker": 2.0, "title": 0.5}
    parser = qparser.MultifieldParser(
        list(fields), schema, fieldboosts={f: boosts[f] for f in fields}, group=group
    )
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.BoostPlugin)
    return parser


def _clean(text: str) -> str:
    text = " ".join(text.translate(_PHRASE_MARKS)[:MAX_QUERY_CHARS].split()[:MAX_QUERY_TERMS])
    if text.count('"') % 2:
        text = text[::-1].replace('"', "", 1)[::-1]
    for alias in _FIELD_ALIASES:
        text = re.sub(rf"\b{alias}:\s*(?=\s|$)", " ", text, flags=re.I)
    text = re.sub(r"\b(\w+):(?!\S)", r"\1", text)
    # "Lavrov's" is Lavrov: a lone "s" would match every speaker with the initial S and every
    # possessive; a quoted phrase keeps it, as the page has it
    parts = text.split('"')
    parts[::2] = [_POSSESSIVE.sub(r"\1", part) for part in parts[::2]]
    return '"'.join(parts)


def parse(schema, text: str, group=qparser.AndGroup, fields=("text", "speaker", "title")):
    """User text -> a Whoosh query; never raises (falls back to plain words)."""
    text = _clean(text)
    if not text.strip():
        return None
    try:
        parsed = _parser(schema, group, fields).parse(text)
        if parsed is query.NullQuery or not list(parsed.all_terms()) and not parsed.is_leaf():
            raise ValueError("empty")
        return parsed
    except Exception:  # Whoosh raises many kinds on odd input; plain words always work
        words = _SYNTAX.sub(" ", text).split()
        words = [w for w in words if w.upper() not in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")]
        if not words:
            return None
        try:
            return _parser(schema, group, fields).parse(" ".join(words))
        except Exception:
            return None


def bounded(reader, q):
    """`q` with its open-ended parts made finite: each prefix, wildcard and fuzzy word becomes
    at most MAX_EXPANSIONS index terms (MAX_EXPANDED for the whole query, the words as typed
    once that is spent), fuzzy distance at most MAX_FUZZY_DISTANCE with the first letter
    fixed, and at most MAX_FUZZY_TERMS distinct fuzzy words (later ones are matched as typed);
    after MAX_PHRASES phrases, a phrase's words need only all be there (positions cost)."""
    budget = {"terms": MAX_EXPANDED, "fuzzy": set(), "phrases": MAX_PHRASES * 3}

    def as_typed(node) -> query.Term:
        return query.Term(node.fieldname, node.text.strip("*?"), boost=node.boost)

    def visit(node):
        if isinstance(node, query.Phrase):  # once per searched field
            budget["phrases"] -= 1
            if budget["phrases"] >= 0:
                return node
            return query.And([query.Term(node.fieldname, w, boost=node.boost) for w in node.words])
        if not isinstance(node, (query.FuzzyTerm, query.PatternQuery)):
            return node
        if isinstance(node, query.FuzzyTerm):
            fuzzy = budget["fuzzy"]
            if node.text not in fuzzy and len(fuzzy) >= MAX_FUZZY_TERMS:
                return as_typed(node)
            fuzzy.add(node.text)
            node.maxdist = min(node.maxdist, MAX_FUZZY_DISTANCE)
            node.prefixlength = max(node.prefixlength, 1)  # else every term is compared
        room = min(MAX_EXPANSIONS, budget["terms"])
        if room <= 0 or node.fieldname not in reader.schema:
            return as_typed(node)
        field = reader.schema[node.fieldname]
        words = list(islice(node._btexts(reader), room))
        budget["terms"] -= len(words)
        if not words:
            return as_typed(node)
        words = [w if isinstance(w, str) else field.from_bytes(w) for w in words]
        terms = [query.Term(node.fieldname, w, boost=node.boost) for w in words]
        return terms[0] if len(terms) == 1 else query.Or(terms)

    return q.accept(visit)


def _name_terms(value: str) -> list:
    return [query.Term("speaker", t.text) for t in analysis.NAME_ANALYZER(value)]


def _kind_filter(kind: str) -> query.Query:
    if kind == QUOTES:
        return query.Or([query.Term("kind", k) for k in OWN_WORDS])
    if kind in PASSAGE_KINDS:
        return query.Term("kind", kind)
    raise PodiumError(f"unknown kind {kind!r} (use {one_of(SEARCH_KINDS)})")


def _filters(req: SearchRequest) -> list:
    out = []
    if req.speaker:
        terms = _name_terms(req.speaker)
        if terms:
            out.append(query.And(terms))
    if req.org:
        terms = [query.Term("org", t.text) for t in analysis.NAME_ANALYZER(req.org)]
        if terms:
            out.append(query.And(terms))
    if req.kind:
        out.append(_kind_filter(req.kind))
    date = _date_filter(req.date_from, req.date_to)
    if date is not None:
        out.append(date)
    return out


_FIELD_TERM = re.compile(r'(?<![\w-])(speaker|org|kind):(?:"([^"]*)"|(\S+))', re.I)


def _field_filters(text: str) -> tuple[str, list]:
    """Pull `speaker:`, `org:` and `kind:` out of the query text: strict filters, like the
    options, so that falling back to any word never loosens them."""
    filters = []

    def take(m: re.Match) -> str:
        field, value = m.group(1).lower(), (m.group(2) or m.group(3) or "").strip()
        if field == "speaker":
            terms = _name_terms(value)
        elif field == "org":
            terms = [query.Term("org", t.text) for t in analysis.NAME_ANALYZER(value)]
        else:
            terms = [_kind_filter(value.lower()) if value.lower() in SEARCH_KINDS
                     else query.Term("kind", value.lower())]  # fmt: skip
        if terms:
            filters.append(terms[0] if len(terms) == 1 else query.And(terms))
        return " "

    return _FIELD_TERM.sub(take, text), filters


def check_length(name: str, value: str | None, limit: int) -> None:
    """PodiumError when `value` is longer than `limit` characters."""
    if value and len(value) > limit:
        raise PodiumError(f"the {name} is too long: {len(value):,} characters (at most {limit:,})")


def check_range(name: str, value: int, low: int, high: int) -> None:
    """PodiumError when `value` is not a whole number in [low, high]."""
    if not isinstance(value, int) or not low <= value <= high:
        raise PodiumError(f"{name} must be between {low} and {high}")


def validate(req: SearchRequest) -> None:
    """Raise PodiumError for what no index could answer: a query or filter over its length
    limit, bad paging, sort, kind or dates. The one check of a search request, whoever made
    it (the API, the pages, the CLI, a saved search)."""
    check_length("query", req.q, MAX_QUERY_CHARS)
    check_length("speaker filter", req.speaker, MAX_FILTER_CHARS)
    check_length("organisation filter", req.org, MAX_FILTER_CHARS)
    check_range("page", req.page, 1, MAX_PAGE)
    check_range("per_page", req.per_page, 1, MAX_PER_PAGE)
    if req.sort not in SORTS:
        raise PodiumError(f"sort must be {one_of(SORTS)}")
    _filters(req)


# --- planning: what a query matches ------------------------------------------------------------

_TOKEN = re.compile(r'-?"[^"]*"|\S+')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


@dataclass
class Plan:
    """What one search matches and how it ranks, decided once from the request and the index."""

    words: query.Query | None  # the scored query (None: the filters alone)
    strict: query.Query | None  # every word required (ranked first in meaning mode)
    filters: list
    match: str  # "all": every word; "any": some
    unmatched: list[str]  # query words (or phrases) no passage has
    own: query.Query | None  # the named speakers' own passages with the other words
    by_meaning: bool
    nothing: bool = False  # every word was unmatched: no result
    topic: list[set[str]] | None = None  # in `own`: each other word's text terms


def _is_plain(token: str) -> bool:
    return token.upper() not in _OPERATORS and not _SYNTAX.search(token.strip(".,;!?"))


def _known(reader, word: str) -> bool:
    """Whether any passage text, title or speaker name has this word (any stem, any accent)."""
    for fieldname, analyzer in (("text", analysis.TEXT_ANALYZER), ("title", analysis.TEXT_ANALYZER),
                            ("speaker", analysis.NAME_ANALYZER)):  # fmt: skip
        terms = (
            [t.text for t in analyzer(word, mode="query")]
            if fieldname != "speaker"
            else [t.text for t in analyzer(word)]
        )
        if terms and all(reader.doc_frequency(fieldname, t) for t in terms):
            return True
    return False


def _names(reader, words: list[str]) -> list[str]:
    """The query words that name a speaker: capitalised as a name, or more often a speaker's
    name than a word of the text ("maryasov" is a name; "young" is a word, "Young" a name)."""
    out = []
    for word in words:
        term = _name_term(word)
        if term is None or len(term) < 3:
            continue
        as_speaker = reader.doc_frequency("speaker", term)
        if not as_speaker:
            continue
        stems = [t.text for t in analysis.TEXT_ANALYZER(word, mode="query")]
        in_text = max((reader.doc_frequency("text", t) for t in stems), default=0)
        if word[:1].isupper() or as_speaker >= in_text:
            out.append(term)
    return out


def _name_term(word: str) -> str | None:
    terms = [t.text for t in analysis.NAME_ANALYZER(word)]
    return terms[0] if len(terms) == 1 else None


def plan(searcher, req: SearchRequest) -> Plan:
    """Decide what `req` matches: filters, the words kept, those set aside, the speakers named."""
    text, filters = _inline_dates(req.q or "")
    text, fielded = _field_filters(text)
    filters = _filters(req) + filters + fielded
    text = _clean(text)
    reader = searcher.reader()
    tokens = _TOKEN.findall(text)
    unmatched: list[str] = []
    kept: list[str] = []
    phrases = 0
    for token in tokens:
        bare = token.lstrip("-")
        if _is_plain(bare) and not bare.startswith('"'):
            if not _known(reader, bare.strip(".,;!?")):
                if not token.startswith("-"):
                    unmatched.append(bare.strip(".,;!?"))
                continue
        elif bare.startswith('"') and len(bare) > 2 and phrases < MAX_PHRASES:
            phrases += 1
            phrase = parse(searcher.schema, bare)
            if phrase is not None and not _exists(searcher, phrase):
                if not token.startswith("-"):
                    unmatched.append(bare.strip('"'))
                continue
        kept.append(token)
    plain = [t for t in kept if _is_plain(t)]
    by_meaning = req.sort == RELEVANCE and meaning.wants(plain)
    kept_text = " ".join(kept)
    strict = _words(searcher, kept_text) if kept else None
    if kept and strict is None and unmatched:
        kept = []
    if not kept and unmatched:
        return Plan(None, None, filters, "all", unmatched, None, False, nothing=True)
    words, match = strict, "all"
    strict_found = strict is not None and _any_match(searcher, strict, filters)
    loose = None
    if strict is not None and len(plain) > 1 and (by_meaning or not strict_found):
        loose = _words(searcher, kept_text, qparser.OrGroup.factory(0.9))
        if loose is not None and loose != strict:  # a lone phrase is the same either way
            words = loose
            match = "all" if strict_found else "any"
    own, topic = None, None
    names = _names(reader, plain) if req.sort == RELEVANCE else []
    if names and words is not None:
        named = set(names)
        rest = [t for t in kept if not (_is_plain(t) and _name_term(t) in named)]
        # every other word, in the passage itself (not the event's title): a speaker's
        # passage that has only some of them must not outrank one that has them all
        topic = _words(searcher, " ".join(rest), fields=("text",)) if rest else None
        own = query.And([query.Term("speaker", n) for n in names] + ([topic] if topic else []))
    return Plan(words, strict if strict_found else None, filters, match, unmatched, own, by_meaning,
                topic=_word_terms(topic) if topic is not None else None)  # fmt: skip


def _word_terms(q) -> list[set[str]]:
    """The text terms of each word of `q` (a word's stem, its expansions, a phrase's words)."""
    parts = q.subqueries if isinstance(q, query.And) else [q]
    return [
        {t if isinstance(t, str) else t.decode("utf-8", "ignore")
         for field, t in part.iter_all_terms() if field == "text"}
        for part in parts if not isinstance(part, query.Not)
    ]  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _terms_of(text: str) -> frozenset[str]:
    """The index terms of a short text (a role), as the text field analyses it."""
    return frozenset(t.text for t in analysis.TEXT_ANALYZER(text))


def _says(hit, words: list[set[str]]) -> bool:
    """Whether a passage has every word outside the billing of its own speaker: "Orla
    Feststein, former harbour master, said that …" has "harbour" only in who she is, and
    says nothing about a harbour. The role the page gives its speaker is not their words."""
    role = (hit.get("role") or "").strip()
    if not role or not any(word & _terms_of(role) for word in words if word):
        return True  # the billing holds none of the words: taking it out takes none away
    if role.lower() not in hit["text"].lower():
        return True
    said = re.sub(re.escape(role), " ", hit["text"], flags=re.I)
    terms = {t.text for t in analysis.TEXT_ANALYZER(said)}
    return all(word & terms for word in words if word)


def _words(searcher, text: str, group=qparser.AndGroup, fields=("text", "speaker", "title")):
    """The scored query of some words, its cost bounded (`bounded`, `_rarest`)."""
    words = parse(searcher.schema, text, group, fields)
    if words is not None:
        words = bounded(searcher.reader(), words)
    if isinstance(words, (query.And, query.Or)):
        words = _rarest(searcher.reader(), words)
    return words


def _any_match(searcher, q, filters) -> bool:
    allowed = filter_docs(searcher, filters)
    if allowed is not None and allowed.empty:
        return False
    return _exists(searcher, q, allowed)


def _exists(searcher, q, allowed: Allowed | None = None) -> bool:
    """Whether anything matches `q` (within `allowed`). Whoosh stops at the first match (its
    search for one hit scores every match first: a phrase's positions, all of them, in
    Python); tantivy's search for one hit is that already."""
    if getattr(searcher, "filters_in_engine", False):
        return bool(searcher.search(q, limit=1, filter=allowed).scored_length())
    matcher = q.matcher(searcher)
    while matcher.is_active():
        if allowed is None or matcher.id() in allowed.docs:
            return True
        matcher.next()
    return False


def _rarest(reader, q):
    """`q` with only its rarest words: MAX_STRICT_TERMS of an AND, MAX_LOOSE_TERMS of an OR
    (of those that occur at all). Common words walk most of the index, in Whoosh's Python,
    once per word, and barely narrow an AND or change the order of an OR.

    An AND holds one part per word (the word in each searched field); the parser's OR
    holds each word once per field, the text field first, so there a word is a run of
    parts starting at a text-field part."""
    if isinstance(q, query.And):
        limit, words = MAX_STRICT_TERMS, [[part] for part in q.subqueries]
    else:
        limit, words = MAX_LOOSE_TERMS, []
        for part in q.subqueries:
            if not words or part.field() == "text":
                words.append([])
            words[-1].append(part)
    if len(words) <= limit:
        return q
    sizes = [sum(_size(reader, part) for part in word) for word in words]
    order = sorted(range(len(words)), key=sizes.__getitem__)
    if isinstance(q, query.Or):  # a word found nowhere adds nothing to an OR
        order = [i for i in order if sizes[i]]
    keep = set(order[:limit])
    q = copy.copy(q)
    q.subqueries = [part for i, word in enumerate(words) if i in keep for part in word]
    return q


def _size(reader, part) -> int:
    """How many passages a part matches, about; a NOT is kept whatever it costs (0)."""
    return 0 if isinstance(part, query.Not) else part.estimate_size(reader)


_FILTER_CACHE_SIZE = 64


@dataclass
class Allowed:
    """The documents the filters admit: the filters themselves (tantivy runs them inside
    its query), a mask for counting, and a set of docnums for Whoosh's `filter=`, made only
    when Whoosh asks (at a million passages a date range admits half of them)."""

    queries: list
    mask: np.ndarray

    @functools.cached_property
    def docs(self) -> set[int]:
        return set(np.flatnonzero(self.mask).tolist())

    @functools.cached_property
    def empty(self) -> bool:
        return not self.mask.any()


def _engine_filter(searcher, allowed: Allowed | None):
    """What the engine's `filter=` takes: tantivy the filters, Whoosh the admitted docnums."""
    if allowed is None:
        return None
    return allowed if getattr(searcher, "filters_in_engine", False) else allowed.docs


def filter_docs(searcher, filters: list) -> Allowed | None:
    """What every filter admits, computed once per reader and filter, then reused.

    Speaker, organisation and kind are term postings; a date range is a comparison over the
    cached date column (Whoosh's numeric range walks thousands of terms for a wide range)."""
    if not filters:
        return None
    cache = _cache(searcher, "filters")
    key = repr(filters)
    found = cache.get(key)  # one atomic read: another thread may evict the key at any time
    if found is not None:
        return found
    mask = np.ones(searcher.reader().doc_count_all(), dtype=bool)
    terms = [f for f in filters if not isinstance(f, query.DateRange)]
    if terms:
        admitted = np.zeros_like(mask)
        q = terms[0] if len(terms) == 1 else query.And(terms)
        admitted[np.fromiter(searcher.docs_for_query(q), dtype=np.int64)] = True
        mask &= admitted
    for dates in (f for f in filters if isinstance(f, query.DateRange)):
        days = _date_column(searcher)
        mask &= days >= 0
        if dates.start is not None:
            mask &= days >= dates.start
        if dates.end is not None:
            mask &= days <= dates.end
    found = Allowed(filters, mask)
    with _derived_lock:  # eviction and insertion as one step (threads share the cache)
        while len(cache) >= _FILTER_CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = found
    return found


def _date_column(searcher) -> np.ndarray:
    """The raw date of every docnum (Whoosh's long), -1 where a passage has none."""
    cache = _cache(searcher, "columns")
    if "date:raw" not in cache:
        limit = 2**63 - 1  # a missing value is stored as a number beyond any date
        parts = []
        # Segment by segment: one whose passages all lack a date has no date column at all
        # (and the reader's merged column would then be shorter than the document count).
        for reader, _offset in searcher.reader().leaf_readers():
            if reader.has_column("date"):
                raw = reader.column_reader("date", translate=False)
                parts.append(np.fromiter((v if v < limit else -1 for v in raw), dtype=np.int64))
            else:
                parts.append(np.full(reader.doc_count_all(), -1, dtype=np.int64))
        cache["date:raw"] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return cache["date:raw"]


# --- running --------------------------------------------------------------------------------


def _run(searcher, q, req: SearchRequest, limit: int | None, allowed=None):
    """The best `limit` hits (Whoosh skips what cannot reach them: no counting here)."""
    kwargs = {"limit": limit, "filter": _engine_filter(searcher, allowed)}
    if req.sort != RELEVANCE:
        kwargs["sortedby"] = sorting.FieldFacet("date", reverse=req.sort == NEWEST)
    return searcher.search(q, **kwargs)


def _collapse(hits, by_tier: bool = False) -> list[tuple]:
    """One (hit, other quotes and turns) per paragraph, in the order of its first hit. The hit
    is the paragraph's best (or, with `by_tier`, its most precise: quote, turn, sentence,
    paragraph); every other quote or turn of it that matched rides along, never hidden."""
    out: list[list] = []
    slot: dict[str, int] = {}
    seen: set[int] = set()
    for hit in hits:
        if hit.docnum in seen:
            continue
        seen.add(hit.docnum)
        key = hit["para_key"]
        if key not in slot:
            slot[key] = len(out)
            out.append([hit, []])
            continue
        group = out[slot[key]]
        if by_tier and KIND_TIER[hit["kind"]] < KIND_TIER[group[0]["kind"]]:
            hit, group[0] = group[0], hit
        if hit["kind"] in OWN_WORDS:
            group[1].append(hit)
    return [(hit, also) for hit, also in out]


COPY_MIN_WORDS = 8  # a shorter text on several pages is a common phrase, not a copy


def _cards(ranked: list, req: SearchRequest, shown: int | None = None) -> list[tuple]:
    """The hits as shown: collapsed per paragraph; under relevance, copies after the rest.
    With `shown`, only the first `shown` cards are in their final order (the rest follow)."""
    groups = _collapse(ranked, by_tier=req.sort != RELEVANCE)
    return _copies_last(groups, shown) if req.sort == RELEVANCE else groups


def _copies_last(groups: list[tuple], shown: int | None = None) -> list[tuple]:
    """`groups` in order, but each one whose text is a copy of a group's above it after all
    that are not: the same words, or one text inside the other with at most as many words
    again around it, on another page or paragraph. A statement reported on many pages (a
    syndicated report, boilerplate, the same quote in several write-ups) then takes one
    place among the top results instead of crowding out every other passage; the copies
    are still there, further down. Texts shorter than COPY_MIN_WORDS are never copies.

    With `shown`, the scan stops once `shown` groups are kept: those are the cards a page
    shows, and the groups not read follow them in their own order, before the copies (a
    search reads the texts of one page's worth of hits, not of every hit it collapsed)."""
    kept, copies = [], []
    starting: dict[tuple, list[str]] = {}  # a kept text's first COPY_MIN_WORDS words -> texts
    holding: dict[tuple, list[str]] = {}  # any COPY_MIN_WORDS words in a row -> texts
    for at, group in enumerate(groups):
        if shown is not None and len(kept) >= shown:
            return kept + groups[at:] + copies
        words = _folded(group[0]["text"]).split()
        if len(words) < COPY_MIN_WORDS:
            kept.append(group)
            continue
        runs = [
            tuple(words[i : i + COPY_MIN_WORDS]) for i in range(len(words) - COPY_MIN_WORDS + 1)
        ]
        text = f" {' '.join(words)} "
        inside = (o for o in holding.get(runs[0], ()) if text in o and _near(text, o))
        around = (o for run in runs for o in starting.get(run, ()) if o in text and _near(o, text))
        if next(inside, None) or next(around, None):
            copies.append(group)
            continue
        kept.append(group)
        starting.setdefault(runs[0], []).append(text)
        for run in set(runs):
            holding.setdefault(run, []).append(text)
    return kept + copies


def _near(inner: str, outer: str) -> bool:
    """Whether `outer`, which holds `inner`, has at most as many words again around it."""
    return outer.count(" ") <= 2 * inner.count(" ")


def _tiers(searcher) -> np.ndarray:
    """KIND_TIER of every docnum (quote 0 … paragraph 3), once per index generation."""
    cache = _cache(searcher, "columns")
    if "kind:tier" not in cache:
        ords, labels = _column(searcher, "kind")
        table = np.array([KIND_TIER.get(k, 3) for k in labels] or [3], dtype=np.int8)
        cache["kind:tier"] = table[ords]
    return cache["kind:tier"]


@dataclass
class Matches:
    """Every hit a search has after collapsing (one per paragraph): how many, and facets that
    count each paragraph once, by its most precise matching unit (a quote before a sentence)."""

    total: int
    facets: dict


def _matches(searcher, docs: np.ndarray) -> Matches:
    tier = _tiers(searcher)
    para_ords, _ = _column(searcher, "para_key")
    order = np.lexsort((tier[docs], para_ords[docs]))
    docs = docs[order]
    _, first = np.unique(para_ords[docs], return_index=True)
    units = docs[first]
    facets = {}
    for name, field in FACETS.items():
        ords, labels = _column(searcher, field)
        counts = np.bincount(ords[units], minlength=len(labels))
        present = [(labels[i], int(counts[i])) for i in np.flatnonzero(counts) if labels[i]]
        present.sort(key=lambda kv: (-kv[1], str(kv[0])))
        facets[name] = [[k, v] for k, v in present[:FACET_TOP]]
    return Matches(int(units.size), facets)


def _matching_docs(searcher, words, results, allowed, depth: int) -> np.ndarray:
    """Every docnum the search matches. When the top hits already hold every match (fewer
    than asked for), they are the docnums: no second pass over the postings."""
    if words is None:
        return np.flatnonzero(allowed.mask)
    if results.scored_length() < depth:
        return np.fromiter((docnum for _, docnum in results.top_n), dtype=np.int64)
    if getattr(searcher, "filters_in_engine", False):  # tantivy: only the filtered matches come
        return searcher.docs_for_query(words, allowed)
    docs = np.fromiter(searcher.docs_for_query(words), dtype=np.int64)
    if allowed is not None and docs.size:
        docs = docs[allowed.mask[docs]]
    return docs


def _ranked(searcher, p: Plan, req: SearchRequest, results, allowed, depth: int) -> list:
    """The hits in the order shown, in tiers: a named speaker's own words (quotes, turns, then
    reported speech), then passages with every word, then those with some; each tier
    meaning-re-ranked for long queries."""
    tiers = [list(results)]
    if p.strict is not None and p.words is not p.strict:
        tiers.insert(0, list(_run(searcher, p.strict, req, depth, allowed)))
    if p.own is not None:
        own = [h for h in _run(searcher, p.own, req, depth, allowed) if _says(h, p.topic or [])]
        tiers.insert(0, sorted(own, key=lambda h: (KIND_TIER[h["kind"]], -h.score)))
    if p.by_meaning:
        plain = " ".join(_SYNTAX.sub(" ", _clean(req.q)).split())
        rerank = functools.partial(meaning.rerank, plain, text_of=lambda h: h["text"],
                                   score_of=lambda h: h.score)  # fmt: skip
        tiers = [rerank(tier) for tier in tiers]
    if req.sort != RELEVANCE:  # the same order on every engine: a day's events, in page order
        tiers = [sorted(tier, key=functools.partial(_date_order, req.sort == NEWEST))
                 for tier in tiers]  # fmt: skip
    seen: set[int] = set()
    out = []
    for hit in (h for tier in tiers for h in tier):
        if hit.docnum not in seen:
            seen.add(hit.docnum)
            out.append(hit)
    return out


def _date_order(newest: bool, hit) -> tuple:
    day = hit.get("date")
    ordinal = day.toordinal() if day else 0
    return (day is None, -ordinal if newest else ordinal, hit["event_id"], hit.get("position") or 0)


def _empty(req: SearchRequest, unmatched: list[str] | None = None) -> SearchResponse:
    return SearchResponse(total=0, results=[], facets={}, page=req.page, per_page=req.per_page,
                          unmatched=unmatched or [])  # fmt: skip


def search(index_dir: Path, req: SearchRequest) -> SearchResponse:
    """Run one search: a page of collapsed, highlighted hits with facets and a suggestion."""
    validate(req)
    searcher = _searcher(Path(index_dir))
    if searcher is None or searcher.doc_count_all() == 0:
        return _empty(req)
    p = plan(searcher, req)
    if p.nothing or (p.words is None and not p.filters):
        return _with_suggestion(searcher, req, p, _empty(req, p.unmatched))
    allowed = filter_docs(searcher, p.filters)
    if allowed is not None and allowed.empty:  # Whoosh reads an empty filter as no filter
        return _empty(req, p.unmatched)
    want = req.page * req.per_page
    depth = max(COLLAPSE_DEPTH, want * 4)
    results = _run(searcher, p.words or query.Every(), req, depth, allowed)
    found = _matches(searcher, _matching_docs(searcher, p.words, results, allowed, depth))
    ranked = _ranked(searcher, p, req, results, allowed, depth)
    groups = _cards(ranked, req, shown=want)
    terms = _query_terms(p.words) if p.words is not None else set()
    response = SearchResponse(
        total=found.total,
        results=[_hit(h, terms, also) for h, also in groups[(req.page - 1) * req.per_page : want]],
        facets=found.facets,
        page=req.page,
        per_page=req.per_page,
        unmatched=p.unmatched,
        match=p.match,
    )
    return _with_suggestion(searcher, req, p, response)


def iter_ids(index_dir: Path, req: SearchRequest) -> Iterator[str]:
    """Every matching passage id, collapsed as the search page collapses them, best first."""
    validate(req)
    searcher = _searcher(Path(index_dir))
    if searcher is None:
        return
    p = plan(searcher, req)
    if p.nothing or (p.words is None and not p.filters):
        return
    allowed = filter_docs(searcher, p.filters)
    if allowed is not None and allowed.empty:
        return
    results = _run(searcher, p.words or query.Every(), req, None, allowed)
    ranked = _ranked(searcher, p, req, results, allowed, None)
    for hit, also in _cards(ranked, req):
        yield hit["id"]
        yield from (other["id"] for other in also)


FACETS = {"speaker": "speaker_name", "organisation": "organisation", "year": "year", "kind": "kind"}
FACET_TOP = 15


def _column(searcher, field: str) -> tuple[np.ndarray, list]:
    """A sortable field as (an ordinal per docnum, the value of each ordinal), once per reader."""
    cache = _cache(searcher, "columns")
    if field not in cache:
        ordinal: dict = {}
        values = searcher.reader().column_reader(field)
        ords = np.fromiter((ordinal.setdefault(v, len(ordinal)) for v in values), dtype=np.int32)
        cache[field] = (ords, list(ordinal))
    return cache[field]


# --- did you mean -------------------------------------------------------------------------------

MAX_SUGGESTION_TRIES = 12  # candidate spellings counted per query, at most


def _with_suggestion(searcher, req: SearchRequest, p: Plan, response: SearchResponse):
    if response.total <= 3 and req.q:
        response.suggestion = _suggest(searcher, req, p, response.total)
    return response


def _suggest(searcher, req: SearchRequest, p: Plan, total: int) -> str | None:
    """A respelling of the query that matches more: each word no passage has (`p.unmatched`)
    replaced by a whole word of the passages' text within two edits, kept only when the
    query then finds more than it did."""
    text = _clean(_field_filters(_inline_dates(req.q)[0])[0])
    words = [w for w in _TOKEN.findall(text) if _is_plain(w)]
    if not words or len(words) > MAX_SUGGEST_TERMS or any(c in text for c in "*?~"):
        return None
    from rapidfuzz.distance import Levenshtein

    corrector = searcher.reader().corrector("text")
    allowed = filter_docs(searcher, p.filters)
    unmatched = {w.lower() for w in p.unmatched}
    tries = 0
    best, best_count = None, total
    for word in words:
        bare = word.strip(".,;!?")
        if not 3 <= len(bare) <= MAX_SUGGEST_CHARS or bare.lower() not in unmatched:
            continue
        found = corrector.suggest(bare.lower(), limit=4, maxdist=2 if len(bare) > 5 else 1)
        for candidate in sorted(found, key=lambda c: Levenshtein.distance(c, bare.lower())):
            if tries >= MAX_SUGGESTION_TRIES:
                break
            tries += 1
            respelled = re.sub(rf"(?<!\w){re.escape(bare)}(?!\w)", candidate, text, count=1)
            q = parse(searcher.schema, respelled)
            if q is None:
                continue
            count = searcher.search(q, limit=1, filter=_engine_filter(searcher, allowed))
            count = count.estimated_length() if count.scored_length() else 0
            if count > best_count:
                best, best_count = respelled, count
                text = respelled
                break
    return best if best and best.strip() != _clean(req.q).strip() else None


# --- results --------------------------------------------------------------------------------


def _query_terms(q) -> set[str]:
    """The text and title terms of a parsed query (what a hit's highlights look for)."""
    return {
        value if isinstance(value, str) else value.decode("utf-8", "ignore")
        for field, value in q.iter_all_terms()
        if field in ("text", "title")
    }


def highlight(text: str, terms: set[str], whole: bool = True) -> str:
    """Escaped text with the matching words in <mark>; for long text, the sentences that match."""
    marks = []
    if terms - STOP_WORDS:
        terms = terms - STOP_WORDS  # "the", "we", "about" match but are not worth marking
    if terms:
        for tok in analysis.TEXT_ANALYZER(text, chars=True, mode="query"):
            if tok.text in terms:
                marks.append((tok.startchar, tok.endchar))
    if not whole and marks and len(text) > 400:
        sentences = [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]*\s*", text)]
        keep = [s for s in sentences if any(s[0] <= a < s[1] for a, _ in marks)]
        pieces = []
        for s, e in keep[:3]:
            pieces.append(
                _mark(text[s:e].strip(), [(a - s, b - s) for a, b in marks if s <= a < e])
            )
        return " … ".join(pieces)
    return _mark(text, marks)


def _mark(text: str, marks: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for a, b in sorted(marks):
        if a < pos:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _hit(h, terms: set[str], also: list | None = None) -> SearchHit:
    date = h.get("date")
    speaker = None
    if h.get("speaker_name"):
        speaker = {"name": h["speaker_name"], "role": h.get("role"), "id": h.get("speaker_id")}
    return SearchHit(
        id=h["id"],
        kind=h["kind"],
        text=h["text"],
        highlights=highlight(h["text"], terms, whole=h["kind"] != "paragraph"),
        score=round(float(h.score or 0.0), 4),
        speaker=speaker,
        event={
            "id": h["event_id"],
            "title": h.get("title"),
            "date": date.strftime("%Y-%m-%d") if date else None,
            "url": http_url(h.get("url")),
            "organisation": h.get("organisation") or None,
        },
        paragraph=h.get("paragraph", 0),
        confidence=h.get("confidence"),
        also=[_hit(other, terms).to_json() for other in also or []],
        # an editor's correction is indexed with confidence 1.0
        attribution=attribution_state(h.get("speaker_name"), h.get("confidence") or 0.0),
    )


# --- quote check ------------------------------------------------------------------------------


def word_diff(original: str, pasted: str) -> list[dict]:
    """Word-level differences: [{"op": "same"|"added"|"removed", "text": ...}] from pasted to original."""
    import difflib

    a, b = pasted.split(), original.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append({"op": "same", "text": " ".join(b[j1:j2])})
            continue
        if i2 > i1:
            out.append({"op": "removed", "text": " ".join(a[i1:i2])})
        if j2 > j1:
            out.append({"op": "added", "text": " ".join(b[j1:j2])})
    return out


CLOSE_COVERAGE = 0.45  # share of the pasted content words an original must hold to be "close"


def _content_stems(text: str) -> set[str]:
    return {t.text for t in analysis.TEXT_ANALYZER(text, mode="query")} - STOP_WORDS


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.translate(_PHRASE_MARKS).lower()).split())


def check(index_dir: Path, text: str, limit: int = DEFAULT_CHECK_RESULTS) -> dict:
    """Did anyone on stage say this? `{"verdict": "exact" | "close" | "not found", "matches"}`:
    the original quotes closest to a pasted, possibly misremembered one, best first.

    "exact": a passage holds the pasted words as they are (case and punctuation aside);
    "close": the best original holds at least CLOSE_COVERAGE of the pasted content words
    (tuned on the dev set's misquotes against made-up statements nobody made: misquotes
    hold 0.5-1.0 of their words, the made-up ones at most a third); else "not found", and
    the nearest passages are still listed for the reader to judge."""
    from rapidfuzz import fuzz

    check_length("quote", text, MAX_QUERY_CHARS)
    check_range("limit", limit, 1, MAX_CHECK_RESULTS)
    text = " ".join(text.split())
    searcher = _searcher(Path(index_dir))
    nothing = {"verdict": NOT_FOUND, "matches": []}
    if searcher is None or not text:
        return nothing
    words = _SYNTAX.sub(" ", text.translate(_PHRASE_MARKS)).split()[:MAX_QUERY_TERMS]
    if not words:
        return nothing
    q = _parser(searcher.schema, qparser.OrGroup.factory(0.9)).parse(" ".join(words))
    kinds = query.Or([query.Term("kind", k) for k in (*OWN_WORDS, "sentence")])
    pasted, stems = _folded(text), _content_stems(text)
    candidates = []
    for hit in searcher.search(query.And([q, kinds]), limit=60):
        similarity = fuzz.token_set_ratio(text.lower(), hit["text"].lower()) / 100
        similarity = (similarity + fuzz.ratio(text.lower(), hit["text"].lower()) / 100) / 2
        coverage = len(stems & _content_stems(hit["text"])) / max(1, len(stems))
        exact = bool(pasted) and pasted in _folded(hit["text"])
        candidates.append((exact, (similarity + coverage) / 2, similarity, coverage, hit))
    candidates.sort(key=lambda c: (not c[0], -c[1], c[4]["kind"] != "quote"))
    out, seen = [], set()
    for exact, _, similarity, coverage, hit in candidates:
        if hit["para_key"] in seen:
            continue
        seen.add(hit["para_key"])
        found = _hit(hit, set())
        out.append({
            "id": found.id, "kind": found.kind, "text": found.text, "exact": exact,
            "similarity": round(similarity, 3), "coverage": round(coverage, 3),
            "diff": word_diff(found.text, text), "speaker": found.speaker, "event": found.event,
        })  # fmt: skip
        if len(out) >= limit:
            break
    verdict = NOT_FOUND
    if out and out[0]["exact"]:
        verdict = EXACT
    elif out and out[0]["coverage"] >= CLOSE_COVERAGE:
        verdict = CLOSE
    return {"verdict": verdict, "matches": out}
