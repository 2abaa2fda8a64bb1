"""`podium …`: the command line. Thin: parse options, call the pipeline, print.

Human output by default, `--json` for machines (shapes in DESIGN.md).
"""

from __future__ import annotations

import json
import sys

import click

from .config import Home
from .ingest import extract_page, read_input
from .models import PodiumError


def _emit(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="PODIUM_HOME",
    help="Data directory (podium.toml, corpus/, index/). Default: $PODIUM_HOME or the current one.",
)
@click.version_option(package_name="podium")
@click.pass_context
def main(ctx: click.Context, home: str | None) -> None:
    """Podium: search and cite who said what at think-tank events."""
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


if __name__ == "__main__":
    main()
