"""Bits per icon: every program token scored once, however long the program."""

import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from svglm.evaluate import program_bits
from svglm.model import ModelSize, build_model


class Unigram(torch.nn.Module):
    """A model whose next-token distribution ignores the context: a program's bits have a closed form."""

    def __init__(self, vocab_size: int, context: int):
        super().__init__()
        self.config = SimpleNamespace(max_position_embeddings=context)
        self.logits = torch.randn(vocab_size, generator=torch.Generator().manual_seed(0))

    def forward(self, input_ids, attention_mask):
        return SimpleNamespace(logits=self.logits.expand(*input_ids.shape, -1))

    def bits(self, tokens: list[int]) -> float:
        return -float(torch.log_softmax(self.logits, 0)[tokens].sum()) / math.log(2)


@pytest.mark.parametrize("context", [8, 9, 64])
@pytest.mark.parametrize("batch_size", [1, 3, 32])
def test_every_program_token_is_scored_once(context, batch_size):
    model = Unigram(50, context)
    rng = np.random.default_rng(1)
    rows = [
        (rng.integers(0, 50, n_prefix).tolist(), rng.integers(0, 50, n_program).tolist())
        for n_prefix, n_program in [(2, 3), (3, 40), (5, 7), (1, 100), (4, 0)]
    ]
    bits = program_bits(model, rows, batch_size=batch_size)
    assert bits == pytest.approx([model.bits(program) for _, program in rows], rel=1e-5)


def test_a_prefix_longer_than_the_context_is_never_scored():
    model = Unigram(20, 4)
    prefix, program = list(range(10)), [3, 4, 5]
    assert program_bits(model, [(prefix, program)]) == pytest.approx([model.bits(program)], rel=1e-5)


@torch.no_grad()
def test_rows_within_the_context_score_as_one_forward_pass():
    torch.manual_seed(0)
    model = build_model(64, ModelSize(hidden=32, layers=1, heads=2, intermediate=64, context=32)).eval()
    rows = [([1, 5], [7, 8, 9, 2]), ([1], [10, 11, 12, 13, 14, 15, 2])]
    expected = []
    for prefix, program in rows:
        ids = torch.tensor([prefix + program])
        logp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), -1)
        targets = ids[0, 1:]
        expected.append(-float(logp[torch.arange(len(targets)), targets][len(prefix) - 1 :].sum()) / math.log(2))
    assert program_bits(model, rows) == pytest.approx(expected, rel=1e-4)
