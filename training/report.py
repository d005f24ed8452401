"""The corpus build report: token-length histogram (PNG in docs/) beside the JSON figures."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt

DOCS = Path(__file__).resolve().parent.parent / "docs"


def token_histogram(offsets: np.ndarray, path: Path) -> Path:
    """A histogram of program lengths (svgtok tokens) from a split's offsets array."""
    lengths = np.diff(offsets)
    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=110)
    ax.hist(lengths, bins=np.arange(0, lengths.max() + 16, 16), color="#3b6ea8")
    ax.set_xlabel("svgtok tokens per icon (training split)")
    ax.set_ylabel("icons")
    ax.set_title(f"{len(lengths):,} icons; median {int(np.median(lengths))}, mean {lengths.mean():.0f}")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path
