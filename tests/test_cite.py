"""Citations: the strings of CITATIONS.md to the character, AP lines, deep links, styles."""

from __future__ import annotations

import pytest

from podium import cite
from podium.models import CiteRecord, PodiumError

URL = (
    "https://valdaiclub.com/events/posts/articles/russia-and-iran-at-the-crossroads-"
    "from-short-term-benefits-to-long-term-partnership/"
)
TITLE = "Russia and Iran at the Crossroads: From Short-Term Benefits to Long-Term Partnership"
SEED = CiteRecord(
    id="seed",
    title=TITLE,
    url=URL,
    organisation="Valdai Discussion Club",
    genre="Expert discussion",
    place="Moscow, Russia",
    event_date="2023-02-15",
    accessed="2026-11-24",
    speaker="Alexander Maryasov",
    role="Ambassador Extraordinary and Plenipotentiary of Russia to Iran (2001-2005)",
    text="Under these conditions, Moscow and Iran are making efforts to develop relations "
    "with countries that do not accept Western dictates,",
)

EXPECTED = {  # CITATIONS.md: citeproc-js and pandoc agree on these to the character
    "apa": f"Maryasov, A. (2023, February 15). {TITLE} [Expert discussion]. Valdai Discussion "
    f"Club, Moscow, Russia. {URL}",
    "mla": f"Maryasov, Alexander. “{TITLE}.” Expert discussion. Valdai Discussion Club, 15 Feb. "
    f"2023, Moscow, Russia, {URL}.",
    "chicago-author-date": f"Maryasov, Alexander. 2023. “{TITLE}.” Expert discussion. Valdai "
    f"Discussion Club, Moscow, Russia, February 15. {URL}.",
    "chicago-note-bibliography": f"Maryasov, Alexander. “{TITLE}.” Expert discussion. Valdai "
    f"Discussion Club, Moscow, Russia, February 15, 2023. {URL}.",
}


@pytest.mark.parametrize("style", list(EXPECTED))
def test_seed_quote_renders_exactly_as_citations_md(style):
    assert cite.render([SEED], style)[0] == EXPECTED[style]


def test_the_seed_item_is_the_csl_json_of_citations_md():
    item = cite.csl_item(SEED, "apa")
    assert item["type"] == "speech"
    assert item["author"] == [{"family": "Maryasov", "given": "Alexander"}]
    assert item["event-title"] == "Valdai Discussion Club"
    assert item["event-place"] == "Moscow, Russia"
    assert item["issued"] == {"date-parts": [[2023, 2, 15]]}
    assert "publisher" not in item and "event-date" not in item
    assert cite.csl_item(SEED, "mla")["event-date"] == item["issued"]


def test_a_batch_renders_each_entry_as_it_would_alone():
    many = [CiteRecord(**{**SEED.__dict__, "id": f"q{i}"}) for i in range(4)]
    assert cite.render(many, "apa") == [EXPECTED["apa"]] * 4
    assert (
        cite.render(many, "chicago-note-bibliography")
        == [EXPECTED["chicago-note-bibliography"]] * 4
    )


def test_names_with_particles_organisations_and_mononyms():
    assert cite.csl_name("Dominique de Villepin") == {
        "family": "Villepin",
        "given": "Dominique",
        "non-dropping-particle": "de",
    }
    assert cite.csl_name("Valdai Discussion Club", organisation=True) == {
        "literal": "Valdai Discussion Club"
    }
    assert cite.csl_name("Plato") == {"literal": "Plato"}


def test_a_page_without_a_speaker_is_a_webpage_by_the_organisation():
    page = CiteRecord(id="e1", title="A & B: “Why?”", url="https://x.example/e", organisation="Club & Co",
                      site_name="Club & Co", event_date="2021-03")  # fmt: skip
    item = cite.csl_item(page, "apa")
    assert item["type"] == "webpage" and item["author"] == [{"literal": "Club & Co"}]
    assert "container-title" not in item  # APA drops the site name when it equals the author
    assert cite.csl_item(page, "mla")["container-title"] == "Club & Co"
    text = cite.render([page], "apa")[0]
    assert text.startswith("Club & Co. (2021, March).")


@pytest.mark.parametrize("style", ["apa", "chicago-author-date"])
def test_an_author_whose_name_ends_with_a_period_gets_no_second_one(style):
    page = CiteRecord(id="e2", title="Grain corridors", url="https://x.example/g",
                      organisation="Acme Holdings Inc.", event_date="2021-03")  # fmt: skip
    other = CiteRecord(**{**page.__dict__, "id": "e3", "organisation": "Lyre St."})
    alone = cite.render([page], style)[0]
    assert alone.startswith("Acme Holdings Inc. ") and "Inc.." not in alone
    assert cite.render([page, other], style) == [alone, cite.render([other], style)[0]]
    assert "St.." not in cite.render([other], style)[0]


def test_html_output_escapes_scraped_text():
    hostile = CiteRecord(
        **{**SEED.__dict__, "id": "h", "title": "<script>alert(1)</script> & more"}
    )
    out = cite.render([hostile], "apa", "html")[0]
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp; more" in out


def test_ap_line_follows_ap_rules():
    assert cite.ap_line(SEED) == (
        "“Under these conditions, Moscow and Iran are making efforts to develop relations with "
        "countries that do not accept Western dictates,” said Alexander Maryasov, Russia’s "
        "ambassador to Iran from 2001 to 2005, at a Valdai Discussion Club discussion in Moscow "
        "on Feb. 15, 2023."
    )  # CITATIONS.md, to the character
    assert cite.ap_role("Ambassador of Poland to Norway") == "Poland’s ambassador to Norway"
    assert cite.ap_role("Senior Fellow at the Institute") == "senior fellow at the Institute"
    assert cite.ap_date("2022-03-03") == "March 3, 2022"
    assert cite.ap_date("2022-09-30") == "Sept. 30, 2022"
    assert cite.ap_date("2022-09") == "September 2022"
    assert cite.ap_line(CiteRecord(id="x", title="t", url=None)) is None


def test_ap_line_nests_quotes_drops_articles_and_names_the_kind_of_event():
    podcast = CiteRecord(
        id="pod", title="The Harbour Hour, Episode 4: Salt and Steel", url="https://x.example/p",
        organisation="Lakeside Forum", event_date="2024-05-03", speaker="Rafael de la Cruz",
        role="a senior fellow at the Lakeside Forum", text='Nobody here says "never" any more,',
    )  # fmt: skip
    assert cite.ap_line(podcast) == (
        "“Nobody here says ‘never’ any more,” said Rafael de la Cruz, senior fellow at the "
        "Lakeside Forum, at a Lakeside Forum podcast on May 3, 2024."
    )
    assert cite.ap_role("The director of the Institute") == "director of the Institute"
    assert (
        cite.ap_role("Director of the Kola Centre for Polar Research")
        == (
            "director of the Kola Centre for Polar Research"  # a title word inside a name keeps its capital
        )
    )
    assert cite.ap_role("Research Fellow, Energy Research Institute") == (
        "research fellow, Energy Research Institute"
    )
    assert cite.ap_role("Director of Research, Baltic Policy Institute") == (
        "director of research, Baltic Policy Institute"
    )
    untyped = CiteRecord(**{**podcast.__dict__, "title": "Salt and Steel", "url": None})
    assert " at a Lakeside Forum event on " in cite.ap_line(untyped)


@pytest.mark.parametrize("style", ["ieee", "nature", "american-medical-association"])
def test_numeric_styles_give_the_bibliography_entry_not_the_number(style):
    entry = cite.render([SEED], style)[0]
    assert "Maryasov" in entry and "Russia and Iran" in entry
    assert not entry.startswith(("[1]", "1."))


def test_chicago_notes_has_a_note_form_besides_the_bibliography_entry():
    assert cite.is_note_style("chicago-note-bibliography")
    assert not cite.is_note_style("apa")
    (entry, note), (apa, no_note) = cite.render_panel(SEED, ["chicago-note-bibliography", "apa"])
    assert note.startswith("Alexander Maryasov, “Russia and Iran")  # given name first in a note
    assert entry == EXPECTED["chicago-note-bibliography"]
    assert apa == EXPECTED["apa"] and no_note == ""


def test_deep_links_encode_as_the_text_fragment_spec_requires():
    link = cite.deep_link("https://x.example/p#top", "Short-term, long-term & more")
    assert link == "https://x.example/p#:~:text=Short%2Dterm%2C%20long%2Dterm%20%26%20more"
    long = cite.deep_link("https://x.example/p", SEED.text)
    assert long.endswith(
        "#:~:text=Under%20these%20conditions%2C%20Moscow,not%20accept%20Western%20dictates"
    )
    assert "’" not in cite.deep_link("https://x.example/p", "Russia’s favour")


def test_styles_any_csl_id_and_unknown_ones():
    ids = [i for i, _ in cite.list_styles()]
    assert ids[:4] == ["apa", "mla", "chicago-author-date", "chicago-note-bibliography"]
    assert "chicago-author-date-18th-edition" in ids
    assert cite.render([SEED], "harvard-cite-them-right")[0].startswith("Maryasov, A.")
    for bad in ("no-such-style", "../../etc/passwd", ""):
        with pytest.raises(PodiumError):
            cite.render([SEED], bad)


def test_american_punctuation_moves_only_after_a_real_inner_quote():
    assert cite._american_punctuation("“Day 2. ‘Not about love’.”") == "“Day 2. ‘Not about love.’”"
    assert cite._american_punctuation("“The Members’.”") == "“The Members’.”"  # a possessive
