"""Segment tokens: learned merges of whole path commands, the hierarchical level of svgtok.

Two levels, as in HiVG. A *unit* is one command with its arguments (``l p3,0``, ``a n16 n16 r0 f01
p16,16``); the frequent ones become one token each. Then BPE merges adjacent units into longer
segments (``h n32 | v n-32``), counted only within a path, so a segment never spans paths or paint.

Merges are learned and applied with the ``tokenizers`` library's BPE: each known unit is written as
one private character (``UNIT_BASE`` onwards), a path's run of known units is one word, and a unit
outside the alphabet breaks the run. The file stores only the units and the merges; the BPE model is
rebuilt on load.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from tokenizers import Tokenizer, models, trainers

from svgtok.atomic import AtomicVocab, Piece
from svgtok.errors import SVGError

UNIT_BASE = 0x4E00  # CJK ideographs: 20,000 code points no normalizer or pre-tokenizer touches here


def unit_text(vocab: AtomicVocab, unit: tuple[int, ...]) -> str:
    return " ".join(vocab.tokens[i] for i in unit)


class SegmentVocab:
    """Segment tokens over an atomic vocabulary: ids start at ``len(atomic)``.

    Args:
        atomic: the atomic vocabulary.
        units: the unit alphabet, most frequent first, each a tuple of atomic ids.
        merges: BPE merges in rank order, each a pair of symbol indices; symbol ``i < len(units)`` is
            unit ``i`` and symbol ``len(units) + k`` is the result of merge ``k``.
    """

    def __init__(self, atomic: AtomicVocab, units: list[tuple[int, ...]], merges: list[tuple[int, int]]):
        if len(units) > 20_000:
            raise SVGError(f"{len(units):,} units exceed the 20,000 the segment alphabet can hold")
        self.atomic, self.units, self.merges = atomic, units, merges
        self.unit_index = {u: i for i, u in enumerate(units)}
        symbols: list[tuple[tuple[int, ...], ...]] = [(u,) for u in units]
        for left, right in merges:
            if not (0 <= left < len(symbols) and 0 <= right < len(symbols)):
                raise SVGError(f"merge ({left}, {right}) refers to a symbol that does not exist yet")
            symbols.append(symbols[left] + symbols[right])
        self.symbols = symbols
        # A one-token unit (``z``) is its own atomic token; every other symbol gets a segment id.
        self.symbol_ids: list[int] = []
        self.expansions: dict[int, tuple[int, ...]] = {}
        next_id = len(atomic)
        for symbol in symbols:
            flat = tuple(i for unit in symbol for i in unit)
            if len(flat) == 1:
                self.symbol_ids.append(flat[0])
                continue
            self.symbol_ids.append(next_id)
            self.expansions[next_id] = flat
            next_id += 1
        self.size = next_id
        self._bpe = self._build_bpe()

    def _text(self, symbol: tuple[tuple[int, ...], ...]) -> str:
        return "".join(chr(UNIT_BASE + self.unit_index[u]) for u in symbol)

    def _build_bpe(self) -> Tokenizer:
        texts = [self._text(s) for s in self.symbols]
        vocab = {text: i for i, text in enumerate(texts)}
        merges = [(texts[a], texts[b]) for a, b in self.merges]
        return Tokenizer(models.BPE(vocab=vocab, merges=merges))

    def token(self, segment_id: int) -> str:
        """A readable name: the units a segment expands to, separated by ``|``."""
        flat = self.expansions[segment_id]
        return "[" + " ".join(self.atomic.tokens[i] for i in flat) + "]"

    def encode_pieces(self, pieces: list[Piece]) -> list[int]:
        """Apply the unit alphabet and the merges to atomic pieces; returns final token ids."""
        out: list[int] = []
        runs: list[str] = []
        slots: list[int] = []  # where in ``out`` each run's tokens go
        run: list[str] = []

        def close_run() -> None:
            if run:
                runs.append("".join(run))
                slots.append(len(out))
                out.append(-1)
                run.clear()

        for piece in pieces:
            index = self.unit_index.get(piece.ids) if piece.unit else None
            if index is None:
                close_run()
                out.extend(piece.ids)
            else:
                run.append(chr(UNIT_BASE + index))
        close_run()
        if not runs:
            return out
        encoded = (
            self._bpe.encode_batch(runs, add_special_tokens=False)
            if len(runs) > 1
            else [self._bpe.encode(runs[0], add_special_tokens=False)]
        )
        result: list[int] = []
        start = 0
        for slot, encoding in zip(slots, encoded, strict=True):
            result.extend(out[start:slot])
            result.extend(self.symbol_ids[i] for i in encoding.ids)
            start = slot + 1
        result.extend(out[start:])
        return result

    def expand(self, ids: Iterable[int]) -> list[int]:
        """Replace every segment id with the atomic ids it stands for."""
        out: list[int] = []
        for i in ids:
            expansion = self.expansions.get(i)
            if expansion is None:
                if not 0 <= i < self.size:
                    raise SVGError(f"token id {i} is outside the vocabulary of {self.size:,}")
                out.append(i)
            else:
                out.extend(expansion)
        return out


def train_segments(
    atomic: AtomicVocab,
    programs: Iterable[list[Piece]],
    n_units: int = 4096,
    n_merges: int = 4096,
    min_count: int = 8,
    max_units_per_segment: int = 8,
) -> SegmentVocab:
    """Learn the unit alphabet and BPE merges from atomic programs.

    Args:
        atomic: the atomic vocabulary the programs use.
        programs: documents as atomic pieces (see :func:`svgtok.atomic.to_pieces`).
        n_units: at most this many units get their own token, most frequent first.
        n_merges: at most this many BPE merges.
        min_count: a unit or merge must be seen this often to be learned.
        max_units_per_segment: the longest segment, in units.

    Returns:
        The learned segment vocabulary.
    """
    paths: list[list[tuple[int, ...]]] = []
    counts: Counter[tuple[int, ...]] = Counter()
    for pieces in programs:
        current: list[tuple[int, ...]] = []
        for piece in pieces:
            if piece.unit:
                current.append(piece.ids)
                counts[piece.ids] += 1
            elif current:
                paths.append(current)
                current = []
        if current:
            paths.append(current)
    units = [u for u, c in counts.most_common(n_units) if c >= min_count]
    index = {u: i for i, u in enumerate(units)}
    words: list[str] = []
    for path in paths:
        run: list[str] = []
        for unit in path:
            if unit in index:
                run.append(chr(UNIT_BASE + index[unit]))
            elif run:
                words.append("".join(run))
                run = []
        if run:
            words.append("".join(run))
    alphabet = [chr(UNIT_BASE + i) for i in range(len(units))]
    tokenizer = Tokenizer(models.BPE())
    trainer = trainers.BpeTrainer(
        vocab_size=len(units) + n_merges,
        min_frequency=min_count,
        show_progress=False,
        initial_alphabet=alphabet,
        limit_alphabet=len(alphabet),
        max_token_length=max_units_per_segment,
    )
    tokenizer.train_from_iterator(words, trainer=trainer)
    vocab = tokenizer.get_vocab()
    symbol_of = {chr(UNIT_BASE + i): i for i in range(len(units))}
    merges: list[tuple[int, int]] = []
    for left, right in _trained_merges(tokenizer):
        if left in symbol_of and right in symbol_of and left + right in vocab and left + right not in symbol_of:
            symbol_of[left + right] = len(units) + len(merges)
            merges.append((symbol_of[left], symbol_of[right]))
    return SegmentVocab(atomic, units, merges)


def _trained_merges(tokenizer: Tokenizer) -> list[tuple[str, str]]:
    """The merges of a trained BPE model, in rank order."""
    merges = json.loads(tokenizer.to_str())["model"]["merges"]
    return [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in merges]
