"""Probing: read a field back out of an MBAT vector, which shows the vector really holds the structure.

Binding by an orthogonal role is undone by its transpose, so ``unbind(R_k, enc(doc))`` is ``w_k · enc(v_k)``
plus noise from the other fields; the candidate value nearest to it is the field's value (Gallant 2022,
section 3). Steps of a key path are object keys, or negative integers for ordered-array items counted from
the end (``-1`` is the last item), since an item's role depends on its distance from the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from mbat.encoder import Encoder, default_encoder
from mbat.errors import MBATError
from mbat.vsa import unbind


def probe(
    vector: np.ndarray, key_path: Sequence[str | int], candidates: Sequence[Any], encoder: Encoder | None = None
) -> list[tuple[Any, float]]:
    """Rank candidate values for the field at ``key_path`` of an encoded document.

    Args:
        vector: an encoded document. Shapes: ``(D,)``.
        key_path: object keys, and negative integers for ordered-array items counted from the end.
        candidates: values the field might hold; each is encoded as a value of the path's last key.
        encoder: the encoder that made ``vector`` (default: :func:`mbat.encoder.default_encoder`).

    Returns:
        ``(candidate, score)`` pairs, best first; the score is the cosine with the unbound vector.

    Raises:
        MBATError: a step is neither a string nor a negative integer, or the vector has the wrong size.

    Example:
        >>> from mbat import encode_json
        >>> v = encode_json({"fill": "red", "stroke": "blue", "width": 2})
        >>> probe(v, ["stroke"], ["red", "green", "blue"])[0][0]
        'blue'
    """
    encoder = encoder or default_encoder()
    if vector.shape != (encoder.config.dim,):
        raise MBATError(
            f"the vector has shape {vector.shape}, not ({encoder.config.dim},); use the encoder that made it"
        )
    x = vector.astype(np.float32)
    key = None
    for step in key_path:
        if isinstance(step, str):
            x, key = unbind(encoder.role(step), x), step
        elif isinstance(step, int) and step < 0:
            x = unbind(encoder.role(-step - 1), x)
        else:
            raise MBATError(f"key path step {step!r} is neither a key nor a negative item index (-1 is the last item)")
    scores = encoder.encode_batch(candidates, key=key) @ (x / max(float(np.linalg.norm(x)), 1e-12))
    return [(candidates[i], float(scores[i])) for i in np.argsort(-scores, kind="stable")]
