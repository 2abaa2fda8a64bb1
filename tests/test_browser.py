"""In a real browser (Debian's Chromium driven by Playwright) against a real `podium serve`:
search, facets, citations, export, permalinks, speaker pages, accessibility, hostile text."""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlparse

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed")

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def run_search(page, text: str):
    page.goto("/")
    page.fill("#q", text)
    page.press("#q", "Enter")
    page.wait_for_selector(".hits, .empty")


def test_search_shows_highlighted_attributed_results(page):
    run_search(page, "sanctions")
    first = page.locator(".hit").first
    assert first.locator("mark").count() >= 1
    assert first.locator("p.who").inner_text().strip()
    assert "sanctions" in parse_qs(urlparse(page.url).query)["q"][0]


def test_clicking_a_facet_filters_the_results(page):
    run_search(page, "sanctions")
    facet = page.locator("a[data-facet=speaker]").first
    name = facet.inner_text()
    facet.click()
    page.wait_for_load_state()
    assert parse_qs(urlparse(page.url).query)["speaker"] == [name]
    speakers = page.locator(".hit .speaker").all_inner_texts()
    assert speakers and all(s == name for s in speakers)


def test_copying_a_citation_puts_it_on_the_clipboard(page):
    run_search(page, "Every crisis teaches the same lesson")
    hit = page.locator(".hit").first
    hit.locator("summary", has_text="Cite").click()
    citation = hit.locator(".citation[data-citation-for]")  # loaded when the panel opens
    playwright.expect(citation).to_have_text(re.compile(r"^Wierzbicki, T\. \(2023, March 14\)\."))
    copy = citation.locator("xpath=following-sibling::button[1]")
    copy.click()
    playwright.expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == citation.inner_text()


def test_copy_buttons_keep_their_labels_after_copying(page):
    run_search(page, "Every crisis teaches the same lesson")
    hit = page.locator(".hit").first
    hit.locator("summary", has_text="Cite").click()
    buttons = {
        "Copy citation": hit.locator(".cite-list button.copy").first,
        "Copy AP line": hit.locator("details.cite > button.copy"),
    }
    for label, button in buttons.items():
        playwright.expect(button).to_have_text(label)
        button.click()
        playwright.expect(button).to_have_text("Copied")
        playwright.expect(button).to_have_text(label, timeout=5000)  # back, not a bare "Copy"
    ap = page.evaluate("navigator.clipboard.readText()")
    assert ap.startswith("“Every crisis teaches the same lesson") and " said " in ap


def test_the_style_picker_drives_the_cite_panel_and_the_export_links(page):
    run_search(page, "Every crisis teaches the same lesson")
    picker = page.locator("select[data-style-picker]")
    assert picker.is_visible()  # outside the closed Filters
    hit = page.locator(".hit").first
    hit.locator("summary", has_text="Cite").click()
    playwright.expect(hit.locator(".citation[data-citation-for]")).to_contain_text("(2023")
    picker.select_option("mla")
    playwright.expect(hit.locator(".citation[data-citation-for]")).to_have_text(
        re.compile(r"^Wierzbicki, Tomasz\. “Energy Security")
    )
    for link in page.locator("a[data-export]").all():
        assert parse_qs(urlparse(link.get_attribute("href")).query)["style"] == ["mla"]
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    data = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Wierzbicki, Tomasz. “Energy Security" in data
    assert re.fullmatch(r"podium-every-crisis-teaches-the-same-lesson-[\d-]{10}\.csv",
                        download.value.suggested_filename)  # fmt: skip


def test_export_downloads_a_file(page):
    run_search(page, "sanctions")
    with page.expect_download() as download:
        page.get_by_role("link", name="RIS", exact=True).click()
    path = download.value.path()
    assert re.fullmatch(r"podium-sanctions-\d{4}-\d\d-\d\d\.ris", download.value.suggested_filename)
    assert open(path, encoding="utf-8").read().startswith("TY  - ")


@pytest.mark.parametrize("dates", [("yesterday", ""), ("2024", "2020")])
def test_a_bad_date_filter_shows_the_error_with_the_form_kept(page, dates):
    page.goto("/?q=sanctions")
    page.locator("details.filters summary").click()
    page.fill("input[name=speaker]", "Volkov")
    page.fill("input[name=from]", dates[0])
    page.fill("input[name=to]", dates[1])
    page.press("input[name=from]", "Enter")
    playwright.expect(page.locator(".error[role=alert]")).to_be_visible()
    assert page.locator("#q").input_value() == "sanctions"
    assert page.locator("input[name=speaker]").input_value() == "Volkov"
    assert page.locator("input[name=from]").input_value() == dates[0]
    assert page.locator("input[name=speaker]").is_visible()  # the filters stay open


PAGES_AT_390 = ["search", "permalink", "event", "speaker", "status", "cite panel"]


@pytest.mark.parametrize("which", PAGES_AT_390)
def test_nothing_is_wider_than_a_phone(browser, server, which):
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto("/?q=Ice+does+not+read+newspapers")
        if which == "search":
            first = page.locator(".hit").first
            assert first.bounding_box()["y"] < 844  # a result on the first screen
            assert not page.locator(".facets a[data-facet]").first.is_visible()  # behind a button
            page.locator("details.facets summary").click()
            assert page.locator(".facets a[data-facet]").first.is_visible()
        elif which == "cite panel":
            page.locator(".hit summary", has_text="Cite").first.click()
            page.wait_for_selector(".citation[data-citation-for]")
        elif which == "permalink":
            page.locator(".hit a", has_text="Permalink").first.click()
            page.wait_for_selector("article.passage")
        elif which == "event":
            page.locator(".hit .where a").first.click()
            page.wait_for_selector("article.event")
        elif which == "speaker":
            page.locator(".hit a.speaker").first.click()
            page.wait_for_selector("article.speaker")
        else:
            page.goto("/status")
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
    finally:
        context.close()


def test_permalink_and_speaker_pages(page):
    run_search(page, "Ice does not read newspapers")
    page.locator(".hit a", has_text="Permalink").first.click()
    page.wait_for_selector("article.passage")
    assert "Viktor Lemansky" in page.locator(".who").inner_text()
    assert page.locator('meta[name="z.presenters"]').get_attribute("content") == "Lemansky, Viktor"
    page.locator(".who a").first.click()
    page.wait_for_selector("article.speaker")
    assert page.locator("h1").inner_text() == "Viktor Lemansky"
    assert page.locator(".timeline li").count() >= 1


def test_speaker_page_quotes_are_plain_text_in_quote_marks(page):
    run_search(page, "Ice does not read newspapers")
    page.locator(".hit a.speaker").first.click()
    quote = page.locator("article.speaker blockquote.quote").first
    playwright.expect(quote).to_have_text("Ice does not read newspapers")  # no dangling comma
    weight = quote.evaluate("el => getComputedStyle(el).fontWeight")
    marks = quote.evaluate(
        "el => [getComputedStyle(el, '::before').content, getComputedStyle(el, '::after').content]"
    )
    assert int(weight) < 600 and marks == ['"“"', '"”"']


def test_the_hostile_page_executes_nothing(page):
    for path in ["/?q=Payload", "/?q=sanctions+scripts", "/?q=escaping"]:
        page.goto(path)
        assert page.evaluate("typeof window.pwned") == "undefined"
    event_link = page.locator(".hit .where a").first
    event_link.click()
    page.wait_for_selector("article.event")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.dialogs == []


@pytest.mark.parametrize(
    "path", ["/?q=sanctions", "/speaker", "/permalink", "/event", "/events", "/speakers", "/status"]
)
def test_no_serious_accessibility_violations(page, path):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    if path == "/speaker":
        run_search(page, "Ice does not read newspapers")
        page.locator(".hit .speaker").first.click()
    elif path == "/permalink":
        run_search(page, "Ice does not read newspapers")
        page.locator(".hit a", has_text="Permalink").first.click()
    elif path == "/event":
        run_search(page, "Ice does not read newspapers")
        page.locator(".hit .where a").first.click()
    else:
        page.goto(path)
    page.wait_for_load_state()
    results = axe_module.Axe().run(page)
    bad = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad
