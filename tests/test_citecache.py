"""The citation cache: pandoc renders each distinct citation once, and the data directory's
cache file keeps it for the next process."""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import replace

import pytest

from podium import cite
from podium.citecache import CitationFile, CitationMemory
from podium.export import export
from podium.models import CiteRecord

EVENT = CiteRecord(
    id="p0",
    title="Harbour Ice and Grain: A Round Table on Northern Routes",
    url="https://forum.example/events/harbour-ice/",
    organisation="Lindqvist Institute",
    genre="Round table",
    place="Tromsø, Norway",
    event_date="2024-10-03",
    accessed="2026-01-05",
    version=1,
    speaker="Ingrid Solbakken",
    text="The ice does not wait for a treaty.",
)
APA_SOLBAKKEN = (
    "Solbakken, I. (2024, October 3). Harbour Ice and Grain: A Round Table on Northern Routes "
    "[Round table]. Lindqvist Institute, Tromsø, Norway. https://forum.example/events/harbour-ice/"
)


def passages(n: int, speakers: list[str], event: CiteRecord = EVENT) -> list[CiteRecord]:
    return [
        replace(event, id=f"{event.id}-{i}", speaker=speakers[i % len(speakers)], text=f"Said {i}.")
        for i in range(n)
    ]


@pytest.fixture
def pandoc_calls(monkeypatch):
    """How many entries each pandoc call rendered (pandoc still runs)."""
    calls: list[int] = []
    real = cite._run_pandoc

    def counting(jobs):
        calls.append(sum(len(job.items) for job in jobs))
        return real(jobs)

    monkeypatch.setattr(cite, "_run_pandoc", counting)
    return calls


def test_each_speaker_at_an_event_version_is_rendered_once(tmp_path, pandoc_calls):
    cache = CitationFile(tmp_path / "citations.db")
    records = passages(30, ["Ingrid Solbakken", "Tomasz Wróbel", "Amara Okafor"])
    out = cite.render(records, "apa", cache=cache)
    assert pandoc_calls == [3]
    assert out[0] == APA_SOLBAKKEN
    assert out[1].startswith("Wróbel, T. (2024, October 3).")
    assert out[3] == APA_SOLBAKKEN


def test_the_cache_file_outlives_the_process_that_filled_it(tmp_path, pandoc_calls):
    path = tmp_path / "corpus" / "citations.db"
    cite.render(passages(5, ["Ingrid Solbakken"]), "apa", cache=CitationFile(path))
    again = cite.render(passages(5, ["Ingrid Solbakken"]), "apa", "html", CitationFile(path))
    assert pandoc_calls == [1]
    assert "<em>Harbour Ice and Grain" in again[0]


def test_a_new_version_a_corrected_speaker_or_another_style_is_a_new_entry(tmp_path, pandoc_calls):
    cache = CitationFile(tmp_path / "citations.db")
    cite.render([EVENT], "apa", cache=cache)
    retitled = replace(EVENT, version=2, title="Harbour Ice, Grain and Gas", accessed="2026-02-01")
    corrected = replace(EVENT, speaker="Tomasz Wróbel")
    out = cite.render([retitled, corrected, EVENT], "apa", cache=cache)
    assert "Harbour Ice, Grain and Gas" in out[0] and out[1].startswith("Wróbel, T.")
    assert out[2] == APA_SOLBAKKEN
    assert cite.render([EVENT], "mla", cache=cache)[0].startswith("Solbakken, Ingrid.")
    assert pandoc_calls == [1, 2, 1]


def test_an_unreadable_cache_file_only_costs_rendering(tmp_path):
    path = tmp_path / "citations.db"
    path.write_bytes(b"this is not a database" * 100)
    assert cite.render([EVENT], "apa", cache=CitationFile(path)) == [APA_SOLBAKKEN]


def test_threads_share_one_cache_file(tmp_path):
    cache = CitationFile(tmp_path / "citations.db")
    results: list[list[str]] = []

    def work():
        results.append(cite.render(passages(4, ["Ingrid Solbakken"]), "apa", cache=cache))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[APA_SOLBAKKEN] * 4] * 4


def test_a_csv_export_renders_each_distinct_citation_once(tmp_path, pandoc_calls):
    other = replace(EVENT, id="q0", title="Baltic Cables", url="https://forum.example/cables/")
    records = passages(1200, ["Ingrid Solbakken", "Amara Okafor"]) + passages(
        300, ["Ingrid Solbakken"], other
    )
    cache = CitationFile(tmp_path / "citations.db")
    rows = list(
        csv.DictReader(io.StringIO("".join(export(iter(records), "csv", "apa", cache=cache))))
    )
    assert len(rows) == 1500
    assert rows[0]["citation"] == APA_SOLBAKKEN
    assert rows[-1]["citation"].startswith("Solbakken, I. (2024, October 3). Baltic Cables")
    assert sum(pandoc_calls) == 3  # 2 speakers at one event, 1 at the other


def test_without_a_cache_file_the_process_remembers(pandoc_calls):
    memory = CitationMemory(size=2)
    cite.render([EVENT], "apa", cache=memory)
    cite.render([EVENT], "apa", cache=memory)
    assert pandoc_calls == [1]


def test_only_the_fields_a_citation_is_keyed_on_change_its_csl_item():
    """render builds one CSL item per distinct `cite._cited(record)`: a field outside it
    must not change the item (else passages of one citation would share a wrong entry)."""
    base = cite.csl_item(EVENT, "mla")
    for name in EVENT.__dataclass_fields__:
        if name == "id":
            continue
        changed = replace(EVENT, **{name: "2020-01-02" if "date" in name else "Other Value"})
        if cite._cited(changed) == cite._cited(EVENT):
            assert cite.csl_item(changed, "mla") == base, name


def test_podium_export_keeps_its_citations_in_the_data_directory(demo_home, tmp_path):
    import os
    import sqlite3
    import subprocess
    import sys

    def export_csv(out):
        subprocess.run(
            [sys.executable, "-m", "podium.cli", "export", "--format", "csv", "-o", str(out), "sanctions"],
            env=dict(os.environ, PODIUM_HOME=str(demo_home)), check=True, capture_output=True,
        )  # fmt: skip
        return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))

    def entries() -> int:  # other tests may have cited from this home before
        path = demo_home / "corpus" / "citations.db"
        if not path.exists():
            return 0
        with sqlite3.connect(path) as db:
            return db.execute("SELECT count(*) FROM citation").fetchone()[0]

    before = entries()
    first = export_csv(tmp_path / "first.csv")
    distinct = {(row["speaker"], row["event"]) for row in first}
    added = entries() - before
    assert added <= len(distinct) < len(first) and entries() > 0
    assert export_csv(tmp_path / "again.csv") == first
    assert entries() == before + added
