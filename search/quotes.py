"""Direct quotes, transcript turns and reported speech, each attributed to a speaker.

(First cut; the attribution work replaces the bodies, keeping the signatures.)
"""

from __future__ import annotations

from .models import Quote, Sentence, Speaker


def attribute(paragraphs: list[str], speakers: list[Speaker]) -> tuple[list[Quote], list[Sentence]]:
    """Quotes (and transcript turns) with their speakers, and every sentence's reported speaker."""
    return [], []
