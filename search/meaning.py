"""Meaning: re-rank Whoosh's best candidates by what they say, not only which words they share.

A reporter's paraphrase ("lifting sanctions on Iran would benefit Russia") shares few words
with the sentence that was said. For queries of several words, the top candidates of the
word search are re-ordered by reciprocal-rank fusion of their BM25 order and their cosine
similarity to the query under wordllama's 256-d static embeddings — weights that ship in
the wheel, so nothing is downloaded and a candidate list embeds in a millisecond or two.
Without wordllama installed, search works as before.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

MIN_WORDS = 4  # shorter queries are names and topics: words and speakers rank them well
DEPTH = 100  # candidates re-ranked
MAX_EMBED_CHARS = 1000  # of the query and of each candidate: the rest adds padding, not meaning
EMBED_WEIGHT = 1.0


@cache
def _model():
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        return None
    # The loader looks for its tokenizer under <cache_dir>/tokenizers/; give it the one in
    # the wheel, and never let it reach for the network.
    cache_dir = Path(os.environ.get("XDG_CACHE_HOME") or tempfile.gettempdir()) / "podium-wordllama"
    tokenizers = cache_dir / "tokenizers"
    name = "l2_supercat_tokenizer_config.json"
    if not (tokenizers / name).exists():
        tokenizers.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(wordllama.__file__).parent / "tokenizers" / name, tokenizers / name)
    return WordLlama.load(cache_dir=cache_dir, disable_download=True, dim=256)


def available() -> bool:
    return _model() is not None


def wants(words: list[str]) -> bool:
    return len(words) >= MIN_WORDS and available()


def rerank(query_text: str, candidates: list, text_of, score_of) -> list:
    """`candidates` in BM25 order -> the same objects re-ordered by word score plus meaning.

    Both are scaled to [0, 1] over the candidates, so a passage far ahead on the words keeps
    its place, and among passages close on the words the one that means the query wins.
    """
    head, tail = candidates[:DEPTH], candidates[DEPTH:]
    if len(head) < 2:
        return candidates
    # The query alone, then the candidates: one batch pads every text to its longest member.
    model = _model()
    wanted = model.embed([query_text[:MAX_EMBED_CHARS]], norm=True)[0]
    vectors = model.embed([text_of(c)[:MAX_EMBED_CHARS] for c in head], norm=True)
    similarity = vectors @ wanted
    words = [score_of(c) for c in head]
    top = max(words) or 1.0
    low, high = float(similarity.min()), float(similarity.max())
    spread = (high - low) or 1.0
    fused = [
        w / top + EMBED_WEIGHT * (float(s) - low) / spread
        for w, s in zip(words, similarity, strict=True)
    ]
    order = sorted(range(len(head)), key=lambda i: -fused[i])
    return [head[i] for i in order] + tail
