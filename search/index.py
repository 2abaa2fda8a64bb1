"""The index (Whoosh or tantivy): a view of the store, written incrementally or rebuilt whole.

`index_dir` (home/index) is a symlink to the live index directory. Writers — an update or a
rebuild — take `index.lock` beside it first: one writer at a time, a second one waits (and
gives up with a plain message after `WRITE_WAIT` seconds), so a rebuild never drops what an
ingest wrote meanwhile. An update commits into the live directory (readers keep seeing the
last commit). A rebuild writes a complete new index beside it and swaps the symlink
atomically, so searches during a rebuild never fail and never see a half-built index; the
replaced directory is removed by the next rebuild, not under the feet of a running search.

The engine of a new or rebuilt index (Whoosh or tantivy) is chosen here, and a tantivy
directory is marked as such here; the documents' fields and analysers are `analysis.py`'s.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from whoosh import index
from whoosh.codec import whoosh3
from whoosh.writing import LockError

from .analysis import fields_of, schema
from .config import ENGINES, Home, default_engine, load_config
from .locks import hold
from .models import IndexDoc, PodiumError

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
    fd = hold(Path(index_dir).parent / f"{Path(index_dir).name}.lock", lambda pid: (
        f"the index is being written by another process (pid {pid}: an ingest, crawl or "
        f"rebuild); waited {wait:.0f} s, try again later"), wait=wait)  # fmt: skip
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


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


def _mark_tantivy(directory: Path) -> None:
    (Path(directory) / TANTIVY_MARKER).write_text("tantivy\n")


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
            _mark_tantivy(target)
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
            writer.add_document(**fields_of(doc))
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
            _mark_tantivy(new)
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
        writer.add_document(**fields_of(doc))
        count += 1
    writer.commit()
    ix.close()
    return count


def size_bytes(index_dir: Path) -> int:
    target = live_dir(index_dir)
    return sum(f.stat().st_size for f in target.iterdir()) if target else 0
