"""Speakers: who spoke at an event, their role as written, and one identity per person.

(First cut; the attribution work replaces the bodies, keeping the signatures.)
"""

from __future__ import annotations

import re

from anyascii import anyascii

from .models import Speaker


def clean_name(name: str) -> str:
    """A display name without honorifics, ranks or extra spaces."""
    return re.sub(r"\s+", " ", name).strip(" ,;:")


def name_key(name: str) -> str:
    """A key that is equal for spelling variants of one name (Andrey/Andrei, Ünal/Unal)."""
    key = anyascii(clean_name(name)).lower()
    key = re.sub(r"[^a-z ]", "", key).replace("y", "i").replace("j", "i")
    return re.sub(r"(.)\1+", r"\1", key).strip()


def same_person(a: str, b: str) -> bool:
    """True when two names are spellings of one person (never just a shared surname)."""
    return name_key(a) == name_key(b)


def find_speakers(paragraphs: list[str], listed: list[Speaker]) -> list[Speaker]:
    """Everyone reported as speaking: the listed speakers plus those found in the text."""
    return list(listed)
