"""The icon catalog: one SQLite file, one row per icon, shared by training, search and the app.

Readers outside ``training`` (``mbat``, ``app``) open the file with plain ``sqlite3`` and rely only on
the schema below, which is the contract. ``meta`` holds the build's provenance (source package and
version, tokenizer hash, build time).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, fields
from pathlib import Path

SCHEMA_VERSION = 1
FIXTURE_CATALOG = Path(__file__).resolve().parent.parent / "data" / "fixture" / "catalog.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS icons (
    id             TEXT PRIMARY KEY,  -- "prefix:name"
    set_prefix     TEXT NOT NULL,
    name           TEXT NOT NULL,
    set_title      TEXT NOT NULL,
    license        TEXT NOT NULL,     -- SPDX id, or the set's license title when it has none
    license_url    TEXT NOT NULL,
    author         TEXT NOT NULL,     -- for attribution
    author_url     TEXT NOT NULL,
    palette        TEXT NOT NULL,     -- "mono" or "color"
    width          REAL NOT NULL,
    height         REAL NOT NULL,
    category       TEXT NOT NULL,     -- the set's category ("" when none)
    aliases        TEXT NOT NULL,     -- JSON list of alternative names
    caption        TEXT NOT NULL,     -- what a person would type for this icon
    svg            TEXT NOT NULL,     -- the original document
    normalized_svg TEXT NOT NULL,     -- svgtok's normalized document ("" when it could not be normalized)
    tokens         INTEGER NOT NULL,  -- svgtok tokens of the normalized document (0 when not tokenized)
    split          TEXT NOT NULL,     -- train | val | test | heldout (never trained on)
    trainable      INTEGER NOT NULL,  -- 1 when it may enter a training shard (license, not held out, not a dup)
    duplicate_of   TEXT NOT NULL,     -- the id of the row that carries this glyph's training example, or ""
    content_hash   TEXT NOT NULL      -- sha256 of the normalized document
);
CREATE INDEX IF NOT EXISTS icons_set ON icons (set_prefix);
CREATE INDEX IF NOT EXISTS icons_license ON icons (license);
CREATE INDEX IF NOT EXISTS icons_split ON icons (split);
"""


@dataclass
class CatalogIcon:
    """One catalog row; see the schema for each field."""

    id: str
    set_prefix: str
    name: str
    set_title: str
    license: str
    license_url: str
    author: str
    author_url: str
    palette: str
    width: float
    height: float
    category: str
    aliases: list[str]
    caption: str
    svg: str
    normalized_svg: str
    tokens: int
    split: str
    trainable: bool
    duplicate_of: str
    content_hash: str


COLUMNS = [f.name for f in fields(CatalogIcon)]


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (or create) a catalog and make sure its schema exists."""
    conn = sqlite3.connect(str(path))
    conn.executescript(SCHEMA)
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    conn.commit()
    return conn


def insert(conn: sqlite3.Connection, icons: list[CatalogIcon]) -> None:
    placeholders = ", ".join("?" for _ in COLUMNS)
    rows = []
    for icon in icons:
        row = asdict(icon)
        row["aliases"] = json.dumps(row["aliases"])
        row["trainable"] = int(row["trainable"])
        rows.append(tuple(row[c] for c in COLUMNS))
    conn.executemany(f"INSERT OR REPLACE INTO icons ({', '.join(COLUMNS)}) VALUES ({placeholders})", rows)


def row_to_icon(row: sqlite3.Row | tuple) -> CatalogIcon:
    values = dict(zip(COLUMNS, row, strict=True))
    values["aliases"] = json.loads(values["aliases"])
    values["trainable"] = bool(values["trainable"])
    return CatalogIcon(**values)


def read_icons(conn: sqlite3.Connection, where: str = "1", params: tuple = ()) -> list[CatalogIcon]:
    """Rows matching a SQL condition, in id order: ``read_icons(conn, "split = ?", ("val",))``."""
    cursor = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM icons WHERE {where} ORDER BY id", params)
    return [row_to_icon(r) for r in cursor]


def set_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))


def get_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta"))
