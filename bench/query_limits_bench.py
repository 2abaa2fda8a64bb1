"""Benchmark: the worst queries under the query limits — time and peak memory per query.

Prints figures; asserts nothing. Usage (from the project root):

    python bench/query_limits_bench.py                          # 100,000 synthetic passages
    python bench/query_limits_bench.py --n 20000 --workdir /tmp/qlb --reuse

The corpus is search_bench.py's (same generator, same seed), built into a Whoosh index with
`podium.index.rebuild`. Each hostile query (every one at or under `query.MAX_QUERY_CHARS`)
runs through `podium.query.search` twice: once timed (wall clock), once under tracemalloc
(Python and numpy allocations; the peak above what was held before the query). Three
ordinary queries come first for scale (on Whoosh, a query of common words costs what its
matches cost). A query just over the limit is shown being refused. Meaning re-rank runs when
wordllama is installed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import build_podium, make_corpus  # noqa: E402

from podium import meaning, query  # noqa: E402
from podium.models import PodiumError, SearchRequest  # noqa: E402


def _fill(parts: list[str], limit: int) -> str:
    """As many of `parts` (cycled) as fit in `limit` characters, space-separated."""
    out, i = [], 0
    while len(" ".join(out + [parts[i % len(parts)]])) <= limit:
        out.append(parts[i % len(parts)])
        i += 1
    return " ".join(out)


def hostile_queries(words: list[str], limit: int) -> dict[str, str]:
    rng = random.Random(3)
    common = words[:400]
    typos = [w[:2] + w[3:] + "x" for w in common if len(w) > 5]
    return {
        "distinct common words": _fill(rng.sample(common, len(common)), limit),
        "every word fuzzy ~2": _fill([w + "~2" for w in common], limit),
        "every word a prefix": _fill([w[:2] + "*" for w in common], limit),
        "leading wildcards": _fill(["*" + w[-3:] + "*" for w in common], limit),
        "one long token": "x" * limit,
        "quoted phrases": _fill(
            [f'"{a} {b}"' for a, b in zip(common, common[1:], strict=False)], limit
        ),
        "misspelt words": _fill(typos, limit),
        "negations": _fill([common[0]] + ["-" + w for w in common[1:]], limit),
        "fields and dates": _fill(
            [f"speaker:{w} date:[2015 to 2026] org:{w}" for w in common], limit
        ),
        "eight misspelt words": " ".join(typos[:8]),
    }


def measure(index_dir: Path, text: str) -> tuple[float, float, int]:
    """(seconds, peak MB allocated during the query, results)."""
    req = SearchRequest(q=text)
    start = time.perf_counter()
    response = query.search(index_dir, req)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    query.search(index_dir, req)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return seconds, peak / 1e6, response.total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="passages in the synthetic corpus")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--procs", type=int, default=1, help="processes for the index build")
    ap.add_argument("--workdir", help="where the index is built (default: a temporary directory)")
    ap.add_argument(
        "--reuse", action="store_true", help="reuse an index built earlier in --workdir"
    )
    args = ap.parse_args()

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="podium-query-limits-"))
    index_dir = workdir / f"n{args.n}-seed{args.seed}" / "index"
    corpus = make_corpus(args.n, args.seed)
    try:
        if not (args.reuse and index_dir.exists()):
            print(f"building a {args.n:,}-passage index in {index_dir} ...", flush=True)
            print(f"  {build_podium(index_dir, corpus.docs, args.procs)}", flush=True)
        words = [w for w, _ in corpus_words(corpus)]
        limit = query.MAX_QUERY_CHARS
        print(
            f"N={args.n:,} passages; limits: {limit} characters, {query.MAX_QUERY_TERMS} words "
            f"read, the {query.MAX_STRICT_TERMS} rarest ANDed / {query.MAX_LOOSE_TERMS} ORed, "
            f"{query.MAX_PHRASES} phrases by position, {query.MAX_FUZZY_TERMS} fuzzy words "
            f"(distance <= {query.MAX_FUZZY_DISTANCE}), {query.MAX_EXPANSIONS} terms per "
            f"prefix/wildcard/fuzzy word ({query.MAX_EXPANDED} per query), did-you-mean up "
            f"to {query.MAX_SUGGEST_TERMS} words; meaning re-rank "
            f"{'on' if meaning.available() else 'off (wordllama not installed)'}"
        )
        query.search(index_dir, SearchRequest(q="warm up the reader"))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{'query':<24} {'chars':>5} {'seconds':>8} {'peak MB':>8} {'total':>7}")
        worst = 0.0
        ordinary = {  # for scale: the two commonest words, and a rare pair
            "ordinary: 1 common word": words[0],
            "ordinary: 2 common words": f"{words[0]} {words[1]}",
            "ordinary: 2 rarer words": f"{words[300]} {words[301]}",
        }
        for name, text in ordinary.items():
            seconds, peak, total = measure(index_dir, text)
            print(f"{name:<24} {len(text):>5} {seconds:>8.3f} {peak:>8.1f} {total:>7}")
        for name, text in hostile_queries(words, limit).items():
            seconds, peak, total = measure(index_dir, text)
            worst = max(worst, seconds)
            print(f"{name:<24} {len(text):>5} {seconds:>8.3f} {peak:>8.1f} {total:>7}")
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"slowest hostile query: {worst:.3f} s; process peak RSS {rss_before:.0f} MB -> {rss_after:.0f} MB"
        )
        print(f"load average (1/5/15 min): {os.getloadavg()}")
        try:
            query.search(index_dir, SearchRequest(q="x" * (limit + 1)))
            print(f"{limit + 1} characters: NOT refused")
        except PodiumError as exc:
            print(f"{limit + 1} characters: refused ({exc})")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def corpus_words(corpus) -> list[tuple[str, int]]:
    """The corpus's words, most frequent first."""
    from collections import Counter

    counts = Counter(w.lower() for d in corpus.docs for w in d.text.split() if w.isalpha())
    return counts.most_common()


if __name__ == "__main__":
    sys.exit(main())
