"""Retrieval tasks with ground truth from the catalog itself, shared by the tests and ``python -m mbat.bench``.

Two tasks (issue 5), each a seeded sample of queries over the catalog's rows:

- **text**: an icon name as typed (``"arrow-left"``); relevant = every icon with that name, in any set.
- **example**: an icon's document with its identity removed (name, aliases, category, set: the drawing and
  license remain); relevant = the icons with the same name in *other* sets; the query icon itself is
  excluded from the ranking. Only icons whose name occurs in another set are asked.

``recall@k`` is ``|top k ∩ relevant| / min(k, |relevant|)``, averaged over queries: 1.0 when the first k
results are all relevant or hold every relevant icon.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mbat.document import example_document


@dataclass
class RetrievalTask:
    """Queries and, per query, the relevant row numbers and the row to leave out of the ranking (-1: none)."""

    name: str
    queries: list[Any] = field(default_factory=list)
    relevant: list[frozenset[int]] = field(default_factory=list)
    exclude: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.queries)


def _rows_by_name(rows: Sequence[Mapping]) -> dict[str, list[int]]:
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_name[row["name"]].append(i)
    return by_name


def text_task(rows: Sequence[Mapping], n: int, seed: int = 0) -> RetrievalTask:
    """Up to ``n`` distinct icon names as free-text queries (seeded sample of names).

    Example:
        >>> rows = [{"name": "bell", "set_prefix": s} for s in ("a", "b")] + [{"name": "cat", "set_prefix": "a"}]
        >>> task = text_task(rows, 5)
        >>> sorted(zip(task.queries, task.relevant))
        [('bell', frozenset({0, 1})), ('cat', frozenset({2}))]
    """
    by_name = _rows_by_name(rows)
    names = sorted(by_name)
    names = random.Random(seed).sample(names, min(n, len(names)))
    return RetrievalTask("text", names, [frozenset(by_name[m]) for m in names], [-1] * len(names))


def example_task(rows: Sequence[Mapping], documents: Sequence[Mapping], n: int, seed: int = 0) -> RetrievalTask:
    """Up to ``n`` icons whose name occurs in another set, as structure-only queries (seeded sample).

    Example:
        >>> rows = [{"name": "bell", "set_prefix": s} for s in ("a", "a", "b")]
        >>> docs = [{"name": "bell", "set": r["set_prefix"], "paths": 1} for r in rows]
        >>> task = example_task(rows, docs, 5)
        >>> task.queries[0], sorted(task.relevant), task.exclude
        ({'paths': 1}, [frozenset({2}), frozenset({2}), frozenset({0, 1})], [0, 1, 2])
    """
    by_name = _rows_by_name(rows)
    candidates = []
    for i, row in enumerate(rows):
        others = frozenset(j for j in by_name[row["name"]] if rows[j]["set_prefix"] != row["set_prefix"])
        if others:
            candidates.append((i, others))
    chosen = sorted(random.Random(seed).sample(candidates, min(n, len(candidates))))
    return RetrievalTask(
        "example", [example_document(documents[i]) for i, _ in chosen], [r for _, r in chosen], [i for i, _ in chosen]
    )


def recall_at_k(ranked: np.ndarray, task: RetrievalTask, k: int = 10) -> float:
    """Mean recall@k of ranked row numbers (one row per query, best first, -1 padding).

    Each query's excluded row is dropped from its ranking before the first k are taken, so rank at least
    ``k + 1`` results.

    Example:
        >>> task = RetrievalTask("t", ["q"], [frozenset({1, 2})], [0])
        >>> recall_at_k(np.array([[0, 1, 5]]), task, k=2)
        0.5
    """
    if not len(task):
        return float("nan")
    total = 0.0
    for ids, relevant, excluded in zip(ranked, task.relevant, task.exclude, strict=True):
        top = [int(i) for i in ids if i >= 0 and i != excluded][:k]
        total += len(relevant.intersection(top)) / min(k, len(relevant))
    return total / len(task)
