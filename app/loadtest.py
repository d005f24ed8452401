"""Load test: N browser sessions press Generate at once against one studio server on localhost.

``python -m app.loadtest --sessions 10`` prints one line per session and ends with one JSON line: p50 and
p90 seconds from the click to the first icon on screen, and the errors. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading

from playwright.sync_api import sync_playwright

from app.browser import chromium, generate, serve


def session(url: str, i: int, args: argparse.Namespace, start: threading.Barrier, out: list) -> None:
    """One person: its own browser, waiting at the barrier so every session clicks Generate together."""
    with sync_playwright() as p:
        browser = chromium(p)
        try:
            page = browser.new_page()
            page.goto(url)
            page.get_by_label("Prompt").wait_for()
            start.wait()
            seconds = generate(page, url, f"{args.prompt} {i}", n=1, max_tokens=args.max_tokens, timeout_s=900)
            errors = page.locator('[data-testid="stAlertContentError"], [data-testid="stException"]').count()
            out.append({"session": i, "seconds": round(seconds, 2), "errors": errors})
        except Exception as exc:  # a failed session is a result of the load test, not a crash of it
            out.append({"session": i, "seconds": None, "errors": 1, "error": f"{type(exc).__name__}: {exc}"[:200]})
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions (default: 10)")
    parser.add_argument("--prompt", default="a house", help="prompt; each session appends its number")
    parser.add_argument("--max-tokens", type=int, default=128, help="max tokens per icon (default: 128)")
    args = parser.parse_args()
    results: list[dict] = []
    with serve() as url:
        barrier = threading.Barrier(args.sessions)
        threads = [
            threading.Thread(target=session, args=(url, i, args, barrier, results)) for i in range(args.sessions)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for r in sorted(results, key=lambda r: r["session"]):
        print(r)
    times = sorted(r["seconds"] for r in results if r["seconds"] is not None)
    deciles = statistics.quantiles(times, n=10, method="inclusive") if len(times) > 1 else times * 9
    figures = {
        "sessions": args.sessions,
        "max_tokens": args.max_tokens,
        "icons": len(times),
        "errors": sum(r["errors"] for r in results),
        "p50_s": round(statistics.median(times), 1) if times else None,
        "p90_s": round(deciles[8], 1) if times else None,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
