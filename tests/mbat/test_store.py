"""The VectorStore contract, held by the FAISS store (exact and HNSW) and the Qdrant adapter alike;
ANN results are compared against IndexFlatIP."""

import faiss
import numpy as np
import pytest

from mbat import MBATError
from mbat.qdrant import QdrantStore
from mbat.store import MISSING_SCORE, FaissSettings, FaissStore

D = 32
SETS = ["a", "b", "c"]


def unit_vectors(n: int, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, D)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def payloads(n: int) -> list[dict]:
    return [{"set": SETS[i % 3], "license": "MIT" if i % 2 else "OFL-1.1", "palette": "mono"} for i in range(n)]


STORES = {
    "flat": lambda: FaissStore(D),
    "hnsw": lambda: FaissStore(D, FaissSettings(kind="hnsw", hnsw_m=16, subset_limit=10)),
    "qdrant": lambda: QdrantStore(D),
}


@pytest.fixture(params=list(STORES))
def store(request):
    made = STORES[request.param]()
    made.upsert(np.arange(300), unit_vectors(300), payloads(300))
    return made


def test_search_finds_each_vector_first_and_pads_missing(store):
    xb = unit_vectors(300)
    scores, ids = store.search(xb[:20], k=5)
    assert ids.shape == scores.shape == (20, 5) and ids.dtype == np.int64
    assert ids[:, 0].tolist() == list(range(20))
    assert np.all(np.diff(scores, axis=1) <= 1e-6)
    scores, ids = store.search(xb[:1], k=5, filters={"set": "zzz"})
    assert ids.tolist() == [[-1] * 5] and np.all(scores == MISSING_SCORE)


def test_filters_keep_only_matching_vectors(store):
    xb = unit_vectors(300)
    _, ids = store.search(xb[:10], k=10, filters={"set": ["b"], "license": "MIT"})
    kept = ids[ids >= 0]
    assert len(kept) > 0 and all(i % 3 == 1 and i % 2 == 1 for i in kept)
    with pytest.raises(MBATError, match="cannot filter on 'shape'"):
        store.search(xb[:1], k=1, filters={"shape": "round"})


def test_delete_and_replace(store):
    xb = unit_vectors(300)
    store.delete(np.array([0, 1, 999]))
    assert len(store) == 298
    _, ids = store.search(xb[:2], k=3)
    assert not {0, 1} & set(ids.ravel().tolist())
    store.upsert(np.array([300]), xb[:1], payloads(1))
    assert store.search(xb[:1], k=1)[1].tolist() == [[300]]
    assert np.allclose(store.vectors(np.array([300, 5])), xb[[0, 5]], atol=1e-6)
    with pytest.raises(MBATError, match="id 0 is not"):
        store.vectors(np.array([0]))


def test_hnsw_recall_against_exact_search():
    xb, xq = unit_vectors(5000, seed=1), unit_vectors(200, seed=2)
    hnsw = FaissStore(D, FaissSettings(kind="hnsw"))
    hnsw.upsert(np.arange(len(xb)), xb, [{}] * len(xb))
    _, exact = faiss.knn(xq, xb, 10, metric=faiss.METRIC_INNER_PRODUCT)
    _, approx = hnsw.search(xq, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.95


def test_hnsw_filters_go_exact_when_few_match_and_through_the_graph_when_many_do():
    xb = unit_vectors(3000, seed=3)
    hnsw = FaissStore(D, FaissSettings(kind="hnsw", subset_limit=500))
    hnsw.upsert(np.arange(3000), xb, payloads(3000))
    for filters in ({"set": "a", "license": "MIT"}, {"set": ["a", "b"]}):  # ~500 (exact) and ~2000 (graph)
        allowed = np.array(
            [all(p[f] in ([v] if isinstance(v, str) else v) for f, v in filters.items()) for p in payloads(3000)]
        )
        scores = xb[:50] @ xb.T
        scores[:, ~allowed] = -np.inf
        exact = np.argsort(-scores, axis=1)[:, :10]
        _, approx = hnsw.search(xb[:50], 10, filters)
        assert np.all(allowed[approx])
        assert np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)]) >= 0.95


def test_hnsw_never_takes_an_id_twice():
    hnsw = FaissStore(D, FaissSettings(kind="hnsw"))
    hnsw.upsert(np.arange(3), unit_vectors(3), payloads(3))
    hnsw.delete(np.array([1]))
    with pytest.raises(MBATError, match="id 1 is already in this HNSW store"):
        hnsw.upsert(np.array([1]), unit_vectors(1), payloads(1))
    with pytest.raises(MBATError, match="negative"):
        hnsw.upsert(np.array([-1]), unit_vectors(1), payloads(1))


def test_save_and_load_keep_tombstones_out(tmp_path):
    hnsw = FaissStore(D, FaissSettings(kind="hnsw"))
    xb = unit_vectors(100)
    hnsw.upsert(np.arange(100), xb, payloads(100))
    hnsw.delete(np.array([0]))
    hnsw.save(tmp_path / "v.faiss")
    again = FaissStore.load(tmp_path / "v.faiss", D, hnsw.settings)
    again.set_payloads(np.arange(1, 100), payloads(100)[1:])
    assert len(again) == 99 and again.search(xb[:1], k=3)[1][0, 0] != 0
