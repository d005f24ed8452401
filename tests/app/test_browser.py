"""The studio in a real headless Chromium (Debian's, driven by Playwright) against the app served on localhost."""

import pytest
from playwright.sync_api import sync_playwright

from app.browser import generate, launch, open_page, search, serve


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("streamlit") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def page(url):
    with sync_playwright() as p:
        browser = launch(p)
        yield browser.new_page(viewport={"width": 1400, "height": 1000})
        browser.close()


def test_generate_shows_an_icon_as_png_and_downloads_its_svg(url, page):
    seconds = generate(page, url, "bell", candidates=1, max_tokens=48)
    assert seconds < 300
    icon = page.get_by_test_id("stMain").get_by_test_id("stImage").locator("img").first
    assert icon.get_attribute("src").endswith(".png")  # a render, never the SVG markup
    with page.expect_download() as download:
        page.get_by_role("button", name="SVG", exact=True).first.click()
    svg = download.value.path().read_text()
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert download.value.suggested_filename == "bell-1.svg"


def test_search_shows_results_with_licenses(url, page):
    line = search(page, url, "arrow")
    assert " ms from 305 icons" in line
    main = page.get_by_test_id("stMain")
    assert main.get_by_test_id("stImage").count() >= 1
    assert main.get_by_text("MIT").count() + main.get_by_text("Apache").count() + main.get_by_text("CC").count() >= 1


@pytest.mark.parametrize("path", ["", "Edit", "Tokenizer"])
def test_the_other_pages_open_without_errors(url, page, path):
    open_page(page, url, path)
    page.get_by_role("heading").first.wait_for()
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_test_id("stAlertContentError").count() == 0
