"""Read the icon catalog (one SQLite file; its schema is the contract in ``training/catalog.py``).

mbat opens the catalog with plain ``sqlite3`` and reads only the columns it needs, so it never imports
``training``. Rows come back as dicts in id order, in batches, so a 390k-icon catalog streams in bounded
memory.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from mbat.errors import MBATError

SCHEMA_VERSION = "1"
COLUMNS = ("id", "set_prefix", "name", "set_title", "license", "palette", "category", "aliases", "normalized_svg")
FULL_CATALOG = Path("data/catalog.sqlite")
FIXTURE_CATALOG = Path("data/fixture/catalog.sqlite")


def default_catalog() -> Path:
    """``$VECTORSMITH_CATALOG`` if set, else ``data/catalog.sqlite`` if present, else the fixture catalog."""
    if os.environ.get("VECTORSMITH_CATALOG"):
        return Path(os.environ["VECTORSMITH_CATALOG"])
    return FULL_CATALOG if FULL_CATALOG.exists() else FIXTURE_CATALOG


def open_catalog(path: str | Path) -> sqlite3.Connection:
    """Open a catalog read-only and check its schema version.

    Raises:
        MBATError: the file is missing, is not a catalog, or has another schema version.
    """
    path = Path(path)
    if not path.is_file():
        raise MBATError(
            f"no catalog at {path}; build one with training.corpus, or pass --catalog / set VECTORSMITH_CATALOG"
        )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = dict(conn.execute("SELECT key, value FROM meta")).get("schema_version")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise MBATError(f"{path} is not an icon catalog ({exc}); check the path") from exc
    if version != SCHEMA_VERSION:
        conn.close()
        raise MBATError(f"{path} has catalog schema {version!r}; mbat reads schema {SCHEMA_VERSION!r}")
    return conn


def count_icons(path: str | Path) -> int:
    """How many icons a catalog holds."""
    conn = open_catalog(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM icons").fetchone()[0]
    finally:
        conn.close()


def iter_rows(path: str | Path, batch: int = 4096, limit: int | None = None) -> Iterator[list[dict]]:
    """The catalog's rows in id order, as batches of dicts with :data:`COLUMNS` (aliases as a list).

    Args:
        path: the catalog file.
        batch: rows per batch.
        limit: stop after this many rows (all when None).

    Raises:
        MBATError: see :func:`open_catalog`.

    Example:
        >>> from pathlib import Path
        >>> next(iter_rows(Path("missing.sqlite")), None)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        mbat.errors.MBATError: no catalog at missing.sqlite; build one with training.corpus, ...
    """
    conn = open_catalog(path)
    try:
        sql = f"SELECT {', '.join(COLUMNS)} FROM icons ORDER BY id" + (f" LIMIT {int(limit)}" if limit else "")
        cursor = conn.execute(sql)
        while rows := cursor.fetchmany(batch):
            out = [dict(zip(COLUMNS, r, strict=True)) for r in rows]
            for row in out:
                row["aliases"] = json.loads(row["aliases"])
            yield out
    finally:
        conn.close()


DETAIL_COLUMNS = ("id", "set_prefix", "name", "set_title", "license", "license_url", "author", "author_url", "svg")


def icon_details(path: str | Path, ids: list[str]) -> dict[str, dict]:
    """Attribution and the original SVG of some icons, by id (ids not in the catalog are left out).

    Raises:
        MBATError: see :func:`open_catalog`.
    """
    conn = open_catalog(path)
    try:
        marks = ", ".join("?" * len(ids))
        rows = conn.execute(f"SELECT {', '.join(DETAIL_COLUMNS)} FROM icons WHERE id IN ({marks})", ids).fetchall()
    finally:
        conn.close()
    return {r[0]: dict(zip(DETAIL_COLUMNS, r, strict=True)) for r in rows}


def set_prefixes(path: str | Path) -> list[str]:
    """The icon sets of a catalog, sorted."""
    conn = open_catalog(path)
    try:
        return [p for (p,) in conn.execute("SELECT DISTINCT set_prefix FROM icons ORDER BY set_prefix")]
    finally:
        conn.close()
