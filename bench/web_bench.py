"""Benchmark: the HTTP API under concurrent load, on a synthetic 100k-passage data directory.

Prints figures; asserts nothing. Usage (from the project root):

    python bench/web_bench.py                                  # 100,000 passages, 16 clients, 30 s
    python bench/web_bench.py --home /tmp/wb --seconds 60      # build into /tmp/wb, or reuse it
    python bench/web_bench.py --passages 20000 --clients 4 --seconds 10

* data: --passages synthetic passages in --per-event (50) passages per event, so 2,000 events
  for 100k, with ~50 speakers (some under two spellings), 20 organisations, dates 2015-2026.
  Paragraphs, sentences, quotes and transcript turns are made as extraction makes them (the
  vocabulary and sentence generator are bench/search_bench.py's: Zipf-weighted foreign-policy
  English with topic words clustered per event), cut into passages by Podium's own
  `ingest.build_passages` and saved through `Store.save_event`; then the index is built by
  `podium index --rebuild`, as after any store repair. With --home DIR, a DIR that already
  holds a store and an index is reused as it is (its corpus is read back from the store).
* server: `podium --home DIR serve --port FREE --workers N` (waitress, as shipped; --workers, default 1) in its own processes,
  warmed up with a few of each request kind before timing.
* load: --clients threads, each with one keep-alive HTTP/1.1 connection, send requests back to
  back for --seconds: a seeded mix of /api/search (words, "exact phrase", speaker:NAME + word,
  word + from/to dates, word with page=2), the HTML search page, /api/passages/<id>, and a
  card's cite panel opened (/api/passages/<id>/cite?style=all: the citations a crawl pass
  renders ahead, from the on-disk cache; with --cold-citations the cache is emptied first and
  one pandoc process renders each panel's styles when it opens); searches render
  no citations, as they do not in the API and the page. Reported: requests/s and p50/p95/p99
  latency per kind and overall, non-200 answers, the server's CPU time, the corpus size, the
  machine's cores and CPU model.
  The clients run in this one Python process, on the same machine as the server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

from search_bench import (
    GENRES,
    ORGANISATIONS,
    PLACES,
    SPEECH_VERBS,
    TITLE_PATTERNS,
    TOPICS,
    KeepAlive,
    Vocabulary,
    _fold,
    _people,
    _sentence,
)

from podium.config import Home
from podium.ids import event_id_for
from podium.ingest import build_passages, warm_citations
from podium.models import Event, Quote, Sentence, Speaker
from podium.store import Store

KINDS = {  # request kind -> share of the mix
    "words": 0.25,
    "phrase": 0.10,
    "speaker": 0.10,
    "date": 0.10,
    "page2": 0.05,
    "search page": 0.20,  # the HTML search page a reporter reads
    "cite panel": 0.05,  # a card's cite panel opened: every style of one passage
    "passage": 0.15,
}
STOP = set(
    "the of and to a in that is for it as was on with be by this are not at from or have an they "
    "which but has we their been would will its also there more can all if so about what than our "
    "other into these them only some could after may when should over such must those even most "
    "because between many while both where then very much through before against without under "
    "said noted argued stressed warned added according".split()
)


# --- the data directory -------------------------------------------------------------------------


def _turn_paragraph(rng, vocab, topics, places, index: int, who) -> tuple[str, list, list]:
    _person, given, _role = who
    body_sentences = [
        _sentence(rng, vocab, topics, places, max(4, int(rng.lognormvariate(0, 0.45) * 14)))
        + rng.choice(".?")
        for _ in range(rng.choice((1, 2, 2, 3)))
    ]
    label = given.upper() if rng.random() < 0.5 else given
    body = " ".join(body_sentences)
    text = f"{label}: {body}"
    start = len(label) + 2
    quotes = [Quote(body, given, index, "turn", start, 0.95, "transcript label")]
    sentences = []
    if len(body_sentences) > 1:
        offset = start
        for s in body_sentences:
            sentences.append(Sentence(index, offset, s, given, 0.95, "turn"))
            offset += len(s) + 1
    return text, quotes, sentences


def _report_paragraph(rng, vocab, topics, places, index: int, cast) -> tuple[str, list, list]:
    main = rng.choice(cast)
    parts: list[tuple[str, tuple | None]] = []
    quote = None
    for _ in range(rng.choices((2, 3, 4, 5), weights=(0.3, 0.4, 0.2, 0.1))[0]):
        who = (main if rng.random() < 0.8 else rng.choice(cast)) if rng.random() < 0.85 else None
        clause = _sentence(
            rng, vocab, topics, places, max(4, int(rng.lognormvariate(0, 0.45) * 15))
        )
        low = clause[0].lower() + clause[1:]
        surname = who[1].split()[-1] if who else ""
        r = rng.random()
        if who and quote is None and r < 0.2:
            quote = _sentence(
                rng, vocab, topics, places, max(4, int(rng.lognormvariate(0, 0.4) * 13))
            )
            s = rng.choice([f"“{quote},” {surname} said.", f"{surname} said: “{quote}.”",
                            f"As {surname} put it, “{quote}.”"])  # fmt: skip
            quote = (quote, who)
        elif who and r < 0.45:
            s = f"{who[1]}, {who[2]}, said that {low}."
        elif who and r < 0.6:
            s = f"According to {surname}, {low}."
        elif who and r < 0.75:
            s = f"{surname} {rng.choice(SPEECH_VERBS)} that {low}."
        else:
            s, who = clause + ".", None
        parts.append((s, who))
    text = " ".join(s for s, _ in parts)
    sentences, offset = [], 0
    for s, who in parts:
        conf = round(rng.uniform(0.6, 0.95), 2) if who else 0.0
        sentences.append(Sentence(index, offset, s, who[1] if who else None, conf,
                                  "name-before" if who else ""))  # fmt: skip
        offset += len(s) + 1
    quotes = []
    if quote:
        said, who = quote
        quotes.append(Quote(said, who[1], index, "quote", text.find(said), 0.95, "name-after"))
    return text, quotes, sentences


def make_events(passages: int, per_event: int, speakers: int, seed: int):
    """Yield (Event, its passages as ingest cuts them) until `passages` passages are made."""
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    people = _people(rng, speakers)
    popularity = [1.0 / (i + 1) ** 0.6 for i in range(len(people))]
    org_weight = [1.0 / (i + 1) ** 0.7 for i in range(len(ORGANISATIONS))]
    places = PLACES.split()
    years = list(range(2015, 2027))
    made, i = 0, 0
    while made < passages:
        topics = rng.sample(list(TOPICS), 2)
        org = rng.choices(ORGANISATIONS, weights=org_weight)[0]
        year = rng.choice(years)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.02:
            date = None
        title = rng.choice(TITLE_PATTERNS).format(
            T=rng.choice(TOPICS[topics[0]][1]), P=rng.choice(places), P2=rng.choice(places),
            Y=rng.choice(years[:-1]), O=org,
        )  # fmt: skip
        slug = re.sub(r"[^a-z0-9]+", "-", _fold(title)).strip("-")[:60]
        domain = re.sub(r"[^a-z]+", "", org.lower())[:24] + ".example"
        cast = []
        for person in rng.choices(people, weights=popularity, k=rng.randint(3, 6)):
            if all(person is not c[0] for c in cast):
                given = person.name if rng.random() < 0.85 else rng.choice(person.names)
                cast.append((person, given, person.role))
        event = Event(
            source=f"synthetic:{i}", url=f"https://www.{domain}/events/{year}/{slug}-{i}/",
            title=title, organisation=org, event_date=date, published=date,
            genre=rng.choice(GENRES), place=rng.choice(places), site_name=org, language="en",
            speakers=[Speaker(given, role) for _p, given, role in cast],
        )  # fmt: skip
        transcript = rng.random() < 0.2
        want, units = min(per_event, passages - made), 0
        while units < want:
            index = len(event.paragraphs)
            if transcript or rng.random() < 0.08:
                who = cast[0] if rng.random() < 0.25 else rng.choice(cast)
                text, quotes, sentences = _turn_paragraph(rng, vocab, topics, places, index, who)
            else:
                text, quotes, sentences = _report_paragraph(rng, vocab, topics, places, index, cast)
            event.paragraphs.append(text)
            event.quotes.extend(quotes)
            event.sentences.extend(sentences)
            units += 1 + len(quotes) + len(sentences)
        cut = build_passages(event_id_for(event), event)[:want]
        made += len(cut)
        i += 1
        yield event, cut


def build_home(root: Path, args) -> dict:
    """A data directory with the synthetic store, indexed by `podium index --rebuild`."""
    home = Home.resolve(root)
    home.ensure()
    start = time.perf_counter()
    with Store.open(home) as store:
        events = 0
        for event, passages in make_events(args.passages, args.per_event, args.speakers, args.seed):
            store.save_event(event, passages)
            events += 1
            if events % 500 == 0:
                print(f"  stored {events:,} events", flush=True)
    stored = time.perf_counter() - start
    print(f"store: {events:,} events saved in {stored:.1f} s", flush=True)
    start = time.perf_counter()
    print("index: podium index --rebuild ...", flush=True)
    out = subprocess.run(
        [sys.executable, "-m", "podium.cli", "--home", str(root), "index", "--rebuild"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    built = time.perf_counter() - start
    print(f"index: {out.stdout.strip()} in {built:.1f} s", flush=True)
    return {"store_s": stored, "index_s": built}


# --- the load -------------------------------------------------------------------------------


class Workload:
    """Seeded request paths of every kind, drawn from what the store holds."""

    def __init__(self, home: Home, seed: int):
        rng = self.rng = random.Random(seed)
        db = sqlite3.connect(home.db_path)
        ids = [r[0] for r in db.execute("SELECT id FROM passages ORDER BY id")]
        self.passage_ids = rng.sample(ids, min(20_000, len(ids)))
        texts = [
            r[0]
            for r in db.execute(
                "SELECT text FROM passages WHERE kind IN ('sentence', 'quote', 'turn') "
                "ORDER BY id LIMIT 200000"
            )
        ]
        texts = rng.sample(texts, min(5000, len(texts)))
        self.names = sorted({r[0].split()[-1] for r in db.execute("SELECT name FROM speakers")})
        years = [
            int(r[0][:4])
            for r in db.execute(
                "SELECT DISTINCT event_date FROM events WHERE event_date IS NOT NULL"
            )
        ]
        db.close()
        self.years = (min(years), max(years)) if years else (2015, 2026)
        self.words, self.phrases = [], []
        for text in texts:  # words as often as the text uses them: a natural mix of rare and common
            tokens = re.findall(r"[^\W\d_]+", text)
            self.words.extend(t.lower() for t in tokens if len(t) > 3 and t.lower() not in STOP)
            if len(tokens) >= 4:
                n = rng.choice((2, 3, 3))
                at = rng.randrange(0, len(tokens) - n + 1)
                self.phrases.append(" ".join(tokens[at : at + n]))
        self.lock = threading.Lock()

    def _search(self, **params) -> str:
        return "/api/search?" + urllib.parse.urlencode(params)

    def next(self) -> tuple[str, str]:
        with self.lock:  # one seeded stream shared by the clients
            rng = self.rng
            kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
            word = rng.choice(self.words)
            if kind == "words":
                q = " ".join([word] + rng.sample(self.words, rng.choice((0, 1, 1, 2))))
                return kind, self._search(q=q)
            if kind == "phrase":
                return kind, self._search(q=f'"{rng.choice(self.phrases)}"')
            if kind == "speaker":
                return kind, self._search(q=f"speaker:{rng.choice(self.names)} {word}")
            if kind == "date":
                low, high = self.years
                start = rng.randint(low, high)
                end = min(high, start + rng.choice((0, 1, 2)))
                if rng.random() < 0.5:
                    return kind, self._search(q=word, **{"from": str(start), "to": str(end)})
                return kind, self._search(
                    q=word, **{"from": f"{start}-{rng.randint(1, 6):02d}", "to": f"{end}-12-31"}
                )
            if kind == "page2":
                return kind, self._search(q=word, page="2")
            if kind == "search page":
                return kind, "/?" + urllib.parse.urlencode({"q": word})
            passage = rng.choice(self.passage_ids)
            if kind == "cite panel":
                return kind, f"/api/passages/{passage}/cite?style=all"
            return kind, f"/api/passages/{passage}"


class Client(threading.Thread):
    def __init__(self, port: int, workload: Workload, until: float, results: list):
        super().__init__(daemon=True)
        self.port, self.workload, self.until, self.results = port, workload, until, results
        self.http = KeepAlive(port, timeout=120)

    def get(self, path: str) -> tuple[int, bytes]:
        return self.http.get(path)

    def run(self) -> None:
        out = []
        while time.perf_counter() < self.until:
            kind, path = self.workload.next()
            start = time.perf_counter()
            try:
                status, _body = self.get(path)
            except Exception as exc:  # a failure is a finding: count it, go on
                status = f"{type(exc).__name__}"
            out.append((kind, (time.perf_counter() - start) * 1000, status, start))
        self.http.close()
        self.results.extend(out)


def prepare_citations(home: Home, cold: bool) -> None:
    if cold:
        for path in home.corpus_dir.glob("citations.db*"):
            path.unlink()
        print("citations: cache emptied; every cite panel renders with pandoc when opened")
        return
    start = time.perf_counter()
    with Store.open(home) as store:
        rendered = warm_citations(home, store, store.event_ids())
    print(f"citations: rendered ahead as a crawl pass does ({rendered:,} rendered now in "
          f"{time.perf_counter() - start:.0f} s, the rest cached by an earlier run)")  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(root: Path, log_path: Path, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "podium.cli", "--home", str(root), "serve", "--port", str(port),
         "--workers", str(workers)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.time() + 120
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise RuntimeError(f"podium serve did not start; see {log_path}")
        time.sleep(0.2)


def _tree(pid: int) -> list[int]:
    """`pid` and its live descendants (the worker processes of `podium serve --workers`)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            pass
    return out


def server_cpu_seconds(pid: int) -> tuple[float, float] | None:
    """(CPU seconds of the server's processes, of their finished children: the pandoc runs)."""
    own = done = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    try:
        for p in _tree(pid):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
            own, done = own + (utime + stime) / tick, done + (cutime + cstime) / tick
    except (OSError, IndexError, ValueError):
        return None
    return own, done


# --- reporting ------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def pick(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def row(label: str, times: list[float], errors: int, seconds: float) -> str:
    if not times:
        return f"{label:<9} {'0':>7} {'-':>8} {'-':>9} {'-':>9} {'-':>9} {errors:>7}"
    times = sorted(times)
    return (
        f"{label:<9} {len(times) + errors:>7} {(len(times) + errors) / seconds:>8.1f} "
        f"{statistics.median(times):>9.1f} {pick(times, 0.95):>9.1f} {pick(times, 0.99):>9.1f} "
        f"{errors:>7}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--home", type=Path, help="data directory to build, or to reuse if built")
    ap.add_argument("--passages", type=int, default=100_000, help="passages to generate")
    ap.add_argument("--per-event", type=int, default=50, help="passages per event")
    ap.add_argument("--speakers", type=int, default=50, help="distinct speakers")
    ap.add_argument("--clients", type=int, default=16, help="concurrent client threads")
    ap.add_argument("--seconds", type=float, default=30.0, help="how long to send requests")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1, help="podium serve --workers")
    ap.add_argument("--cold-citations", action="store_true",
                    help="empty the citation cache first: every cite panel runs pandoc (default: "
                         "the panels rendered ahead, as a crawl pass leaves them)")  # fmt: skip
    args = ap.parse_args()

    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}")
    tmp = None
    root = args.home
    if root is None:
        root = Path(tmp := tempfile.mkdtemp(prefix="podium-web-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    home = Home.resolve(root)
    try:
        if home.db_path.exists() and home.index_dir.exists():
            print(f"data: reusing {root}")
        else:
            print(f"data: building {args.passages:,} passages in {root}", flush=True)
            build_home(root, args)
        with Store.open(home) as store:
            counts = store.counts()
        print(
            f"corpus: {counts['passages']:,} passages, {counts['events']:,} events, "
            f"{counts['speakers']:,} speakers; store {home.db_path.stat().st_size / 1e6:.0f} MB, "
            f"index {sum(f.stat().st_size for f in home.index_dir.rglob('*') if f.is_file()) / 1e6:.0f} MB"
        )
        prepare_citations(home, args.cold_citations)
        workload = Workload(home, args.seed)
        proc, port = start_server(root, root / "web-bench-serve.log", args.workers)
        try:
            return run_load(proc, port, workload, args)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def run_load(proc: subprocess.Popen, port: int, workload: Workload, args) -> int:
    # Warm-up, not timed: open the index reader, load the facet columns, start pandoc once.
    warm = Client(port, workload, 0, [])
    start = time.perf_counter()
    for _ in range(40):
        warm.get(workload.next()[1])
    warm.http.close()
    print(f"server: podium serve --workers {args.workers} (waitress, 8 threads each) on port "
          f"{port}; warm-up 40 requests "
          f"in {time.perf_counter() - start:.1f} s")  # fmt: skip

    results: list = []
    load_before = os.getloadavg()[0]
    cpu_before = server_cpu_seconds(proc.pid)
    start = time.perf_counter()
    until = start + args.seconds
    clients = [Client(port, workload, until, results) for _ in range(args.clients)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    elapsed = time.perf_counter() - start
    cpu_after = server_cpu_seconds(proc.pid)
    load_after = os.getloadavg()[0]

    times: dict[str, list[float]] = defaultdict(list)
    errors: Counter = Counter()
    statuses: Counter = Counter()
    for kind, ms, status, _t in results:
        statuses[status] += 1
        if status == 200:
            times[kind].append(ms)
        else:
            errors[kind] += 1
    print(
        f"load: {args.clients} clients, keep-alive, {elapsed:.1f} s "
        f"(requests still in flight at the deadline ran to completion)"
    )
    print(f"{'kind':<9} {'requests':>7} {'req/s':>8} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} "
          f"{'non-200':>7}")  # fmt: skip
    for kind in KINDS:
        print(row(kind, times[kind], errors[kind], elapsed))
    every = [ms for kind in KINDS for ms in times[kind]]
    print(row("all", every, sum(errors.values()), elapsed))
    print(f"statuses: {dict(statuses)}; reconnects: {sum(c.http.reconnects for c in clients)}")
    if cpu_before is not None and cpu_after is not None:
        own, kids = (after - before for after, before in zip(cpu_after, cpu_before, strict=True))
        print(f"server CPU: {own:.1f} s in the server's processes + {kids:.1f} s in their pandoc "
              f"children, in {elapsed:.1f} s = {(own + kids) / elapsed:.2f} cores busy")  # fmt: skip
    print(f"machine load (1-min average): {load_before:.2f} before, {load_after:.2f} after")
    print("example requests: " + json.dumps({k: workload_example(workload, k) for k in KINDS}))
    return 0


def workload_example(workload: Workload, kind: str) -> str:
    for _ in range(200):
        k, path = workload.next()
        if k == kind:
            return urllib.parse.unquote_plus(path)
    return "-"


if __name__ == "__main__":
    raise SystemExit(main())
