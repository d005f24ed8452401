"""Build the icon corpus from @iconify/json: the catalog, the training shards and the GPU bundle.

    python -m training.corpus build             full build into data/ (resumes if interrupted)
    python -m training.corpus fixture           the committed fixture corpus in data/fixture/

Steps: fetch the pinned package with ``npm pack`` and check its SHA-256; normalize and tokenize every icon
with svgtok, one set at a time, two worker processes, each finished set saved so an interrupted build
resumes; decide each icon's split (by a hash of its normalized content, so copies of one glyph share a
split), license policy and duplicates; write ``catalog.sqlite`` (to a temporary name, renamed when
complete), the shards, the prompt tokenizer, the bundle with its manifest, and the build report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import shutil
import tarfile
import time
import zlib
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer
from tqdm import tqdm

from svgtok.document import to_svg
from svgtok.errors import SVGError
from svgtok.iconify import ICONIFY, fetch_package, visible_icons
from svgtok.starts import STARTS
from svgtok.tokenizer import SVGTokenizer
from training.captions import caption
from training.catalog import CatalogIcon, connect, insert, set_meta
from training.report import DOCS, token_histogram
from training.shards import write_bundle

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FIXTURE_DIR = DATA_DIR / "fixture"
HELD_OUT_SETS = frozenset({"twemoji"})  # SVGEditBench's source: never trained on
# Permissive and attribution licenses (DESIGN.md); NC, SA, ND and GPL sets stay searchable but untrained.
TRAIN_LICENSES = ("MIT", "Apache-2.0", "ISC", "BSD-", "CC0-1.0", "Unlicense", "CC-BY-", "OFL-1.1", "MPL-2.0")
VAL_PERCENT, TEST_PERCENT = 2, 2
MAX_PROGRAM_TOKENS = 1024  # the pretraining context; longer programs stay in the catalog, out of shards


class CorpusError(ValueError):
    """The corpus cannot be built: a bad or missing package, or a broken tarball."""


def license_allows_training(spdx: str, also: tuple[str, ...] = ()) -> bool:
    """True for the permissive and attribution licenses of DESIGN.md, and for any license in ``also``.

    Example:
        >>> license_allows_training("CC-BY-4.0"), license_allows_training("CC-BY-SA-4.0")
        (True, False)
        >>> license_allows_training("CC-BY-SA-4.0", also=("CC-BY-SA-4.0",))
        True
    """
    if spdx in also:
        return True
    if any(tag in spdx for tag in ("-NC", "-SA", "-ND", "GPL")):
        return False
    return spdx.startswith(TRAIN_LICENSES)


def split_of(content_hash: str) -> str:
    """train, val or test, from the content hash: a glyph's copies in different sets share a split."""
    bucket = int(content_hash[:8], 16) % 100
    return "val" if bucket < VAL_PERCENT else "test" if bucket < VAL_PERCENT + TEST_PERCENT else "train"


# Worker side: one set at a time ---------------------------------------------------------------------

_TOKENIZER: SVGTokenizer | None = None


def _init_worker(tokenizer_json: str) -> None:
    global _TOKENIZER
    _TOKENIZER = SVGTokenizer.from_str(tokenizer_json)


def _category_of(icon_set: dict) -> dict[str, str]:
    categories: dict[str, str] = {}
    for category, names in sorted(icon_set.get("categories", {}).items()):
        for name in names:
            categories.setdefault(name, category)
    return categories


def process_set(raw: bytes) -> tuple[str, list[dict], list[bytes]]:
    """Normalize and tokenize one set's icons; returns its prefix, rows (as dicts) and token-id blobs."""
    tok = _TOKENIZER
    icon_set = json.loads(raw)
    prefix = icon_set["prefix"]
    info = icon_set.get("info", {})
    license_info, author = info.get("license", {}), info.get("author", {})
    palette = "color" if info.get("palette") else "mono"
    categories = _category_of(icon_set)
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, data in sorted(icon_set.get("aliases", {}).items()):
        aliases[data.get("parent", "")].append(alias)
    rows, blobs = [], []
    for name, svg, size in visible_icons(icon_set):
        category = categories.get(name, "")
        row = {
            "id": f"{prefix}:{name}",
            "set_prefix": prefix,
            "name": name,
            "set_title": info.get("name", prefix),
            "license": license_info.get("spdx") or license_info.get("title", "unknown"),
            "license_url": license_info.get("url", ""),
            "author": author.get("name", ""),
            "author_url": author.get("url", ""),
            "palette": palette,
            "width": float(size["width"]),
            "height": float(size["height"]),
            "category": category,
            "aliases": aliases.get(name, []),
            "caption": caption(name, aliases.get(name, []), category, info.get("name", prefix), palette),
            "svg": svg,
            "normalized_svg": "",
            "tokens": 0,
            "error": "",
        }
        ids = b""
        try:
            doc = tok.normalize(svg, active="drop").doc
            if doc.paths:
                token_ids = tok.encode_doc(doc)
                row["normalized_svg"], row["tokens"] = to_svg(doc), len(token_ids)
                ids = np.asarray(token_ids, dtype=np.uint16).tobytes()
            else:
                row["error"] = "draws nothing"
        except SVGError as exc:
            row["error"] = f"unreadable: {str(exc)[:80]}"
        rows.append(row)
        blobs.append(ids)
    return prefix, rows, blobs


# Main side ---------------------------------------------------------------------------------------


def _read_sets(tarball: Path, select: dict[str, list[str]] | None):
    """Yield each set's JSON bytes from the tarball, in name order; a broken archive is a CorpusError."""
    try:
        with tarfile.open(tarball) as tar:
            members = sorted(
                (m for m in tar.getmembers() if m.name.startswith("package/json/") and m.name.endswith(".json")),
                key=lambda m: m.name,
            )
            for member in members:
                prefix = Path(member.name).stem
                if select is not None and prefix not in select:
                    continue
                raw = tar.extractfile(member).read()
                if select is not None:
                    icon_set = json.loads(raw)
                    icon_set["icons"] = {n: icon_set["icons"][n] for n in select[prefix] if n in icon_set["icons"]}
                    raw = json.dumps(icon_set).encode()
                yield prefix, raw
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise CorpusError(f"{tarball} is not a readable npm tarball ({exc}); delete it and fetch again") from exc


def _collect(tarball: Path, work: Path, tokenizer: SVGTokenizer, workers: int, select) -> list[Path]:
    """Process every set not yet done; returns the per-set result files in set order."""
    work.mkdir(parents=True, exist_ok=True)
    done = {p.stem for p in work.glob("*.pkl")}
    todo = [(prefix, raw) for prefix, raw in _read_sets(tarball, select) if prefix not in done]
    prefixes = sorted(done | {prefix for prefix, _ in todo})
    if todo:
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(tokenizer.to_str(),)) as pool:
            results = pool.map(process_set, [raw for _, raw in todo])
            for prefix, rows, blobs in tqdm(results, total=len(todo), desc="normalizing sets", unit="set"):
                tmp = work / f"{prefix}.tmp"
                tmp.write_bytes(pickle.dumps((rows, blobs)))
                tmp.replace(work / f"{prefix}.pkl")
    return [work / f"{prefix}.pkl" for prefix in prefixes]


def _decide(rows: list[dict], also_licenses: tuple[str, ...] = ()) -> tuple[list[CatalogIcon], Counter]:
    """Split, license policy and de-duplication for every row; returns the icons and drop reasons."""
    reasons: Counter = Counter()
    icons: list[CatalogIcon] = []
    for row in rows:
        normalized = row["normalized_svg"]
        content_hash = hashlib.sha256((normalized or row["svg"]).encode()).hexdigest()
        held_out = row["set_prefix"] in HELD_OUT_SETS
        reason = (
            "held out (SVGEditBench source)"
            if held_out
            else f"license {row['license']}"
            if not license_allows_training(row["license"], also_licenses)
            else row["error"].split(":")[0]
            if row["error"]
            else f"longer than {MAX_PROGRAM_TOKENS} tokens"
            if row["tokens"] > MAX_PROGRAM_TOKENS
            else ""
        )
        fields = {k: v for k, v in row.items() if k != "error"}
        icons.append(
            CatalogIcon(
                **fields,
                split="heldout" if held_out else split_of(content_hash),
                trainable=not reason,
                duplicate_of="",
                content_hash=content_hash,
            )
        )
        if reason:
            reasons[reason] += 1
    # One glyph, one training example: the first id keeps it, with every copy's name in its caption.
    first: dict[str, int] = {}
    for i, icon in enumerate(icons):
        if not icon.trainable:
            continue
        keeper = first.setdefault(icon.content_hash, i)
        if keeper != i:
            kept = icons[keeper]
            extra = icon.caption.split(";")[0]
            if extra not in kept.caption:
                icons[keeper] = replace(kept, caption=f"{kept.caption}; also {extra}")
            icons[i] = replace(icon, trainable=False, duplicate_of=kept.id)
            reasons["duplicate glyph"] += 1
    return icons, reasons


def build(
    tarball: Path,
    out: Path,
    tokenizer: SVGTokenizer,
    expected_sha256: str | None = ICONIFY.sha256,
    workers: int = 2,
    select: dict[str, list[str]] | None = None,
    also_licenses: tuple[str, ...] = (),
    prompt_tokenizer: Tokenizer | None = None,
) -> dict:
    """Build the catalog, shards and bundle into ``out``; returns the build report.

    Args:
        tarball: the @iconify/json npm tarball.
        out: the output folder (``catalog.sqlite``, ``shards/``, ``bundle.tar.xz``, ``report.json``).
        tokenizer: the svgtok tokenizer the shards are written in.
        expected_sha256: the tarball's pinned checksum; None skips the check (tests).
        workers: worker processes for normalization.
        select: only these icon names of these sets (the fixture); None builds everything.
        also_licenses: SPDX ids to train on beyond the default policy (NC, SA and GPL stay out otherwise).
        prompt_tokenizer: the prompt vocabulary captions are encoded in; None trains one (training.shards).

    Raises:
        CorpusError: for a checksum mismatch or an unreadable tarball; nothing half-written is left
            under the final names.
    """
    start = time.perf_counter()
    if expected_sha256 is not None:
        actual = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if actual != expected_sha256:
            raise CorpusError(f"{tarball} has SHA-256 {actual}, not the pinned {expected_sha256}; fetch it again")
    out.mkdir(parents=True, exist_ok=True)
    work = out / ".build" / hashlib.sha256((tokenizer.to_str() + str(select)).encode()).hexdigest()[:12]
    rows: list[dict] = []
    blobs: list[bytes] = []
    for path in _collect(tarball, work, tokenizer, workers, select):
        set_rows, set_blobs = pickle.loads(path.read_bytes())
        rows += set_rows
        blobs += set_blobs
    icons, reasons = _decide(rows, also_licenses)

    catalog_tmp = out / "catalog.sqlite.tmp"
    catalog_tmp.unlink(missing_ok=True)
    conn = connect(catalog_tmp)
    insert(conn, icons)
    set_meta(
        conn,
        {"source": f"{ICONIFY.name}@{ICONIFY.version}", "tokenizer_sha256": _sha(tokenizer.to_str().encode())},
    )
    conn.commit()
    conn.close()
    manifest = write_bundle(out, icons, blobs, tokenizer, prompt_tokenizer)
    catalog_tmp.replace(out / "catalog.sqlite")
    shutil.rmtree(out / ".build", ignore_errors=True)

    report = _report(icons, reasons, manifest, out, time.perf_counter() - start)
    (out / "report.json").write_text(json.dumps(report, indent=1))
    return report


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _report(icons: list[CatalogIcon], reasons: Counter, manifest: dict, out: Path, seconds: float) -> dict:
    per_license: dict[str, Counter] = defaultdict(Counter)
    for icon in icons:
        per_license[icon.license]["kept" if icon.trainable else "dropped"] += 1
    splits = Counter(icon.split for icon in icons if icon.trainable)
    return {
        "icons_total": len(icons),
        "icons_train": splits["train"],
        "icons_val": splits["val"],
        "icons_test": splits["test"],
        "tokens_train": manifest["splits"]["train"]["tokens"],
        "bundle_bytes": (out / "bundle.tar.xz").stat().st_size,
        "build_seconds": round(seconds, 1),
        "dropped_by_reason": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        "by_license": {k: dict(v) for k, v in sorted(per_license.items())},
        "twemoji_in_train": sum(1 for i in icons if i.trainable and i.set_prefix in HELD_OUT_SETS),
    }


# The fixture: about 300 icons from permissive sets, everyday names first ---------------------------

FIXTURE_SETS = {
    "mdi": 40,
    "lucide": 40,
    "tabler": 40,
    "ph": 30,
    "material-symbols": 30,
    "heroicons": 20,
    "bi": 20,
    "carbon": 20,
    "fluent-emoji-flat": 30,
    "noto": 20,
    "streamline-color": 15,
}
EVERYDAY = ("home", "heart", "star", "arrow-right", "user", "cloud", "search", "settings", "trash", "camera")


def fixture_selection(tarball: Path, seed: int = 0) -> dict[str, list[str]]:
    """Icon names for the fixture: everyday names where a set has them, the rest by a seeded draw."""
    selection = {}
    with tarfile.open(tarball) as tar:
        for prefix, count in FIXTURE_SETS.items():
            icon_set = json.load(tar.extractfile(f"package/json/{prefix}.json"))
            names = sorted(n for n, d in icon_set["icons"].items() if not d.get("hidden"))
            chosen = [n for n in EVERYDAY if n in icon_set["icons"]]
            rest = [n for n in names if n not in chosen]
            chosen += random.Random(f"{seed}:{prefix}").sample(rest, count - len(chosen))
            selection[prefix] = sorted(chosen)
    return selection


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("build", "fixture"), help="full build, or the committed fixture")
    parser.add_argument("--out", type=Path, help="output folder (default data/ or data/fixture/)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="worker processes (default: cores)")
    parser.add_argument(
        "--also-train-license",
        action="append",
        default=[],
        metavar="SPDX",
        help="train on this license too (repeatable); NC, SA and GPL sets are left out by default",
    )
    parser.add_argument(
        "--starts", choices=STARTS, default="drawn", help="where closed outlines start (svgtok.starts; default drawn)"
    )
    parser.add_argument(
        "--prompt-vocabulary",
        type=Path,
        metavar="JSON",
        help="encode captions in this prompt_tokenizer.json (a model's, to train it further) instead of a new one",
    )
    args = parser.parse_args(argv)
    prompt_tokenizer = Tokenizer.from_file(str(args.prompt_vocabulary)) if args.prompt_vocabulary else None
    tarball = fetch_package(ICONIFY)
    tokenizer = SVGTokenizer.from_pretrained().with_starts(args.starts)
    if args.command == "fixture":
        report = build(tarball, args.out or FIXTURE_DIR, tokenizer, workers=args.workers,
                       select=fixture_selection(tarball), prompt_tokenizer=prompt_tokenizer)  # fmt: skip
    else:
        out = args.out or DATA_DIR
        report = build(
            tarball, out, tokenizer, workers=args.workers, also_licenses=tuple(args.also_train_license),
            prompt_tokenizer=prompt_tokenizer,
        )  # fmt: skip
        offsets = np.load(out / "shards" / "train_offsets.npy")
        print(f"histogram: {token_histogram(offsets, DOCS / 'corpus-token-lengths.png')}")
    for key in ("dropped_by_reason", "by_license"):
        print(f"{key}: {json.dumps(report[key])}")
    print(json.dumps({k: v for k, v in report.items() if not isinstance(v, dict)}))


if __name__ == "__main__":
    main()
