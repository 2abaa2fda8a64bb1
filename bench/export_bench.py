"""Benchmark: exporting 100,000 passages as RIS and CSV — time and peak memory.

Prints figures; asserts nothing. Usage (from the project root):

    python bench/export_bench.py                       # 100,000 synthetic passages
    python bench/export_bench.py --n 20000 --formats ris csv csl-json
    python bench/export_bench.py --home DIR --query ""  # the whole path: `podium export` on a home

Each format runs in a child process (so peak RSS is that export's alone) that streams
`podium.export.export()` over generated CiteRecords into a file: events of 50 passages by 3
speakers each (so 100,000 passages are 2,000 events and about 6,000 distinct citations).
CSV carries an APA citation per row from the citation cache (`corpus/citations.db` of a
fresh temporary home): a cold run renders every distinct citation with pandoc, a warm run
(the same export again) reads them all from the cache. With --home, the child is
`podium export` itself (search -> store -> export), cold or warm as that home's cache is.
Peak memory is the child's ru_maxrss.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

PER_EVENT = 50  # passages per event in the generated records

CHILD = r"""
import random, sys, time
from pathlib import Path
from podium.citecache import CitationFile
from podium.export import export
from podium.models import CiteRecord
n, fmt, out, cache_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
rng = random.Random(7)
words = ("sanctions energy security dialogue Arctic shipping grain corridor cooperation "
         "partnership region Moscow Tehran Baltic institute policy nuclear talks").split()
people = ["Alexander Maryasov", "Adlan Margoev", "Hasan Ünal", "Rafael de la Cruz",
          "Marie-Hélène Dufour-d'Argenson", "Ilse Varga", "Peter Okello", "Lin Wei"]
orgs = ["Valdai Discussion Club", "Meridian Forum", "Baltic Policy Institute", "R&D Council"]
def records():
    # an event of PER_EVENT passages has one title, date, host and 3 speakers, as a page has
    for i in range(n):
        if i % PER_EVENT == 0:
            e = i // PER_EVENT
            event = dict(
                title=f"Event {e}: " + " ".join(rng.sample(words, 5)).title(),
                url=f"https://example.org/events/{e}/", organisation=rng.choice(orgs),
                event_date=f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
            speakers = rng.sample(people, 3)
        text = " ".join(rng.choice(words) for _ in range(rng.randint(12, 40))).capitalize() + "."
        yield CiteRecord(
            id=f"p{i:07d}", genre="Round table", place="Moscow, Russia", accessed="2026-11-25",
            version=1, speaker=rng.choice(speakers), role="Senior fellow", text=text,
            paragraph_text=text, kind="quote", **event)
start = time.perf_counter()
size = 0
with open(out, "w", encoding="utf-8") as fh:
    for chunk in export(records(), fmt, "apa", cache=CitationFile(Path(cache_path))):
        fh.write(chunk)
        size += len(chunk)
print(f"{time.perf_counter() - start:.3f} {size}")
""".replace("PER_EVENT", str(PER_EVENT))


def peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_child(cmd: list[str]) -> tuple[float, float, str]:
    """(seconds, peak MB, stdout) of one child; RUSAGE_CHILDREN is a max over children so far,
    so each child runs from a fresh intermediate process."""
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys, time; t = time.perf_counter(); "
               "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "print(p.stdout.strip()); print(p.stderr[-500:], file=sys.stderr); "
               "print(time.perf_counter() - t, "
               "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)", *cmd]  # fmt: skip
    proc = subprocess.run(wrapper, capture_output=True, text=True, check=True)
    lines = proc.stdout.strip().splitlines()
    seconds, peak = map(float, lines[-1].split())
    return seconds, peak, "\n".join(lines[:-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--formats", nargs="+", default=["ris", "csv"])
    parser.add_argument("--home", help="export from this home with `podium export` instead")
    parser.add_argument("--query", default="", help="with --home: the search to export")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f", load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats:
            out = Path(tmp) / f"export.{fmt}"
            if args.home:
                cmd = [sys.executable, "-m", "podium.cli", "--home", args.home, "export",
                       "--format", fmt, "-o", str(out), args.query]  # fmt: skip
                seconds, peak, _ = run_child(cmd)
                report(fmt, "?", seconds, peak, out)
                continue
            cache = Path(tmp) / "corpus" / "citations.db"
            runs = ["cold cache", "warm cache"] if fmt == "csv" else [""]
            for run in runs:
                seconds, peak, printed = run_child(
                    [sys.executable, "-c", CHILD, str(args.n), fmt, str(out), str(cache)]
                )
                report(f"{fmt} {run}", f"{args.n:,}", float(printed.split()[0]), peak, out)


def report(what: str, rows: str, seconds: float, peak: float, out: Path) -> None:
    size = out.stat().st_size / 1e6
    print(f"{what:<20} {rows} passages: {seconds:7.1f} s, {size:7.1f} MB written, "
          f"peak RSS {peak:6.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
