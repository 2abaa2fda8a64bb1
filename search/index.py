"""The Whoosh index: a view of the store, written incrementally or rebuilt whole.

`index_dir` (home/index) is a symlink to the live index directory. Writers — an update or a
rebuild — take `index.lock` beside it first: one writer at a time, a second one waits (and
gives up with a plain message after `WRITE_WAIT` seconds), so a rebuild never drops what an
ingest wrote meanwhile. An update commits into the live directory (readers keep seeing the
last commit). A rebuild writes a complete new index beside it and swaps the symlink
atomically, so searches during a rebuild never fail and never see a half-built index; the
replaced directory is removed by the next rebuild, not under the feet of a running search.

Fields: passage text (stemmed, accent- and case-folded), speaker (every spelling, folded),
event title, organisation, kind, date (DATETIME) and year for facets. Quotes and turns get a
document boost over paraphrase, so for the same words the speaker's own words rank first, and
greetings, thanks and bare questions a boost below one (`substance`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from whoosh import fields, index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.codec import whoosh3
from whoosh.support.charset import accent_map
from whoosh.writing import LockError

from .config import ENGINES, Home, default_engine, load_config
from .models import IndexDoc, PodiumError

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
WRITE_WAIT = 120.0  # seconds a writer waits for another to finish


def _cached_length_reader(self, fieldname, column):
    """Whoosh 2.7 forgets that a field has no length column and asks the disk again for
    every posting (a stat() each: a third of indexing time). Remember the answer."""
    if fieldname not in self._readers:
        found = self.has_column(fieldname)
        self._readers[fieldname] = self.column_reader(fieldname, column) if found else None
    return self._readers[fieldname]


whoosh3.W3PerDocReader._cached_reader = _cached_length_reader


@contextlib.contextmanager
def writing(index_dir: Path, wait: float | None = None):
    """Hold the index's write lock (an flock: freed by the OS if the holder dies)."""
    wait = WRITE_WAIT if wait is None else wait
    path = Path(index_dir).parent / f"{Path(index_dir).name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise PodiumError(
                        f"the index is being written by another process (pid {holder}: an "
                        f"ingest, crawl or rebuild); waited {wait:.0f} s, try again later"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


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


def _fields(doc: IndexDoc) -> dict:
    day = None
    if doc.event_date:
        try:
            day = datetime.strptime(doc.event_date[:10], "%Y-%m-%d")
        except ValueError:
            day = None
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


def live_dir(index_dir: Path) -> Path | None:
    """The directory the index symlink points at, or None when there is no index yet."""
    index_dir = Path(index_dir)
    if index_dir.is_symlink() or index_dir.is_dir():
        target = index_dir.resolve()
        if is_tantivy(target) or index.exists_in(target):
            return target
    return None


TANTIVY_MARKER = "podium-engine"  # a file in a tantivy index directory


def is_tantivy(directory: Path) -> bool:
    """Whether an index directory holds a tantivy index (else Whoosh's)."""
    return (Path(directory) / TANTIVY_MARKER).is_file()


def engine_of(index_dir: Path) -> str | None:
    """The engine of the live index ("whoosh" or "tantivy"); None when there is none."""
    target = live_dir(index_dir)
    if target is None:
        return None
    return "tantivy" if is_tantivy(target) else "whoosh"


def chosen_engine(index_dir: Path) -> str:
    """The engine a new or rebuilt index gets: podium.toml's `[index] engine` in the home that
    holds `index_dir`, else the live index's (so a switch by `--engine` stays), else
    PODIUM_ENGINE, else "whoosh"."""
    try:
        configured = load_config(Home(Path(index_dir).parent)).index.engine
    except PodiumError:  # a broken podium.toml is reported where it is used, not here
        configured = None
    return configured or engine_of(index_dir) or default_engine()


def _swap(index_dir: Path, new_dir: Path) -> None:
    """Point index_dir at new_dir atomically (rename of a fresh symlink over the old one)."""
    link = index_dir.parent / f".{index_dir.name}.{uuid.uuid4().hex[:8]}"
    os.symlink(new_dir.name, link)
    if index_dir.is_dir() and not index_dir.is_symlink():
        shutil.rmtree(index_dir)
    os.replace(link, index_dir)


def _new_dir(index_dir: Path) -> Path:
    path = (
        index_dir.parent
        / f"{index_dir.name}-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    )
    path.mkdir(parents=True)
    return path


def open_index(index_dir: Path, create: bool = False):
    """The live Whoosh index (None for none or a tantivy one), created when asked."""
    index_dir = Path(index_dir)
    target = _live_or_new(index_dir, create)
    if target is None or is_tantivy(target):
        return None
    return index.open_dir(target)


def _live_or_new(index_dir: Path, create: bool) -> Path | None:
    target = live_dir(index_dir)
    if target is None and create:
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        target = _new_dir(index_dir)
        if chosen_engine(index_dir) == "tantivy":
            from . import tantivy_index

            tantivy_index.create(target)
        else:
            index.create_in(target, schema())
        _swap(index_dir, target)
    return target


def update(index_dir: Path, docs: list[IndexDoc], delete_event_ids: Iterable[str]) -> None:
    """Replace every passage of the given events with `docs`, in one commit."""
    with writing(index_dir):
        _update(index_dir, docs, delete_event_ids)


def _update(index_dir: Path, docs: list[IndexDoc], delete_event_ids: Iterable[str]) -> None:
    target = _live_or_new(Path(index_dir), create=True)
    if is_tantivy(target):
        from . import tantivy_index

        tantivy_index.update(target, docs, delete_event_ids)
        return
    ix = index.open_dir(target)
    try:
        writer = ix.writer(timeout=60, limitmb=128)
    except LockError as exc:
        raise PodiumError(
            "the index is locked by another writer (an ingest, crawl or rebuild); try again"
        ) from exc
    try:
        for eid in delete_event_ids:
            writer.delete_by_term("event_id", eid)
        for doc in docs:
            writer.add_document(**_fields(doc))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()


def rebuild(
    index_dir: Path, docs: Iterable[IndexDoc], *, procs: int = 1, engine: str | None = None
) -> int:
    """Build a complete new index from `docs` beside the live one, then swap it in: in
    `engine`, else the chosen one (`chosen_engine`)."""
    engine = engine or chosen_engine(index_dir)
    if engine not in ENGINES:
        raise PodiumError(f"unknown index engine {engine!r} (use {' or '.join(ENGINES)})")
    with writing(index_dir):
        return _rebuild(Path(index_dir), docs, procs, engine)


def _rebuild(index_dir: Path, docs: Iterable[IndexDoc], procs: int, engine: str) -> int:
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    old = live_dir(index_dir)
    new = _new_dir(index_dir)
    try:
        if engine == "tantivy":
            from . import tantivy_index

            count = tantivy_index.build(new, docs, procs)
        else:
            count = _build_whoosh(new, docs, procs)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    _swap(index_dir, new)
    for stale in index_dir.parent.glob(f"{index_dir.name}-*"):
        if stale.is_dir() and stale not in (new, old):
            shutil.rmtree(stale, ignore_errors=True)
    return count


def doc_count(index_dir: Path) -> int:
    """How many passages the live index holds (0 when there is none yet)."""
    ix = open_index(index_dir)
    if ix is None:
        return 0
    try:
        return ix.doc_count()
    finally:
        ix.close()


def _build_whoosh(directory: Path, docs: Iterable[IndexDoc], procs: int) -> int:
    ix = index.create_in(directory, schema())
    options = {"limitmb": 256}
    if procs > 1:
        options.update(procs=procs, multisegment=True)
    writer = ix.writer(**options)
    count = 0
    for doc in docs:
        writer.add_document(**_fields(doc))
        count += 1
    writer.commit()
    ix.close()
    return count


def size_bytes(index_dir: Path) -> int:
    target = live_dir(index_dir)
    return sum(f.stat().st_size for f in target.iterdir()) if target else 0
