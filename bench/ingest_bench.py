"""Benchmark: extraction + attribution throughput, ingest throughput, and search latency.

Prints figures; asserts nothing. Usage (from the project root):

    python bench/ingest_bench.py                  # dev pages + samples, extract repeated to 1,000 pages
    python bench/ingest_bench.py --pages 2000 --queries 200

* extract: `extract_event` (HTML -> Event with speakers, quotes, sentences) in this one process,
  over the dev and sample pages repeated to --pages: pages/s on one core.
* ingest: `ingest_pages` (extract -> store -> index) of every distinct page into a fresh home.
* search: the gold queries of the dev set, run in-process through `podium.query.search` and as
  the scorer does, one `podium search --json` process per query; p50/p95/p99 in ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    if not values:
        return "n/a"

    def pick(q: float) -> float:
        return values[min(len(values) - 1, round(q * (len(values) - 1)))]

    return (
        f"p50 {statistics.median(values):.1f} ms, p95 {pick(0.95):.1f} ms, "
        f"p99 {pick(0.99):.1f} ms (n={len(values)})"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=int, default=1000, help="pages to extract (repeating the set)")
    ap.add_argument("--queries", type=int, default=100, help="search runs per mode")
    args = ap.parse_args()

    from podium.config import Home
    from podium.extract import extract_event
    from podium.ingest import ingest_pages, read_input
    from podium.models import SearchRequest
    from podium.query import search

    files = sorted((DEV / "html").glob("*.html")) + sorted(
        (ROOT / "corpus" / "samples").glob("*.html")
    )
    pages = [read_input(str(f)) for f in files]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    print(f"distinct pages: {len(pages)} ({sum(len(p.raw) for p in pages) / 1e3:.0f} kB)")

    start = time.perf_counter()
    done = 0
    while done < args.pages:
        page = pages[done % len(pages)]
        extract_event(page.raw, source=page.source, url=page.url)
        done += 1
    took = time.perf_counter() - start
    print(
        f"extract + attribute: {done} pages in {took:.2f} s = {done / took:.1f} pages/s (one core)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        home = Home.resolve(tmp)
        start = time.perf_counter()
        results = ingest_pages(home, pages)
        took = time.perf_counter() - start
        ok = sum(r.status != "failed" for r in results)
        passages = sum(r.passages for r in results)
        print(f"ingest (extract+store+index): {ok} pages, {passages} passages in {took:.2f} s "
              f"= {ok / took:.1f} pages/s")  # fmt: skip

        queries = [
            q["q"] for g in sorted(DEV.glob("*.json")) for q in json.loads(g.read_text())["queries"]
        ]
        runs = (queries * (args.queries // max(1, len(queries)) + 1))[: args.queries]
        search(home.index_dir, SearchRequest(q="warm up"))
        timings = []
        for q in runs:
            t = time.perf_counter()
            search(home.index_dir, SearchRequest(q=q, per_page=10))
            timings.append((time.perf_counter() - t) * 1000)
        print(f"query.search in-process: {percentiles(timings)}")

        env = dict(os.environ, PODIUM_HOME=tmp)
        timings = []
        for q in runs[: max(10, args.queries // 4)]:
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "podium.cli", "search", q, "--json"], env=env,
                           capture_output=True, check=True)  # fmt: skip
            timings.append((time.perf_counter() - t) * 1000)
        print(f"`podium search --json` process per query: {percentiles(timings)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
