"""Screenshots of every studio page for the README: ``python -m app.screenshots`` writes docs/app-*.png."""

from __future__ import annotations

from playwright.sync_api import sync_playwright

from app.browser import IMAGE, ROOT, chromium, generate, search, serve

DOCS = ROOT / "docs"
CLOCK = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="9" fill="#e11d48"/>'
    '<path d="M12 7v5l3 3" fill="none" stroke="#fff" stroke-width="2"/></svg>'
)


def main() -> None:
    sample = DOCS / "app-sample.svg"
    with serve() as url, sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        generate(page, url, "a house", n=4, max_tokens=256, best_of=2)
        page.wait_for_function(f"document.querySelectorAll('{IMAGE.split(',')[0]}').length >= 4", timeout=300_000)
        page.screenshot(path=DOCS / "app-generate.png", full_page=True)
        page.get_by_role("button", name="Edit this").first.click()
        page.get_by_label("Instruction", exact=True).fill("Change the black color to red.")
        page.get_by_role("button", name="Apply").click()
        page.get_by_text("Version 2").wait_for(timeout=300_000)
        page.screenshot(path=DOCS / "app-edit.png", full_page=True)
        search(page, url, "bell")
        page.get_by_role("button", name="Details").first.click()
        page.get_by_text("Similar icons").wait_for()
        page.screenshot(path=DOCS / "app-search.png", full_page=True)
        page.goto(f"{url}/tokenizer")
        sample.write_text(CLOCK)
        page.locator('input[type="file"]').set_input_files(sample)
        page.get_by_text("Atomic tokens").wait_for(timeout=60_000)
        page.wait_for_timeout(2000)  # let the metrics and token spans paint
        page.screenshot(path=DOCS / "app-tokenizer.png", full_page=True)
        sample.unlink()
        browser.close()


if __name__ == "__main__":
    main()
