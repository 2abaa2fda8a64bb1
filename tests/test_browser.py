"""In a real browser (Debian's Chromium driven by Playwright) against a real `podium serve`:
search, facets, citations, export, permalinks, speaker pages, accessibility, hostile text."""

from __future__ import annotations

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
    assert first.locator(".who").inner_text().strip()
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
    citation = hit.locator(".citation").inner_text()
    hit.locator("button.copy").first.click()
    playwright.expect(hit.locator("button.copy").first).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == citation
    assert citation.startswith("Wierzbicki, T. (2023, March 14).")


def test_export_downloads_a_file(page):
    run_search(page, "sanctions")
    with page.expect_download() as download:
        page.get_by_role("link", name="RIS", exact=True).click()
    path = download.value.path()
    assert download.value.suggested_filename == "podium-export.ris"
    assert open(path, encoding="utf-8").read().startswith("TY  - ")


def test_permalink_and_speaker_pages(page):
    run_search(page, "Ice does not read newspapers")
    page.locator(".hit a", has_text="Permalink").first.click()
    page.wait_for_selector("article.passage")
    assert "Viktor Lemansky" in page.locator(".who").inner_text()
    assert (
        page.locator('meta[name="citation_author"]').get_attribute("content") == "Viktor Lemansky"
    )
    page.locator(".who a").first.click()
    page.wait_for_selector("article.speaker")
    assert page.locator("h1").inner_text() == "Viktor Lemansky"
    assert page.locator(".timeline li").count() >= 1


def test_the_hostile_page_executes_nothing(page):
    for path in ["/?q=Payload", "/?q=sanctions+scripts", "/?q=escaping"]:
        page.goto(path)
        assert page.evaluate("typeof window.pwned") == "undefined"
    event_link = page.locator(".hit .where a").first
    event_link.click()
    page.wait_for_selector("article.event")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.dialogs == []


@pytest.mark.parametrize("path", ["/?q=sanctions", "/speaker", "/permalink"])
def test_no_serious_accessibility_violations(page, path):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    if path == "/speaker":
        run_search(page, "Ice does not read newspapers")
        page.locator(".hit .speaker").first.click()
    elif path == "/permalink":
        run_search(page, "Ice does not read newspapers")
        page.locator(".hit a", has_text="Permalink").first.click()
    else:
        page.goto(path)
    page.wait_for_load_state()
    results = axe_module.Axe().run(page)
    bad = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad
