"""The Qdrant adapter in qdrant-client's local mode (its shared behaviour is in test_store.py)."""

import numpy as np
import pytest
from qdrant_client import QdrantClient

from mbat import MBATError
from mbat.qdrant import QdrantStore


def test_a_collection_persists_in_a_local_folder(tmp_path):
    client = QdrantClient(path=str(tmp_path / "qdrant"))
    store = QdrantStore(8, client, collection="icons")
    store.upsert(np.arange(2), np.eye(8, dtype=np.float32)[:2], [{"set": "a"}, {"set": "b"}])
    client.close()
    reopened = QdrantStore(8, QdrantClient(path=str(tmp_path / "qdrant")), collection="icons")
    assert len(reopened) == 2
    assert reopened.search(np.eye(8, dtype=np.float32)[1:2], k=1)[1].tolist() == [[1]]
    reopened.client.close()


def test_a_collection_of_another_size_is_refused():
    client = QdrantClient(location=":memory:")
    QdrantStore(8, client)
    with pytest.raises(MBATError, match="holds 8-d vectors, not 16-d"):
        QdrantStore(16, client)
