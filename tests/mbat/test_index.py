"""The asset index: build from a catalog, every kind of query, filters, add and delete, and saves that a
crash or kill cannot break."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import faiss
import numpy as np
import pytest

from mbat import AssetIndex, MBATError, asset_encoder
from mbat.qdrant import QdrantStore
from mbat.store import FaissSettings, FaissStore
from tests.mbat.catalog_factory import sample_rows, write_catalog

ROOT = Path(__file__).resolve().parents[2]


def ids_of(index, keys):
    return [r["asset_id"] if r else None for r in index.records(keys)[0]]


def test_build_indexes_every_icon_exactly(built_index, catalog_rows):
    assert len(built_index) == len(catalog_rows)
    assert built_index.store.settings.kind == "flat"


def test_an_asset_id_finds_itself_first_and_text_finds_the_name(built_index, catalog_rows):
    row = catalog_rows[17]
    scores, keys = built_index.search(row["id"], k=5)
    assert keys.shape == (1, 5) and ids_of(built_index, keys)[0] == row["id"]
    assert scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    _, keys = built_index.search(row["name"], k=10)
    assert row["name"] in [r["name"] for r in built_index.records(keys)[0]]


def test_json_and_svg_queries(built_index, catalog_rows):
    row = next(r for r in catalog_rows if r["normalized_svg"] and r["palette"] == "mono")
    _, keys = built_index.search(row["normalized_svg"], k=3)  # its own drawing, as SVG text
    assert row["id"] in ids_of(built_index, keys)
    _, keys = built_index.search({"palette": "color", "license": "MIT"}, k=10)
    records = built_index.records(keys)[0]
    assert sum(r["palette"] == "color" and r["license"] == "MIT" for r in records) >= 8
    with pytest.raises(MBATError, match="malformed JSON at line 1"):
        built_index.search('{"palette": "color",', k=3)


def test_filters_restrict_results(built_index):
    _, keys = built_index.search("arrow", k=20, filters={"license": ["MIT"], "palette": "mono"})
    records = [r for r in built_index.records(keys)[0] if r]
    assert records and all(r["license"] == "MIT" and r["palette"] == "mono" for r in records)
    _, keys = built_index.search("arrow", k=5, filters={"set": "no-such-set"})
    assert keys.tolist() == [[-1] * 5]


def test_add_replaces_and_delete_removes(catalog_rows):
    index = AssetIndex(asset_encoder(dim=256))
    first = index.add(catalog_rows[:50])
    again = index.add(catalog_rows[:1])  # the same icon again: a new key, the old one gone
    assert again[0] == 50 and len(index) == 50
    assert index.key_of(catalog_rows[0]["id"]) == 50
    assert index.records(first[:1])[0] == [None]
    assert index.delete([catalog_rows[1]["id"], "no:such"]) == 1 and len(index) == 49
    _, keys = index.search(catalog_rows[1]["name"], k=49)
    assert catalog_rows[1]["id"] not in ids_of(index, keys)


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_save_and_load_give_the_same_results(tmp_path, catalog_rows, kind):
    encoder = asset_encoder(dim=256)
    index = AssetIndex(encoder, FaissStore(256, FaissSettings(kind=kind)))
    index.add(catalog_rows[:200])
    index.delete([catalog_rows[3]["id"]])
    index.save(tmp_path / "idx")
    loaded = AssetIndex.load(tmp_path / "idx")
    assert len(loaded) == 199 and loaded.encoder.config == encoder.config
    for query in ("arrow", catalog_rows[5]["id"], {"palette": "mono"}):
        before, after = index.search(query, k=10), loaded.search(query, k=10)
        assert np.array_equal(before[1], after[1]) and np.allclose(before[0], after[0], atol=1e-6)
    assert loaded.add(catalog_rows[200:201])[0] == 200  # keys continue after a load


def test_saves_replace_generations_and_refuse_other_stores(tmp_path, catalog_rows):
    index = AssetIndex(asset_encoder(dim=64))
    index.add(catalog_rows[:10])
    index.save(tmp_path / "idx")
    index.save(tmp_path / "idx")
    assert sorted(p.name for p in (tmp_path / "idx").iterdir()) == [
        "manifest.json",
        "metadata-000002.sqlite",
        "vectors-000002.faiss",
    ]
    with pytest.raises(MBATError, match="persists itself"):
        AssetIndex(asset_encoder(dim=64), QdrantStore(64)).save(tmp_path / "q")
    with pytest.raises(MBATError, match="no readable index"):
        AssetIndex.load(tmp_path / "nothing")


def test_an_index_over_qdrant_searches_like_faiss(catalog_rows):
    faiss_index = AssetIndex(asset_encoder(dim=256))
    qdrant_index = AssetIndex(asset_encoder(dim=256), QdrantStore(256))
    for index in (faiss_index, qdrant_index):
        index.add(catalog_rows[:100])
    for query in ("arrow", catalog_rows[7]["id"]):
        assert faiss_index.search(query, 5)[1].tolist() == qdrant_index.search(query, 5)[1].tolist()


def test_a_failure_before_the_manifest_is_replaced_leaves_the_old_index(tmp_path, catalog_rows, monkeypatch):
    index = AssetIndex(asset_encoder(dim=64))
    index.add(catalog_rows[:10])
    index.save(tmp_path / "idx")
    index.add(catalog_rows[10:20])
    real_replace = os.replace

    def crash_on_manifest(src, dst):
        if Path(dst).name == "manifest.json":
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_manifest)
    with pytest.raises(OSError, match="disk full"):
        index.save(tmp_path / "idx")
    monkeypatch.undo()
    assert len(AssetIndex.load(tmp_path / "idx")) == 10
    index.save(tmp_path / "idx")  # the next save cleans up the abandoned generation
    assert len(AssetIndex.load(tmp_path / "idx")) == 20
    assert len(list((tmp_path / "idx").iterdir())) == 3


def test_killing_a_build_leaves_the_previous_index_usable(tmp_path):
    small, large = tmp_path / "small.sqlite", tmp_path / "large.sqlite"
    rows = sample_rows(800)
    write_catalog(small, rows[:50])
    write_catalog(large, rows)
    folder = tmp_path / "idx"
    build = [sys.executable, "-m", "mbat.cli", "index", "build", "--dim", "256", "--out", str(folder)]
    subprocess.run([*build, "--catalog", str(small)], cwd=ROOT, check=True, capture_output=True)
    old_files = set(os.listdir(folder))
    kills = 0
    for attempt in range(3):
        proc = subprocess.Popen([*build, "--catalog", str(large)], cwd=ROOT, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:  # kill as soon as the new generation appears
            if set(os.listdir(folder)) - old_files:
                proc.send_signal(signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.0005 * attempt)
        proc.wait()
        manifest = json.loads((folder / "manifest.json").read_text())
        loaded = AssetIndex.load(folder)
        assert len(loaded) in (50, 800) and len(loaded) == manifest["count"]
        assert loaded.search("arrow", k=3)[1].shape == (1, 3)
        if len(loaded) == 800:
            break
    assert kills >= 1


def test_free_text_recognizes_licenses_added_later(catalog_rows):
    # D=1024: the weighted drawing cells leave a license about 0.11 of cosine, too little above D=256's noise.
    index = AssetIndex()
    index.add(catalog_rows[:5])
    assert "WTFPL" not in index.licenses()
    index.add([{**catalog_rows[5], "id": "x:y", "license": "WTFPL"}])
    assert "WTFPL" in index.licenses()
    assert index.records(index.search("under wtfpl", k=1)[1])[0][0]["license"] == "WTFPL"


def test_name_queries_reach_the_exact_top_10_through_a_weak_graph(catalog_rows):
    """The second stage (mbat.names) scores name-sharing icons exactly: with a graph walk that sees almost
    nothing (efSearch 10), name queries still get the exact top 10; without it they do not. (Names that fewer
    than 10 icons share a word with are left out: the rest of their exact top 10 is noise-level cosine.)"""
    index = AssetIndex(store=FaissStore(1024, FaissSettings(kind="hnsw", hnsw_m=4, ef_search=10)))
    index.add(catalog_rows)
    xb = index.store.vectors(np.arange(len(catalog_rows)))
    names = sorted({r["name"].replace("-", " ") for r in catalog_rows})
    names = [n for n in names if len(index.names.candidates(n, limit=10)) == 10][:80]
    assert len(names) >= 40
    xq = index.encoder.encode_batch([{"name": n} for n in names])
    _, exact = faiss.knn(xq, xb, 10, metric=faiss.METRIC_INNER_PRODUCT)
    _, graph_only = index.search_vectors(xq, 10)
    _, two_stage = index.search_vectors(xq, 10, names=names)

    def recall(found):
        return np.mean([len(set(f) & set(e)) / 10 for f, e in zip(found, exact, strict=True)])

    assert recall(two_stage) >= 0.97 > recall(graph_only)
    _, keys = index.search(names[0], k=10)
    assert set(keys[0]) == set(two_stage[0])


def test_name_candidates_respect_filters_and_deletes(catalog_rows):
    index = AssetIndex()
    index.add(catalog_rows)
    row = next(r for r in catalog_rows if r["license"] != "MIT")
    _, keys = index.search(row["name"], k=10, filters={"license": "MIT"})
    assert all(r is None or r["license"] == "MIT" for r in index.records(keys)[0])
    index.delete([row["id"]])
    _, keys = index.search(row["name"], k=10)
    assert row["id"] not in ids_of(index, keys)


def test_threads_share_an_index(built_index, catalog_rows):
    """The app's sessions search one cached index from their own threads (SQLite, postings, encoder)."""
    queries = [r["name"] for r in catalog_rows[:40]] + [r["id"] for r in catalog_rows[40:60]]
    expected = [built_index.search(q, k=5)[1].tolist() for q in queries]
    found: dict[int, list] = {}

    def work(first: int) -> None:
        for i in range(first, len(queries), 4):
            found[i] = built_index.search(queries[i], k=5)[1].tolist()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [found[i] for i in range(len(queries))] == expected
