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
