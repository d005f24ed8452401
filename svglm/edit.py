"""Instruction editing: an SVG and an instruction in, the edited SVG out (grammar-constrained).

An edit sequence is ``<bos> instruction… <svg> source… </svg> <svg> target… </svg> <eos>``: the source is
the input drawing in svgtok's tokens, and the model writes the target after a second ``<svg>``. Colors
named in the instruction (``#FFCC4D``, ``red``) are written as svgtok's own color tokens, so "change
#FFCC4D to red" is the same three channel tokens the program uses; the rest of the instruction is text.
The training side (``training.finetune --task edit``) builds its sequences with :func:`edit_sequence`.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from svglm.adapter import load_model
from svglm.errors import SVGLMError
from svglm.generate import Generation, check_sampling, sample_programs
from svglm.vocab import VocabLayout
from svgtok.color import NAMED_COLORS
from svgtok.errors import SVGError

MAX_INSTRUCTION_TOKENS = 64
_COLOR = re.compile(
    r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\b(?:" + "|".join(sorted(NAMED_COLORS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def _hex(color: str) -> str:
    """``#rrggbb`` for a hex color or a CSS color name."""
    if color.startswith("#"):
        digits = color[1:].lower()
        return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))
    return "#" + NAMED_COLORS[color.lower()]


def encode_instruction(vocab: VocabLayout, instruction: str) -> list[int]:
    """``<bos>`` and the instruction as model ids: text tokens, with every color as svgtok's color tokens.

    Example:
        >>> from svglm.vocab import SVGLMVocab
        >>> from tokenizers import Tokenizer, models
        >>> from svgtok.tokenizer import SVGTokenizer
        >>> vocab = SVGLMVocab(SVGTokenizer.from_pretrained(), Tokenizer(models.WordLevel({"x": 0}, "x")))
        >>> ids = encode_instruction(vocab, "to red")
        >>> [vocab.svg.id_to_token(i - vocab.svg_offset) for i in ids[-3:]]
        ['cff', 'c00', 'c00']
    """
    ids = [vocab.bos]
    position = 0
    for match in _COLOR.finditer(instruction):
        ids += vocab.encode_text(instruction[position : match.start()])
        ids += [vocab.svg_offset + i for i in vocab.svg.atomic.color(_hex(match.group()))]
        position = match.end()
    ids += vocab.encode_text(instruction[position:])
    return ids[: MAX_INSTRUCTION_TOKENS + 1]


def edit_prefix(vocab: VocabLayout, instruction: str, source_ids: list[int]) -> list[int]:
    """The model ids up to where the edited program starts: instruction, source program, then ``<svg>``."""
    if not instruction or not instruction.strip():
        raise SVGLMError("the instruction is empty; say what to change, e.g. 'make the background blue'")
    return [*encode_instruction(vocab, instruction), *vocab.to_model(source_ids).tolist(), vocab.svg_start]


def edit_sequence(vocab: VocabLayout, instruction: str, source_ids: list[int], target_ids: list[int]) -> list[int]:
    """A whole training sequence; the target's tokens start at ``len(edit_prefix(...))``."""
    return [*edit_prefix(vocab, instruction, source_ids), *vocab.to_model(target_ids[1:]).tolist(), vocab.eos]


class SVGEditor:
    """A base model with an edit adapter merged in.

    Example:
        >>> editor = SVGEditor.from_pretrained("models/svglm-base", adapter="models/svglm-edit")  # doctest: +SKIP
        >>> editor.edit(open("icon.svg").read(), "Please flip this emoji upside down.").samples[0].svg  # doctest: +SKIP
    """

    def __init__(self, model, vocab: VocabLayout):
        self.model, self.vocab = model, vocab

    @classmethod
    def from_pretrained(
        cls,
        base: str | Path = "models/svglm-base",
        adapter: str | Path | None = None,
        device: str = "cpu",
        dtype: torch.dtype | None = None,
    ) -> SVGEditor:
        """Load the base with the adapter merged in; ``dtype`` None is bf16 where the device does it natively."""
        return cls(*load_model(base, adapter, device, dtype))

    @property
    def context(self) -> int:
        return self.model.config.max_position_embeddings

    def _prefix(self, svg: str, instruction: str) -> list[int]:
        source = self.vocab.svg.encode(svg).ids  # raises SVGError for unsafe or malformed SVG
        prefix = edit_prefix(self.vocab, instruction, source)
        if self.context - len(prefix) < len(source) + 8:  # room to write at least a copy of the source
            raise SVGLMError(
                f"this drawing is {len(source)} tokens; the model edits drawings up to about "
                f"{(self.context - MAX_INSTRUCTION_TOKENS) // 2} tokens (simplify it first)"
            )
        return prefix

    def edit(
        self,
        svg: str,
        instruction: str,
        n: int = 1,
        temperature: float = 0.0,
        top_p: float = 0.95,
        seed: int = 0,
        max_tokens: int | None = None,
    ) -> Generation:
        """``n`` edited versions of ``svg`` (greedy by default); each is complete, valid SVG.

        Raises:
            SVGLMError: an empty instruction, a drawing too long for the model, or arguments out of range.
            SVGError: an SVG that cannot be parsed safely.
        """
        prefix = self._prefix(svg, instruction)
        budget = max_tokens or self.context - len(prefix)
        check_sampling(temperature, top_p, 0, 1.0, budget)
        return sample_programs(self.model, self.vocab, [prefix] * n, n, budget, 1.0, temperature, 0, top_p, seed)

    def edit_batch(
        self, cases: list[tuple[str, str]], temperature: float = 0.0, seed: int = 0, batch_size: int = 32
    ) -> list[str | None]:
        """One edited SVG per ``(svg, instruction)``, sampled in batches of similar length (for evaluation).

        A case the editor refuses (unsafe SVG, empty instruction, a drawing too long) gives None.
        """
        prefixes: dict[int, list[int]] = {}
        for i, (svg, instruction) in enumerate(cases):
            try:
                prefixes[i] = self._prefix(svg, instruction)
            except (SVGError, SVGLMError):
                continue
        order = sorted(prefixes, key=lambda i: len(prefixes[i]))
        out: list[str | None] = [None] * len(cases)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            rows = [prefixes[i] for i in chunk]
            budget = self.context - max(len(r) for r in rows)
            generation = sample_programs(
                self.model, self.vocab, rows, len(rows), budget, 1.0, temperature, 0, 1.0, seed
            )
            for i, sample in zip(chunk, generation.samples, strict=True):
                out[i] = sample.svg
        return out
