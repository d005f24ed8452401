"""The encoder's settings: per-field number scales and the config saved beside an index as its stamp.

Every value here changes the vectors an :class:`~mbat.encoder.Encoder` makes, so an index stores
:meth:`EncoderConfig.to_dict` (with :data:`mbat.vsa.VERSION`) and refuses vectors made with other settings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from mbat.errors import MBATError
from mbat.vsa import VERSION


@dataclass(frozen=True)
class NumberScale:
    """Where a field's numbers sit on the level chain: ``low`` maps to 0, ``high`` to 1, clipped.

    With ``log`` the scale is ``asinh`` (log-like for counts and sizes, defined for 0 and negatives). Two
    numbers ``1 / levels`` of the scale apart are orthogonal; nearer ones resemble each other linearly.
    """

    low: float
    high: float
    log: bool = False
    levels: int | None = None  # links of this field's chain (default: the encoder's ``levels``)

    def position(self, x: float) -> float:
        """Where ``x`` falls in ``[0, 1]``."""
        f = math.asinh if self.log else float
        return min(1.0, max(0.0, (f(x) - f(self.low)) / (f(self.high) - f(self.low))))


DEFAULT_SCALE = NumberScale(-10_000.0, 10_000.0, log=True)


@dataclass(frozen=True)
class EncoderConfig:
    """Every setting that changes a vector; saved beside an index as the encoder's stamp."""

    dim: int = 1024
    seed: int = 0
    beta: float = 0.3
    sequence_beta: float = 0.3
    levels: int = 8
    trigram_weight: float = 0.0
    text_keys: tuple[str, ...] = ()
    bag_keys: tuple[str, ...] = ()
    weights: Mapping[str, float] = field(default_factory=dict)
    scales: Mapping[str, NumberScale] = field(default_factory=dict)
    max_depth: int = 64
    max_items: int = 10_000

    def to_dict(self) -> dict:
        """JSON-ready settings, with the encoder version first."""
        return {"version": VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls, data: Mapping) -> EncoderConfig:
        """Settings saved by :meth:`to_dict`.

        Raises:
            MBATError: they were written by another encoder version.
        """
        values = dict(data)
        version = values.pop("version", None)
        if version != VERSION:
            raise MBATError(f"vectors were made by encoder {version!r}, not {VERSION!r}; rebuild the index")
        values["text_keys"] = tuple(values["text_keys"])
        values["bag_keys"] = tuple(values["bag_keys"])
        values["scales"] = {k: NumberScale(**v) for k, v in values["scales"].items()}
        return cls(**values)
