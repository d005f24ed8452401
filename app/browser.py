"""Drive the studio in a real headless Chromium: serve it, generate an icon, search, take screenshots.

The browser test (``tests/app/test_browser.py``), the load test (``python -m app.loadtest``) and the README's
screenshots (``python -m app.browser docs/``) share these steps. Chromium is Debian's (``make`` installs it
when missing; ``$CHROMIUM`` points elsewhere); Playwright only drives it.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
START_TIMEOUT_S = 120
GENERATE_TIMEOUT_S = 300
PAGES = ("", "Generate", "Edit", "Search", "Tokenizer")  # URL paths; "" is Home
EDIT_EXAMPLE = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"><circle cx="18" cy="18" r="16" fill="#FFCC4D"/>'
    '<circle cx="12" cy="14" r="3" fill="#664500"/><circle cx="24" cy="14" r="3" fill="#664500"/></svg>'
)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(log: Path, port: int | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run app/Home.py`` on localhost until the block ends; yields its base URL.

    Args:
        log: file that receives the server's stdout and stderr.
        port: the port (default: a free one).
        env: extra environment variables (e.g. ``VECTORSMITH_INDEX``).

    Raises:
        RuntimeError: the server exited or did not answer within ``START_TIMEOUT_S``.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app/Home.py"), f"--server.port={port}"]
    command += ["--server.address=127.0.0.1", "--server.headless=true", "--browser.gatherUsageStats=false"]
    with open(log, "w") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"streamlit exited with status {server.returncode}; see {log}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer on {url} within {START_TIMEOUT_S} s; see {log}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM}; run `make browser-deps` or set $CHROMIUM")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])


def settle(page: Page) -> None:
    """Wait until the page's script run has finished (call it once the run has shown something)."""
    done = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_selector(done, timeout=GENERATE_TIMEOUT_S * 1000)


def open_page(page: Page, url: str, path: str) -> None:
    """Open one page of the app and wait until its script has run."""
    page.goto(f"{url}/{path}")
    page.get_by_test_id("stMain").locator("h1").first.wait_for(timeout=GENERATE_TIMEOUT_S * 1000)
    settle(page)


def generate(page: Page, url: str, prompt: str, candidates: int = 1, max_tokens: int = 48) -> float:
    """Generate icons on the Generate page; returns the seconds from the click to the first icon on screen."""
    open_page(page, url, "Generate")
    page.get_by_role("textbox", name="Prompt").fill(prompt)
    slider = page.get_by_role("slider").first
    slider.focus()
    page.keyboard.press("Home")  # 1 candidate
    for _ in range(candidates - 1):
        page.keyboard.press("ArrowRight")
    page.get_by_role("spinbutton", name="Max tokens").fill(str(max_tokens))
    start = time.perf_counter()
    page.get_by_role("button", name="Generate").click()
    page.get_by_test_id("stMain").get_by_test_id("stImage").first.wait_for(timeout=GENERATE_TIMEOUT_S * 1000)
    return time.perf_counter() - start


def search(page: Page, url: str, query: str) -> str:
    """Search the library on the Search page; returns the result line ("12 results in 8 ms from 305 icons")."""
    open_page(page, url, "Search")
    box = page.get_by_label("Query: words, JSON, an icon id (set:name) or SVG code")
    box.fill(query)
    box.press("Control+Enter")
    line = page.get_by_text(" results in ").first
    line.wait_for(timeout=GENERATE_TIMEOUT_S * 1000)
    page.get_by_test_id("stMain").get_by_test_id("stImage").first.wait_for()
    return line.inner_text()


def edit(page: Page, url: str, svg: str, quick_pick: str) -> None:
    """Paste an SVG on the Edit page and apply one of its quick-pick instructions; waits for the comparison."""
    open_page(page, url, "Edit")
    page.get_by_text("Paste", exact=True).click()
    box = page.get_by_role("textbox", name="SVG code")
    box.fill(svg)
    box.press("Control+Enter")
    page.get_by_test_id("stMain").get_by_test_id("stImage").first.wait_for()
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=quick_pick).click()
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Pixel difference").wait_for(timeout=GENERATE_TIMEOUT_S * 1000)


def screenshots(folder: Path) -> list[Path]:
    """One screenshot of each page, in use (a generated icon, a search, the example tokenized) under ``folder``."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    with serve(folder / ".streamlit.log") as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1500})
        for path in PAGES:
            if path == "Generate":
                generate(page, url, "bell", candidates=4, max_tokens=256)
            elif path == "Edit":
                edit(page, url, EDIT_EXAMPLE, "Yellow part to red")
            elif path == "Search":
                search(page, url, "arrow")
            else:
                open_page(page, url, path)
            settle(page)
            shot = folder / f"app-{(path or 'home').lower()}.png"
            page.screenshot(path=shot, full_page=True)
            shots.append(shot)
        browser.close()
    (folder / ".streamlit.log").unlink()
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description="Screenshots of each studio page, for the README.")
    parser.add_argument("folder", type=Path, nargs="?", default=ROOT / "docs", help="where to save them (docs/)")
    for shot in screenshots(parser.parse_args().folder):
        print(shot)


if __name__ == "__main__":
    main()
