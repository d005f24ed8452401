"""End to end in a real headless Chromium: the studio served on a free localhost port, as a person uses it."""

import shutil

import pytest

from app.browser import IMAGE, chromium, generate, search, serve

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium missing: make browser-deps")
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture(scope="module")
def page():
    with serve() as url, sync_playwright() as p:
        browser = chromium(p)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.studio_url = url
        yield tab
        browser.close()


def test_generate_an_icon_and_see_it(page):
    seconds = generate(page, page.studio_url, "a house", n=1, max_tokens=32)
    assert seconds > 0 and page.locator(IMAGE).count() == 1
    assert page.get_by_text("✓ parsed").count() == 1
    assert page.get_by_text("Traceback").count() == 0


def test_search_and_see_results(page):
    assert search(page, page.studio_url, "bell") == 12
    assert page.get_by_text("results in").count() == 1


def test_the_icon_is_a_png_render_and_downloads_as_svg(page):
    generate(page, page.studio_url, "a house", n=1, max_tokens=32)
    assert ".svg" not in page.locator(IMAGE).first.get_attribute("src")  # a render from the server, never markup
    with page.expect_download() as download:
        page.get_by_role("button", name="SVG", exact=True).first.click()
    svg = download.value.path().read_text()
    assert download.value.suggested_filename == "icon-1.svg"
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
