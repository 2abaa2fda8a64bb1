"""The tantivy engine: the same index as Whoosh's, in tantivy (Rust), behind the same seam.

`index.py` chooses the engine of a home, calls `build` / `update` here for a tantivy index
directory and marks it as one; `query.py` searches whatever the live directory holds, through
`TantivySearcher`: the part of Whoosh's searcher and reader that `query.py` uses (search
under filters, every matching document, term frequencies, the term dictionary, columns).
So the query language, plan, filters, collapsing, facets, highlights, did-you-mean and the
meaning re-rank are `query.py`'s, one code for both engines; only running a query differs.

Same terms: every text field is analysed by Whoosh's own analysers (`analysis.TEXT_ANALYZER`,
`analysis.NAME_ANALYZER`) here in Python and handed to tantivy as space-separated tokens, so a
query term Whoosh's parser makes is the term tantivy stored, positions included (phrases).
Same ranking, nearly: tantivy's BM25 per field, summed; Whoosh's index-time boosts (quotes
over paraphrase, `analysis.substance`, speaker and title field boosts) are applied as the
score factor they give a word found once, the document's through `weight_by_field`.

Documents are numbered 0..n-1 in (segment, doc) order per reader, as Whoosh numbers them;
string columns are kept as 64-bit hashes in fast fields and named from the term dictionary.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from itertools import islice
from pathlib import Path

import numpy as np
import tantivy
from whoosh import query
from whoosh.util.times import datetime_to_long

from . import analysis
from .models import IndexDoc

ANALYSED = ("text", "title", "speaker", "org")  # Whoosh TEXT fields: analysed tokens
KEYS = ("id", "event_id", "kind", "para_key", "speaker_name", "organisation", "year")  # whole
SPELLING = "text_words"  # the passages' whole words, for did-you-mean
COLUMNS = ("para_key", "kind", "speaker_name", "organisation", "year")  # hashed fast fields
STORED = ("id", "event_id", "para_key", "kind", "text", "speaker_name", "speaker_id", "role",
          "title", "organisation", "year", "url", "paragraph", "position", "confidence",
          "version", "removed", "corrected")  # fmt: skip
K1 = 1.2  # BM25, as query.py's Whoosh weighting
# Document weights go through tantivy's log2(2 + w) factor, which is at least 1: every weight
# is scaled by WEIGHT_SCALE first (rank is unchanged) and scores divided by it after.
WEIGHT_SCALE = 3.0
MISSING_DATE = -1
MAX_RANGE_TERMS = 64  # words a `text:[a to b]` range stands for


def _saturated(boost: float) -> float:
    """The score factor an index-time boost gives a word found once (BM25 on a scaled tf)."""
    return boost * (K1 + 1) / (boost + K1)


FIELD_FACTOR = {
    name: _saturated(getattr(f, "field_boost", 1.0)) for name, f in analysis.schema().items()
}


@functools.lru_cache(maxsize=65_536)
def _hash(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest()) >> 1


# --- writing ----------------------------------------------------------------------------------


def _schema():
    sb = tantivy.SchemaBuilder()
    for name in ANALYSED:
        sb.add_text_field(name, tokenizer_name="whitespace")
    sb.add_text_field(SPELLING, tokenizer_name="whitespace", index_option="basic")
    for name in KEYS:
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in COLUMNS:
        sb.add_unsigned_field(f"{name}#", indexed=False, fast=True)
    sb.add_integer_field("date", indexed=False, fast=True)
    sb.add_float_field("weight", indexed=False, fast=True)
    sb.add_bytes_field("stored", stored=True)
    return sb.build()


_SCHEMA = _schema()


def _whole_matches(expression: re.Pattern) -> re.Pattern:
    """The tokenizer's pattern with its groups made non-capturing, for `findall`."""
    return re.compile(re.sub(r"(?<!\\)\((?!\?)", "(?:", expression.pattern), expression.flags)


_WORDS = {
    False: _whole_matches(analysis.TEXT_ANALYZER[0].expression),
    True: _whole_matches(analysis.NAME_ANALYZER[0].expression),
}
_ANALYSED_MAX = 500_000  # words remembered per kind of analysis


class _Analyses(dict):
    """Word -> its tokens, space-separated; a word is analysed the first time it is asked for
    (few distinct words make most of a corpus's)."""

    def __init__(self, names: bool, whole: bool):
        super().__init__()
        self.analyzer = analysis.NAME_ANALYZER if names else analysis.TEXT_ANALYZER
        self.whole = whole

    def __missing__(self, word: str) -> str:
        if len(self) >= _ANALYSED_MAX:
            self.clear()
        tokens = self[word] = " ".join(t.text for t in self.analyzer(word, no_morph=self.whole))
        return tokens


_ANALYSES = {(names, whole): _Analyses(names, whole) for names in (False, True)
             for whole in (False, True)}  # fmt: skip


def analyse(text: str, names: bool = False, whole: bool = False, words=None) -> str:
    """Whoosh's tokens of `text`, space-separated: its tokenizer's words, each analysed once
    per process; `whole`: words as spelled (not stemmed), as Whoosh's spelling list keeps
    them. `words`: the tokenizer's words of `text`, when already found. A word with no token
    leaves two spaces, which tantivy's whitespace tokenizer reads as one."""
    words = _WORDS[names].findall(text) if words is None else words
    return " ".join(map(_ANALYSES[names, whole].__getitem__, words))


@functools.lru_cache(maxsize=65_536)
def _analysed_label(text: str, names: bool) -> str:
    """`analyse` of a title, speaker or organisation: the same few for many passages."""
    return analyse(text, names=names)


@functools.lru_cache(maxsize=65_536)
def _date_values(day: datetime | None) -> tuple[int, str | None]:
    """A passage's date as its column holds it and as its stored document spells it."""
    if day is None:
        return MISSING_DATE, None
    return datetime_to_long(day), day.strftime("%Y-%m-%d")


_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _prepared(doc: IndexDoc) -> dict:
    """What tantivy stores of a passage, field name -> value (made in any process)."""
    fields = analysis.fields_of(doc)
    text = fields["text"]
    words = _WORDS[False].findall(text)
    date, stored_date = _date_values(fields.get("date"))
    stored = {k: fields.get(k) for k in STORED}
    stored["date"] = stored_date
    out = {
        "text": analyse(text, words=words),
        SPELLING: analyse(text, whole=True, words=words),
        "title": _analysed_label(fields["title"], names=False),
        "speaker": _analysed_label(fields["speaker"], names=True),
        "org": _analysed_label(fields["org"], names=True),
    }
    for name in KEYS:
        if fields[name]:
            out[name] = fields[name]
    for name in COLUMNS:
        out[f"{name}#"] = _hash(fields[name])
    out["date"] = date
    out["weight"] = 2 ** (WEIGHT_SCALE * _saturated(fields["_boost"])) - 2
    out["stored"] = _encode_json(stored).encode("utf-8")
    return out


def _prepared_chunk(docs: list[IndexDoc]) -> list[dict]:
    return [_prepared(doc) for doc in docs]


def _document(prepared: dict) -> tantivy.Document:
    return tantivy.Document.from_dict(prepared, _SCHEMA)


CHUNK = 2000  # passages analysed at a time (by each process, in a parallel rebuild)


def _prepared_all(docs: Iterable[IndexDoc], procs: int) -> Iterator[dict]:
    """`_prepared` of every doc, in order; analysed by `procs` processes when more than one
    (Whoosh's analysers are Python: the rest of the work is tantivy's, in its threads)."""
    remaining = iter(docs)
    chunks = iter(lambda: list(islice(remaining, CHUNK)), [])
    # In one process too: tantivy's indexing thread then takes a chunk's documents in one go
    # instead of waking for each (a passage at a time costs a quarter more CPU).
    if procs <= 1:
        for chunk in chunks:
            yield from _prepared_chunk(chunk)
        return
    with ProcessPoolExecutor(procs) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_prepared_chunk, chunk))
            if len(pending) > 2 * procs:  # bounded: memory stays constant
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def build(directory: Path, docs: Iterable[IndexDoc], procs: int = 1) -> int:
    """A new tantivy index of `docs` in the empty `directory`; the number of passages."""
    ix = tantivy.Index(_SCHEMA, path=str(directory), reuse=False)
    writer = ix.writer(heap_size=128_000_000 * max(1, procs), num_threads=max(1, procs))
    count = 0
    for prepared in _prepared_all(docs, procs):
        writer.add_document(_document(prepared))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


def create(directory: Path) -> None:
    build(directory, [])


def update(directory: Path, docs: list[IndexDoc], delete_event_ids) -> None:
    """Replace every passage of the given events with `docs`, in one commit."""
    ix = tantivy.Index.open(str(directory))
    writer = ix.writer(heap_size=64_000_000, num_threads=1)
    try:
        for eid in delete_event_ids:
            writer.delete_documents_by_term("event_id", eid)
        for prepared in _prepared_all(docs, procs=1):
            writer.add_document(_document(prepared))
    except BaseException:
        writer.rollback()
        raise
    writer.commit()
    writer.wait_merging_threads()


# --- reading ----------------------------------------------------------------------------------


class TantivySearcher:
    """A reader of one committed state of a tantivy index, searched as query.py searches
    Whoosh: `search`, `docs_for_query`, `reader()` (terms, frequencies, columns)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.generation = self._stamp()
        self.index = tantivy.Index.open(str(directory))
        self.index.reload()
        self.t = self.index.searcher()
        self.schema = analysis.schema()
        self._schema = self.index.schema
        every = self.t.search(tantivy.Query.all_query(), limit=max(1, self.t.num_docs), count=False)
        addresses = sorted(((a.segment_ord, a.doc) for _, a in every.hits))
        self._addresses = [tantivy.DocAddress(s, d) for s, d in addresses]  # docnum -> address
        self._keys = np.array([(s << 32) | d for s, d in addresses], dtype=np.int64)
        self._columns: dict = {}

    def _stamp(self):
        meta = self.directory / "meta.json"
        return meta.stat().st_mtime_ns if meta.exists() else None

    # the searcher's part
    def up_to_date(self) -> bool:
        return self._stamp() == self.generation

    def doc_count_all(self) -> int:
        return len(self._addresses)

    doc_count = doc_count_all  # no deleted document is ever numbered

    def reader(self):
        return self

    def docnums(self, addresses) -> np.ndarray:
        keys = np.array([(a.segment_ord << 32) | a.doc for a in addresses], dtype=np.int64)
        return np.searchsorted(self._keys, keys)

    def search(self, q, limit=None, filter=None, sortedby=None):
        tq = self._filtered(q, filter)
        size = max(1, self.doc_count_all() if limit is None else min(limit, self.doc_count_all()))
        if sortedby is not None:
            order = tantivy.Order.Desc if sortedby.reverse else tantivy.Order.Asc
            found = self.t.search(tq, size, order_by_field="date", order=order)
            hits = [(0.0, a) for _, a in found.hits]
        else:
            found = self.t.search(tq, size, weight_by_field="weight")
            hits = [(score / WEIGHT_SCALE, a) for score, a in found.hits]
        return Results(self, hits, found.count)

    filters_in_engine = True  # query.py hands docs_for_query its filters (Whoosh: a mask after)

    def docs_for_query(self, q, allowed=None) -> np.ndarray:
        """Every docnum `q` matches within `allowed`'s filters. Counted first, so the top-docs
        collector is as large as the matches, not as the index (a heap of every document
        for each search, at a million passages the most of a search's time)."""
        tq = self._filtered(q, allowed)
        count = self.t.search(tq, 1, count=True).count
        if not count:
            return np.zeros(0, dtype=np.int64)
        found = self.t.search(tq, count, count=False)
        return self.docnums([a for _, a in found.hits])

    def _filtered(self, q, allowed):
        tq = self.translate(q)
        queries = getattr(allowed, "queries", None)
        if not queries:
            return tq
        must = [(tantivy.Occur.Must, tq)]
        for f in queries:
            must.append(
                (tantivy.Occur.Must, tantivy.Query.const_score_query(self.translate(f), 0.0))
            )
        return tantivy.Query.boolean_query(must)

    def stored(self, docnum: int) -> dict:
        doc = self.t.doc(self._addresses[docnum])
        return json.loads(bytes(doc.get_first("stored")))

    # Whoosh's query tree -> tantivy's
    def translate(self, q):
        Q, Occur = tantivy.Query, tantivy.Occur
        if isinstance(q, query.Term):
            if q.fieldname == "date" or q.fieldname not in ANALYSED + KEYS:
                return Q.empty_query()
            return self._boosted(Q.term_query(self._schema, q.fieldname, q.text), q)
        if isinstance(q, query.Phrase):
            words = [w for w in q.words if w]
            if len(words) == 1:
                return self._boosted(Q.term_query(self._schema, q.fieldname, words[0]), q)
            if not words:
                return Q.empty_query()
            return self._boosted(Q.phrase_query(self._schema, q.fieldname, words, q.slop - 1), q)
        if isinstance(q, query.DateRange):
            lo = q.start if q.start is not None else 0
            hi = q.end if q.end is not None else 2**63 - 1
            return Q.range_query(self._schema, "date", tantivy.FieldType.Integer, lo, hi)
        if isinstance(q, query.Every):
            return Q.all_query()
        if isinstance(q, query.Not):
            return Q.boolean_query([(Occur.Must, Q.all_query()),
                                    (Occur.MustNot, self.translate(q.query))])  # fmt: skip
        if isinstance(q, query.AndNot):
            return Q.boolean_query([(Occur.Must, self.translate(q.a)),
                                    (Occur.MustNot, self.translate(q.b))])  # fmt: skip
        if isinstance(q, query.AndMaybe):
            return Q.boolean_query([(Occur.Must, self.translate(q.a)),
                                    (Occur.Should, self.translate(q.b))])  # fmt: skip
        if isinstance(q, (query.And, query.Or, query.DisjunctionMax)):
            occur = Occur.Must if isinstance(q, query.And) else Occur.Should
            parts = []
            for sub in q.subqueries:
                if isinstance(sub, query.Not):
                    parts.append((Occur.MustNot, self.translate(sub.query)))
                else:
                    parts.append((occur, self.translate(sub)))
            if not parts:
                return Q.empty_query()
            if all(o == Occur.MustNot for o, _ in parts):
                parts.append((Occur.Must, Q.all_query()))
            return self._boosted(Q.boolean_query(parts), q)
        if isinstance(q, (query.FuzzyTerm, query.PatternQuery)):  # when not bounded: as typed
            return self.translate(query.Term(q.fieldname, q.text.strip("*?"), boost=q.boost))
        if isinstance(q, query.MultiTerm) and q.field() in ANALYSED:  # a range of words
            words = [w.decode("utf-8") for w in islice(q._btexts(self), MAX_RANGE_TERMS)]
            return self.translate(query.Or([query.Term(q.field(), w) for w in words]))
        return Q.empty_query()  # a term range and the like: nothing in Podium's language

    def _boosted(self, tq, q):
        boost = q.boost * FIELD_FACTOR.get(getattr(q, "fieldname", None) or "", 1.0)
        return tq if boost == 1.0 else tantivy.Query.boost_query(tq, boost)

    # the reader's part
    def doc_frequency(self, field: str, text) -> int:
        if field not in ANALYSED + KEYS:
            return 0
        text = text.decode("utf-8") if isinstance(text, bytes) else text
        return self.t.doc_freq(field, text)

    def _terms(self, field: str, prefix: str) -> list[str]:
        """The field's terms that start with `prefix`, in order (as Whoosh lists them)."""
        if field not in ANALYSED:
            return []
        return sorted(term for term, _ in self.t.terms_with_prefix(field, prefix))

    def expand_prefix(self, field: str, prefix: str):
        return [term.encode("utf-8") for term in self._terms(field, prefix)]

    def lexicon(self, field: str):
        return self.expand_prefix(field, "")

    def terms_from(self, field: str, start):
        start = start.decode("utf-8") if isinstance(start, bytes) else start
        return [(field, term.encode("utf-8")) for term in self._terms(field, "") if term >= start]

    def terms_within(self, field: str, text: str, maxdist: int, prefix: int = 0):
        from rapidfuzz.distance import Levenshtein

        return [term for term in self._terms(field, text[:prefix])
                if Levenshtein.distance(term, text, score_cutoff=maxdist) <= maxdist]  # fmt: skip

    def corrector(self, field: str):
        return _Corrector(self, field)

    def leaf_readers(self):
        return [(self, 0)]

    def has_column(self, field: str) -> bool:
        return field == "date" or field in COLUMNS

    def column_reader(self, field: str, translate: bool = True):
        """Every document's value, by docnum: a date as Whoosh's long (-1: none), a string
        column as its string (para_key as its hash: only equality matters)."""
        if field not in self._columns:
            name = "date" if field == "date" else f"{field}#"
            values = np.array(self._fast(name), dtype=np.int64)
            if field in ("date", "para_key"):
                self._columns[field] = values
            else:
                labels = {_hash(""): ""}
                labels.update(
                    {_hash(term): term for term, _ in self.t.terms_with_prefix(field, "")}
                )
                self._columns[field] = [labels.get(int(v), "") for v in values]
        return self._columns[field]

    def _fast(self, name: str) -> list:
        out: list = []
        step = 50_000
        for start in range(0, len(self._addresses), step):
            out += self.t.fast_field_values(name, self._addresses[start : start + step])
        return out


class _Corrector:
    """Whoosh's reader corrector, over tantivy's term dictionary: whole words within
    `maxdist` edits, those most frequent as a term of the field first (as Whoosh ranks)."""

    def __init__(self, searcher: TantivySearcher, field: str):
        self.searcher, self.field = searcher, field

    def suggest(self, word: str, limit: int = 5, maxdist: int = 2, prefix: int = 0):
        from rapidfuzz.distance import Levenshtein

        t = self.searcher.t
        found = []
        for term, _ in t.terms_with_prefix(SPELLING, word[:prefix]):
            if 0 < Levenshtein.distance(term, word, score_cutoff=maxdist) <= maxdist:
                found.append((-t.doc_freq(self.field, term), term))
        return [term for _, term in sorted(found)[:limit]]


class Hit:
    """One hit, read like Whoosh's: `hit["text"]`, `hit.get("role")`, `hit.score`, `hit.docnum`.
    Kind and paragraph come from the columns; the rest from the stored document, when asked."""

    def __init__(self, searcher: TantivySearcher, docnum: int, score: float):
        self.searcher, self.docnum, self.score = searcher, docnum, score
        self._fields: dict | None = None

    def fields(self) -> dict:
        if self._fields is None:
            self._fields = self.searcher.stored(self.docnum)
            if self._fields.get("date"):
                self._fields["date"] = datetime.fromisoformat(self._fields["date"])
        return self._fields

    def __getitem__(self, name):
        if name in ("kind", "para_key"):
            return self.searcher.column_reader(name)[self.docnum]
        return self.fields()[name]

    def get(self, name, default=None):
        value = self.fields().get(name)
        return default if value is None else value


class Results:
    """Whoosh's Results, as query.py reads them."""

    def __init__(self, searcher: TantivySearcher, hits: list, count: int):
        docnums = searcher.docnums([a for _, a in hits]) if hits else np.zeros(0, dtype=np.int64)
        self.top_n = [(score, int(d)) for (score, _), d in zip(hits, docnums, strict=True)]
        self.searcher, self.count = searcher, count

    def __iter__(self):
        return (Hit(self.searcher, d, s) for s, d in self.top_n)

    def scored_length(self) -> int:
        return len(self.top_n)

    def estimated_length(self) -> int:
        return self.count
