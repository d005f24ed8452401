"""Pretraining data: the bundle's shards as model-id sequences, packed into batches by a curriculum.

A sequence is ``<bos> prompt <svg> … </svg> <eos>`` (the prompt left out with probability
``prompt_drop``). A caption is ``name; aliases; category; set; palette`` (training.captions); with a
``separator`` given, each part after the name is left out with probability ``part_drop``, so that the bare
``home`` a person types is a prompt the model has seen. Batches pack whole sequences end to end and cut
them into rows of ``context + 1`` tokens, nanoGPT style. The curriculum samples only programs up to a length
cap that grows from the shortest programs to all of them over the first part of a stage.
"""

from __future__ import annotations

import json
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from svglm.vocab import BOS, EOS, SVGLMVocab
from svgtok.tokenizer import SVGTokenizer
from training.shards import load_split


@dataclass
class Programs:
    """Programs and prompts of one split, in model ids, ragged (flat arrays plus offsets)."""

    ids: np.ndarray
    offsets: np.ndarray
    prompt_ids: np.ndarray
    prompt_offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def program(self, i: int) -> np.ndarray:
        return self.ids[self.offsets[i] : self.offsets[i + 1]]

    def prompt(self, i: int) -> np.ndarray:
        return self.prompt_ids[self.prompt_offsets[i] : self.prompt_offsets[i + 1]]


def open_bundle(path: Path) -> Path:
    """The shard folder of a bundle: ``path`` itself when it is a folder, else ``bundle.tar.xz`` unpacked."""
    if path.is_dir():
        return path / "shards" if (path / "shards").is_dir() else path
    target = Path(tempfile.mkdtemp(prefix="svglm-bundle-"))
    with tarfile.open(path) as tar:
        tar.extractall(target, filter="data")
    return target / "shards"


def expansion_table(tokenizer: SVGTokenizer) -> tuple[np.ndarray, np.ndarray]:
    """Every svgtok id's atomic expansion as flat ids and offsets (an atomic id expands to itself)."""
    pieces = [tokenizer.segments.expansions.get(i, (i,)) for i in range(tokenizer.vocab_size)]
    offsets = np.zeros(len(pieces) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(p) for p in pieces])
    return np.concatenate([np.asarray(p, dtype=np.int64) for p in pieces]), offsets


def to_atomic(
    ids: np.ndarray, offsets: np.ndarray, table: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Expand segment tokens in ragged svgtok programs, vectorized."""
    flat, starts = table
    lengths = np.diff(starts)[ids]  # atomic tokens per token
    total = int(lengths.sum())
    first = np.repeat(starts[ids], lengths)
    within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    cumulative = np.concatenate(([0], np.cumsum(lengths)))
    return flat[first + within], cumulative[offsets]


def load_programs(shards: Path, split: str, vocab: SVGLMVocab, atomic: bool) -> Programs:
    arrays = load_split(shards, split)
    ids, offsets = arrays["ids"].astype(np.int64), arrays["offsets"]
    if atomic:
        ids, offsets = to_atomic(ids, offsets, expansion_table(vocab.svg))
    return Programs(
        ids=ids + vocab.svg_offset,
        offsets=offsets,
        prompt_ids=arrays["prompt_ids"].astype(np.int64) + vocab.prompt_offset,
        prompt_offsets=arrays["prompt_offsets"],
    )


def drop_caption_parts(prompt: np.ndarray, separator: int, part_drop: float, rng: np.random.Generator) -> np.ndarray:
    """The prompt with each ``separator``-led part after the first left out with probability ``part_drop``."""
    cuts = np.flatnonzero(prompt == separator)
    if len(cuts) == 0:
        return prompt
    parts = np.split(prompt, cuts)  # parts[1:] each start with the separator
    kept = [parts[0], *(part for part in parts[1:] if rng.random() >= part_drop)]
    return np.concatenate(kept)


class Packer:
    """Draws packed batches ``(B, T + 1)`` from programs, under a growing length cap."""

    def __init__(
        self,
        programs: Programs,
        batch_size: int,
        context: int,
        prompt_drop: float,
        seed: int,
        separator: int | None = None,
        part_drop: float = 0.0,
    ):
        self.programs, self.batch_size, self.context, self.prompt_drop = programs, batch_size, context, prompt_drop
        self.separator, self.part_drop = separator, part_drop
        self.rng = np.random.default_rng(seed)
        lengths = programs.lengths
        self.order = np.argsort(lengths, kind="stable")  # shortest first
        self.sorted_lengths = lengths[self.order]
        self.mean_length = float(lengths.mean() + np.diff(programs.prompt_offsets).mean() + 2)

    def eligible(self, cap: float) -> int:
        """How many programs are at most ``cap`` tokens long (at least a batch's worth)."""
        count = int(np.searchsorted(self.sorted_lengths, cap, side="right"))
        return max(count, min(len(self.order), self.batch_size * 4))

    def batch(self, cap: float = np.inf) -> np.ndarray:
        need = self.batch_size * (self.context + 1)
        pool = self.order[: self.eligible(cap)]
        parts: list[np.ndarray] = []
        total = 0
        while total < need:
            draw = pool[self.rng.integers(0, len(pool), size=max(8, int(need / self.mean_length * 1.2)))]
            drop = self.rng.random(len(draw)) < self.prompt_drop
            for i, no_prompt in zip(draw.tolist(), drop.tolist(), strict=True):
                prompt = self.programs.prompt(i) if not no_prompt else np.zeros(0, dtype=np.int64)
                if self.separator is not None and self.part_drop > 0:
                    prompt = drop_caption_parts(prompt, self.separator, self.part_drop, self.rng)
                seq = np.concatenate(([BOS], prompt, self.programs.program(i), [EOS]))
                parts.append(seq)
                total += len(seq)
                if total >= need:
                    break
        return np.concatenate(parts)[:need].reshape(self.batch_size, self.context + 1)


def curriculum_cap(step: int, steps: int, fraction: float, start: int, end: int) -> float:
    """The length cap at ``step``: from ``start`` tokens up to ``end`` over the first ``fraction`` of steps."""
    if fraction <= 0:
        return float("inf")
    progress = min(1.0, step / max(1.0, fraction * steps))
    return start + (end - start) * progress


def manifest(shards: Path) -> dict:
    return json.loads((shards / "manifest.json").read_text())
