"""Queries: the query language, filters, ranking, collapsing, facets, highlights, did-you-mean.

Query language (Whoosh's parser): words; "exact phrases" (curly “…”, « » and „…“ count as
phrase marks); AND / OR / NOT / -word; word*; word~ (fuzzy); speaker:margoev; org:valdai;
kind:quote; date:2023; date:[2022-01 to 2023-06]. Whatever is pasted is a valid query:
what the parser cannot take falls back to plain words.

Ranking is BM25F over passage text, speaker names and event title, with quotes and turns
boosted at index time. All words must match when they can; otherwise any may (longer matches
first). Results are collapsed to one per paragraph — the best-scoring unit of it — so a
paragraph, its sentences and its quotes never crowd the page.
"""

from __future__ import annotations

import copy
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
from whoosh import qparser, query, scoring, sorting

from . import index as index_mod
from . import meaning
from .cite import http_url
from .models import PodiumError, SearchHit, SearchRequest, SearchResponse

MAX_PER_PAGE = 100
# The limits of one query. Longer input is refused (a 400 on the web, exit status 2 on the
# command line); under them, the work is bounded so that no query takes more than about a
# second on 100,000 passages (bench/query_limits_bench.py measures the worst cases).
MAX_QUERY_CHARS = 1000  # the query text, or a quote pasted into check
MAX_FILTER_CHARS = 200  # a speaker or organisation filter
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

_PHRASE_MARKS = str.maketrans({c: '"' for c in "“”„‟«»″"})
_FIELD_ALIASES = {"speaker": "speaker", "org": "org", "kind": "kind", "title": "title"}
_DATE_TERM = re.compile(r"\bdate:(\[[^\]]*\]?|\S+)", re.I)
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
    # A new reader rather than searcher.refresh(): Whoosh's refresh fails on an empty index.
    ix = index_mod.open_index(index_dir)
    searcher = ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
    searcher.podium_generation = (str(target), ix.latest_generation())
    readers[key] = (target, searcher)
    return searcher


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


def _parser(schema, group):
    parser = qparser.MultifieldParser(
        ["text", "speaker", "title"], schema, fieldboosts={"text": 1.0, "speaker": 2.0, "title": 0.5},
        group=group,
    )  # fmt: skip
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.BoostPlugin)
    return parser


def _clean(text: str) -> str:
    text = " ".join(text.translate(_PHRASE_MARKS)[:MAX_QUERY_CHARS].split()[:MAX_QUERY_TERMS])
    if text.count('"') % 2:
        text = text[::-1].replace('"', "", 1)[::-1]
    for alias in _FIELD_ALIASES:
        text = re.sub(rf"\b{alias}:\s*(?=\s|$)", " ", text, flags=re.I)
    return re.sub(r"\b(\w+):(?!\S)", r"\1", text)


def parse(schema, text: str, group=qparser.AndGroup):
    """User text -> a Whoosh query; never raises (falls back to plain words)."""
    text = _clean(text)
    if not text.strip():
        return None
    try:
        parsed = _parser(schema, group).parse(text)
        if parsed is query.NullQuery or not list(parsed.all_terms()) and not parsed.is_leaf():
            raise ValueError("empty")
        return parsed
    except Exception:  # Whoosh raises many kinds on odd input; plain words always work
        words = _SYNTAX.sub(" ", text).split()
        words = [w for w in words if w.upper() not in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")]
        if not words:
            return None
        try:
            return _parser(schema, group).parse(" ".join(words))
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


def _filters(req: SearchRequest) -> list:
    out = []
    if req.speaker:
        words = index_mod.NAME_ANALYZER(req.speaker)
        terms = [query.Term("speaker", t.text) for t in words]
        if terms:
            out.append(query.And(terms))
    if req.org:
        terms = [query.Term("org", t.text) for t in index_mod.NAME_ANALYZER(req.org)]
        if terms:
            out.append(query.And(terms))
    if req.kind:
        if req.kind == "quotes":
            out.append(query.Or([query.Term("kind", "quote"), query.Term("kind", "turn")]))
        elif req.kind in ("quote", "turn", "sentence", "paragraph"):
            out.append(query.Term("kind", req.kind))
        else:
            raise PodiumError(
                f"unknown kind {req.kind!r} (quote, turn, sentence, paragraph, quotes)"
            )
    date = _date_filter(req.date_from, req.date_to)
    if date is not None:
        out.append(date)
    return out


def check_length(name: str, value: str | None, limit: int) -> None:
    """PodiumError when `value` is longer than `limit` characters."""
    if value and len(value) > limit:
        raise PodiumError(f"the {name} is too long: {len(value):,} characters (at most {limit:,})")


def validate(req: SearchRequest) -> None:
    """Raise PodiumError for what no index could answer: a query or filter over its length
    limit, bad paging, sort, kind or dates."""
    check_length("query", req.q, MAX_QUERY_CHARS)
    check_length("speaker filter", req.speaker, MAX_FILTER_CHARS)
    check_length("organisation filter", req.org, MAX_FILTER_CHARS)
    if not isinstance(req.page, int) or req.page < 1:
        raise PodiumError("page must be 1 or more")
    if not isinstance(req.per_page, int) or not 1 <= req.per_page <= MAX_PER_PAGE:
        raise PodiumError(f"per_page must be between 1 and {MAX_PER_PAGE}")
    if req.sort not in ("relevance", "newest", "oldest"):
        raise PodiumError("sort must be relevance, newest or oldest")
    _filters(req)


def split_query(searcher, req: SearchRequest, group=qparser.AndGroup):
    """(the scored query of the words or None, the filter queries) of a search."""
    text, inline = _inline_dates(req.q or "")
    words = parse(searcher.schema, text, group)
    if words is not None:
        words = bounded(searcher.reader(), words)
    if isinstance(words, (query.And, query.Or)):
        words = _rarest(searcher.reader(), words)
    return words, _filters(req) + inline


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
    """The documents the filters admit: a set for Whoosh's `filter=`, a mask for counting."""

    docs: set
    mask: np.ndarray


def filter_docs(searcher, filters: list) -> Allowed | None:
    """What every filter admits, computed once per reader and filter, then reused.

    Speaker, organisation and kind are term postings; a date range is a comparison over the
    cached date column (Whoosh's numeric range walks thousands of terms for a wide range)."""
    if not filters:
        return None
    cache = _cache(searcher, "filters")
    key = repr(filters)
    if key not in cache:
        if len(cache) >= _FILTER_CACHE_SIZE:
            cache.pop(next(iter(cache)))
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
        cache[key] = Allowed(set(np.flatnonzero(mask).tolist()), mask)
    return cache[key]


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
    kwargs = {"limit": limit, "filter": allowed.docs if allowed is not None else None}
    if req.sort != "relevance":
        kwargs["sortedby"] = sorting.FieldFacet("date", reverse=req.sort == "newest")
    return searcher.search(q, **kwargs)


def _collapsed(hits, seen: set[str]) -> list:
    out = []
    for hit in hits:
        key = hit["para_key"]
        if key in seen:
            continue
        seen.add(key)
        out.append(hit)
    return out


def search(index_dir: Path, req: SearchRequest) -> SearchResponse:
    """Run one search: a page of collapsed, highlighted hits with facets and a suggestion."""
    validate(req)
    searcher = _searcher(Path(index_dir))
    empty = SearchResponse(total=0, results=[], facets={}, page=req.page, per_page=req.per_page)
    if searcher is None or searcher.doc_count_all() == 0:
        return empty
    words, filters = split_query(searcher, req)
    if words is None and not filters:
        return empty
    allowed = filter_docs(searcher, filters)
    if allowed is not None and not allowed.docs:  # Whoosh reads an empty filter as no filter
        return empty
    want = req.page * req.per_page
    depth = max(COLLAPSE_DEPTH, want * 4)
    results = _run(searcher, words or query.Every(), req, depth, allowed)
    seen: set[str] = set()
    groups = _collapsed(results, seen)
    counted = (words, results)
    plain = _SYNTAX.sub(" ", _clean(req.q)).split()
    by_meaning = req.sort == "relevance" and meaning.wants(plain)
    if (len(groups) < want or by_meaning) and words is not None and len(req.q.split()) > 1:
        loose, _ = split_query(searcher, req, qparser.OrGroup.factory(0.9))
        if loose is not None and loose != words:  # a lone phrase is the same either way
            loose_results = _run(searcher, loose, req, depth, allowed)
            if not groups:  # counts describe the strict matches when there are any
                counted = (loose, loose_results)
            groups += _collapsed(loose_results, seen)
    if by_meaning:
        groups = meaning.rerank(
            " ".join(plain), groups, lambda hit: hit["text"], lambda hit: hit.score
        )
    paragraphs, facets = _counts(searcher, *counted, allowed, depth)
    total = max(paragraphs, len(groups))
    page = groups[(req.page - 1) * req.per_page : want]
    terms = _query_terms(words) if words is not None else set()
    hits = [_hit(h, terms) for h in page]
    return SearchResponse(
        total=total,
        results=hits,
        facets=facets,
        suggestion=_suggest(searcher, req, total),
        page=req.page,
        per_page=req.per_page,
    )


def iter_ids(index_dir: Path, req: SearchRequest) -> Iterator[str]:
    """Every matching passage id (collapsed per paragraph), best first, for exports."""
    validate(req)
    searcher = _searcher(Path(index_dir))
    if searcher is None:
        return
    words, filters = split_query(searcher, req)
    if words is None and not filters:
        return
    allowed = filter_docs(searcher, filters)
    if allowed is not None and not allowed.docs:
        return
    seen: set[str] = set()
    for hit in _run(searcher, words or query.Every(), req, None, allowed):
        if hit["para_key"] not in seen:
            seen.add(hit["para_key"])
            yield hit["id"]


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


def _counts(searcher, words, results, allowed, depth: int) -> tuple[int, dict]:
    """(distinct paragraphs matched, facet counts) over every match, not only the page shown:
    the matching docnums once, then a bincount per facet over cached columns. When the top
    hits already hold every match, they are the docnums (no second pass over the postings)."""
    if words is None:
        docs = np.flatnonzero(allowed.mask)
    elif results.scored_length() < depth:  # fewer than asked for: nothing was skipped
        docs = np.fromiter((docnum for _, docnum in results.top_n), dtype=np.int64)
    else:
        docs = np.fromiter(searcher.docs_for_query(words), dtype=np.int64)
        if allowed is not None and docs.size:
            docs = docs[allowed.mask[docs]]
    facets = {}
    for name, field in FACETS.items():
        ords, labels = _column(searcher, field)
        counts = np.bincount(ords[docs], minlength=len(labels))
        present = [(labels[i], int(counts[i])) for i in np.flatnonzero(counts) if labels[i]]
        present.sort(key=lambda kv: (-kv[1], str(kv[0])))
        facets[name] = [[k, v] for k, v in present[:FACET_TOP]]
    para_ords, _ = _column(searcher, "para_key")
    return int(np.unique(para_ords[docs]).size), facets


def _suggest(searcher, req: SearchRequest, total: int) -> str | None:
    if not req.q or total > 3:
        return None
    text, _ = _inline_dates(_clean(req.q))
    words = text.split()
    if len(words) > MAX_SUGGEST_TERMS or any(len(w) > MAX_SUGGEST_CHARS for w in words):
        return None
    if any(c in text for c in "*?~"):
        return None
    try:
        parsed = parse(searcher.schema, text)
        if parsed is None:
            return None
        corrected = searcher.correct_query(parsed, text, maxdist=2)
    except Exception:
        return None
    if corrected.query != parsed and corrected.string.strip() != text.strip():
        return corrected.string
    return None


# --- results --------------------------------------------------------------------------------


def _query_terms(q) -> set[str]:
    terms = set()
    try:
        for field, value in q.iter_all_terms():
            if field in ("text", "title"):
                terms.add(value if isinstance(value, str) else value.decode("utf-8", "ignore"))
    except Exception:
        pass
    return terms


def highlight(text: str, terms: set[str], whole: bool = True) -> str:
    """Escaped text with the matching words in <mark>; for long text, the sentences that match."""
    marks = []
    if terms:
        for tok in index_mod.TEXT_ANALYZER(text, chars=True, mode="query"):
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


def _hit(h, terms: set[str]) -> SearchHit:
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


def check(index_dir: Path, text: str, limit: int = 5) -> list[dict]:
    """The original quotes closest to a pasted, possibly misremembered one, best first."""
    from rapidfuzz import fuzz

    check_length("quote", text, MAX_QUERY_CHARS)
    text = " ".join(text.split())
    searcher = _searcher(Path(index_dir))
    if searcher is None or not text:
        return []
    words = _SYNTAX.sub(" ", text.translate(_PHRASE_MARKS)).split()[:MAX_QUERY_TERMS]
    if not words:
        return []
    q = _parser(searcher.schema, qparser.OrGroup.factory(0.9)).parse(" ".join(words))
    kinds = query.Or([query.Term("kind", k) for k in ("quote", "turn", "sentence")])
    candidates = []
    for hit in searcher.search(query.And([q, kinds]), limit=60):
        similarity = fuzz.token_set_ratio(text.lower(), hit["text"].lower()) / 100
        similarity = (similarity + fuzz.ratio(text.lower(), hit["text"].lower()) / 100) / 2
        candidates.append((similarity, hit))
    candidates.sort(key=lambda c: (-c[0], c[1]["kind"] != "quote"))
    out, seen = [], set()
    for similarity, hit in candidates:
        if hit["para_key"] in seen:
            continue
        seen.add(hit["para_key"])
        found = _hit(hit, set())
        out.append({
            "id": found.id, "kind": found.kind, "text": found.text,
            "similarity": round(similarity, 3), "diff": word_diff(found.text, text),
            "speaker": found.speaker, "event": found.event,
        })  # fmt: skip
        if len(out) >= limit:
            break
    return out
