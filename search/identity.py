"""Speaker identity as a decision over data: is this name one of the people already known?

No SQL here. The store loads the candidates (`family_key` is the indexed column they are
loaded by), asks `match_speaker`, and saves what it answers; the spelling rules themselves
(`name_key`, `same_person`) are the speakers module's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .ids import stable_hash
from .speakers import name_key, same_person, surname

FAMILY_KEY_CHARS = 4  # spellings of one surname share their first letters once folded


@dataclass(frozen=True)
class KnownName:
    """One spelling already stored for a person."""

    speaker_id: str
    name: str


def family_key(name: str) -> str:
    """The key a name's possible namesakes are loaded by: the start of its folded surname.
    Two spellings `same_person` accepts always share it (their surnames must nearly agree)."""
    return name_key(surname(name))[:FAMILY_KEY_CHARS]


def match_speaker(name: str, known: Iterable[KnownName]) -> str | None:
    """The id of the known person `name` spells, or None for someone new. A spelling with the
    same key wins over a merely similar one; among equals, the first known."""
    known = list(known)
    key = name_key(name)
    for cand in known:
        if name_key(cand.name) == key:
            return cand.speaker_id
    for cand in known:
        if same_person(name, cand.name):
            return cand.speaker_id
    return None


def new_speaker_id(name: str) -> str:
    """The id a person first seen under `name` gets (stable: the same on every machine)."""
    return stable_hash("speaker", name_key(name))[:10]
