"""The ``mbat`` command: build an asset index from the catalog, and search it.

mbat index build [--catalog PATH] [--out DIR]     index every catalog icon (exact ≤ 100k icons, HNSW above)
mbat search "rounded bell" [-k 10] [--license MIT] [--set mdi] [--palette mono] [--json]
mbat search mdi:bell                               icons like an indexed one
mbat search '{"palette": "color", "paths": 3}'     a JSON query
mbat search icon.svg                               icons like an SVG file

The catalog defaults to ``$VECTORSMITH_CATALOG``, else ``data/catalog.sqlite``, else the fixture catalog; the
index folder to ``$VECTORSMITH_INDEX``, else ``data/mbat.index``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from mbat.catalog import default_catalog
from mbat.document import asset_encoder
from mbat.errors import MBATError
from mbat.index import AssetIndex, default_index
from mbat.store import EXACT_LIMIT


def _progress(done: int, total: int) -> None:
    print(f"\rindexed {done:,} / {total:,}", end="", file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> None:
    catalog = args.catalog or default_catalog()
    start = time.perf_counter()
    index = AssetIndex.build(
        catalog, asset_encoder(args.dim, args.seed), exact_limit=args.exact_limit, limit=args.limit, progress=_progress
    )
    index.save(args.out)
    print(f"\n{len(index):,} icons from {catalog} indexed into {args.out} in {time.perf_counter() - start:.1f} s")


def _read_query(text: str) -> str:
    """A query argument, or the text of the SVG or JSON file it names."""
    path = Path(text)
    if path.suffix.lower() in (".svg", ".json") and path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise MBATError(f"cannot read {path}: {exc}") from exc
    return text


def cmd_search(args: argparse.Namespace) -> None:
    index = AssetIndex.load(args.index)
    filters = {f: v for f, v in (("set", args.set), ("license", args.license), ("palette", args.palette)) if v}
    scores, keys = index.search(_read_query(args.query), args.k, filters)
    hits = [
        {"score": round(float(score), 4), **record}
        for score, record in zip(scores[0], index.records(keys)[0], strict=True)
        if record is not None
    ]
    if args.json:
        print(json.dumps(hits))
        return
    if not hits:
        print("no icons match", file=sys.stderr)
    for hit in hits:
        print(f"{hit['score']:.3f}  {hit['asset_id']:40s}  {hit['license']:14s} {hit['palette']}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mbat", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    folder = default_index()

    index = commands.add_parser("index", help="build an asset index").add_subparsers(dest="action", required=True)
    build = index.add_parser("build", help="index every icon of a catalog")
    build.add_argument("--catalog", type=Path, default=None, help="catalog file (default: see above)")
    build.add_argument("--out", type=Path, default=folder, help=f"index folder (default: {folder})")
    build.add_argument("--limit", type=int, default=None, help="index only the first N icons (default: all)")
    build.add_argument(
        "--exact-limit",
        type=int,
        default=EXACT_LIMIT,
        help=f"largest catalog searched exactly (default: {EXACT_LIMIT:,})",
    )
    build.add_argument("--dim", type=int, default=1024, help="vector dimensions (default: 1024)")
    build.add_argument("--seed", type=int, default=0, help="atom and role seed (default: 0)")
    build.set_defaults(run=cmd_build)

    search = commands.add_parser("search", help="search an index")
    search.add_argument("query", help="free text, JSON, an asset id (prefix:name), SVG text, or a .svg/.json file")
    search.add_argument("--index", type=Path, default=folder, help=f"index folder (default: {folder})")
    search.add_argument("-k", type=int, default=10, help="number of results (default: 10)")
    search.add_argument("--set", action="append", help="only these icon sets (repeatable)")
    search.add_argument("--license", action="append", help="only these licenses (repeatable)")
    search.add_argument("--palette", choices=["mono", "color"], help="only mono or color icons")
    search.add_argument("--json", action="store_true", help="print the results as one JSON array")
    search.set_defaults(run=cmd_search)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except MBATError as exc:
        print(f"mbat: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
