"""Text to SVG: ``generate(prompt, n, ...)`` on any loaded svglm checkpoint, CPU or GPU."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
import torch
from transformers import LogitsProcessorList

from svglm.adapter import load_model
from svglm.errors import SVGLMError
from svglm.sampling import GrammarSampler
from svglm.styles import names_a_set, styled_prompt
from svglm.vocab import PAD, VocabLayout

MAX_SAMPLES = 16
MAX_CANDIDATES = 8  # icons drawn per icon returned, at most


# Sampling temperature by default: of 0.4–1.0, the lower the more everyday icons svglm.recognize judged
# recognizable (0.41 at 0.4, 0.36 at 0.5, 0.24 at 0.8, 80 plain icons each); 0.5 keeps the samples varied.
DEFAULT_TEMPERATURE = 0.5

# Classifier-free guidance by default: 2.0 for a bare prompt; 1.5 when a style names the icon set, as the set
# already narrows the prompt and guidance on top of it overshoots (stars collapse into blobs). Measured on the
# best 4 of 16 everyday icons in Tabler style, judged by svglm.recognize: 0.77 recognized at 1.5 against 0.73
# at 2.0, 0.72 at 1.0 and 0.55 at 3.0; without a style 2.0 stays best (docs/RESULTS.md, tenth session).
DEFAULT_GUIDANCE = 2.0
STYLED_GUIDANCE = 1.5


def default_guidance(style: str | None) -> float:
    """The guidance :meth:`SVGGenerator.generate` uses when it is given none, for this style."""
    return STYLED_GUIDANCE if names_a_set(style) else DEFAULT_GUIDANCE


def left_pad(rows: list[list[int]], pad: int = PAD) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows padded on the left so every row ends where generation starts. Shapes: ``(B, T)`` ids and mask."""
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, width - len(row) :] = torch.tensor(row)
        mask[i, width - len(row) :] = 1
    return ids, mask


@dataclass
class Sample:
    """One generated icon: its SVG, its svgtok ids, its share of the batch's time, and ``logprob``, the mean
    log-probability (nats per token) the model gave its own tokens under the prompt: how sure it was."""

    svg: str
    svg_ids: list[int]
    seconds: float
    logprob: float


@dataclass
class Generation:
    samples: list[Sample]
    seconds: float
    new_tokens: int
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def tokens_per_s(self) -> float:
        return self.new_tokens / self.seconds if self.seconds else 0.0


def check_sampling(temperature: float, top_p: float, top_k: int, guidance: float, max_tokens: int) -> None:
    """Raise :class:`SVGLMError` for sampling arguments out of range."""
    if max_tokens < 8 or temperature < 0 or not 0 < top_p <= 1 or top_k < 0 or guidance < 0:
        raise SVGLMError(
            f"max_tokens={max_tokens}, temperature={temperature}, top_p={top_p}, top_k={top_k}, "
            f"guidance={guidance}: need max_tokens ≥ 8, temperature ≥ 0, 0 < top_p ≤ 1, top_k ≥ 0, guidance ≥ 0"
        )


@torch.no_grad()
def sample_programs(
    model,
    vocab: VocabLayout,
    rows: list[list[int]],
    n: int,
    max_tokens: int,
    guidance: float = 1.0,
    temperature: float = DEFAULT_TEMPERATURE,
    top_k: int = 0,
    top_p: float = 0.95,
    seed: int = 0,
) -> Generation:
    """Sample one grammar-valid program after each of the first ``n`` rows, which all end with ``<svg>``.

    With guidance ≠ 1, ``rows[n:2n]`` are the unconditional twins of ``rows[:n]``. Every row is a list of
    model ids; the result's samples hold decoded SVG and svgtok ids.
    """
    device = model.device
    ids, mask = left_pad(rows, vocab.pad)
    budget = min(max_tokens + 1, model.config.max_position_embeddings - ids.shape[1])
    if budget < 8:
        raise SVGLMError(f"the input is {ids.shape[1]} tokens: too long to leave room for a drawing")
    sampler = GrammarSampler(
        vocab.svg.grammar, vocab, n, ids.shape[1], budget, guidance, temperature, top_k, top_p,
        torch.Generator().manual_seed(seed),
    )  # fmt: skip
    start = time.perf_counter()
    model.generate(
        input_ids=ids.to(device),
        attention_mask=mask.to(device),
        max_new_tokens=budget,
        do_sample=False,
        logits_processor=LogitsProcessorList([sampler]),
        eos_token_id=vocab.eos,
        pad_token_id=vocab.pad,
    )
    seconds = time.perf_counter() - start
    samples = []
    logprobs = (sampler.log_likelihood / np.maximum(sampler.scored, 1)).tolist()
    for tokens, logprob in zip(sampler.tokens, logprobs, strict=True):
        program = [vocab.svg_start, *(t for t in tokens if t not in (vocab.eos, vocab.pad))]  # <svg> ends the input
        svg_ids = vocab.to_svg(program)
        samples.append(Sample(vocab.svg.decode(svg_ids), svg_ids, seconds / n, logprob))
    return Generation(samples=samples, seconds=seconds, new_tokens=sum(len(s.svg_ids) for s in samples))


def keep_surest(generation: Generation, n: int) -> Generation:
    """The ``n`` samples with the highest ``logprob``, best first; each carries its share of all the time spent."""
    best = sorted(generation.samples, key=lambda sample: sample.logprob, reverse=True)[:n]
    for sample in best:
        sample.seconds = generation.seconds / n
    return Generation(best, generation.seconds, generation.new_tokens, generation.timings)


class SVGGenerator:
    """A loaded model with its vocabulary and grammar, ready to sample.

    Example:
        >>> gen = SVGGenerator.from_pretrained("models/svglm-base")  # doctest: +SKIP
        >>> gen.generate("a house", n=2, seed=0).samples[0].svg[:4]  # doctest: +SKIP
        '<svg'
    """

    def __init__(self, model, vocab: VocabLayout):
        self.model, self.vocab = model, vocab

    @classmethod
    def from_pretrained(
        cls, directory, device: str = "cpu", adapter=None, dtype: torch.dtype | None = None
    ) -> SVGGenerator:
        """Load an svglm checkpoint, optionally with a LoRA adapter (e.g. a style) merged in; ``dtype`` None
        is bf16 where the device does it natively (see :func:`svglm.adapter.sampling_dtype`)."""
        return cls(*load_model(directory, adapter, device, dtype))

    def generate(
        self,
        prompt: str,
        n: int = 4,
        temperature: float = DEFAULT_TEMPERATURE,
        top_p: float = 0.95,
        top_k: int = 0,
        guidance: float | None = None,
        seed: int = 0,
        max_tokens: int = 512,
        candidates: int = 1,
        style: str | None = None,
    ) -> Generation:
        """Sample ``n`` icons for a prompt; every one is complete, valid SVG.

        Args:
            prompt: what to draw, in words.
            n: samples, 1 to 16.
            temperature: 0 is greedy; higher is more varied.
            top_p, top_k: nucleus and top-k filtering (1.0 and 0 turn them off).
            guidance: classifier-free guidance scale; 1.0 turns it off; None is :func:`default_guidance` (2.0,
                or 1.5 with a style).
            seed: the same seed and arguments give the same icons.
            max_tokens: the most svgtok tokens per icon (at least 8).
            candidates: draw this many icons for each one returned (1 to 8) and return the ``n`` the model
                is surest of (highest mean log-probability per token), best first. Costs about that many
                times the time; it weeds out the scrambled drawings a small model makes.
            style: the icon set to draw like, e.g. ``"Tabler Icons"`` (:mod:`svglm.styles`); None for any.

        Raises:
            SVGLMError: an empty prompt, a style that is not a set's name, or an argument out of range.
        """
        if not prompt or not prompt.strip():
            raise SVGLMError("the prompt is empty; describe the icon in a few words, e.g. 'a house with a chimney'")
        if not isinstance(n, Integral) or not 1 <= n <= MAX_SAMPLES:
            raise SVGLMError(f"n={n} is outside 1..{MAX_SAMPLES}")
        if not isinstance(candidates, Integral) or not 1 <= candidates <= MAX_CANDIDATES:
            raise SVGLMError(f"candidates={candidates} is outside 1..{MAX_CANDIDATES}")
        guidance = default_guidance(style) if guidance is None else guidance
        check_sampling(temperature, top_p, top_k, guidance, max_tokens)
        drawn = n * candidates
        cond = [*self.vocab.encode_prompt(styled_prompt(prompt, style)), self.vocab.svg_start]
        uncond = [self.vocab.bos, self.vocab.svg_start]
        rows = [cond] * drawn + ([uncond] * drawn if guidance != 1.0 else [])
        generation = sample_programs(
            self.model, self.vocab, rows, drawn, max_tokens, guidance, temperature, top_k, top_p, seed
        )
        return generation if candidates == 1 else keep_surest(generation, n)
