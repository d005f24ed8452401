"""Hierarchical Mean–Noise (HMN) initialization of new token embeddings (after HiVG, 2025).

A new token starts at the mean of the embeddings of the tokens it stands for, plus Gaussian noise scaled
to the per-dimension spread of the existing embeddings, so it begins where its parts already are but not
on top of any of them. Coordinate tokens also get a numeric-order component: a sinusoidal code of their
value, scaled the same way, so ``n11`` starts nearer ``n12`` than ``n80``.

Two uses share this code: stage 2 of pretraining (segment tokens from their atomic expansions), and
extending any pretrained Hugging Face causal LM with svgtok's vocabulary (:func:`extend_pretrained`).
"""

from __future__ import annotations

import math
import re

import torch

from svgtok.hf import add_svg_vocabulary
from svgtok.tokenizer import SVGTokenizer

DEFAULT_NOISE = 0.1
NUMERIC_SCALE = 0.5
_NUMBER = re.compile(r"-?\d+")


def numeric_code(values: torch.Tensor, dim: int, max_value: float) -> torch.Tensor:
    """Sinusoidal codes of numbers, like transformer position codes. Shapes: ``(N,)`` → ``(N, dim)``."""
    half = dim // 2
    freqs = torch.exp(-math.log(max(max_value, 2.0)) * torch.arange(half, dtype=torch.float32) / max(half, 1))
    angles = values.float()[:, None] * freqs[None, :]
    code = torch.zeros(len(values), dim)
    code[:, 0 : 2 * half : 2], code[:, 1 : 2 * half : 2] = torch.sin(angles), torch.cos(angles)
    return code


@torch.no_grad()
def hmn_init(
    weight: torch.Tensor,
    targets: list[int],
    sources: list[list[int]],
    values: list[float | None] | None = None,
    noise: float = DEFAULT_NOISE,
    generator: torch.Generator | None = None,
) -> None:
    """Initialize rows ``targets`` of an embedding matrix in place.

    Args:
        weight: the embedding matrix, shape ``(V, d)``.
        targets: the rows to initialize.
        sources: for each target, the rows whose mean it starts from (already initialized).
        values: for each target, a number for the numeric-order component, or None.
        noise: noise standard deviation, as a fraction of the per-dimension spread of the source rows.
        generator: for reproducible noise.
    """
    if len(targets) != len(sources):
        raise ValueError(f"{len(targets)} targets but {len(sources)} source lists")
    if not targets:
        return
    # The arithmetic runs on the CPU in float32, whatever device and dtype the embedding lives on.
    table = weight.detach().float().cpu()
    reference = sorted({s for group in sources for s in group})
    spread = table[reference].std(0) if len(reference) > 1 else table.std(0)
    lengths = torch.tensor([len(s) for s in sources])
    flat = torch.tensor([s for group in sources for s in group], dtype=torch.long)
    owner = torch.repeat_interleave(torch.arange(len(targets)), lengths)
    sums = torch.zeros(len(targets), table.shape[1]).index_add_(0, owner, table[flat])
    rows = sums / lengths.clamp(min=1)[:, None]
    rows += noise * spread * torch.randn(rows.shape, generator=generator)
    if values is not None:
        numbered = [i for i, v in enumerate(values) if v is not None]
        if numbered:
            numbers = torch.tensor([values[i] for i in numbered])
            code = numeric_code(numbers, table.shape[1], float(numbers.abs().max()))
            rows[numbered] += NUMERIC_SCALE * spread * code
    weight[torch.tensor(targets, device=weight.device)] = rows.to(weight.device, weight.dtype)


def segment_sources(tokenizer: SVGTokenizer, offset: int) -> tuple[list[int], list[list[int]]]:
    """Each segment token's model id and the model ids of the atomic tokens it expands to."""
    targets, sources = [], []
    for segment_id, expansion in sorted(tokenizer.segments.expansions.items()):
        targets.append(offset + segment_id)
        sources.append([offset + i for i in expansion])
    return targets, sources


def _description(token: str) -> tuple[str, float | None]:
    """Words a pretrained model already knows for an atomic token, and its number if it has one."""
    if token[0] in "np%r" and _NUMBER.search(token):
        numbers = [int(n) for n in _NUMBER.findall(token)]
        return " ".join(map(str, numbers)), float(numbers[0])
    if token[0] == "c" and len(token) == 3:  # a color channel byte
        return token[1:], float(int(token[1:], 16))
    return re.sub(r"[<>/:\-%]", " ", token).strip() or token, None


@torch.no_grad()
def extend_pretrained(model, hf_tokenizer, tokenizer: SVGTokenizer, seed: int = 0) -> dict[int, int]:
    """Add svgtok's vocabulary to a pretrained Hugging Face causal LM and HMN-initialize it.

    Atomic tokens start from the mean embedding of the words that describe them (``fill:rgb`` → "fill
    rgb", ``n12`` → "12", plus the numeric code); segment tokens from their atomic tokens' new rows.

    Returns:
        ``{svgtok id: model id}``.

    Example:
        See ``tests/svglm/test_hmn.py``, which extends a tiny random Llama.
    """
    old_size = model.get_input_embeddings().weight.shape[0]
    mapping = add_svg_vocabulary(hf_tokenizer, tokenizer)
    model.resize_token_embeddings(max(len(hf_tokenizer), max(mapping.values()) + 1))
    weight = model.get_input_embeddings().weight
    generator = torch.Generator().manual_seed(seed)
    targets, sources, values = [], [], []
    for i in range(len(tokenizer.atomic)):
        words, value = _description(tokenizer.atomic.tokens[i])
        encoded = hf_tokenizer.encode(words, add_special_tokens=False)
        ids = getattr(encoded, "ids", encoded)  # a tokenizers.Encoding, or a list from transformers
        targets.append(mapping[i])
        sources.append([t for t in ids if t < old_size] or list(range(min(old_size, 64))))
        values.append(value)
    hmn_init(weight, targets, sources, values, generator=generator)
    seg_targets, seg_sources = [], []
    for segment_id, expansion in sorted(tokenizer.segments.expansions.items()):
        seg_targets.append(mapping[segment_id])
        seg_sources.append([mapping[i] for i in expansion])
    hmn_init(weight, seg_targets, seg_sources, generator=generator)
    output = model.get_output_embeddings()
    if output is not None and output.weight is not weight:  # untied heads start from the same rows
        rows = torch.tensor(targets + seg_targets)
        output.weight[rows] = weight[rows]
    return mapping
