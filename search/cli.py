"""`podium …`: the command line. Thin: parse options, call the pipeline, print.

Human output by default, `--json` for machines (shapes in DESIGN.md). Logging goes to stderr:
warnings only, INFO for the long-running `serve` and `schedule`, Podium's DEBUG with `-v`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys

import click

from .citecache import CitationFile
from .config import ENGINES, Home
from .ingest import extract_page, ingest_pages, read_input, read_inputs
from .models import PodiumError, SearchRequest
from .vocabulary import (
    AP_STYLE,
    CITATION_FORMATS,
    DEFAULT_CHECK_RESULTS,
    DEFAULT_PER_PAGE,
    DEFAULT_STYLE,
    EXPORT_FORMATS,
    MAIN_STYLES,
    NOT_FOUND,
    PASSAGE_KINDS,
    QUOTES,
    RELEVANCE,
    SORTS,
)


def _emit(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def _progress(items, length: int | None, label: str, quiet: bool = False):
    """`items` under a progress bar on stderr, when stderr is a terminal and not --quiet; else
    `items` as they are (a context manager either way)."""
    if quiet or not sys.stderr.isatty():
        return contextlib.nullcontext(items)
    return click.progressbar(items, length=length, label=label, file=sys.stderr)


def _empty_home(home: Home) -> str | None:
    """A plain note when the data directory holds no pages (so 0 results means nothing)."""
    from .store import Store

    if home.db_path.exists():
        with Store.open_reader(home) as store:
            if store.counts()["events"]:
                return None
    note = f"The data directory {home.root} holds no pages yet."
    demo = Home.resolve("demo-home")
    if demo.root != home.root and demo.db_path.exists():
        return note + f" The demo's pages are in {demo.root}: PODIUM_HOME={demo.root}"
    return note + " Add some with `podium ingest FILE_OR_URL...` or try `podium demo`."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="PODIUM_HOME",
    help="Data directory (podium.toml, corpus/, index/). Default: $PODIUM_HOME or the current one.",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Log each request and crawl decision on stderr."
)
@click.version_option(package_name="podium")
@click.pass_context
def main(ctx: click.Context, home: str | None, verbose: bool) -> None:
    """Podium: search and cite who said what at think-tank events."""
    long_running = ctx.invoked_subcommand in ("serve", "schedule")  # an operator reads the log
    logging.basicConfig(
        level=logging.INFO if verbose or long_running else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if verbose:
        logging.getLogger("podium").setLevel(logging.DEBUG)  # Podium's own, not the libraries'
    ctx.obj = Home.resolve(home)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="FILE_OR_URL...")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (default).")
def extract(inputs: tuple[str, ...], as_json: bool) -> None:
    """Extract events from pages and print them, without storing anything.

    Prints one JSON object per input, in order; an input that fails gives
    {"source", "error"} on its line and the exit status is 1 at the end.
    """
    failed = 0
    for arg in inputs:
        try:
            event = extract_page(read_input(arg))
        except PodiumError as exc:
            failed += 1
            _emit({"source": arg, "error": str(exc)})
            continue
        _emit(event.to_json())
        sys.stdout.flush()
    if failed:
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="FILE_OR_URL...")
@click.option("--json", "as_json", is_flag=True, help="One JSON result per input.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_obj
def ingest(home: Home, inputs: tuple[str, ...], as_json: bool, quiet: bool) -> None:
    """Extract, store and index pages (files or URLs).

    A page that cannot be read or extracted is reported and nothing of it is stored;
    the others go on. Exit status 1 if any failed.
    """
    pages = read_inputs(inputs, _config(home))
    with _progress(pages, len(inputs), "Ingesting", quiet or len(inputs) < 2) as pages:
        results = ingest_pages(home, pages)
    for r in results:
        if as_json:
            _emit(r.__dict__)
        elif r.error:
            click.echo(f"failed     {r.source}: {r.error}", err=True)
        else:
            click.echo(
                f"{r.status:<10} {r.source} -> {r.event_id} v{r.version} ({r.passages} passages)"
            )
    failed = sum(r.status == "failed" for r in results)
    if not as_json:
        counts = {s: sum(r.status == s for r in results) for s in ("new", "changed", "unchanged")}
        click.echo(
            f"{len(results)} pages: {counts['new']} new, {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {failed} failed"
        )
    if failed:
        sys.exit(1)


def _search_request(q, speaker, org, date_from, date_to, kind, quotes_only, sort, limit, page):
    return SearchRequest(
        q=q or "",
        speaker=speaker,
        org=org,
        date_from=date_from,
        date_to=date_to,
        kind=QUOTES if quotes_only else kind,
        sort=sort,
        page=page,
        per_page=limit,
    )


def _refuse(exc: PodiumError, as_json: bool) -> None:
    """Bad input to search or check: the plain message (as JSON with --json), exit status 2."""
    if as_json:
        _emit({"error": str(exc)})
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(2)


def search_options(f):
    """The search filters shared by `search` and `export`."""
    for option in reversed(
        [
            click.option("--speaker", help="Only passages by this speaker (any spelling)."),
            click.option("--org", help="Only events of this organisation."),
            click.option("--from", "date_from", metavar="DATE", help="From date (YYYY[-MM[-DD]])."),
            click.option("--to", "date_to", metavar="DATE", help="To date (YYYY[-MM[-DD]])."),
            click.option(
                "--kind", type=click.Choice(PASSAGE_KINDS),
                help="Only passages of this kind.",
            ),
            click.option("--quotes-only", is_flag=True, help="Only direct quotes and turns."),
            click.option(
                "--sort", type=click.Choice(SORTS), default=RELEVANCE, show_default=True,
            ),
        ]
    ):  # fmt: skip
        f = option(f)
    return f


@main.command()
@click.argument("query", required=False, default="")
@search_options
@click.option(
    "--limit", type=int, default=DEFAULT_PER_PAGE, show_default=True, help="Results per page."
)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of DESIGN.md.")
@click.pass_obj
def search(home: Home, query, speaker, org, date_from, date_to, kind, quotes_only, sort, limit,
           page, as_json) -> None:  # fmt: skip
    """Search passages: words, "phrases", speaker:NAME, date:2023, … (see README)."""
    from . import query as query_mod

    request = _search_request(
        query, speaker, org, date_from, date_to, kind, quotes_only, sort, limit, page
    )
    try:
        response = query_mod.search(home.index_dir, request)
    except PodiumError as exc:
        _refuse(exc, as_json)
    empty = _empty_home(home) if not response.total else None
    if empty:
        click.echo(empty, err=True)
    if as_json:
        _emit(response.to_json())
        return
    if empty:
        return
    if response.suggestion:
        click.echo(f"Did you mean: {response.suggestion}")
    click.echo(f"{response.total} results")
    for hit in response.results:
        who = hit.speaker["name"] if hit.speaker else "(no speaker)"
        role = f", {hit.speaker['role']}" if hit.speaker and hit.speaker.get("role") else ""
        ev = hit.event
        click.echo(f"\n[{hit.id}] {hit.kind} · {who}{role}")
        click.echo(f"  {hit.text}")
        click.echo(
            f"  — {ev.get('title')} · {ev.get('organisation') or ''} · {ev.get('date') or ''}"
        )


@main.command("index")
@click.option("--rebuild", is_flag=True, help="Rebuild the whole index from the store.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--engine", type=click.Choice(ENGINES),
    help="Rebuild with this engine (default: podium.toml's [index] engine, else PODIUM_ENGINE, "
    "else whoosh); later updates keep it.",
)  # fmt: skip
@click.pass_obj
def index_cmd(home: Home, rebuild: bool, quiet: bool, engine: str | None) -> None:
    """Maintain the search index (a view of the store that can always be rebuilt).

    Without --rebuild: index the events the store holds but the index does not yet (after
    a crash)."""
    from . import index
    from .ingest import catch_up_index
    from .store import Store

    home.ensure()
    if rebuild:
        try:
            count = _rebuild_index(home, quiet, engine)
        except PodiumError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"index rebuilt ({index.engine_of(home.index_dir)}): {count} passages")
        return
    if engine:
        raise click.UsageError("--engine chooses the engine of a rebuild: add --rebuild")
    with Store.open(home) as store:
        click.echo(f"index caught up: {catch_up_index(home, store)} events indexed")


def _rebuild_index(home: Home, quiet: bool, engine: str | None = None) -> int:
    from .ingest import rebuild_index
    from .store import Store

    with Store.open(home) as store:
        total = store.counts()["passages"]
        with _progress(store.iter_index_docs(), total, "Indexing", quiet) as docs:
            return rebuild_index(home, store, docs, engine=engine)


@main.command()
@click.argument("passage_id")
@click.option(
    "--style", default=DEFAULT_STYLE, show_default=True,
    help=f"{', '.join(MAIN_STYLES)}, any CSL style id, {AP_STYLE}, "
    f"or an export format: {', '.join(CITATION_FORMATS)}.",
)  # fmt: skip
@click.option("--version", "version", type=int, help="Cite this version of the page.")
@click.option("--html", "as_html", is_flag=True, help="HTML instead of plain text.")
@click.pass_obj
def cite(home: Home, passage_id: str, style: str, version: int | None, as_html: bool) -> None:
    """Print a citation of a passage (or of an event page, given its id)."""
    from . import cite as cite_mod
    from .store import Store

    with Store.open_reader(home) as store:
        record = store.cite_record(passage_id, version)
    if record is None:
        raise click.ClickException(f"no passage or event with id {passage_id!r}")
    try:
        if style == AP_STYLE:
            line = cite_mod.ap_line(record)
            if not line:
                raise PodiumError("an AP line needs an attributed quote")
            click.echo(line)
        elif style in CITATION_FORMATS:
            from .export import export as export_records

            click.echo("".join(export_records([record], style)), nl=False)
        else:
            fmt = "html" if as_html else "text"
            cache = CitationFile.for_home(home)
            click.echo(cite_mod.render([record], style, fmt, cache)[0])
    except PodiumError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("warm-citations")
@click.pass_obj
def warm_citations_command(home: Home) -> None:
    """Render every event's cite-panel citations into the citation cache.

    Each crawl pass does this for the events it stores; run it for pages added with `podium
    ingest`, or after an upgrade that renders citations differently, so every cite panel
    opens without waiting for pandoc."""
    from .ingest import warm_citations
    from .store import Store

    with Store.open_reader(home) as store:
        events = store.event_ids()
        rendered = warm_citations(home, store, events)
    click.echo(f"{rendered} citations rendered for {len(events)} events; the rest were cached")


@main.command()
@click.argument("query", required=False, default="")
@search_options
@click.option(
    "--format", "fmt", required=True,
    type=click.Choice(list(EXPORT_FORMATS)),
)  # fmt: skip
@click.option(
    "--style",
    help=f"Citation style of CSV rows (default {DEFAULT_STYLE}) and of CSL-JSON items "
    "(default: the full item every style but APA renders).",
)
@click.option("--event", "event_id", help="Export this event: the page and its quotes and turns.")
@click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8"),
    help="Write here; '-' for standard output. Default: a file named for the search and the "
    "day, e.g. podium-sanctions-2024-05-03.ris, when standard output is a terminal.",
)  # fmt: skip
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_obj
def export(home: Home, query, speaker, org, date_from, date_to, kind, quotes_only, sort, fmt,
           style, event_id, output, quiet) -> None:  # fmt: skip
    """Export every passage matching a search, or one event (no cap; streamed)."""
    from datetime import date

    from . import query as query_mod
    from .export import export as export_records
    from .export import export_filename
    from .store import Store

    request = _search_request(
        query, speaker, org, date_from, date_to, kind, quotes_only, sort, 1, 1
    )
    try:
        if event_id:
            with Store.open_reader(home) as store:
                ids = store.event_citation_ids(event_id)
            if ids is None:
                raise click.ClickException(f"no event with id {event_id!r}")
        else:
            ids = list(query_mod.iter_ids(home.index_dir, request))
        if output is None:
            output = sys.stdout
            if sys.stdout.isatty():
                label = event_id or query or speaker or org or "all"
                name = export_filename(fmt, label, date.today().isoformat())
                output = open(name, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
                click.echo(f"writing {name}", err=True)
        with Store.open_reader(home) as store, _progress(ids, len(ids), "Exporting", quiet) as bar:
            records = (r for r in (store.cite_record(i) for i in bar) if r is not None)
            cache = CitationFile.for_home(home)
            for chunk in export_records(records, fmt, style, cache=cache):
                output.write(chunk)
    except PodiumError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if output not in (None, sys.stdout):
            output.close()


@main.command()
@click.argument("passage_id")
@click.option("--speaker", help="Who really said it (a name).")
@click.option("--none", "nobody", is_flag=True, help="Nobody at the event said it.")
@click.pass_obj
def correct(home: Home, passage_id: str, speaker: str | None, nobody: bool) -> None:
    """Record an editor's correction of a passage's speaker (kept across re-ingest and rebuild)."""
    from .ingest import catch_up_index
    from .store import Store

    if bool(speaker) == nobody:
        raise click.UsageError("give exactly one of --speaker NAME or --none")
    with Store.open(home) as store:
        try:
            passage = store.correct(passage_id, None if nobody else speaker)
        except KeyError:
            raise click.ClickException(f"no passage with id {passage_id!r}") from None
        catch_up_index(home, store)  # the correction marked its event as waiting for the index
    click.echo(f"{passage_id}: speaker set to {passage.speaker or '(nobody)'} (correction)")


def _serve(home: Home, host: str, port: int, workers: int | None = None) -> None:
    from .ingest import catch_up_index
    from .store import Store
    from .web import serving

    home.ensure()
    try:
        workers = workers or _config(home).web.workers
    except PodiumError as exc:
        raise click.ClickException(str(exc)) from exc
    with Store.open(home) as store:
        caught_up = catch_up_index(home, store)
    if caught_up:
        click.echo(f"index caught up: {caught_up} events the last run stored but never indexed")
    try:
        sock = serving.bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc.strerror}") from exc
    processes = f" in {workers} processes" if workers > 1 else ""
    try:
        serving.run(
            home.root, sock, workers,
            announce=lambda: click.echo(f"Podium is serving {home.root} on "
                                        f"http://{host}:{port}/{processes}  (Ctrl-C stops it)"),
            verbose=logging.getLogger("podium").isEnabledFor(logging.DEBUG),
        )  # fmt: skip
    except PodiumError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8080, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Server processes (default: podium.toml's [web] workers, else 1); one per "
                   "core serves a newsroom's load.")  # fmt: skip
@click.pass_obj
def serve(home: Home, host: str, port: int, workers: int | None) -> None:
    """Serve the search page and the JSON API."""
    _serve(home, host, port, workers)


@main.command()
@click.option("--port", type=int, default=8080, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--no-serve", is_flag=True, help="Only ingest the sample pages; serve nothing.")
@click.pass_context
def demo(ctx: click.Context, port: int, host: str, no_serve: bool) -> None:
    """Ingest the bundled sample pages into a data directory and serve them.

    Uses --home / PODIUM_HOME if given, else ./demo-home, and prints the PODIUM_HOME line
    that points the other commands at it. With --no-serve it stops after the ingest.
    """
    from importlib import resources

    explicit = ctx.find_root().params.get("home")
    home = ctx.obj if explicit else Home.resolve("demo-home")
    # the pages are package data: a directory of an installed wheel, or corpus/samples/ itself
    # in an editable install (whose file keys, so whose events, stay those of earlier demos)
    with resources.as_file(resources.files("podium.samples")) as samples:
        pages = sorted(str(p) for p in samples.glob("*.html"))
        if not pages:
            raise click.ClickException(f"no sample pages in {samples}")
        results = ingest_pages(home, read_inputs(pages))
    ok = sum(r.status != "failed" for r in results)
    click.echo(f"{ok} of {len(results)} sample pages ingested into {home.root}")
    click.echo("Search them with:" if no_serve else "In another terminal, search them with:")
    click.echo(f"  export PODIUM_HOME={home.root}")
    click.echo('  podium search "Ice does not read newspapers"')
    if not no_serve:
        _serve(home, host, port)


@main.command()
@click.argument("text")
@click.option("--limit", type=int, default=DEFAULT_CHECK_RESULTS, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")
@click.pass_obj
def check(home: Home, text: str, limit: int, as_json: bool) -> None:
    """Find the original of a pasted, possibly misremembered quote, with what differs."""
    from . import query

    try:
        found = query.check(home.index_dir, text, limit=limit)
    except PodiumError as exc:
        _refuse(exc, as_json)
    if as_json:
        _emit({"text": text, **found})
        return
    verdict, matches = found["verdict"], found["matches"]
    if verdict == NOT_FOUND:
        click.echo("not found: nobody in the archive said anything close to it")
        if matches:
            click.echo("nearest passages (not matches):")
    else:
        click.echo(f"{verdict}: said by {_who(matches[0])}")
    for m in matches:
        click.echo(f"{m['similarity']:.2f}  [{m['id']}] {_who(m)}: “{m['text']}”")
        for d in m["diff"] if verdict != NOT_FOUND else []:
            if d["op"] != "same":
                click.echo(f"      {d['op']} by the original: {d['text']!r}")


def _who(match: dict) -> str:
    return (match.get("speaker") or {}).get("name") or "(no speaker)"


# --- crawling ----------------------------------------------------------------------------


def _config(home: Home):
    from .config import load_config

    return load_config(home)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")
@click.pass_obj
def sources(home: Home, as_json: bool) -> None:
    """List the sources in podium.toml with their last run."""
    from .store import Store

    config = _config(home)
    with Store.open_reader(home) as store:
        rows = [{**s.__dict__, "last_run": next((r.to_json() for r in store.runs(s.name, 1)), None)}
                for s in config.sources]  # fmt: skip
    if as_json:
        _emit({"sources": rows})
        return
    if not rows:
        click.echo(f"no sources: add [[source]] tables to {home.config_path}")
    for r in rows:
        last = r["last_run"]
        when = f"last run {last['started_at']} ({last['state']})" if last else "never crawled"
        click.echo(f"{r['name']:<16} {r['schedule'] or 'no schedule':<16} {when}")
        for url in r["start"] + r["sitemaps"] + r["feeds"]:
            click.echo(f"    {url}")


def _progress_printer():
    """A crawl's progress callback: one bar per source on stderr (click.progressbar), or None
    when stderr is not a terminal (the summary says what happened)."""
    if not sys.stderr.isatty():
        return None
    bars: list = []  # the current source's bar

    def show(i: int, total: int, page) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label="Crawling", file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(1, page.outcome)
        if i >= total:
            bars.pop().__exit__(None, None, None)

    return show


@main.command()
@click.option("--source", "names", multiple=True, help="Crawl only this source (repeatable).")
@click.option("--limit", type=int, help="At most this many event pages per source.")
@click.option("--json", "as_json", is_flag=True, help="The pass summaries as JSON.")
@click.option("--quiet", is_flag=True, help="No progress, just the summary.")
@click.pass_obj
def crawl(home: Home, names: tuple[str, ...], limit: int | None, as_json: bool, quiet: bool):
    """Run one crawl pass over the sources of podium.toml.

    Exit status 1 if a pass could not run (for example, one of the same source is
    already running); pages that fail are reported in the summary, not as an error.
    """
    from .crawl import crawl_source
    from .watch import check_all

    config = _config(home)
    chosen = [config.source(n) for n in names] if names else config.sources
    if not chosen:
        raise click.ClickException(f"no sources to crawl: add [[source]] to {home.config_path}")
    summaries, failed = [], 0
    for source in chosen:
        try:
            summary = crawl_source(
                home,
                config,
                source,
                limit=limit,
                progress=None if quiet or as_json else _progress_printer(),
                after_pass=check_all,
            )
        except PodiumError as exc:  # fmt: skip
            failed += 1
            if as_json:
                _emit({"source": source.name, "error": str(exc)})
            else:
                click.echo(f"{source.name}: {exc}", err=True)
            continue
        summaries.append(summary)
        if as_json:
            _emit(summary.to_json())
        else:
            click.echo(summary.line())
            for note in summary.notes:
                click.echo(f"  note: {note}")
            for page in summary.pages:
                if page.outcome == "failed":
                    click.echo(f"  failed  {page.url}: {page.reason}")
            for problem in summary.discovery_errors:
                click.echo(f"  discovery: {problem}")
    if failed:
        sys.exit(1)


@main.command()
@click.option("--run-now", is_flag=True, help="Run every source once at start, then on schedule.")
@click.option("--max-runs", type=int, help="Stop after this many passes (default: never).")
@click.pass_obj
def schedule(home: Home, run_now: bool, max_runs: int | None) -> None:
    """Run each source on its cron schedule until stopped (Ctrl-C)."""
    from .schedule import run_schedule

    try:
        run_schedule(home, _config(home), run_now=run_now, max_runs=max_runs,
                     echo=click.echo)  # fmt: skip
    except KeyboardInterrupt:
        click.echo("schedule stopped")


@main.command()
@click.option("--from-archive", is_flag=True, required=True,
              help="Re-extract every archived page; nothing is fetched.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="The counts and the failures as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_obj
def reindex(home: Home, from_archive: bool, as_json: bool, quiet: bool) -> None:
    """Rebuild the store (and then the index) from the WARC archive.

    Waits for no crawl pass: if one is running, says so and exits with status 1. Every page
    that could not be re-extracted is named, with the reason; an event none of whose pages
    could be re-read is kept as it was, and named."""
    from .ingest import reingest_archive
    from .store import Store

    if not quiet and not as_json and sys.stderr.isatty():
        click.echo("Re-extracting every archived page…", err=True)
    try:
        report = reingest_archive(home, _config(home))
    except PodiumError as exc:
        raise click.ClickException(str(exc)) from exc
    passages = _rebuild_index(home, quiet or as_json)
    with Store.open_reader(home) as store:
        totals = store.counts()
    if as_json:
        _emit({**report.to_json(), "events": totals["events"], "versions": totals["versions"],
               "passages_indexed": passages})  # fmt: skip
        return
    for failure in report.failed:
        click.echo(f"failed     {failure.source}: {failure.error}", err=True)
    for event_id in report.kept_events:
        click.echo(f"kept       {event_id}: no archived page of it could be re-read", err=True)
    click.echo(
        f"{report.records} archived records, {report.pages} pages re-extracted "
        f"({report.counts['failed']} failed): {totals['events']} events, "
        f"{totals['versions']} versions, {passages} passages indexed"
    )


@main.group()
def watch() -> None:
    """Saved searches: new matching passages after each crawl pass, as an Atom feed."""


@watch.command("add")
@click.argument("query")
@click.option("--speaker")
@click.option("--org")
@click.option("--from", "date_from")
@click.option("--to", "date_to")
@click.option("--kind")
@click.pass_obj
def watch_add(home: Home, query, speaker, org, date_from, date_to, kind) -> None:
    """Save a search; its feed is /feeds/<id>.atom."""
    from . import query as query_mod
    from .store import Store

    filters = dict(speaker=speaker, org=org, date_from=date_from, date_to=date_to, kind=kind)
    try:  # a saved search that cannot run would fail every crawl pass after it
        query_mod.validate(SearchRequest(q=query, **filters))
    except PodiumError as exc:
        raise click.ClickException(str(exc)) from exc
    with Store.open(home) as store:
        sid = store.add_saved_search(query, {k: v for k, v in filters.items() if v})
    click.echo(f"saved search {sid}: feed at /feeds/{sid}.atom")


@watch.command("list")
@click.pass_obj
def watch_list(home: Home) -> None:
    """List saved searches with their alert counts."""
    from .store import Store
    from .watch import describe

    with Store.open_reader(home) as store:
        for saved in store.saved_searches():
            click.echo(f"{saved.id:>4}  {describe(saved)}  ({saved.alerts} alerts)")


@watch.command("rm")
@click.argument("search_id", type=int)
@click.pass_obj
def watch_rm(home: Home, search_id: int) -> None:
    """Delete a saved search and its alerts."""
    from .store import Store

    with Store.open(home) as store:
        if not store.delete_saved_search(search_id):
            raise click.ClickException(f"no saved search {search_id}")
    click.echo(f"saved search {search_id} deleted")


if __name__ == "__main__":
    main()
