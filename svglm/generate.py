"""Text to SVG: ``generate(prompt, n, ...)`` on any loaded svglm checkpoint, CPU or GPU."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property

import torch
from transformers import LogitsProcessorList

from svglm.errors import SVGLMError
from svglm.model import load_checkpoint
from svglm.sampling import GrammarSampler
from svglm.vocab import BOS, EOS, PAD, SVGLMVocab
from svgtok.grammar import Grammar

MAX_SAMPLES = 16


def left_pad(rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows padded on the left so every row ends where generation starts. Shapes: ``(B, T)`` ids and mask."""
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), PAD, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, width - len(row) :] = torch.tensor(row)
        mask[i, width - len(row) :] = 1
    return ids, mask


@dataclass
class Sample:
    """One generated icon: its SVG, its svgtok ids, and its share of the batch's time."""

    svg: str
    svg_ids: list[int]
    seconds: float


@dataclass
class Generation:
    samples: list[Sample]
    seconds: float
    new_tokens: int
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def tokens_per_s(self) -> float:
        return self.new_tokens / self.seconds if self.seconds else 0.0


class SVGGenerator:
    """A loaded model with its vocabulary and grammar, ready to sample.

    Example:
        >>> gen = SVGGenerator.from_pretrained("models/svglm-base")  # doctest: +SKIP
        >>> gen.generate("a house", n=2, seed=0).samples[0].svg[:4]  # doctest: +SKIP
        '<svg'
    """

    def __init__(self, model, vocab: SVGLMVocab, device: str = "cpu"):
        self.model, self.vocab, self.device = model, vocab, device

    @classmethod
    def from_pretrained(cls, directory, device: str = "cpu") -> SVGGenerator:
        model, vocab = load_checkpoint(directory, device)
        return cls(model, vocab, device)

    @cached_property
    def grammar(self) -> Grammar:
        return self.vocab.svg.grammar

    def _rows(self, prompt: str, n: int, guided: bool) -> tuple[torch.Tensor, torch.Tensor]:
        cond = [*self.vocab.encode_prompt(prompt), self.vocab.svg_start]
        uncond = [BOS, self.vocab.svg_start]
        ids, mask = left_pad([cond] * n + ([uncond] * n if guided else []))
        return ids.to(self.device), mask.to(self.device)

    @torch.no_grad()
    def generate(
        self,
        prompt: str,
        n: int = 4,
        temperature: float = 0.8,
        top_p: float = 0.95,
        top_k: int = 0,
        guidance: float = 2.0,
        seed: int = 0,
        max_tokens: int = 512,
    ) -> Generation:
        """Sample ``n`` icons for a prompt; every one is complete, valid SVG.

        Args:
            prompt: what to draw, in words.
            n: samples, 1 to 16.
            temperature: 0 is greedy; higher is more varied.
            top_p, top_k: nucleus and top-k filtering (1.0 and 0 turn them off).
            guidance: classifier-free guidance scale; 1.0 turns it off.
            seed: the same seed and arguments give the same icons.
            max_tokens: the most svgtok tokens per icon (at least 8).

        Raises:
            SVGLMError: an empty prompt or an argument out of range.
        """
        if not prompt or not prompt.strip():
            raise SVGLMError("the prompt is empty; describe the icon in a few words, e.g. 'a house with a chimney'")
        if not 1 <= n <= MAX_SAMPLES:
            raise SVGLMError(f"n={n} is outside 1..{MAX_SAMPLES}")
        if max_tokens < 8 or temperature < 0 or not 0 < top_p <= 1 or top_k < 0 or guidance < 0:
            raise SVGLMError(
                f"max_tokens={max_tokens}, temperature={temperature}, top_p={top_p}, top_k={top_k}, "
                f"guidance={guidance}: need max_tokens ≥ 8, temperature ≥ 0, 0 < top_p ≤ 1, top_k ≥ 0, guidance ≥ 0"
            )
        guided = guidance != 1.0
        ids, mask = self._rows(prompt, n, guided)
        budget = min(max_tokens + 1, self.model.config.max_position_embeddings - ids.shape[1])
        sampler = GrammarSampler(
            self.grammar,
            self.vocab,
            n,
            ids.shape[1],
            budget,
            guidance,
            temperature,
            top_k,
            top_p,
            torch.Generator().manual_seed(seed),
        )
        start = time.perf_counter()
        self.model.generate(
            input_ids=ids,
            attention_mask=mask,
            max_new_tokens=budget,
            do_sample=False,
            logits_processor=LogitsProcessorList([sampler]),
            eos_token_id=EOS,
            pad_token_id=PAD,
        )
        seconds = time.perf_counter() - start
        samples = []
        for tokens in sampler.tokens:
            program = [self.vocab.svg_start, *(t for t in tokens if t not in (EOS, PAD))]  # <svg> ends the prompt
            svg_ids = self.vocab.to_svg(program)
            samples.append(Sample(svg=self.vocab.svg.decode(svg_ids), svg_ids=svg_ids, seconds=seconds / n))
        new_tokens = sum(len(s.svg_ids) for s in samples)
        return Generation(samples=samples, seconds=seconds, new_tokens=new_tokens)
