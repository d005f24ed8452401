"""The Qdrant adapter: the same :class:`~mbat.store.VectorStore` interface over a Qdrant collection.

For libraries that outgrow one machine, point it at a Qdrant cluster (``QdrantClient(url=...)``); tests use
qdrant-client's local mode (``":memory:"`` or a folder), which runs the same API in-process. Vectors are
unit length, so the collection uses the dot product, which is their cosine. Payloads carry the filter
fields, matched with ``MatchAny``. qdrant-client is imported only when this module is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from qdrant_client import QdrantClient, models

from mbat.errors import MBATError
from mbat.store import Filters, check_filters, pad_results


class QdrantStore:
    """A :class:`~mbat.store.VectorStore` over one Qdrant collection.

    Args:
        dim: vector dimensions.
        client: a connected client (default: an in-memory local-mode client).
        collection: the collection's name; made with the dot-product distance when missing.

    Raises:
        MBATError: the collection exists with another vector size.

    Example:
        >>> store = QdrantStore(4)
        >>> store.upsert(np.arange(2), np.eye(4, dtype=np.float32)[:2], [{"set": "a"}, {"set": "b"}])
        >>> D, I = store.search(np.eye(4, dtype=np.float32)[:1], k=3, filters={"set": "b"})
        >>> I.tolist()
        [[1, -1, -1]]
    """

    def __init__(self, dim: int, client: QdrantClient | None = None, collection: str = "mbat"):
        self.dim = dim
        self.client = client or QdrantClient(location=":memory:")
        self.collection = collection
        if not self.client.collection_exists(collection):
            params = models.VectorParams(size=dim, distance=models.Distance.DOT)
            self.client.create_collection(collection, vectors_config=params)
        size = self.client.get_collection(collection).config.params.vectors.size
        if size != dim:
            raise MBATError(f"collection {collection!r} holds {size}-d vectors, not {dim}-d; use another collection")

    def __len__(self) -> int:
        return self.client.count(self.collection).count

    def upsert(self, ids: np.ndarray, xb: np.ndarray, payloads: Sequence[Mapping[str, str]]) -> None:
        """Add or replace points."""
        batch = models.Batch(
            ids=[int(i) for i in ids],
            vectors=np.asarray(xb, dtype=np.float32).tolist(),
            payloads=[dict(p) for p in payloads],
        )
        self.client.upsert(self.collection, points=batch)

    def delete(self, ids: np.ndarray) -> None:
        """Remove points by id; unknown ids are ignored."""
        self.client.delete(self.collection, points_selector=models.PointIdsList(points=[int(i) for i in ids]))

    def search(self, xq: np.ndarray, k: int, filters: Filters | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest points per query among those the filters allow; see :meth:`FaissStore.search`."""
        if k < 1:
            raise MBATError(f"k={k} must be at least 1")
        conditions = [
            models.FieldCondition(key=field, match=models.MatchAny(any=values))
            for field, values in check_filters(filters).items()
        ]
        query_filter = models.Filter(must=conditions) if conditions else None
        requests = [
            models.QueryRequest(query=q.tolist(), limit=k, filter=query_filter)
            for q in np.atleast_2d(np.asarray(xq, dtype=np.float32))
        ]
        responses = self.client.query_batch_points(self.collection, requests=requests)
        scores = [[p.score for p in r.points] for r in responses]
        ids = [[int(p.id) for p in r.points] for r in responses]
        return pad_results(scores, ids, k)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of points. Shapes: ``(n,)`` → ``(n, D)``.

        Raises:
            MBATError: a point is not in the collection.
        """
        wanted = [int(i) for i in ids]
        found = {int(r.id): r.vector for r in self.client.retrieve(self.collection, wanted, with_vectors=True)}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise MBATError(f"id {missing[0]} is not in collection {self.collection!r}")
        return np.asarray([found[i] for i in wanted], dtype=np.float32).reshape(len(wanted), self.dim)
