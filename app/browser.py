"""Drive the studio in a real headless Chromium (Debian's ``chromium``, via Playwright): the end-to-end test,
the screenshots in docs/ and the load test share these steps.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parents[1]
# An image on the page's main area (st.image), not the sidebar's.
IMAGE = '[data-testid="stMain"] [data-testid="stImage"] img'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(port: int | None = None, timeout: float = 120) -> Iterator[str]:
    """Start the studio on localhost and yield its URL; stop it on exit."""
    port = port or free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "Home.py"), f"--server.port={port}"]
    command += ["--server.address=127.0.0.1", "--server.headless=true", "--browser.gatherUsageStats=false"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"the studio did not start on {url}") from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def chromium(playwright: Playwright) -> Browser:
    """Debian's chromium, headless (no sandbox: CI runs as root)."""
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError("chromium is not installed; `make browser-deps` installs it")
    return playwright.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-dev-shm-usage"])


def generate(
    page: Page, url: str, prompt: str, n: int = 1, max_tokens: int = 64, best_of: int = 1, timeout_s: float = 300
) -> float:
    """Open Generate, ask for ``n`` icons, and return the seconds from the click to the first icon on screen."""
    page.goto(url)
    page.get_by_label("Prompt").fill(prompt)
    page.get_by_label("Icons").fill(str(n))
    page.get_by_text("Advanced").click()
    page.get_by_label("Max tokens per icon").fill(str(max_tokens))
    page.get_by_role("spinbutton", name="Best of").fill(str(best_of))
    start = time.perf_counter()
    page.get_by_role("button", name="Generate").click()
    page.locator(IMAGE).first.wait_for(timeout=timeout_s * 1000)
    return time.perf_counter() - start


def settle(page: Page, timeout_s: float = 60) -> None:
    """Wait until the page's script run is over (call it once the run has shown something)."""
    done = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_selector(done, timeout=timeout_s * 1000)


def search(page: Page, url: str, query: str, timeout_s: float = 60) -> int:
    """Open Search, run a query and return how many result images appear."""
    page.goto(f"{url}/search")
    box = page.get_by_label("Query")
    box.fill(query)
    box.press("Enter")
    page.locator(IMAGE).first.wait_for(timeout=timeout_s * 1000)
    settle(page, timeout_s)  # the grid is drawn one icon at a time; count once the run is over
    return page.locator(IMAGE).count()
