"""Vector stores: the small interface an asset index searches through, and the embedded FAISS store.

FAISS letters, as in FAISS itself: ``xb`` database vectors ``(n, D)``, ``xq`` query vectors ``(nq, D)``,
``D`` scores (inner products of unit vectors, i.e. cosines) and ``I`` ids, both ``(nq, k)``; a missing
result has id ``-1`` and score ``-inf``-like ``-3.4e38``.

:class:`FaissStore` keeps one ``IndexIDMap2``: exact (``IndexFlatIP``) up to ``exact_limit`` vectors and
HNSW above, chosen when the store is made. Filters (``{"set": [...], "license": [...], "palette": [...]}``)
are evaluated on in-memory code columns, one per payload field; HNSW cannot remove vectors, so deletes there
leave tombstones that every search filters out. A filter that keeps few vectors is answered exactly from the
kept vectors; a broad one goes to HNSW with an ID selector and a proportionally larger ``efSearch``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np

from mbat.errors import MBATError

FILTER_FIELDS = ("set", "license", "palette")
Filters = Mapping[str, str | Sequence[str]]
MISSING_SCORE = float(np.finfo(np.float32).min)


class VectorStore(Protocol):
    """What an :class:`~mbat.index.AssetIndex` needs from a vector database.

    ``payloads`` hold the filter fields (:data:`FILTER_FIELDS`) of each vector; ``search`` returns
    ``(D, I)`` of shape ``(nq, k)``, best first, with id -1 where fewer than k vectors match.
    """

    def upsert(self, ids: np.ndarray, xb: np.ndarray, payloads: Sequence[Mapping[str, str]]) -> None: ...

    def delete(self, ids: np.ndarray) -> None: ...

    def search(self, xq: np.ndarray, k: int, filters: Filters | None = None) -> tuple[np.ndarray, np.ndarray]: ...

    def vectors(self, ids: np.ndarray) -> np.ndarray: ...

    def __len__(self) -> int: ...


def check_filters(filters: Filters | None) -> dict[str, list[str]]:
    """Filters as lists of allowed values per field.

    Raises:
        MBATError: a field is not one of :data:`FILTER_FIELDS`.

    Example:
        >>> check_filters({"license": "MIT", "set": ["mdi", "lucide"]})
        {'license': ['MIT'], 'set': ['mdi', 'lucide']}
    """
    out = {}
    for field, allowed in (filters or {}).items():
        if field not in FILTER_FIELDS:
            raise MBATError(f"cannot filter on {field!r}; filter on one of {', '.join(FILTER_FIELDS)}")
        out[field] = [allowed] if isinstance(allowed, str) else list(allowed)
    return out


def pad_results(scores: list[list[float]], ids: list[list[int]], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Ragged result lists as ``(D, I)`` arrays of shape ``(nq, k)``, padded with id -1."""
    D = np.full((len(ids), k), MISSING_SCORE, dtype=np.float32)
    I = np.full((len(ids), k), -1, dtype=np.int64)  # noqa: E741 (FAISS's name)
    for row, (s, i) in enumerate(zip(scores, ids, strict=True)):
        D[row, : len(s)] = s[:k]
        I[row, : len(i)] = i[:k]
    return D, I


@dataclass(frozen=True)
class FaissSettings:
    """How a :class:`FaissStore` indexes; saved with the index."""

    kind: str = "flat"
    hnsw_m: int = 32
    ef_construction: int = 128
    # Icon-like queries reach recall@10 0.994 against exact search at 1024 on the full catalog; name-only
    # queries, which HNSW misses at any efSearch, get the index's exact name stage (docs/RESULTS.md, "mbat").
    ef_search: int = 1024
    subset_limit: int = 20_000


# Searches of fewer queries than this run on one thread.
BATCH_THREADS_FROM = 16
_OMP_THREADS = faiss.omp_get_max_threads()
# Exact search stays under ~20 ms a query up to about 100k vectors of 1,024 floats on 2 cores (MBAT.md).
EXACT_LIMIT = 100_000


class FaissStore:
    """The embedded vector store: FAISS for vectors, numpy code columns for filters.

    Args:
        dim: vector dimensions.
        settings: index kind and HNSW parameters (see :meth:`for_size`).

    Example:
        >>> store = FaissStore(4)
        >>> xb = np.eye(4, dtype=np.float32)
        >>> store.upsert(np.arange(4), xb, [{"set": "a", "license": "MIT", "palette": "mono"}] * 4)
        >>> D, I = store.search(xb[:1], k=2, filters={"set": "a"})
        >>> I.tolist()[0][0], len(store)
        (0, 4)
    """

    def __init__(self, dim: int, settings: FaissSettings | None = None, index: faiss.Index | None = None):
        self.dim = dim
        self.settings = settings or FaissSettings()
        if self.settings.kind not in ("flat", "hnsw"):
            raise MBATError(f"index kind {self.settings.kind!r} is not 'flat' or 'hnsw'")
        self.index = index if index is not None else self._new_index()
        self._set_ef(self.settings.ef_search)
        self._alive = np.zeros(0, dtype=bool)  # live ids
        self._present = np.zeros(0, dtype=bool)  # ids in the FAISS index: live, or HNSW tombstones
        self._codes = {f: np.zeros(0, dtype=np.int32) for f in FILTER_FIELDS}
        self._vocab: dict[str, dict[str, int]] = {f: {} for f in FILTER_FIELDS}
        if index is not None and index.ntotal:
            present = faiss.vector_to_array(index.id_map)
            self._grow(int(present.max()) + 1)
            self._present[present] = True

    @classmethod
    def for_size(cls, dim: int, n: int, exact_limit: int = EXACT_LIMIT) -> FaissStore:
        """An exact store for up to ``exact_limit`` vectors, HNSW above."""
        return cls(dim, FaissSettings(kind="flat" if n <= exact_limit else "hnsw"))

    def _new_index(self) -> faiss.Index:
        s = self.settings
        if s.kind == "flat":
            return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        base = faiss.IndexHNSWFlat(self.dim, s.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        base.hnsw.efConstruction = s.ef_construction
        return faiss.IndexIDMap2(base)

    def _set_ef(self, ef: int) -> None:
        if self.settings.kind == "hnsw":
            faiss.downcast_index(self.index.index).hnsw.efSearch = ef

    def __len__(self) -> int:
        return int(self._alive.sum())

    def _grow(self, size: int) -> None:
        if size > len(self._alive):
            extra = size - len(self._alive)
            self._alive = np.concatenate([self._alive, np.zeros(extra, dtype=bool)])
            self._present = np.concatenate([self._present, np.zeros(extra, dtype=bool)])
            for f in FILTER_FIELDS:
                self._codes[f] = np.concatenate([self._codes[f], np.full(extra, -1, dtype=np.int32)])

    def set_payloads(self, ids: np.ndarray, payloads: Sequence[Mapping[str, str]]) -> None:
        """Record the filter fields of vectors already in the index (used when loading)."""
        ids = np.asarray(ids, dtype=np.int64)
        self._grow(int(ids.max(initial=-1)) + 1)
        self._alive[ids] = True
        for f in FILTER_FIELDS:
            vocab = self._vocab[f]
            self._codes[f][ids] = [vocab.setdefault(p.get(f, ""), len(vocab)) for p in payloads]

    def upsert(self, ids: np.ndarray, xb: np.ndarray, payloads: Sequence[Mapping[str, str]]) -> None:
        """Add vectors under ids, replacing live ones (flat only: HNSW never takes an id twice).

        Raises:
            MBATError: an id is negative, or an HNSW store has seen it before.
        """
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) and ids.min() < 0:
            raise MBATError(f"id {int(ids.min())} is negative; ids are 0 or more (-1 means missing)")
        seen = ids[ids < len(self._alive)]
        if self.settings.kind == "hnsw" and self._present[seen].any():
            known = seen[self._present[seen]]
            raise MBATError(f"id {int(known[0])} is already in this HNSW store; give updated vectors new ids")
        self.delete(seen)
        self.index.add_with_ids(np.ascontiguousarray(xb, dtype=np.float32), ids)
        self.set_payloads(ids, payloads)
        self._present[ids] = True

    def delete(self, ids: np.ndarray) -> None:
        """Remove vectors by id (HNSW: leave tombstones that searches skip); unknown ids are ignored."""
        ids = np.asarray(ids, dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < len(self._alive))]
        ids = ids[self._alive[ids]]
        if not len(ids):
            return
        self._alive[ids] = False
        if self.settings.kind == "flat":
            self.index.remove_ids(ids)
            self._present[ids] = False

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        """The mask of ids a search may return, or None when every vector in the index may."""
        checked = check_filters(filters)
        if not checked and self.index.ntotal == len(self):
            return None
        mask = self._alive.copy()
        for f, values in checked.items():
            codes = [self._vocab[f][v] for v in values if v in self._vocab[f]]
            mask &= np.isin(self._codes[f], codes)
        return mask

    def search(self, xq: np.ndarray, k: int, filters: Filters | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest vectors by inner product, among those the filters allow.

        Args:
            xq: query vectors. Shapes: ``(nq, D)``.
            k: results per query.
            filters: allowed values per field of :data:`FILTER_FIELDS`.

        Returns:
            ``(D, I)``, both ``(nq, k)``, best first; id -1 (score ``MISSING_SCORE``) where fewer match.

        Raises:
            MBATError: k is not positive, or a filter field is unknown.
        """
        if k < 1:
            raise MBATError(f"k={k} must be at least 1")
        xq = np.ascontiguousarray(np.atleast_2d(xq), dtype=np.float32)
        if len(xq) >= BATCH_THREADS_FROM:
            return self._search(xq, k, filters)
        # A few queries gain nothing from OpenMP's fork and join, which stalls while another process holds a core.
        # The setting is global: restore the count seen at import, not one another thread may have lowered.
        faiss.omp_set_num_threads(1)
        try:
            return self._search(xq, k, filters)
        finally:
            faiss.omp_set_num_threads(_OMP_THREADS)

    def _search(self, xq: np.ndarray, k: int, filters: Filters | None) -> tuple[np.ndarray, np.ndarray]:
        allowed = self._allowed(filters)
        if allowed is None:
            return self.index.search(xq, k)
        keep = np.flatnonzero(allowed)
        if self.settings.kind == "hnsw" and len(keep) <= self.settings.subset_limit:
            return _exact_subset(xq, k, keep, self.index.reconstruct_batch(keep) if len(keep) else None)
        bitmap = np.packbits(allowed, bitorder="little")
        selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap))
        if self.settings.kind == "flat":
            return self.index.search(xq, k, params=faiss.SearchParameters(sel=selector))
        # The graph walk skips filtered-out nodes, so a filter that keeps a fraction f needs ~1/f more candidates.
        ef = int(min(4 * self.settings.ef_search, self.settings.ef_search * len(self._alive) / max(len(keep), 1)))
        return self.index.search(xq, k, params=faiss.SearchParametersHNSW(sel=selector, efSearch=max(ef, k)))

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of live ids. Shapes: ``(n,)`` → ``(n, D)``.

        Raises:
            MBATError: an id is not in the store.
        """
        ids = np.asarray(ids, dtype=np.int64)
        bad = ids[(ids < 0) | (ids >= len(self._alive))]
        bad = bad if len(bad) else ids[~self._alive[ids]]
        if len(bad):
            raise MBATError(f"id {int(bad[0])} is not in the store")
        return self.index.reconstruct_batch(ids)

    def save(self, path: Path) -> None:
        """Write the FAISS index (payloads live with the caller's metadata)."""
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, dim: int, settings: FaissSettings) -> FaissStore:
        """Read an index written by :meth:`save`; call :meth:`set_payloads` for its live ids next."""
        return cls(dim, settings, faiss.read_index(str(path)))

    def settings_dict(self) -> dict:
        return asdict(self.settings)


def _exact_subset(xq: np.ndarray, k: int, keep: np.ndarray, xb: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k over a few kept vectors. Shapes: xq ``(nq, D)``, xb ``(len(keep), D)``."""
    if xb is None:
        return pad_results([[]] * len(xq), [[]] * len(xq), k)
    scores = xq @ xb.T  # (nq, len(keep))
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return pad_results(np.take_along_axis(scores, top, 1).tolist(), keep[top].tolist(), k)
