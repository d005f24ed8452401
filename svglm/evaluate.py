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
    """Bits of each program given its prefix.

    Args:
        model: a causal LM.
        rows: ``(prefix ids, program ids)`` pairs in model ids; the program's tokens are scored, the
            prefix (``<bos>``, prompt) is only conditioned on.
        device: where the model is.
        batch_size: rows per forward pass.

    Returns:
        Bits per row. Shape ``(len(rows),)``.
    """
    out = np.zeros(len(rows))
    context = model.config.max_position_embeddings
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        seqs = [(prefix + program)[:context] for prefix, program in chunk]
        width = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), width), PAD, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        scored = torch.zeros((len(seqs), width), dtype=torch.bool)
        for i, ((prefix, _), seq) in enumerate(zip(chunk, seqs, strict=True)):
            ids[i, : len(seq)] = torch.tensor(seq)
            mask[i, : len(seq)] = 1
            scored[i, len(prefix) : len(seq)] = True
        ids, mask, scored = ids.to(device), mask.to(device), scored.to(device)
        logits = model(input_ids=ids, attention_mask=mask).logits.float()  # (B, T, V)
        nll = F.cross_entropy(logits[:, :-1].transpose(1, 2), ids[:, 1:], reduction="none")  # (B, T-1)
        nll = (nll * scored[:, 1:]).sum(1) / math.log(2)
        out[start : start + len(chunk)] = nll.cpu().numpy()
    return out


EVERYDAY_PROMPTS = ("home", "heart", "star", "arrow", "user", "cloud", "search", "settings", "trash", "camera")
