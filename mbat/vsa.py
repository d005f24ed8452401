"""Vector-symbolic primitives for MBAT (Gallant 2022): hash-derived atoms, orthogonal roles, levels.

Everything here is a pure function of ``(VERSION, seed, name)`` through SHAKE-256, so the same name gives
the same vector in every process and on every machine (never Python's salted ``hash()``):

- an **atom** is a ±1 vector for a symbol (a categorical string, a word, a link of a level chain);
- a **role** is a signed permutation, the cheap orthogonal matrix of MBAT binding: ``bind(role, x)`` is
  ``role @ x`` in O(D), its inverse is the transpose (``unbind``), and two roles do not commute;
- a **level** vector places a number on a chain of atoms so that cosine falls linearly with distance
  ("soft" numbers, section 4 of the paper): ``cos(level(u), level(u')) = max(0, 1 - |u - u'|)``.

Vectors are float32 with shape ``(..., D)``; ``bundle`` is the normalized sum.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

# Part of every hash input: changing how any vector is derived must change it, which forces a re-encode.
VERSION = "mbat-1"


def _digest(kind: str, seed: int, name: str, nbytes: int) -> bytes:
    return hashlib.shake_256(f"{VERSION}\x00{kind}\x00{seed}\x00{name}".encode()).digest(nbytes)


def atom(name: str, dim: int, seed: int = 0) -> np.ndarray:
    """The ±1 atom of a symbol.

    Args:
        name: the symbol, e.g. ``"str:red"``.
        dim: dimensions D (a multiple of 8).
        seed: selects an independent family of atoms.

    Returns:
        A float32 vector of ±1. Shapes: ``(D,)``.

    Example:
        >>> a = atom("str:red", 1024)
        >>> float(a @ a), float(a @ atom("str:blue", 1024)) < 150
        (1024.0, True)
    """
    bits = np.unpackbits(np.frombuffer(_digest("atom", seed, name, dim // 8), dtype=np.uint8))
    return (bits.astype(np.float32) * 2.0 - 1.0)[:dim]


@dataclass(frozen=True)
class Role:
    """A signed permutation matrix ``R`` stored as ``R @ x = sign * x[perm]``; orthogonal by construction.

    Shapes: ``perm`` and ``sign`` are ``(D,)``.
    """

    perm: np.ndarray
    sign: np.ndarray

    @classmethod
    def named(cls, name: str, dim: int, seed: int = 0) -> Role:
        """The role of a name (an object key, the sequence step), derived from a hash.

        Example:
            >>> r = Role.named("key:fill", 8)
            >>> sorted(r.perm.tolist()) == list(range(8))
            True
        """
        keys = np.frombuffer(_digest("perm", seed, name, 8 * dim), dtype="<u8")
        perm = np.argsort(keys, kind="stable").astype(np.intp)
        return cls(perm=perm, sign=atom("sign:" + name, dim, seed))

    @classmethod
    def identity(cls, dim: int) -> Role:
        return cls(perm=np.arange(dim, dtype=np.intp), sign=np.ones(dim, dtype=np.float32))

    def __matmul__(self, other: Role) -> Role:
        """The composed role ``self @ other`` (apply ``other`` first)."""
        return Role(perm=other.perm[self.perm], sign=self.sign * other.sign[self.perm])


def bind(role: Role, x: np.ndarray) -> np.ndarray:
    """Bind vectors to a role: ``role @ x`` for each row, orthogonal, so lengths and angles are kept.

    Args:
        role: the role (signed permutation).
        x: vectors. Shapes: ``(..., D)``.

    Returns:
        The bound vectors, same shape.

    Example:
        >>> x = atom("str:red", 64)
        >>> r = Role.named("key:fill", 64)
        >>> bool(np.array_equal(unbind(r, bind(r, x)), x))
        True
    """
    return x[..., role.perm] * role.sign


def unbind(role: Role, x: np.ndarray) -> np.ndarray:
    """The inverse of :func:`bind` (the transpose of the role). Shapes: ``(..., D)`` → ``(..., D)``."""
    out = np.empty_like(x)
    out[..., role.perm] = x * role.sign
    return out


def normalize(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; all-zero rows stay zero. Shapes: ``(..., D)``."""
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(norm > 0, norm, 1.0)


def bundle(x: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The normalized (weighted) sum of vectors: MBAT's superposition.

    Args:
        x: the vectors to add. Shapes: ``(n, D)``.
        weights: one weight per vector (default: all 1). Shapes: ``(n,)``.

    Returns:
        A unit vector. Shapes: ``(D,)``.

    Example:
        >>> a, b = atom("str:a", 1024), atom("str:b", 1024)
        >>> round(float(bundle(np.stack([a, b])) @ normalize(a)), 1)
        0.7
    """
    summed = x.sum(axis=0) if weights is None else weights @ x
    return normalize(summed)


def level_chain(levels: int, dim: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The chain behind soft numbers: ``levels + 1`` atoms and one random rank per dimension.

    Returns:
        ``(links, rank)``. Shapes: ``(levels + 1, D)`` and ``(D,)``, rank a permutation of ``0..D-1``.
    """
    links = np.stack([atom(f"level:{i}", dim, seed) for i in range(levels + 1)])
    return links, Role.named("level-rank", dim, seed).perm


def level(u: np.ndarray, links: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Level vectors for positions ``u`` in ``[0, levels]`` along a chain.

    Between links ``i`` and ``i + 1`` the vector takes link ``i + 1``'s value on the dimensions whose rank is
    below ``(u - i) · D`` and link ``i``'s elsewhere, so cosine falls linearly with ``|u - u'|`` and is 0
    one link apart.

    Args:
        u: positions. Shapes: ``(n,)``.
        links: from :func:`level_chain`. Shapes: ``(levels + 1, D)``.
        rank: from :func:`level_chain`. Shapes: ``(D,)``.

    Returns:
        ±1 vectors. Shapes: ``(n, D)``.

    Example:
        >>> links, rank = level_chain(4, 1024)
        >>> v = level(np.array([1.0, 1.25, 3.0]), links, rank)
        >>> [round(float(c), 2) for c in v @ v[0] / 1024]
        [1.0, 0.78, 0.01]
    """
    levels = links.shape[0] - 1
    u = np.clip(np.asarray(u, dtype=np.float64), 0.0, levels)
    low = np.minimum(np.floor(u).astype(np.intp), levels - 1)
    switched = rank[None, :] < ((u - low) * rank.shape[0])[:, None]
    return np.where(switched, links[low + 1], links[low])
