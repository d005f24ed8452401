"""``python -m app.library``: build the studio's search library if it is missing, and fetch GPT-2's BPE.

``make run`` calls it before serving, so the first page view does not wait for the index. Both steps are
skipped when their files exist; without network the GPT-2 comparison is simply unavailable in the app.
"""

from __future__ import annotations

import sys

from mbat.errors import MBATError
from svgtok.errors import SVGError
from svgtok.iconify import GPT2_ENCODER, fetch_package


def main() -> None:
    from app.resources import INDEX, build_library, catalog

    if (INDEX / "manifest.json").exists():
        print(f"search library: {INDEX} (exists)")
    else:
        print(f"search library: indexing {catalog()} into {INDEX}")
        try:
            index = build_library(lambda done, total: print(f"\r  {done:,} / {total:,} icons", end="", flush=True))
        except MBATError as error:
            sys.exit(f"\ncannot build the search library: {error}")
        print(f"\n  {len(index):,} icons indexed")
    try:
        print(f"GPT-2 BPE (for the Tokenizer page's comparison): {fetch_package(GPT2_ENCODER)}")
    except SVGError as error:
        print(f"GPT-2 BPE unavailable, the Tokenizer page will say so: {error}")


if __name__ == "__main__":
    main()
