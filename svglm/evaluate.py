"""Bits per icon: the total negative log-likelihood of a program given its prompt, in bits.

Bits per icon is comparable across tokenizers (svgtok, GPT-2 BPE): it measures how well a model predicts
the same normalized SVG, however finely the text is cut. The caption gap (true caption minus shuffled
caption) measures how much the prompt steers the program.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from svglm.vocab import PAD


@torch.no_grad()
def program_bits(
    model, rows: list[tuple[list[int], list[int]]], device: str = "cpu", batch_size: int = 32
) -> np.ndarray:
    """Bits of each program given its prefix, every token of it scored.

    A sequence longer than the model's context is scored in windows of the context's length that start
    half a context apart; each window scores only the tokens the previous one did not, so every token is
    predicted from at least half a context of the tokens before it (the prompt only while it is in view).

    Args:
        model: a causal LM.
        rows: ``(prefix ids, program ids)`` pairs in model ids; the program's tokens are scored, the
            prefix (``<bos>``, prompt) is only conditioned on.
        device: where the model is.
        batch_size: windows per forward pass.

    Returns:
        Bits per row. Shape ``(len(rows),)``.
    """
    windows = [w for i, row in enumerate(rows) for w in _windows(i, row, model.config.max_position_embeddings)]
    out = np.zeros(len(rows))
    for start in range(0, len(windows), batch_size):
        chunk = windows[start : start + batch_size]
        width = max(len(seq) for _, seq, _ in chunk)
        ids = torch.full((len(chunk), width), PAD, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        scored = torch.zeros((len(chunk), width), dtype=torch.bool)
        for i, (_, seq, first) in enumerate(chunk):
            ids[i, : len(seq)] = torch.tensor(seq)
            mask[i, : len(seq)] = 1
            scored[i, first : len(seq)] = True
        ids, mask, scored = ids.to(device), mask.to(device), scored.to(device)
        logits = model(input_ids=ids, attention_mask=mask).logits.float()  # (B, T, V)
        nll = F.cross_entropy(logits[:, :-1].transpose(1, 2), ids[:, 1:], reduction="none")  # (B, T-1)
        bits = ((nll * scored[:, 1:]).sum(1) / math.log(2)).cpu().numpy()
        np.add.at(out, [row for row, _, _ in chunk], bits)
    return out


def _windows(row: int, pair: tuple[list[int], list[int]], context: int) -> list[tuple[int, list[int], int]]:
    """``(row, window ids, first scored position in the window)`` covering the row's program once."""
    prefix, program = pair
    seq = prefix + program
    stride = max(1, context // 2)
    windows, scored_to, start = [], len(prefix), 0
    while scored_to < len(seq):
        end = min(start + context, len(seq))
        windows.append((row, seq[start:end], scored_to - start))
        scored_to, start = max(scored_to, end), start + stride
    return windows


EVERYDAY_PROMPTS = ("home", "heart", "star", "arrow", "user", "cloud", "search", "settings", "trash", "camera")
