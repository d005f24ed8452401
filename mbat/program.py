"""Evaluating a compiled batch: the edges of many JSON trees summed level by level with numpy.

The encoder compiles a batch of documents into a :class:`Program`: internal nodes (objects, arrays, free
texts) are numbered, each with its height in the tree; leaves are rows of a table of already-bound leaf
vectors; edges join a child node to its parent through a *slot* (a role, a weight and the β of the parent).
:func:`evaluate` then computes every node of one height for the whole batch at once: normalize the level
below, bind each slot's children with one gather, and add the results into their parents.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix

from mbat.vsa import Role, bind, normalize

# A slot: (role id, weight, beta, key). A child c of a parent contributes weight · R · c + beta · c.
Slot = tuple[int, float, float, "str | None"]


def add_by_parent(x: np.ndarray, parent: np.ndarray, rows: np.ndarray, index: np.ndarray) -> None:
    """``x[parent[i]] += rows[index[i]]`` for every i, as one sparse-dense product.

    The edges become a 0/1 matrix (parents × rows; repeated edges add up) multiplied with ``rows``: each
    needed row is read once into its parent's sum, with no gathered copy of every edge's row. On 3M edges
    of 1,024 floats this ran 4–5× faster than a gather-and-add rank by rank.
    """
    if not len(parent):
        return
    used, local = np.unique(parent, return_inverse=True)
    edges = csr_matrix((np.ones(len(parent), dtype=rows.dtype), (local, index)), shape=(len(used), len(rows)))
    x[used] += edges @ rows


@dataclass
class Program:
    """A batch compiled into edges. Internal nodes are numbered; leaves are rows of the bound-leaf table."""

    heights: list[int] = field(default_factory=list)
    leaf_parent: list[int] = field(default_factory=list)
    leaf_row: list[int] = field(default_factory=list)
    edge_parent: list[int] = field(default_factory=list)
    edge_child: list[int] = field(default_factory=list)
    edge_slot: list[int] = field(default_factory=list)
    roots: list[int] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.leaf_row) + len(self.edge_child)


def evaluate(program: Program, table: np.ndarray, roles: Sequence[Role], slots: Sequence[Slot]) -> np.ndarray:
    """The unit vectors of a program's roots, one tree level at a time.

    Args:
        program: the compiled batch.
        table: bound leaf vectors, indexed by ``program.leaf_row``. Shapes: ``(rows, D)``.
        roles: the roles that slots name by id.
        slots: the slots that ``program.edge_slot`` names by id.

    Returns:
        One unit vector per root. Shapes: ``(roots, D)``, float32.
    """
    heights = np.asarray(program.heights, dtype=np.intp)
    x = np.zeros((len(heights), table.shape[1]), dtype=np.float32)  # sums, then unit vectors
    leaf_row = np.asarray(program.leaf_row, dtype=np.intp)
    add_by_parent(x, np.asarray(program.leaf_parent, dtype=np.intp), table, leaf_row)
    parent = np.asarray(program.edge_parent, dtype=np.intp)
    child = np.asarray(program.edge_child, dtype=np.intp)
    slot = np.asarray(program.edge_slot, dtype=np.intp)
    edge_height = heights[parent]
    order = np.lexsort((slot, edge_height))
    parent, child, slot, edge_height = parent[order], child[order], slot[order], edge_height[order]
    top = int(heights.max(initial=1))
    for h in range(2, top + 1):
        below = np.flatnonzero(heights == h - 1)
        x[below] = normalize(x[below])
        lo, hi = np.searchsorted(edge_height, [h, h + 1])
        contrib = np.empty((hi - lo, table.shape[1]), dtype=np.float32)  # (edges at this height, D)
        cuts = [lo, *(lo + np.flatnonzero(np.diff(slot[lo:hi])) + 1), hi]
        for a, b in itertools.pairwise(cuts):
            role, weight, beta, _ = slots[slot[a]]
            xc = x[child[a:b]]
            contrib[a - lo : b - lo] = weight * bind(roles[role], xc) + beta * xc
        add_by_parent(x, parent[lo:hi], contrib, np.arange(hi - lo))
    last = np.flatnonzero(heights == top)
    x[last] = normalize(x[last])
    return x[np.asarray(program.roots, dtype=np.intp)]
