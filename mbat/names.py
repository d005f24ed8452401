"""Name postings: the sparse first stage that finds, for a query with a name, the icons HNSW would miss.

Why (docs/RESULTS.md, "mbat"): a name-only query such as ``{"name": "arrow left"}`` lies far from every icon
vector (cosine about 0.3 with its best icons), and HNSW's greedy walk gets little signal that far out: strict
recall@10 against exact search was 0.86 for such queries at efSearch 2048. Their exact score is easy to get
another way. With ``t`` the unit word bag of a name (word atoms are near-orthogonal) and the name bound with
the same role and weight in query and icon,

    q · d ≈ cos(t_q, t_d) · f_d,    f_d = d · enc({"name": name_d}),

so the icons that share a word with the query, ranked by ``Σ_w c_q(w) · c_d(w) · f_d / ‖c_d‖`` (``c`` word
counts), hold the exact top results of the name part. :meth:`NamePostings.candidates` returns the best
``limit`` of them; the index scores those exactly with their stored vectors and merges them with HNSW's.
The approximation only orders candidates: every returned icon is then scored exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from mbat.encoder import text_words

# The f_d of a live icon is about 0.3–0.8; this floor keeps an odd one a candidate (weight 0 means deleted).
_MIN_NAME_SHARE = 1e-6


class NamePostings:
    """Which icons hold each name word, and how much of each icon's vector its name holds.

    Example:
        >>> postings = NamePostings()
        >>> postings.add(np.array([0, 1, 2]), ["arrow left", "arrow", "bell"], np.array([0.5, 0.5, 0.5]))
        >>> postings.candidates("arrow", limit=5).tolist()
        [1, 0]
    """

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = {}  # word → keys, a key once per occurrence of the word
        self._arrays: dict[str, np.ndarray] = {}  # the same lists as arrays, made on first use
        self._weight = np.zeros(0, dtype=np.float32)  # f_d / ‖c_d‖ by key; 0 for deleted keys

    def add(self, keys: np.ndarray, names: Sequence[str], shares: np.ndarray) -> None:
        """Index the names of new keys.

        Args:
            keys: the icons' keys. Shapes: ``(n,)``.
            names: their names as free text (the document's ``name``).
            shares: ``f_d``, each vector's cosine with its own name-only query. Shapes: ``(n,)``.
        """
        keys = np.asarray(keys, dtype=np.int64)
        if len(keys) and keys.max() >= len(self._weight):
            self._weight = np.concatenate([self._weight, np.zeros(keys.max() + 1 - len(self._weight), np.float32)])
        for key, name, share in zip(keys.tolist(), names, np.asarray(shares).tolist(), strict=True):
            counts = Counter(text_words(name))
            if not counts:
                continue
            self._weight[key] = max(share, _MIN_NAME_SHARE) / np.sqrt(sum(c * c for c in counts.values()))
            for word, count in counts.items():
                self._postings.setdefault(word, []).extend([key] * count)
                self._arrays.pop(word, None)

    def delete(self, keys: np.ndarray) -> None:
        """Forget keys (their postings stay, with weight 0, and are never returned)."""
        keys = np.asarray(keys, dtype=np.int64)
        self._weight[keys[keys < len(self._weight)]] = 0.0

    def _array(self, word: str) -> np.ndarray:
        found = self._arrays.get(word)
        if found is None:
            found = self._arrays[word] = np.asarray(self._postings.get(word, ()), dtype=np.int64)
        return found

    def candidates(self, name: str, limit: int) -> np.ndarray:
        """The keys that best match a query name by the name part of their score, best first.

        Args:
            name: the query's name (free text).
            limit: the most keys returned.

        Returns:
            Keys. Shapes: ``(≤ limit,)``; empty when no indexed name shares a word.
        """
        counts = Counter(text_words(name))
        lists = [self._array(w) for w in counts]
        keys = np.concatenate([np.zeros(0, dtype=np.int64), *lists])
        if not len(keys):
            return keys
        query_counts = np.repeat([float(counts[w]) for w in counts], [len(a) for a in lists])
        unique, inverse = np.unique(keys, return_inverse=True)
        score = np.bincount(inverse, weights=query_counts) * self._weight[unique]
        if len(unique) > limit:
            top = np.argpartition(-score, limit - 1)[:limit]
            unique, score = unique[top], score[top]
        order = np.argsort(-score, kind="stable")
        return unique[order][score[order] > 0]
