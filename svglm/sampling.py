"""Grammar-constrained sampling as a ``LogitsProcessor``, with classifier-free guidance.

``transformers``' ``generate()`` runs the model and manages the KV cache; this processor decides every
token. It tracks each sample's grammar state, combines the conditional and unconditional rows
(classifier-free guidance, Ho & Salimans 2022: ``u + g·(c − u)``), masks what the grammar forbids, and
samples with temperature, top-k and top-p from its own seeded generator. It returns scores that allow
only the chosen token, so ``generate(do_sample=False)`` keeps exactly that token for both rows of a pair.
It only allows tokens after which the sample can still reach ``</svg>`` and ``<eos>`` within
``max_new_tokens``, so every output is complete, and it does not let a document close before its first path
(:func:`drawing_table`), so every output draws something. It also keeps each sample's log-likelihood under
its prompt (the unguided conditional row), by which :meth:`svglm.generate.SVGGenerator.generate` ranks
candidates.
"""

from __future__ import annotations

import functools
from collections import deque
from typing import NamedTuple

import numpy as np
import torch
from transformers import LogitsProcessor

from svglm.errors import SVGLMError
from svglm.vocab import VocabLayout
from svgtok.grammar import END, START, STATE, Grammar

NUCLEUS_PROBE = 64  # tokens searched for the top-p nucleus before sorting the whole vocabulary


def drawing_table(grammar: Grammar) -> np.ndarray:
    """The grammar's transition table without the ways to close a document before its first path.

    svgtok's grammar accepts an empty document (``<svg> </svg>``), as some inputs are; a generated icon
    must draw, so sampling uses this table.
    """
    table = grammar.table.copy()
    table[[STATE["canvas"], STATE["doc"], STATE["body"]], grammar.vocab.id("</svg>")] = -1
    return table


def shortest_close(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every state of a grammar table, the fewest tokens to reach the end and the token that starts that way.

    Shapes: ``(n_states,)`` each; −1 where the end cannot be reached.
    """
    n = table.shape[0]
    distance = np.full(n, -1, dtype=np.int64)
    first = np.full(n, -1, dtype=np.int64)
    distance[END] = 0
    queue = deque([END])
    while queue:  # breadth-first search backwards from the end state
        target = queue.popleft()
        states, tokens = np.nonzero(table == target)
        for state, token in zip(states.tolist(), tokens.tolist(), strict=True):
            if distance[state] < 0:
                distance[state], first[state] = distance[target] + 1, token
                queue.append(state)
    return distance, first


class SamplingTables(NamedTuple):
    """What :class:`GrammarSampler` reads at each step, per grammar state (read-only, shared)."""

    done_state: int  # after </svg> and <eos>: only padding follows
    allowed: torch.Tensor  # (states + 1, vocabulary) bool: the grammar allows the token
    next_state: np.ndarray  # (states + 1, vocabulary): the state after the token, −1 where not allowed
    finish_after: torch.Tensor  # (states + 1, vocabulary): tokens still needed to finish after the token
    start: int  # the state after the prompt's closing <svg>
    shortest: int  # the fewest tokens a drawing takes from ``start``, <eos> included


@functools.lru_cache(maxsize=4)
def sampling_tables(
    grammar: Grammar, svg_offset: int, size: int, padded_size: int, eos: int, pad: int
) -> SamplingTables:
    """The sampler's tables for a grammar placed at ``svg_offset`` in a model vocabulary (built once)."""
    table = drawing_table(grammar)
    done_state = table.shape[0]
    allowed = np.zeros((done_state + 1, padded_size), dtype=bool)
    allowed[:done_state, svg_offset:size] = table >= 0
    allowed[END, :] = False
    allowed[END, eos] = True
    allowed[done_state, pad] = True
    next_state = np.full((done_state + 1, padded_size), -1, dtype=np.int64)
    next_state[:done_state, svg_offset:size] = table
    next_state[END, eos] = done_state
    next_state[done_state, pad] = done_state
    # Tokens left to finish from each state: the way to the end, then <eos>; nothing once done.
    distance, _ = shortest_close(table)
    finish = np.append(np.where(distance >= 0, distance + 1, np.iinfo(np.int32).max), 0)
    finish_after = np.where(next_state >= 0, finish[next_state], np.iinfo(np.int32).max)
    start = int(table[START, grammar.vocab.id("<svg>")])
    return SamplingTables(
        done_state, torch.from_numpy(allowed), next_state, torch.from_numpy(finish_after), start, int(finish[start])
    )


class GrammarSampler(LogitsProcessor):
    """Samples one token per pair of rows under svgtok's grammar.

    Rows ``[0, n)`` are the conditional samples; with guidance, rows ``[n, 2n)`` are their unconditional
    twins (the same program under an empty prompt).

    Args:
        grammar: svgtok's grammar.
        vocab: the model's vocabulary layout.
        n: samples.
        prompt_length: the padded length of the prompt rows (tokens after it are generated).
        max_new_tokens: the budget each sample must close within.
        guidance: classifier-free guidance scale; 1.0 turns guidance off (no unconditional rows).
        temperature, top_k, top_p: the sampling distribution; temperature 0 is greedy.
        generator: the seeded source of randomness.
    """

    def __init__(
        self,
        grammar: Grammar,
        vocab: VocabLayout,
        n: int,
        prompt_length: int,
        max_new_tokens: int,
        guidance: float = 1.0,
        temperature: float = 1.0,
        top_k: int = 0,
        top_p: float = 1.0,
        generator: torch.Generator | None = None,
    ):
        self.n = n
        self.prompt_length, self.max_new_tokens = prompt_length, max_new_tokens
        self.guidance, self.temperature, self.top_k, self.top_p = guidance, temperature, top_k, top_p
        self.generator = generator
        tables = sampling_tables(grammar, vocab.svg_offset, vocab.size, vocab.padded_size, vocab.eos, vocab.pad)
        self.done_state, self.allowed = tables.done_state, tables.allowed
        self.next_state, self.finish_after = tables.next_state, tables.finish_after
        self.states = np.full(n, tables.start, dtype=np.int64)
        if max_new_tokens < tables.shortest:
            raise SVGLMError(
                f"max_new_tokens={max_new_tokens} leaves no room for a drawing (the shortest: {tables.shortest})"
            )
        self.tokens: list[list[int]] = [[] for _ in range(n)]
        self.log_likelihood = np.zeros(n)  # Σ ln p(token | prompt) over each sample's chosen tokens
        self.scored = np.zeros(n, dtype=np.int64)  # how many tokens that sum holds

    def _advance(self, input_ids: torch.LongTensor) -> None:
        generated = input_ids.shape[1] - self.prompt_length
        if generated <= 0:
            return
        last = input_ids[: self.n, -1].tolist()
        for row, token in enumerate(last):
            state = self.states[row]
            if state != self.done_state:
                self.tokens[row].append(token)
            self.states[row] = self.next_state[state, token]

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        self._advance(input_ids)
        # The grammar's tables and the seeded generator live on the CPU; a GPU model's scores come over.
        cond = logits = scores[: self.n].float().cpu()
        if self.guidance != 1.0:
            uncond = scores[self.n : 2 * self.n].float().cpu()
            logits = uncond + self.guidance * (cond - uncond)
        states = torch.from_numpy(self.states)
        left = self.max_new_tokens - (input_ids.shape[1] - self.prompt_length)
        # Allowed by the grammar, and still able to finish within the budget after this token.
        mask = self.allowed[states] & (self.finish_after[states] <= left - 1)
        logits = logits.masked_fill(~mask[:, : logits.shape[1]], float("-inf"))
        chosen = self._sample(logits)
        self._score(cond, chosen)
        out = torch.full_like(scores, float("-inf"))
        rows = torch.arange(scores.shape[0], device=scores.device)
        out[rows, chosen.repeat(scores.shape[0] // self.n).to(scores.device)] = 0.0
        return out

    def _score(self, cond: torch.Tensor, chosen: torch.Tensor) -> None:
        """Add each unfinished sample's chosen token's log-probability under its prompt (no guidance, no mask)."""
        log_p = (cond.gather(1, chosen[:, None]).squeeze(1) - cond.logsumexp(-1)).numpy()
        live = self.states != self.done_state
        self.log_likelihood += np.where(live, log_p, 0.0)
        self.scored += live

    def _sample(self, logits: torch.Tensor) -> torch.Tensor:
        """One token per row: top-k and nucleus (top-p) filtering, then an inverse-CDF draw with the seeded
        generator over the kept tokens, best first. The nucleus is looked for among the best
        :data:`NUCLEUS_PROBE` tokens first and the whole vocabulary is sorted only when they fall short of
        ``top_p``: the same draw, a fraction of the CPU time."""
        if self.temperature <= 0:
            return logits.argmax(-1)
        logits = logits / self.temperature
        total = torch.logsumexp(logits, -1, keepdim=True)
        order = None
        if self.top_k > 0:
            logits, order = torch.topk(logits, min(self.top_k, logits.shape[1]))  # sorted, best first
        elif self.top_p < 1.0:
            best, best_order = torch.topk(logits, min(NUCLEUS_PROBE, logits.shape[1]))
            if bool((torch.logsumexp(best, -1, keepdim=True) - total).exp().ge(self.top_p).all()):
                logits, order = best, best_order
            else:
                logits, order = torch.sort(logits, descending=True)
        probs = (logits - total).exp()  # shares of the whole distribution, before any cut
        cumulative = probs.cumsum(-1)
        if self.top_p < 1.0:  # keep the best tokens up to and including the one that crosses p
            probs = probs.masked_fill(cumulative - probs > self.top_p, 0.0)
            cumulative = probs.cumsum(-1)
        draw = torch.rand((logits.shape[0], 1), generator=self.generator) * cumulative[:, -1:]
        picked = torch.searchsorted(cumulative, draw).clamp_(max=logits.shape[1] - 1)
        return (picked if order is None else order.gather(1, picked)).squeeze(1)
