"""Benchmark: how long `podium serve` takes to report healthy, and whether the first searches
after that wait for anything (the meaning model, opening the index, building its columns).

Prints figures; asserts nothing. Usage (from the project root):

    python bench/cold_start_bench.py --home HOME            # HOME: a data directory with an index
    python bench/cold_start_bench.py --home HOME --code DIR  # DIR/podium: other code (a baseline)

Starts `podium serve`, polls /healthz every 20 ms, then sends ten searches of different
shapes (paraphrases of four words or more, a filter, a sort), one keep-alive connection,
sequentially, then the first one again. "First" is the first search after /healthz answered;
"again" is the same search as the eleventh request; "tenth" is the tenth (another query).
Waitress hands requests to any of its 8 threads, so the ten also meet fresh threads.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_bench import KeepAlive  # noqa: E402

SEARCHES = [
    {"q": "energy security in europe after the sanctions"},
    {"q": "sanctions", "sort": "newest"},
    {"q": "what the government said about trade with the region"},
    {"q": "security", "kind": "quotes"},
    {"q": "the future of the partnership between the two countries"},
    {"q": "grain", "from": "2018", "to": "2022"},
    {"q": "how the crisis changed the policy of the state"},
    {"q": '"the region"'},
    {"q": "negotiations on the nuclear agreement with iran"},
    {"q": "investment and growth in the arctic economy"},
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--code", help="a directory holding a `podium` package to run instead")
    parser.add_argument("--rounds", type=int, default=3, help="server starts measured")
    parser.add_argument("--workers", type=int, default=1, help="podium serve --workers")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.code:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [args.code, env.get("PYTHONPATH")]))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; home {args.home}; "
          f"{args.workers} server process(es)")  # fmt: skip
    rows = []
    for _ in range(args.rounds):
        rows.append(one_start(args.home, env, args.workers))
        print("healthy after {:.2f} s; first {:.0f} ms, tenth {:.0f} ms, first again {:.0f} ms, "
              "median of 2-10 {:.0f} ms".format(*rows[-1]))  # fmt: skip
    medians = [statistics.median(col) for col in zip(*rows, strict=True)]
    print("median over {} starts: healthy after {:.2f} s; first {:.0f} ms, tenth {:.0f} ms, "
          "first again {:.0f} ms, median of 2-10 {:.0f} ms".format(args.rounds, *medians))  # fmt: skip


def one_start(home: str, env: dict, workers: int) -> tuple[float, float, float, float, float]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "podium.cli", "--home", home, "serve", "--port", str(port),
           "--workers", str(workers)]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    conn = KeepAlive(port, timeout=120)
    try:
        while True:
            try:
                if conn.get("/healthz")[0] == 200:
                    break
            except OSError:
                conn.close()
            if proc.poll() is not None:
                raise RuntimeError("podium serve exited")
            time.sleep(0.02)
        healthy = time.perf_counter() - start
        times = []
        for params in [*SEARCHES, SEARCHES[0]]:
            t = time.perf_counter()
            status, body = conn.get("/api/search?" + urllib.parse.urlencode(params))
            times.append((time.perf_counter() - t) * 1000)
            if status != 200:
                raise RuntimeError(f"HTTP {status}: {body[:200]!r}")
        return healthy, times[0], times[9], times[10], statistics.median(times[1:10])
    finally:
        conn.close()
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
