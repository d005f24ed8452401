"""The ``svgtok`` command: normalize, encode, decode, stats and train-segments.

svgtok normalize icon.svg                 normalized SVG on stdout, dropped features on stderr
svgtok encode icon.svg [--tokens]         token ids (or names) on stdout
svgtok decode ids.txt                     SVG from whitespace-separated ids ("-" reads stdin)
svgtok stats a.svg b.svg ...              tokens, atomic tokens and dropped features per file
svgtok train-segments --sample 20000      learn the segment layer from Iconify, write tokenizer.json
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from tqdm import tqdm

from svgtok.atomic import to_ids
from svgtok.errors import SVGError
from svgtok.iconify import ICONIFY, fetch_package, load_sample, stratified_sample
from svgtok.normalize import GRADIENT_MODES
from svgtok.starts import STARTS
from svgtok.tokenizer import DEFAULT_GRID, DEFAULT_PAIR_RADIUS, DEFAULT_PATH, SVGTokenizer

HELD_OUT_SETS = frozenset({"twemoji"})  # the source of SVGEditBench: never learned from


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SVGError(f"cannot read {path}: {exc}") from exc


def _tokenizer(args: argparse.Namespace) -> SVGTokenizer:
    return SVGTokenizer.from_pretrained(args.tokenizer)


def cmd_normalize(args: argparse.Namespace) -> None:
    result = _tokenizer(args).normalize(_read(args.file), active=args.active, gradients=args.gradients)
    print(result.svg)
    if result.dropped:
        print("dropped: " + ", ".join(result.dropped), file=sys.stderr)


def cmd_encode(args: argparse.Namespace) -> None:
    encoding = _tokenizer(args).encode(_read(args.file), active=args.active, gradients=args.gradients)
    print(" ".join(encoding.tokens if args.tokens else map(str, encoding.ids)))


def cmd_decode(args: argparse.Namespace) -> None:
    text = _read(args.file)
    try:
        ids = [int(t) for t in text.split()]
    except ValueError as exc:
        raise SVGError("decode reads whitespace-separated integer token ids") from exc
    print(_tokenizer(args).decode(ids))


def cmd_stats(args: argparse.Namespace) -> None:
    tok = _tokenizer(args)
    counts = []
    for path in args.files:
        try:
            result = tok.normalize(_read(path), active=args.active, gradients=args.gradients)
        except SVGError as exc:
            print(f"{path}\terror: {exc}")
            continue
        n, atomic = len(tok.encode_doc(result.doc)), len(to_ids(tok.atomic, result.doc))
        counts.append(n)
        print(f"{path}\ttokens={n}\tatomic={atomic}\tpaths={len(result.doc.paths)}\tdropped={','.join(result.dropped)}")
    if counts:
        print(
            f"files={len(counts)}\tmedian_tokens={statistics.median(counts)}\tmean_tokens={statistics.mean(counts):.1f}"
        )


def cmd_train_segments(args: argparse.Namespace) -> None:
    bench_ids = frozenset(icon.id for icon in load_sample())
    if args.input:
        svgs = [_read(str(p)) for p in sorted(Path(args.input).glob("**/*.svg"))]
    else:
        tarball = fetch_package(ICONIFY)
        icons = stratified_sample(tarball, args.sample, seed=args.seed, exclude=bench_ids)
        svgs = [icon.svg for icon in icons if icon.set_name not in HELD_OUT_SETS]
    base = SVGTokenizer(grid=args.grid, pair_radius=args.pair_radius, arcs=args.arcs, starts=args.starts)
    docs, skipped = [], 0
    for svg in tqdm(svgs, desc="normalizing", unit="icon"):
        try:
            docs.append(base.normalize(svg, active="drop").doc)
        except SVGError:
            skipped += 1
    tok = SVGTokenizer.train(
        docs,
        grid=args.grid,
        pair_radius=args.pair_radius,
        arcs=args.arcs,
        starts=args.starts,
        n_units=args.units,
        n_merges=args.merges,
        min_count=args.min_count,
        max_units_per_segment=args.max_units,
    )
    path = tok.save_pretrained(args.out)
    print(f"{tok!r}: learned from {len(docs):,} documents ({skipped} unreadable), written to {path}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="svgtok", description="Hierarchical SVG tokenizer.")
    parser.add_argument(
        "--tokenizer", default=str(DEFAULT_PATH), help="folder holding tokenizer.json (default: bundled)"
    )
    parser.add_argument(
        "--active",
        choices=("reject", "drop"),
        default="reject",
        help="scripts and external references: refuse the file (default) or remove them",
    )
    parser.add_argument(
        "--gradients",
        choices=GRADIENT_MODES,
        default="color",
        help="gradient fills: their mean color over each path (default) or bands of flat color (closer, longer)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("normalize", help="print the normalized SVG")
    p.add_argument("file", help="SVG file, or - for stdin")
    p.set_defaults(run=cmd_normalize)
    p = sub.add_parser("encode", help="print token ids")
    p.add_argument("file", help="SVG file, or - for stdin")
    p.add_argument("--tokens", action="store_true", help="print token names instead of ids")
    p.set_defaults(run=cmd_encode)
    p = sub.add_parser("decode", help="print the SVG for token ids")
    p.add_argument("file", help="file of whitespace-separated ids, or - for stdin")
    p.set_defaults(run=cmd_decode)
    p = sub.add_parser("stats", help="token counts per file")
    p.add_argument("files", nargs="+", help="SVG files")
    p.set_defaults(run=cmd_stats)
    p = sub.add_parser("train-segments", help="learn the segment layer and write tokenizer.json")
    p.add_argument("--input", help="folder of .svg files to learn from (default: an Iconify sample)")
    p.add_argument("--sample", type=int, default=20_000, help="Iconify icons to learn from (default 20000)")
    p.add_argument("--seed", type=int, default=1, help="sampling seed (default 1; the benchmark uses 0)")
    p.add_argument(
        "--grid", type=int, default=DEFAULT_GRID, help=f"grid units per canvas side (default {DEFAULT_GRID})"
    )
    p.add_argument(
        "--pair-radius",
        type=int,
        default=DEFAULT_PAIR_RADIUS,
        help=f"largest delta part of a pair token (default {DEFAULT_PAIR_RADIUS})",
    )
    p.add_argument("--arcs", choices=("keep", "cubic"), default="keep", help="quantized arcs or cubics (default keep)")
    p.add_argument("--starts", choices=STARTS, default="drawn", help="where closed outlines start (default drawn)")
    p.add_argument("--units", type=int, default=8192, help="most unit tokens (default 8192)")
    p.add_argument("--merges", type=int, default=8192, help="most BPE merges (default 8192)")
    p.add_argument("--min-count", type=int, default=8, help="least occurrences to learn a unit or merge (default 8)")
    p.add_argument("--max-units", type=int, default=8, help="longest segment in units (default 8)")
    p.add_argument("--out", default=str(DEFAULT_PATH), help="folder to write tokenizer.json into (default: bundled)")
    p.set_defaults(run=cmd_train_segments)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except SVGError as exc:
        print(f"svgtok: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
