"""Retrieval tasks take their ground truth from the catalog; recall@k counts it correctly."""

import numpy as np

from mbat.datasets import RetrievalTask, example_task, recall_at_k, text_task
from mbat.document import IDENTITY_FIELDS, asset_document


def test_text_task_relevance_is_every_icon_of_the_name(catalog_rows):
    task = text_task(catalog_rows, 50, seed=1)
    assert len(task) == 50 and task.queries == text_task(catalog_rows, 50, seed=1).queries
    for name, relevant in zip(task.queries, task.relevant, strict=True):
        assert relevant == {i for i, r in enumerate(catalog_rows) if r["name"] == name}


def test_example_task_asks_for_other_sets_only(catalog_rows):
    docs = [asset_document(r) for r in catalog_rows]
    task = example_task(catalog_rows, docs, 1000)
    assert len(task) > 0
    for query, relevant, own in zip(task.queries, task.relevant, task.exclude, strict=True):
        assert not set(IDENTITY_FIELDS) & set(query)
        assert own not in relevant
        assert all(catalog_rows[j]["name"] == catalog_rows[own]["name"] for j in relevant)
        assert all(catalog_rows[j]["set_prefix"] != catalog_rows[own]["set_prefix"] for j in relevant)


def test_recall_at_k_drops_the_excluded_row_and_caps_the_denominator():
    task = RetrievalTask("t", ["a", "b"], [frozenset({1}), frozenset(range(20))], [0, -1])
    ranked = np.array([[0, 1, 7], [3, 4, 50]])
    assert recall_at_k(ranked, task, k=2) == (1.0 + 1.0) / 2
    assert np.isnan(recall_at_k(ranked[:0], RetrievalTask("empty"), k=2))
