"""`podium schedule`: run each source's crawl pass on its cron expression (croniter).

One process, one pass at a time; a source whose lock is held (a manual `podium crawl`) is
skipped until its next slot. A pass that fails is noted and the schedule goes on; a pass that
crashes also logs its traceback (logging, ERROR). Each run is one line in
`<home>/logs/schedule.log` (and in the store's runs table).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from croniter import croniter

from .config import Config, Home, Source
from .models import PodiumError

log = logging.getLogger(__name__)


def next_times(sources: list[Source], after: datetime) -> dict[str, datetime]:
    """When each scheduled source next runs; a bad cron expression is an error up front."""
    out = {}
    for source in sources:
        if not source.schedule:
            continue
        if not croniter.is_valid(source.schedule):
            raise PodiumError(f"source {source.name!r}: not a cron expression: {source.schedule!r}")
        out[source.name] = croniter(source.schedule, after).get_next(datetime)
    return out


def run_schedule(
    home: Home,
    config: Config,
    *,
    run_now: bool = False,
    max_runs: int | None = None,
    echo: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run passes until stopped (or `max_runs` passes); returns how many ran. Each note goes
    to the schedule's log file and to `echo`."""
    from .crawl import crawl_source
    from .watch import check_all

    sources = {s.name: s for s in config.sources if s.schedule}
    if not sources:
        raise PodiumError("no source in podium.toml has a schedule")
    now = datetime.now(UTC)
    due = next_times(list(sources.values()), now)
    if run_now:
        due = dict.fromkeys(due, now)
    log_path = home.root / "logs" / "schedule.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)

    def note(line: str) -> None:
        stamped = f"{datetime.now(UTC).isoformat(timespec='seconds')} {line}"
        with open(log_path, "a", encoding="utf-8") as fh:
            fh.write(stamped + "\n")
        echo(stamped)

    note(f"schedule started: {', '.join(f'{n} at {t:%Y-%m-%d %H:%M}' for n, t in due.items())}")
    runs = 0
    while max_runs is None or runs < max_runs:
        name, when = min(due.items(), key=lambda kv: kv[1])
        wait = (when - datetime.now(UTC)).total_seconds()
        if wait > 0:
            sleep(wait)
        try:
            summary = crawl_source(home, config, sources[name], after_pass=check_all)
            note(f"run {summary.run_id} done: {summary.line()}")
            for line in summary.notes:  # a capped Crawl-delay, say
                note(f"{name}: {line}")
        except PodiumError as exc:
            note(f"{name}: not run: {exc}")
        except Exception as exc:  # a broken pass must not stop the other sources
            log.exception("%s: pass failed", name)
            note(f"{name}: pass failed: {type(exc).__name__}: {exc}")
        runs += 1
        due[name] = croniter(sources[name].schedule, datetime.now(UTC)).get_next(datetime)
    return runs
