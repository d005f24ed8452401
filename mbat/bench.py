"""Benchmark: MBAT encoding speed, index build and size, query latency, ANN recall, and retrieval quality.

    python -m mbat.bench                              the default catalog (see below)
    python -m mbat.bench --catalog data/catalog.sqlite --queries 1000

The catalog is ``--catalog``, else ``$VECTORSMITH_CATALOG``, else ``data/catalog.sqlite`` when present, else
the fixture ``data/fixture/catalog.sqlite``. Figures:

- encoding rate (documents/s, one process) of the asset documents, and the rate of building them;
- build time (documents + encoding + index), bytes per asset on disk, query p50/p99 (ms, end to end:
  text or JSON → vector → search, one query at a time, no filters);
- recall@10 against exact search of the index's two-stage search (HNSW, plus the exactly scored icons that
  share a name word with the query: :mod:`mbat.names`), and of HNSW alone over a sweep of ``efSearch`` (an
  HNSW with the index's settings is built for the measurement when the index itself is exact);
- recall@10 on the two tasks of :mod:`mbat.datasets`, for MBAT and for a TF-IDF baseline over the
  flattened documents (scikit-learn), on exactly the same queries.

The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from mbat.catalog import default_catalog, iter_rows
from mbat.datasets import example_task, recall_at_k, text_task
from mbat.document import TEXT_KEYS, asset_document, asset_encoder
from mbat.index import AssetIndex
from mbat.query import query_document
from mbat.store import FaissSettings, FaissStore

K = 10
EPSILON = 0.01  # ann-benchmarks' default for its ε-recall


def flatten_tokens(value: Any, path: str = "") -> list[str]:
    """The TF-IDF baseline's view of a document: one ``path=value`` token per scalar (array positions
    dropped), and one ``path=word`` token per word of a text field.

    Example:
        >>> flatten_tokens({"name": "arrow left", "svg": {"children": [{"fill": "red"}]}, "paths": 1})
        ['name=arrow', 'name=left', 'svg.children.fill=red', 'paths=1']
    """
    if isinstance(value, Mapping):
        return [t for k, v in value.items() for t in flatten_tokens(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [t for v in value for t in flatten_tokens(v, path)]
    if isinstance(value, str) and path in TEXT_KEYS:
        return [f"{path}={w}" for w in value.lower().replace("-", " ").split()]
    return [f"{path}={json.dumps(value) if not isinstance(value, str) else value}"]


def tfidf_rank(vectorizer: TfidfVectorizer, matrix, queries: Iterable[Any], k: int) -> np.ndarray:
    """Top-k row numbers by TF-IDF cosine, for each query document. Shapes: ``(nq, k)``."""
    query_matrix = vectorizer.transform(list(queries))
    ranked = []
    for start in range(0, query_matrix.shape[0], 64):
        scores = (query_matrix[start : start + 64] @ matrix.T).toarray()  # (64, n)
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, top, 1), axis=1, kind="stable")
        ranked.append(np.take_along_axis(top, order, 1))
    return np.concatenate(ranked)


def _recall(found: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """Per query, the share of the exact top 10's ids among those found. Shapes: ``(nq, K)`` → ``(nq,)``."""
    return np.array([len(set(f) & set(e)) / K for f, e in zip(found, exact, strict=True)])


def ann_recall(
    index: AssetIndex, vectors: np.ndarray, queries: dict[str, np.ndarray], names: dict[str, list]
) -> dict[str, float]:
    """recall@10 against exact search of the index's two-stage search, per query set and over all; prints a
    sweep of HNSW alone over ``efSearch`` and of the second stage's candidate count first.

    Strict recall counts the exact top 10's ids among the HNSW top 10. Near-ties make it harsh where many
    icons score alike (all icons named "arrow-left-*" against the query "arrow-left"), so the sweep also
    prints ann-benchmarks' ε-recall: an HNSW result counts when its cosine distance is within
    ``1 + EPSILON`` of the exact 10th's. When the store is exact, an HNSW with the same settings is built.
    """
    store = index.store
    if store.settings.kind == "hnsw":
        hnsw = store
    else:
        hnsw = FaissStore(vectors.shape[1], FaissSettings(kind="hnsw"))
        hnsw.upsert(np.arange(len(vectors)), vectors, [{}] * len(vectors))
    tasks = list(queries)
    everything = np.concatenate([queries[n] for n in tasks])
    owner = np.repeat(tasks, [len(queries[n]) for n in tasks])
    exact_scores, exact = faiss.knn(everything, vectors, K, metric=faiss.METRIC_INNER_PRODUCT)

    def report(label: str, scores: np.ndarray, found: np.ndarray, ms: float) -> dict[str, float]:
        hits = _recall(found, exact)
        near = ((1 - scores) <= (1 + EPSILON) * (1 - exact_scores[:, -1:])).mean(axis=1)
        recall = {n: float(hits[owner == n].mean()) for n in tasks} | {"all": float(hits.mean())}
        recall |= {f"{n}_eps": float(near[owner == n].mean()) for n in tasks} | {"all_eps": float(near.mean())}
        per_task = ", ".join(f"{n} {recall[n]:.4f}" for n in tasks)
        print(f"  {label}: recall@10 {recall['all']:.4f} ({per_task}), ε-recall {recall['all_eps']:.4f}, {ms:.2f} ms")
        return recall

    for ef in sorted({128, 512, 1024, 2048, 4096, hnsw.settings.ef_search}):
        start = time.perf_counter()
        scores, found = hnsw.index.search(everything, K, params=faiss.SearchParametersHNSW(efSearch=ef))
        report(f"HNSW alone, efSearch {ef:4d}", scores, found, (time.perf_counter() - start) * 1000 / len(everything))
    everything_names = [n for t in tasks for n in names[t]]
    for limit in sorted({128, 2048, index.name_candidates}):
        index.name_candidates, chosen = limit, index.name_candidates
        start = time.perf_counter()
        scores, found = index.search_vectors(everything, K, names=everything_names)
        ms = (time.perf_counter() - start) * 1000 / len(everything)
        index.name_candidates = chosen
        recall = report(f"two-stage, {limit:4d} name candidates", scores, found, ms)
        if limit == chosen:
            result = recall
    return result


def latency_ms(index: AssetIndex, queries: list[Any]) -> list[float]:
    """Wall time of one end-to-end ``index.search`` per query, after a short warm-up."""
    for q in queries[:5]:
        index.search(q, K)
    times = []
    for q in queries:
        start = time.perf_counter()
        index.search(q, K)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalog", type=Path, default=None, help="catalog file (default: see above)")
    parser.add_argument("--queries", type=int, default=1000, help="queries per task (default: 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the query samples (default: 0)")
    args = parser.parse_args(argv)
    catalog = args.catalog or default_catalog()

    rows = [r for batch in iter_rows(catalog) for r in batch]
    n = len(rows)
    print(f"catalog {catalog}: {n:,} icons")
    start = time.perf_counter()
    documents = [asset_document(r) for r in rows]
    document_s = time.perf_counter() - start
    encoder = asset_encoder()
    start, cpu_start = time.perf_counter(), time.process_time()
    vectors = encoder.encode_batch(documents)
    encode_s, encode_cpu_s = time.perf_counter() - start, time.process_time() - cpu_start
    start = time.perf_counter()
    index = AssetIndex(encoder, FaissStore.for_size(encoder.config.dim, n))
    keys = np.concatenate([index.add(rows[i : i + 8192], vectors[i : i + 8192]) for i in range(0, n, 8192)])
    assert np.array_equal(keys, np.arange(n)), "a fresh index numbers rows in order"
    add_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        index.save(folder)
        disk_bytes = sum(f.stat().st_size for f in Path(folder).iterdir())
    print(f"{encoder!r}, {index.store.settings.kind} index")
    print(
        f"documents {n / document_s:,.0f}/s, encoding {n / encode_s:,.0f} docs/s "
        f"({n / encode_cpu_s:,.0f} per CPU second), index add {add_s:.1f} s"
    )
    print(f"build {document_s + encode_s + add_s:.1f} s in all, {disk_bytes / n:,.0f} bytes per asset on disk")

    tasks = [text_task(rows, args.queries, args.seed), example_task(rows, documents, args.queries, args.seed)]
    licenses = index.licenses()
    query_documents = {t.name: [query_document(q, licenses) for q in t.queries] for t in tasks}
    query_vectors = {name: encoder.encode_batch(docs) for name, docs in query_documents.items()}
    query_names = {name: [d.get("name") for d in docs] for name, docs in query_documents.items()}
    print(f"Search against exact search on the {sum(len(t) for t in tasks):,} task queries (batched, ms per query):")
    recall_ann = ann_recall(index, vectors, query_vectors, query_names)
    times = latency_ms(index, [q for t in tasks for q in t.queries])
    p50, p99 = float(np.percentile(times, 50)), float(np.percentile(times, 99))
    print(f"query latency p50 {p50:.2f} ms, p99 {p99:.2f} ms (end to end, one at a time)")

    start = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer=flatten_tokens, sublinear_tf=True)
    tfidf_matrix = vectorizer.fit_transform(documents)
    print(f"TF-IDF baseline: {len(vectorizer.vocabulary_):,} tokens, fitted in {time.perf_counter() - start:.1f} s")
    quality: dict[str, dict[str, float]] = {}
    for task in tasks:
        _, mbat_ranked = index.search_vectors(query_vectors[task.name], K + 1, names=query_names[task.name])
        tfidf_ranked = tfidf_rank(vectorizer, tfidf_matrix, query_documents[task.name], K + 1)
        quality[task.name] = {
            "mbat": round(recall_at_k(mbat_ranked, task, K), 4),
            "tfidf": round(recall_at_k(tfidf_ranked, task, K), 4),
        }
        relevant = statistics.mean(len(r) for r in task.relevant) if len(task) else 0
        print(
            f"{task.name:8s} recall@10  MBAT {quality[task.name]['mbat']:.4f}  TF-IDF {quality[task.name]['tfidf']:.4f}"
            f"  ({len(task):,} queries, {relevant:.1f} relevant each on average)"
        )
    figures = {
        "catalog": str(catalog),
        "n": n,
        "dim": encoder.config.dim,
        "index": index.store.settings.kind,
        "docs_per_s": round(n / encode_s, 1),
        "docs_per_cpu_s": round(n / encode_cpu_s, 1),  # the rate on a machine no other job slows
        "documents_built_per_s": round(n / document_s, 1),
        "build_s": round(document_s + encode_s + add_s, 1),
        "bytes_per_asset": round(disk_bytes / n),
        "p50_ms": round(p50, 3),
        "p99_ms": round(p99, 3),
        "recall_at_10_ann": round(recall_ann["all"], 4),
        "recall_at_10_ann_by_task": {t.name: round(recall_ann[t.name], 4) for t in tasks},
        "eps_recall_at_10_ann": round(recall_ann["all_eps"], 4),
        "eps_recall_at_10_ann_by_task": {t.name: round(recall_ann[f"{t.name}_eps"], 4) for t in tasks},
        "ef_search": index.store.settings.ef_search,
        "name_candidates": index.name_candidates,
        "text_queries": len(tasks[0]),
        "example_queries": len(tasks[1]),
        "text_recall_at_10": quality["text"],
        "example_recall_at_10": quality["example"],
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
