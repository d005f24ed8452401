"""``python -m app.loadtest``: concurrent browser sessions generating at once against one studio server.

Each session is its own headless Chromium (one per thread, as Playwright's sync API wants) that opens the
Generate page and generates at the same moment as the others. It reports the time from the click to the
first icon on screen (p50 / p90), the sessions that failed or showed an error, and how many times the server
loaded the model (it should be once: ``st.cache_resource``). Not part of ``make test``; the figures are in
docs/RESULTS.md under "app".
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from app.browser import generate, launch, serve

MODEL_LOADED = "vectorsmith: loading the model"  # printed by app.resources.generator


def session(url: str, prompt: str, max_tokens: int, start: threading.Barrier, out: dict) -> None:
    """One browser session: wait for the others, generate one icon, record the seconds or the failure."""
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            start.wait()
            out["seconds"] = generate(page, url, prompt, candidates=1, max_tokens=max_tokens)
            shown = page.get_by_test_id("stException").count() + page.get_by_test_id("stAlertContentError").count()
            if shown:
                out["error"] = f"{shown} error message(s) on the page"
            browser.close()
    except Exception as error:  # a load test reports every failure instead of stopping
        out["error"] = f"{type(error).__name__}: {error}"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear between the closest ranks."""
    return float(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]) if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description="Concurrent browser sessions generating icons at once.")
    parser.add_argument("--sessions", type=int, default=10, help="browser sessions generating at once (10)")
    parser.add_argument("--prompts", default="bell,house,star,heart,cart,cloud,user,lock,camera,mail")
    parser.add_argument("--max-tokens", type=int, default=512, help="the Generate page's max tokens (512)")
    args = parser.parse_args()
    prompts = args.prompts.split(",")
    log = Path(tempfile.mkdtemp(prefix="vectorsmith-load-")) / "server.log"
    with serve(log) as url:
        # Warm the server once (model load, first script run) so the figures are steady-state, as a user sees them.
        with sync_playwright() as p:
            browser = launch(p)
            generate(browser.new_page(), url, "warm up", max_tokens=16)
            browser.close()
        start = threading.Barrier(args.sessions)
        results = [{} for _ in range(args.sessions)]
        threads = [
            threading.Thread(target=session, args=(url, prompts[i % len(prompts)], args.max_tokens, start, out))
            for i, out in enumerate(results)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    seconds = sorted(r["seconds"] for r in results if "seconds" in r)
    errors = [r["error"] for r in results if "error" in r]
    loads = log.read_text().count(MODEL_LOADED)
    print(f"sessions {args.sessions}, max tokens {args.max_tokens}, 1 candidate each")
    print(f"errors {len(errors)}" + "".join(f"\n  {e}" for e in errors))
    print(f"model loaded {loads} time(s)")
    if seconds:
        print(f"time to first icon: p50 {percentile(seconds, 50):.1f} s, p90 {percentile(seconds, 90):.1f} s")
        print("all: " + ", ".join(f"{s:.1f}" for s in seconds))


if __name__ == "__main__":
    main()
