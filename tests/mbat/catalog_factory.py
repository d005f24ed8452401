"""Catalogs for mbat's tests and benchmark, built from Iconify the way the corpus build fills the schema.

The real catalog comes from ``training.corpus``; until it exists, and for tests that need a small catalog
in ``tmp_path``, this module writes :class:`training.catalog.CatalogIcon` rows from the shipped Iconify
sample or from the pinned ``@iconify/json`` tarball:

    python -m tests.mbat.catalog_factory data/iconify-catalog.sqlite          the whole tarball (~390k icons)
    python -m tests.mbat.catalog_factory --sample data/sample-catalog.sqlite  the shipped 2,014-icon sample

Captions are the name's words, the palette is "color" when the normalized SVG paints with anything but
``currentColor``, and icons svgtok cannot normalize keep ``normalized_svg = ""`` as the schema says.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import time
from collections.abc import Iterable
from multiprocessing import Pool
from pathlib import Path

from svgtok.errors import SVGError
from svgtok.iconify import ICONIFY, Icon, fetch_package, iter_sets, load_sample, set_icons
from svgtok.tokenizer import SVGTokenizer
from training.catalog import CatalogIcon, connect, insert, set_meta

_PAINT = re.compile(r'(?:fill|stroke)="([^"]+)"')
_TOKENIZER: SVGTokenizer | None = None


def _tokenizer() -> SVGTokenizer:
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = SVGTokenizer.from_pretrained()
    return _TOKENIZER


def catalog_icon(icon: Icon, info: dict, aliases: list[str]) -> CatalogIcon:
    """One catalog row for an Iconify icon; ``info`` is its set's ``info`` block (may be empty)."""
    try:
        normalized = _tokenizer().normalize(icon.svg, active="drop").svg
    except SVGError:
        normalized = ""
    paints = set(_PAINT.findall(normalized)) - {"currentColor", "none"}
    license_info = info.get("license", {})
    author = info.get("author", {})
    name = icon.id.split(":", 1)[1]
    box = re.search(r'viewBox="[^"]* [^"]* ([^" ]+) ([^" ]+)"', icon.svg)
    return CatalogIcon(
        id=icon.id,
        set_prefix=icon.set_name,
        name=name,
        set_title=info.get("name", icon.set_name),
        license=icon.license,
        license_url=license_info.get("url", ""),
        author=author.get("name", ""),
        author_url=author.get("url", ""),
        palette="color" if paints else "mono",
        width=float(box.group(1)) if box else 0.0,
        height=float(box.group(2)) if box else 0.0,
        category=info.get("category", ""),
        aliases=aliases,
        caption=name.replace("-", " "),
        svg=icon.svg,
        normalized_svg=normalized,
        tokens=0,
        split="train",
        trainable=True,
        duplicate_of="",
        content_hash=hashlib.sha256(normalized.encode()).hexdigest(),
    )


def set_rows(icon_set: dict) -> list[CatalogIcon]:
    """Catalog rows for every visible icon of one Iconify set, with its aliases."""
    aliases: dict[str, list[str]] = {}
    for alias, target in sorted(icon_set.get("aliases", {}).items()):
        aliases.setdefault(target.get("parent", ""), []).append(alias)
    info = icon_set.get("info", {})
    return [catalog_icon(i, info, aliases.get(i.id.split(":", 1)[1], [])) for i in set_icons(icon_set)]


def write_catalog(path: Path, rows: Iterable[CatalogIcon]) -> int:
    """Write rows into a new catalog file; returns how many were written."""
    path.unlink(missing_ok=True)
    conn = connect(path)
    count = 0
    with conn:
        for row in rows:
            insert(conn, [row])
            count += 1
        set_meta(conn, {"source": f"{ICONIFY.name}@{ICONIFY.version}", "built_by": "tests.mbat.catalog_factory"})
    conn.close()
    return count


def sample_rows(limit: int | None = None) -> list[CatalogIcon]:
    """Rows for the shipped Iconify sample (set info is not in the sample, so titles are prefixes)."""
    icons = load_sample()[:limit]
    return [catalog_icon(icon, {}, []) for icon in icons]


def _tarball_rows(workers: int) -> Iterable[CatalogIcon]:
    with Pool(workers) as pool:
        for rows in pool.imap(set_rows, iter_sets(fetch_package(ICONIFY))):
            yield from rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="catalog file to write (replaced if it exists)")
    parser.add_argument("--sample", action="store_true", help="use the shipped 2,014-icon sample, not the tarball")
    parser.add_argument("--workers", type=int, default=2, help="processes normalizing icons (default: 2)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = sample_rows() if args.sample else _tarball_rows(args.workers)
    count = write_catalog(args.out, rows)
    print(f"wrote {count:,} icons to {args.out} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
