"""A repeatable judge of whether a drawing looks like its everyday prompt, in place of reading a sheet by eye.

Each drawing is rendered and reduced to a 32×32 grid of ink, and compared (cosine) with the same grids of
exemplars from the catalog: icons named for each prompt (``home``, ``home-outline``, …) and, as a class of
their own, icons named for anything else. A drawing is recognized when its nearest exemplar is named for its
prompt. It is a nearest-neighbour judge on pixels: it knows shapes, not meaning, so the figure to read it
against is its score on real held-out icons (:func:`judge_real_icons`), not 100%.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from svgtok.errors import SVGError
from svgtok.render import render

RENDER_PIXELS = 64
GRID = 32  # the ink is averaged over RENDER_PIXELS / GRID pixels square
OTHER = ""  # the label of exemplars named for none of the prompts


def ink_grid(svg: str) -> np.ndarray:
    """The drawing's ink (0 blank, 1 black) averaged to a ``GRID × GRID`` grid, flattened; zeros when it
    cannot be rendered."""
    try:
        pixels = render(svg, RENDER_PIXELS)
    except SVGError:
        return np.zeros(GRID * GRID, dtype=np.float32)
    ink = 1.0 - pixels.mean(axis=-1, dtype=np.float32) / 255.0
    step = RENDER_PIXELS // GRID
    return ink.reshape(GRID, step, GRID, step).mean(axis=(1, 3)).ravel()


def _unit_rows(grids: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(grids, axis=1, keepdims=True)
    return np.divide(grids, norms, out=np.zeros_like(grids), where=norms > 0)


@dataclass(frozen=True)
class Exemplars:
    """Unit-length ink grids ``(N, GRID²)`` and their labels: a prompt, or :data:`OTHER`."""

    grids: np.ndarray
    labels: np.ndarray

    @classmethod
    def from_svgs(cls, labeled: Iterable[tuple[str, str]]) -> Exemplars:
        """Exemplars from ``(label, svg)`` pairs; drawings that render blank are left out."""
        pairs = [(label, ink_grid(svg)) for label, svg in labeled]
        pairs = [(label, grid) for label, grid in pairs if grid.any()]
        grids = np.stack([grid for _, grid in pairs]) if pairs else np.zeros((0, GRID * GRID), np.float32)
        return cls(_unit_rows(grids), np.array([label for label, _ in pairs], dtype=object))

    def nearest_label(self, svg: str) -> str | None:
        """The label of the most similar exemplar; None for a blank or unrenderable drawing."""
        grid = ink_grid(svg)
        if not grid.any() or not len(self.labels):
            return None
        return str(self.labels[int(np.argmax(self.grids @ _unit_rows(grid[None])[0]))])

    def recognized_share(self, drawings: Sequence[tuple[str, str]]) -> float:
        """The share of ``(prompt, svg)`` drawings whose nearest exemplar is named for their prompt."""
        if not drawings:
            raise ValueError("no drawings to judge")
        return sum(self.nearest_label(svg) == prompt for prompt, svg in drawings) / len(drawings)


def named_for(catalog: Path, prompt: str, split: str, limit: int) -> list[str]:
    """Up to ``limit`` normalized icons of ``split`` named ``prompt`` or ``prompt-…``, a fixed sample."""
    with closing(sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            "SELECT normalized_svg FROM icons WHERE split = ? AND normalized_svg != '' AND (name = ? OR name LIKE ?)"
            " ORDER BY content_hash LIMIT ?",
            (split, prompt, prompt + "-%", limit),
        ).fetchall()
    return [svg for (svg,) in rows]


def named_otherwise(catalog: Path, prompts: Sequence[str], split: str, limit: int) -> list[str]:
    """Up to ``limit`` normalized icons of ``split`` named for none of ``prompts``, a fixed sample."""
    heads, found = set(prompts), []
    with closing(sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            "SELECT name, normalized_svg FROM icons WHERE split = ? AND normalized_svg != '' ORDER BY content_hash",
            (split,),
        )
        for name, svg in rows:
            if len(found) == limit:
                break
            if name.split("-")[0] not in heads:
                found.append(svg)
    return found


def load_exemplars(catalog: Path, prompts: Sequence[str], per_prompt: int = 400, others: int = 4000) -> Exemplars:
    """Train-split exemplars: up to ``per_prompt`` icons named for each prompt and ``others`` named otherwise."""
    labeled = [(p, svg) for p in prompts for svg in named_for(catalog, p, "train", per_prompt)]
    labeled += [(OTHER, svg) for svg in named_otherwise(catalog, prompts, "train", others)]
    return Exemplars.from_svgs(labeled)


def judge_real_icons(exemplars: Exemplars, catalog: Path, prompts: Sequence[str], per_prompt: int = 60) -> float:
    """The judge's score on held-out (val-split) icons named for the prompts: the most a drawing can expect."""
    drawings = [(p, svg) for p in prompts for svg in named_for(catalog, p, "val", per_prompt)]
    return exemplars.recognized_share(drawings)
