"""The learning-rate schedule pretraining and fine-tuning share: linear warmup, then cosine decay to a floor."""

from __future__ import annotations

import math


def warmup_cosine(step: int, warmup: int, progress: float, peak: float, floor: float) -> float:
    """The rate at ``step``: rising linearly over ``warmup`` steps, then falling from ``peak`` to ``floor × peak``
    as ``progress`` (the share of the decay done) goes from 0 to 1.

    Example:
        >>> [warmup_cosine(0, 10, 0.0, 1.0, 0.1), warmup_cosine(10, 10, 0.0, 1.0, 0.1)]
        [0.1, 1.0]
        >>> round(warmup_cosine(50, 10, 1.0, 1.0, 0.1), 6)
        0.1
    """
    if step < warmup:
        return peak * (step + 1) / warmup
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))
