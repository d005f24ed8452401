"""SVGTokenizer: the whole pipeline (parse → normalize → atomic → segments) behind one object.

It follows the Hugging Face tokenizer conventions: ``encode`` returns an :class:`Encoding` with ids and
tokens, ``decode`` turns ids back into SVG text, and ``save_pretrained`` / ``from_pretrained`` round-trip
through one ``tokenizer.json`` whose first field is a format version. Derived tables (the BPE model,
the grammar) are rebuilt on load, not stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from svgtok.atomic import AtomicVocab, Piece, from_ids, to_pieces
from svgtok.document import SVGDoc, to_svg
from svgtok.errors import SVGError
from svgtok.grammar import Grammar
from svgtok.normalize import NormalizeResult, normalize
from svgtok.parse import DEFAULT_LIMITS, Limits
from svgtok.segments import SegmentVocab, train_segments, unit_text
from svgtok.starts import check_starts

FORMAT_VERSION = 1
FILENAME = "tokenizer.json"
DEFAULT_PATH = Path(__file__).parent / "data"
# The grid was chosen from measured length and fidelity at 128, 256, 480 and 512 (docs/RESULTS.md):
# 480 = 24·20 = 16·30 = 48·10 puts the common icon grids on whole units.
DEFAULT_GRID = 480
DEFAULT_PAIR_RADIUS = 32


@dataclass
class Encoding:
    """The result of :meth:`SVGTokenizer.encode`: token ids, their names, and what normalization dropped."""

    ids: list[int]
    tokens: list[str]
    dropped: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


class SVGTokenizer:
    """The hierarchical SVG tokenizer.

    Args:
        grid: grid units along the canvas's longer side.
        pair_radius: deltas with both parts within ±pair_radius are one pair token.
        arcs: ``"keep"`` (quantized arcs) or ``"cubic"`` (arcs become cubic Béziers).
        starts: ``"drawn"`` (closed outlines start where the source did; the shipped tokenizer) or
            ``"top-left"`` (each closed outline starts at its top-left vertex).
        units: the segment layer's unit alphabet, each unit as space-separated atomic token names.
        merges: the segment layer's BPE merges, as pairs of symbol indices.
        limits: parsing limits for :meth:`encode`.

    Example:
        >>> tok = SVGTokenizer.from_pretrained()
        >>> square = '<path d="M2 2h20v20H2z"/>'
        >>> enc = tok.encode(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">{square}</svg>')
        >>> tok.decode(enc.ids)[62:]
        '<path d="M40 40h400v400h-400z" fill="#000000"/></svg>'
    """

    def __init__(
        self,
        grid: int = DEFAULT_GRID,
        pair_radius: int = DEFAULT_PAIR_RADIUS,
        arcs: str = "keep",
        units: list[str] | None = None,
        merges: list[tuple[int, int]] | None = None,
        limits: Limits = DEFAULT_LIMITS,
        starts: str = "drawn",
    ):
        if arcs not in ("keep", "cubic"):
            raise SVGError(f"arcs={arcs!r} is not one of 'keep', 'cubic'")
        check_starts(starts)
        self.atomic = AtomicVocab(grid, pair_radius)
        self.arcs, self.starts, self.limits = arcs, starts, limits
        try:
            parsed_units = [tuple(self.atomic.id(t) for t in u.split(" ")) for u in units or []]
        except KeyError as exc:
            raise SVGError(f"unit token {exc} does not exist for grid={grid}, pair_radius={pair_radius}") from exc
        self.segments = SegmentVocab(self.atomic, parsed_units, [tuple(m) for m in merges or []])

    def __repr__(self) -> str:
        return (
            f"SVGTokenizer(grid={self.grid}, pair_radius={self.atomic.pair_radius}, arcs={self.arcs!r}, "
            f"starts={self.starts!r}, "
            f"vocab_size={self.vocab_size}, units={len(self.segments.units)}, merges={len(self.segments.merges)})"
        )

    @property
    def grid(self) -> int:
        return self.atomic.grid

    @property
    def vocab_size(self) -> int:
        return self.segments.size

    @cached_property
    def grammar(self) -> Grammar:
        return Grammar(self.atomic, self.segments)

    @cached_property
    def token_names(self) -> list[str]:
        """Every id's token name, by id."""
        return [*self.atomic.tokens, *(self.segments.token(i) for i in range(len(self.atomic), self.vocab_size))]

    def id_to_token(self, token_id: int) -> str:
        return self.token_names[token_id]

    def token_to_id(self, token: str) -> int:
        if token in self.atomic.ids:
            return self.atomic.ids[token]
        for segment_id in self.segments.expansions:
            if self.segments.token(segment_id) == token:
                return segment_id
        raise SVGError(f"{token!r} is not a token of this vocabulary")

    def is_segment(self, token_id: int) -> bool:
        return token_id in self.segments.expansions

    # Encoding ---------------------------------------------------------------------------------

    def normalize(self, svg: str | bytes, active: str = "reject", gradients: str = "color") -> NormalizeResult:
        """Normalize with this tokenizer's grid, arcs and starts (see :func:`svgtok.normalize.normalize`)."""
        return normalize(svg, self.grid, self.arcs, self.limits, active=active, gradients=gradients, starts=self.starts)

    def encode_doc(self, doc: SVGDoc) -> list[int]:
        """Token ids of an already normalized document."""
        return self.segments.encode_pieces(to_pieces(self.atomic, doc))

    def atomic_pieces(self, doc: SVGDoc) -> list[Piece]:
        return to_pieces(self.atomic, doc)

    def encode(self, svg: str | bytes, active: str = "reject", gradients: str = "color") -> Encoding:
        """Tokenize an SVG document.

        Args:
            svg: the document text.
            active: ``"reject"`` refuses scripts and external references; ``"drop"`` removes them.
            gradients: ``"bands"`` or ``"color"`` (see :func:`svgtok.normalize.normalize`).

        Returns:
            The ids, their token names and the features normalization dropped.

        Raises:
            SVGError: when the document cannot be parsed safely.
        """
        result = self.normalize(svg, active, gradients)
        ids = self.encode_doc(result.doc)
        names = self.token_names
        return Encoding(ids=ids, tokens=[names[i] for i in ids], dropped=result.dropped)

    # Decoding ---------------------------------------------------------------------------------

    def decode_doc(self, ids: list[int]) -> SVGDoc:
        return from_ids(self.atomic, self.segments.expand(ids))

    def decode(self, ids: list[int]) -> str:
        """SVG text for token ids; raises SVGError naming the first token out of place."""
        return to_svg(self.decode_doc(list(ids)))

    # Serialization ----------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """The tokenizer's settings and learned layer; ``starts`` only when not ``"drawn"``, so files
        written before that option existed are written the same, byte for byte."""
        starts = {} if self.starts == "drawn" else {"starts": self.starts}
        return {
            "version": FORMAT_VERSION,
            "grid": self.grid,
            "pair_radius": self.atomic.pair_radius,
            "arcs": self.arcs,
            **starts,
            "units": [unit_text(self.atomic, u) for u in self.segments.units],
            "merges": [list(m) for m in self.segments.merges],
        }

    def with_starts(self, starts: str) -> SVGTokenizer:
        """The same vocabulary and limits with another rule for where closed outlines start (:mod:`svgtok.starts`)."""
        changed = SVGTokenizer.from_str(json.dumps({**self.to_dict(), "starts": starts}))
        changed.limits = self.limits
        return changed

    def to_str(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_str(cls, text: str) -> SVGTokenizer:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SVGError(f"the tokenizer file is not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            found = data.get("version") if isinstance(data, dict) else None
            raise SVGError(f"tokenizer format version {found!r} is not {FORMAT_VERSION}; retrain or upgrade svgtok")
        return cls(
            grid=data["grid"],
            pair_radius=data["pair_radius"],
            arcs=data["arcs"],
            units=data["units"],
            merges=[tuple(m) for m in data["merges"]],
            starts=data.get("starts", "drawn"),
        )

    def save_pretrained(self, directory: str | Path) -> Path:
        """Write ``tokenizer.json`` into ``directory`` (created if needed); returns the file's path."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        target = path / FILENAME
        tmp = target.with_suffix(".tmp")
        tmp.write_text(self.to_str(), encoding="utf-8")
        tmp.replace(target)
        return target

    @classmethod
    def from_pretrained(cls, directory: str | Path = DEFAULT_PATH) -> SVGTokenizer:
        """Load a tokenizer saved by :meth:`save_pretrained`; the default is the one shipped with svgtok."""
        path = Path(directory)
        target = path / FILENAME if path.is_dir() else path
        if not target.exists():
            raise SVGError(f"no {FILENAME} at {target}; train one with `svgtok train-segments`")
        return cls.from_str(target.read_text(encoding="utf-8"))

    @classmethod
    def train(
        cls,
        docs: list[SVGDoc],
        grid: int = DEFAULT_GRID,
        pair_radius: int = DEFAULT_PAIR_RADIUS,
        arcs: str = "keep",
        starts: str = "drawn",
        **options,
    ) -> SVGTokenizer:
        """Learn the segment layer from documents normalized with the same settings (see
        :func:`svgtok.segments.train_segments`)."""
        base = cls(grid=grid, pair_radius=pair_radius, arcs=arcs, starts=starts)
        learned = train_segments(base.atomic, [to_pieces(base.atomic, d) for d in docs], **options)
        units = [unit_text(base.atomic, u) for u in learned.units]
        return cls(grid=grid, pair_radius=pair_radius, arcs=arcs, units=units, merges=learned.merges, starts=starts)
