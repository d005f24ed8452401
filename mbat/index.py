"""The asset index: one MBAT vector per catalog icon in a vector store, metadata and filters in SQLite.

``AssetIndex.build(catalog)`` streams the catalog, builds each icon's document, encodes batches and adds
them; ``search(query, k, filters)`` takes JSON, free text, an asset id or an SVG and returns ``(D, I)``:
scores and integer keys of shape ``(1, k)``, key -1 where fewer than k icons match (FAISS's convention;
:meth:`AssetIndex.records` turns keys into rows). Keys are never reused: updating an icon gives it a new key.

Search has two stages. The vector store answers every query (HNSW above ~100k icons); a query with a name
also gets up to :data:`NAME_CANDIDATES` icons that share a name word (:mod:`mbat.names`), which are scored
exactly with their stored vectors and merged in. The second stage is what makes name-only queries, which
HNSW alone misses, reach the exact top 10. Several threads may search one index at once (the app's
sessions share one); add and delete from one thread while nothing searches.

On disk an index is a folder. Each save writes a new generation of files (``vectors-N.faiss``,
``metadata-N.sqlite``), each to a temporary name renamed into place, and only then replaces
``manifest.json`` the same way; the manifest names the live generation and holds the encoder's stamp and the
store's settings. A crash or kill at any point leaves the previous manifest and the files it names intact.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mbat.catalog import count_icons, iter_rows
from mbat.document import asset_document, asset_encoder, name_document
from mbat.encoder import Encoder
from mbat.errors import MBATError
from mbat.names import NamePostings
from mbat.query import query_document
from mbat.settings import EncoderConfig
from mbat.store import EXACT_LIMIT, FaissSettings, FaissStore, Filters, VectorStore, check_filters, pad_results

DEFAULT_INDEX = Path("data/mbat.index")


def default_index() -> Path:
    """``$VECTORSMITH_INDEX`` if set, else ``data/mbat.index`` (the folder ``mbat index build`` writes)."""
    return Path(os.environ.get("VECTORSMITH_INDEX", DEFAULT_INDEX))


FORMAT_VERSION = 2
# Name-sharing icons scored exactly per query. On the full catalog, name-only queries' recall@10 against exact
# search was 0.988 with 128, 0.9915 with 1,024 and 0.9916 with 2,048 (docs/RESULTS.md, "mbat").
NAME_CANDIDATES = 512
MANIFEST = "manifest.json"
METADATA_SCHEMA = """
CREATE TABLE IF NOT EXISTS assets (
    key        INTEGER PRIMARY KEY,
    asset_id   TEXT NOT NULL UNIQUE,
    set_prefix TEXT NOT NULL,
    name       TEXT NOT NULL,
    license    TEXT NOT NULL,
    palette    TEXT NOT NULL,
    category   TEXT NOT NULL,
    name_share REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS next_key (value INTEGER NOT NULL);
INSERT INTO next_key SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM next_key);
"""
RECORD_FIELDS = ("asset_id", "set_prefix", "name", "license", "palette", "category")
FILTER_COLUMNS = {"set": "set_prefix", "license": "license", "palette": "palette"}


def _payload(row: Mapping) -> dict[str, str]:
    """The filter fields of a catalog row, as the store sees them."""
    return {"set": row["set_prefix"], "license": row["license"], "palette": row["palette"]}


def _replace_atomically(write: Callable[[Path], None], target: Path) -> None:
    """Write through ``write(temp)`` to a temporary file, flush it to disk, then rename it over ``target``."""
    temp = target.with_name(f".{target.name}.tmp")
    write(temp)
    with open(temp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(temp, target)


def _generation(folder: Path) -> int:
    """The generation named by the folder's manifest (0 when there is none)."""
    try:
        return int(json.loads((folder / MANIFEST).read_text())["generation"])
    except (OSError, ValueError, KeyError):
        return 0


class AssetIndex:
    """Search the icon library with MBAT vectors.

    Args:
        encoder: the document encoder (default: :func:`mbat.document.asset_encoder`).
        store: where vectors live (default: an exact :class:`~mbat.store.FaissStore`); any
            :class:`~mbat.store.VectorStore` works, e.g. :class:`mbat.qdrant.QdrantStore`.

    Example:
        >>> index = AssetIndex(asset_encoder(dim=256))
        >>> row = {"id": "demo:bell", "set_prefix": "demo", "name": "bell", "license": "MIT",
        ...        "palette": "mono", "category": "", "aliases": [], "normalized_svg": ""}
        >>> index.add([row]).tolist()
        [0]
        >>> scores, keys = index.search("bell", k=2)
        >>> keys.tolist(), index.records(keys)[0][0]["asset_id"]
        ([[0, -1]], 'demo:bell')
    """

    def __init__(self, encoder: Encoder | None = None, store: VectorStore | None = None):
        self.encoder = encoder or asset_encoder()
        self.store = store if store is not None else FaissStore(self.encoder.config.dim)
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.executescript(METADATA_SCHEMA)
        self.names = NamePostings()
        self.name_candidates = NAME_CANDIDATES  # icons per name query scored exactly in the second stage
        self._lock = threading.RLock()  # one writer or reader of the metadata and the postings at a time
        self._licenses: list[str] | None = None  # cached: a scan of every row costs ~80 ms at 380k icons

    def __len__(self) -> int:
        return self._query("SELECT COUNT(*) FROM assets")[0][0]

    def __repr__(self) -> str:
        return f"AssetIndex({len(self):,} assets, {self.encoder!r}, {type(self.store).__name__})"

    # -- building -------------------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        catalog: str | Path,
        encoder: Encoder | None = None,
        exact_limit: int = EXACT_LIMIT,
        limit: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> AssetIndex:
        """Index every icon of a catalog: exact search up to ``exact_limit`` icons, HNSW above.

        Args:
            catalog: the catalog file.
            encoder: the document encoder (default: :func:`mbat.document.asset_encoder`).
            exact_limit: the largest catalog searched exactly.
            limit: index only the first ``limit`` icons (in id order).
            progress: called as ``progress(done, total)`` after each batch.

        Raises:
            MBATError: the catalog is missing or unreadable.
        """
        total = min(count_icons(catalog), limit or float("inf"))
        encoder = encoder or asset_encoder()
        index = cls(encoder, FaissStore.for_size(encoder.config.dim, int(total), exact_limit))
        done = 0
        for rows in iter_rows(catalog, limit=limit):
            index.add(rows)
            done += len(rows)
            if progress:
                progress(done, int(total))
        return index

    def add(self, rows: Sequence[Mapping], vectors: np.ndarray | None = None) -> np.ndarray:
        """Add catalog rows (dicts with :data:`mbat.catalog.COLUMNS`); a row whose id is indexed replaces it.

        Args:
            rows: catalog rows.
            vectors: their vectors, if already encoded with this index's encoder. Shapes: ``(len(rows), D)``.

        Returns:
            The new keys. Shapes: ``(len(rows),)``.

        Raises:
            MBATError: a row's document cannot be built or encoded, or ``vectors`` has the wrong shape.
        """
        if vectors is None:
            vectors = self.encoder.encode_batch([asset_document(r) for r in rows])
        if vectors.shape != (len(rows), self.encoder.config.dim):
            raise MBATError(f"vectors have shape {vectors.shape}, not ({len(rows)}, {self.encoder.config.dim})")
        names = [name_document(r) for r in rows]
        shares = np.einsum("ij,ij->i", vectors, self.encoder.encode_batch(names))  # f_d of mbat.names
        with self._lock:
            self.delete([r["id"] for r in rows])
            self._licenses = None
            start = self.db.execute("SELECT value FROM next_key").fetchone()[0]
            keys = np.arange(start, start + len(rows), dtype=np.int64)
            self.store.upsert(keys, vectors, [_payload(r) for r in rows])
            self.names.add(keys, [n["name"] for n in names], shares)
            with self.db:
                self.db.executemany(
                    "INSERT INTO assets VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (int(k), r["id"], r["set_prefix"], r["name"], r["license"], r["palette"], r["category"], f)
                        for k, r, f in zip(keys, rows, shares.tolist(), strict=True)
                    ],
                )
                self.db.execute("UPDATE next_key SET value = ?", (start + len(rows),))
        return keys

    def delete(self, asset_ids: Iterable[str]) -> int:
        """Remove icons by asset id; returns how many were indexed."""
        ids = list(asset_ids)
        with self._lock:
            keys = [k for (k,) in self._fetch("SELECT key FROM assets WHERE asset_id IN ({})", ids)]
            if keys:
                self._licenses = None
                self.store.delete(np.asarray(keys, dtype=np.int64))
                self.names.delete(np.asarray(keys, dtype=np.int64))
                with self.db:
                    self.db.executemany("DELETE FROM assets WHERE key = ?", [(k,) for k in keys])
        return len(keys)

    def _query(self, sql: str, values: Sequence = ()) -> list[tuple]:
        """Rows of one metadata query (the connection is shared by every thread that searches)."""
        with self._lock:
            return self.db.execute(sql, values).fetchall()

    def _fetch(self, sql: str, values: Sequence, extra: Sequence = ()) -> list[tuple]:
        """Run a query with an ``IN ({})`` placeholder list, then ``extra`` parameters, in chunks below
        SQLite's variable limit."""
        out = []
        for i in range(0, len(values), 900):
            chunk = list(values[i : i + 900])
            out += self._query(sql.format(", ".join("?" * len(chunk))), [*chunk, *extra])
        return out

    # -- searching ------------------------------------------------------------------------------------

    def licenses(self) -> list[str]:
        """The license ids held by the index (free-text queries recognize them)."""
        if self._licenses is None:
            self._licenses = [lic for (lic,) in self._query("SELECT DISTINCT license FROM assets ORDER BY license")]
        return self._licenses

    def key_of(self, asset_id: str) -> int:
        """The key of an indexed asset id, or -1."""
        found = self._query("SELECT key FROM assets WHERE asset_id = ?", (asset_id,))
        return found[0][0] if found else -1

    def query_vector(self, query: Any) -> np.ndarray:
        """The vector of a query: an indexed asset id gives its stored vector; JSON, SVG and free text are
        turned into a document (:func:`mbat.query.query_document`) and encoded. Shapes: ``(D,)``.

        Raises:
            MBATError: malformed JSON, an unusable SVG, an empty query, or a value that is not JSON.
        """
        return self._query_vector_and_name(query)[0]

    def _query_vector_and_name(self, query: Any) -> tuple[np.ndarray, str | None]:
        """The query's vector and the name it holds (an asset id: its icon's name), if any."""
        if isinstance(query, str) and (key := self.key_of(query.strip())) >= 0:
            name = self._query("SELECT name FROM assets WHERE key = ?", (key,))[0][0]
            return self.store.vectors(np.array([key]))[0], name_document({"name": name})["name"]
        document = query_document(query, self.licenses())
        name = document.get("name") if isinstance(document, Mapping) else None
        return self.encoder.encode(document), name if isinstance(name, str) else None

    def search(self, query: Any, k: int = 10, filters: Filters | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k icons nearest to a query, among those the filters allow.

        Args:
            query: a JSON value or JSON text, free text, an asset id (``"mdi:bell"``) or SVG text.
            k: results.
            filters: allowed values of ``set``, ``license`` and ``palette``, e.g. ``{"license": ["MIT"]}``.

        Returns:
            ``(scores, keys)``: cosines and keys, best first. Shapes: ``(1, k)``; key -1 past the last match.

        Raises:
            MBATError: the query cannot be read (see :meth:`query_vector`), k < 1, or a filter is unknown.
        """
        vector, name = self._query_vector_and_name(query)
        return self.search_vectors(vector[None, :], k, filters, names=[name])

    def search_vectors(
        self,
        queries: np.ndarray,
        k: int = 10,
        filters: Filters | None = None,
        names: Sequence[str | None] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Search with encoded queries and, for the exact second stage, the name each holds (None: none).

        Shapes: ``(n, D)`` → ``(scores, keys)``, each ``(n, k)``.
        """
        scores, keys = self.store.search(queries, k, filters)
        for i, name in enumerate(names or ()):
            candidates = self._name_candidates(name, filters) if name else []
            if len(candidates):
                exact = self.store.vectors(candidates) @ queries[i]
                scores[i], keys[i] = _merge(scores[i], keys[i], exact, candidates)
        return scores, keys

    def _name_candidates(self, name: str, filters: Filters | None) -> np.ndarray:
        """The best keys by name (see :mod:`mbat.names`) that the filters allow."""
        with self._lock:
            keys = self.names.candidates(name, self.name_candidates)
        checked = check_filters(filters)
        if not checked or not len(keys):
            return keys
        where = " AND ".join(f"{FILTER_COLUMNS[f]} IN ({', '.join('?' * len(v))})" for f, v in checked.items())
        extra = [v for values in checked.values() for v in values]
        allowed = {k for (k,) in self._fetch(f"SELECT key FROM assets WHERE key IN ({{}}) AND {where}", keys, extra)}
        return np.array([k for k in keys.tolist() if k in allowed], dtype=np.int64)

    def records(self, keys: np.ndarray) -> list[list[dict | None]]:
        """Metadata for result keys, same layout as ``keys``; None for -1 or a key no longer indexed."""
        keys = np.atleast_2d(keys)
        wanted = sorted({int(k) for k in keys.ravel() if k >= 0})
        sql = f"SELECT key, {', '.join(RECORD_FIELDS)} FROM assets WHERE key IN ({{}})"
        found = {r[0]: dict(zip(RECORD_FIELDS, r[1:], strict=True)) for r in self._fetch(sql, wanted)}
        return [[found.get(int(k)) for k in row] for row in keys]

    # -- serialization --------------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the index into a folder, atomically (see the module docstring).

        Raises:
            MBATError: the store is not a :class:`~mbat.store.FaissStore` (other stores persist themselves).
        """
        if not isinstance(self.store, FaissStore):
            raise MBATError(f"a {type(self.store).__name__} persists itself; save() writes FAISS stores only")
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        generation = _generation(folder) + 1
        vectors, metadata = f"vectors-{generation:06d}.faiss", f"metadata-{generation:06d}.sqlite"
        _replace_atomically(self.store.save, folder / vectors)
        _replace_atomically(self._backup, folder / metadata)
        manifest = {
            "format": FORMAT_VERSION,
            "generation": generation,
            "vectors": vectors,
            "metadata": metadata,
            "count": len(self),
            "saved": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "encoder": self.encoder.config.to_dict(),
            "store": self.store.settings_dict(),
        }
        _replace_atomically(lambda p: p.write_text(json.dumps(manifest, indent=2)), folder / MANIFEST)
        for stale in folder.iterdir():
            if stale.name not in (MANIFEST, vectors, metadata):
                stale.unlink()

    def _backup(self, path: Path) -> None:
        target = sqlite3.connect(path)
        with target, self._lock:
            self.db.backup(target)
        target.close()

    @classmethod
    def load(cls, path: str | Path) -> AssetIndex:
        """Read an index folder written by :meth:`save`.

        Raises:
            MBATError: no index there, another format version, or another encoder version.
        """
        folder = Path(path)
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise MBATError(f"no readable index at {folder} ({exc}); build one with `mbat index build`") from exc
        if manifest.get("format") != FORMAT_VERSION:
            raise MBATError(f"{folder} has index format {manifest.get('format')}, not {FORMAT_VERSION}; rebuild it")
        encoder = Encoder.from_config(EncoderConfig.from_dict(manifest["encoder"]))
        store = FaissStore.load(folder / manifest["vectors"], encoder.config.dim, FaissSettings(**manifest["store"]))
        index = cls(encoder, store)
        disk = sqlite3.connect(f"file:{folder / manifest['metadata']}?mode=ro", uri=True)
        disk.backup(index.db)
        disk.close()
        rows = index._query("SELECT key, set_prefix, license, palette, name, name_share FROM assets ORDER BY key")
        keys = np.array([r[0] for r in rows], dtype=np.int64)
        store.set_payloads(keys, [{"set": s, "license": lic, "palette": p} for _, s, lic, p, _, _ in rows])
        names = [name_document({"name": r[4]})["name"] for r in rows]
        index.names.add(keys, names, np.array([r[5] for r in rows], dtype=np.float32))
        return index


def _merge(
    scores: np.ndarray, keys: np.ndarray, exact: np.ndarray, candidates: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One query's store results and exactly scored candidates, as the best ``len(keys)`` distinct keys.

    Shapes: ``scores``, ``keys`` ``(k,)`` (key -1 for none); ``exact``, ``candidates`` ``(c,)``.
    """
    found = keys >= 0
    all_keys = np.concatenate([keys[found], candidates])
    all_scores = np.concatenate([scores[found], exact.astype(np.float32)])
    unique, first = np.unique(all_keys, return_index=True)
    best = first[np.lexsort((unique, -all_scores[first]))][: len(keys)]  # by score, then key
    D, I = pad_results([all_scores[best].tolist()], [all_keys[best].tolist()], len(keys))  # noqa: E741
    return D[0], I[0]
