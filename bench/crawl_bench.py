"""Benchmark: a first crawl pass against a second pass of the unchanged site.

Prints figures; asserts nothing. Serves the sample pages from the test fixture site
(tests/fixture_site.py: robots.txt, sitemap index, feed, paginated listing, ETags) on
127.0.0.1 and crawls it with no politeness delay, `--repeat` times in fresh homes.

    python bench/crawl_bench.py --repeat 5
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fixture_site import FixtureSite, podium_toml  # noqa: E402

from podium.config import Home, load_config  # noqa: E402
from podium.crawl import crawl_source  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    firsts, seconds, ratios = [], [], []
    with FixtureSite(faults=False) as site:
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                home = Home.resolve(tmp).ensure()
                home.config_path.write_text(podium_toml(site))
                config = load_config(home)
                first = crawl_source(home, config, config.sources[0])
                second = crawl_source(home, config, config.sources[0])
                firsts.append(first.seconds)
                seconds.append(second.seconds)
                ratios.append(second.seconds / first.seconds)
        print(f"site: {len(site.pages)} event pages; pass 1: {first.line()}")
        print(f"pass 2: {second.line()} ({second.not_modified} answered 304)")
    print(
        f"first pass median {statistics.median(firsts):.3f} s, second pass median "
        f"{statistics.median(seconds):.3f} s, ratio median {statistics.median(ratios):.1%} "
        f"(max {max(ratios):.1%}) over {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
