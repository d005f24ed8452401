"""Grammar-constrained generation with a tiny random model: every sample is complete, valid SVG."""

import numpy as np
import pytest
import torch

from svglm import SVGLMError
from svglm.generate import DEFAULT_GUIDANCE, STYLED_GUIDANCE, default_guidance
from svglm.sampling import GrammarSampler, drawing_table, shortest_close
from svglm.vocab import BOS
from svgtok.grammar import END, STATE
from svgtok.parse import parse
from svgtok.render import render


@pytest.mark.parametrize(("seed", "guidance", "temperature"), [(0, 2.0, 1.0), (1, 1.0, 1.0), (2, 3.0, 0.0)])
def test_samples_are_valid_svg(generator, seed, guidance, temperature):
    out = generator.generate("a house", n=3, seed=seed, guidance=guidance, temperature=temperature, max_tokens=40)
    assert len(out.samples) == 3 and out.seconds > 0
    for sample in out.samples:
        assert generator.vocab.svg.grammar.accepts(sample.svg_ids)
        assert len(sample.svg_ids) <= 41
        parse(sample.svg)
        assert render(sample.svg, 32).shape == (32, 32, 3)


def test_same_seed_same_icons_and_other_seed_differs(generator):
    first = [s.svg for s in generator.generate("star", n=2, seed=7, max_tokens=30).samples]
    again = [s.svg for s in generator.generate("star", n=2, seed=7, max_tokens=30).samples]
    other = [s.svg for s in generator.generate("star", n=2, seed=8, max_tokens=30).samples]
    assert first == again and first != other


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prompt": "   "}, "prompt is empty"),
        ({"prompt": "x", "n": 0}, "n=0"),
        ({"prompt": "x", "max_tokens": 2}, "max_tokens"),
        ({"prompt": "x", "top_p": 0.0}, "top_p"),
        ({"prompt": "x", "candidates": 0}, "candidates=0"),
        ({"prompt": "x", "candidates": 9}, "candidates=9"),
        ({"prompt": "x", "candidates": 1.5}, "candidates=1.5"),
        ({"prompt": "x", "n": 2.0}, "n=2.0"),
        ({"prompt": "x", "style": "Lucide; color"}, "not an icon set's name"),
        ({"prompt": "x", "style": "y" * 65}, "not an icon set's name"),
    ],
)
def test_bad_arguments_are_refused(generator, kwargs, message):
    with pytest.raises(SVGLMError, match=message):
        generator.generate(**kwargs)


@pytest.mark.parametrize("guidance", [1.0, 2.0])
def test_logprob_is_the_mean_log_probability_under_the_prompt(generator, guidance):
    """Scored on the conditional row whatever the guidance: the model's own probability of what it wrote."""
    vocab = generator.vocab
    for sample in generator.generate("a house", n=2, seed=3, guidance=guidance, max_tokens=30).samples:
        prefix = [*vocab.encode_prompt("a house"), vocab.svg_start]
        written = [*vocab.to_model(sample.svg_ids[1:]).tolist(), vocab.eos]  # svg_ids[0] is the prompt's <svg>
        with torch.no_grad():
            logits = generator.model(input_ids=torch.tensor([prefix + written])).logits[0, len(prefix) - 1 : -1]
        expected = logits.float().log_softmax(-1).gather(1, torch.tensor(written)[:, None]).mean().item()
        assert sample.logprob == pytest.approx(expected, abs=1e-4)


def test_candidates_keep_the_surest_icons_of_all_drawn(generator):
    drawn = generator.generate("a house", n=6, seed=4, max_tokens=30).samples
    kept = generator.generate("a house", n=2, seed=4, max_tokens=30, candidates=3)
    best = sorted(drawn, key=lambda sample: sample.logprob, reverse=True)[:2]
    assert [s.svg for s in kept.samples] == [s.svg for s in best]
    assert kept.samples[0].logprob >= kept.samples[1].logprob > min(s.logprob for s in drawn)
    assert kept.new_tokens == sum(len(s.svg_ids) for s in drawn)  # the tokens of every icon drawn


def test_a_style_names_its_set_in_the_prompt(generator):
    same = {"n": 2, "seed": 5, "max_tokens": 30, "guidance": 2.0}
    styled = generator.generate("star", style="Tabler Icons", **same)
    spelled = generator.generate("star; Tabler Icons", **same)
    no_style = generator.generate("star", style="", **same)
    plain = generator.generate("star", **same)
    assert [s.svg for s in styled.samples] == [s.svg for s in spelled.samples]
    assert [s.svg for s in no_style.samples] == [s.svg for s in plain.samples]
    assert [s.svg for s in styled.samples] != [s.svg for s in plain.samples]  # the style reached the model


def test_guidance_defaults_lower_with_a_style(generator):
    """Left out, guidance is 2.0 for a bare prompt and 1.5 when a style names the set."""
    assert (default_guidance(None), default_guidance(" "), default_guidance("Lucide")) == (2.0, 2.0, 1.5)
    for style, guidance in ((None, DEFAULT_GUIDANCE), ("Tabler Icons", STYLED_GUIDANCE)):
        left_out = generator.generate("star", n=2, seed=6, max_tokens=30, style=style)
        given = generator.generate("star", n=2, seed=6, max_tokens=30, style=style, guidance=guidance)
        other = generator.generate("star", n=2, seed=6, max_tokens=30, style=style, guidance=3.0)
        assert [s.svg for s in left_out.samples] == [s.svg for s in given.samples]
        assert [s.svg for s in left_out.samples] != [s.svg for s in other.samples]  # guidance reached the sampler


def test_numpy_integers_count_as_integers(generator):
    out = generator.generate("star", n=np.int64(2), candidates=np.int64(2), max_tokens=30)
    assert len(out.samples) == 2


def test_sampler_allows_exactly_one_token_and_leaves_scores_alone(generator, vocab):
    seeded = torch.Generator().manual_seed(0)
    sampler = GrammarSampler(generator.vocab.svg.grammar, vocab, 2, 3, 50, guidance=2.0, generator=seeded)
    input_ids = torch.tensor([[BOS, 5, vocab.svg_start]] * 4)
    scores = torch.randn(4, vocab.padded_size)
    before = scores.clone()
    out = sampler(input_ids, scores)
    assert torch.equal(scores, before)
    finite = torch.isfinite(out)
    assert finite.sum(1).tolist() == [1, 1, 1, 1]
    chosen = out.argmax(1)
    assert chosen[0] == chosen[2] and chosen[1] == chosen[3]  # each pair shares its token
    allowed_after_svg = {
        vocab.svg_offset + t for t in np.flatnonzero(generator.vocab.svg.grammar.table[STATE["canvas"]] >= 0)
    }
    assert set(chosen.tolist()) <= allowed_after_svg


@pytest.mark.parametrize("start", ["canvas", "pair3_y_any"])
def test_shortest_close_reaches_the_end(generator, start):
    table = drawing_table(generator.vocab.svg.grammar)
    distance, first = shortest_close(table)
    assert distance[END] == 0 and distance[STATE["units"]] == 1
    state, steps = STATE[start], 0
    while state != END:
        state = int(table[state, first[state]])
        steps += 1
    assert steps == distance[STATE[start]]


def test_generation_never_closes_an_empty_drawing(generator, vocab):
    grammar = generator.vocab.svg.grammar
    close = grammar.vocab.id("</svg>")
    assert grammar.table[STATE["canvas"], close] == END  # svgtok itself accepts an empty document
    assert drawing_table(grammar)[STATE["canvas"], close] == -1
    distance, _ = shortest_close(drawing_table(grammar))
    assert distance[STATE["canvas"]] > 2  # a path must come first
    for sample in generator.generate("nothing at all", n=4, seed=0, max_tokens=12).samples:
        assert "<path" in sample.svg


def test_budget_forces_a_closed_program(generator, vocab):
    out = generator.generate("a very long detailed drawing", n=2, seed=3, temperature=1.5, max_tokens=12)
    for sample in out.samples:
        assert vocab.svg.decode(sample.svg_ids).endswith("</svg>")
        assert len(sample.svg_ids) <= 13


def test_the_tightest_budget_draws_one_shortest_path(generator, vocab):
    grammar = generator.vocab.svg.grammar
    need = int(shortest_close(drawing_table(grammar))[0][STATE["canvas"]]) + 1  # the drawing, then <eos>
    with pytest.raises(SVGLMError, match="no room"):
        GrammarSampler(grammar, vocab, 1, 3, need - 1)
    for seed in range(5):
        seeded = torch.Generator().manual_seed(seed)
        sampler = GrammarSampler(grammar, vocab, 1, 3, need, temperature=2.0, generator=seeded)
        ids = torch.tensor([[BOS, 5, vocab.svg_start]])
        for _ in range(need):
            chosen = sampler(ids, torch.randn(1, vocab.padded_size)).argmax(1, keepdim=True)
            ids = torch.cat([ids, chosen], 1)
        assert ids[0, -1].item() == vocab.eos
        svg_ids = vocab.to_svg([vocab.svg_start, *ids[0, 3:-1].tolist()])
        assert grammar.accepts(svg_ids) and "<path" in vocab.svg.decode(svg_ids)


def test_long_prompts_with_small_budgets_always_close(generator):
    for seed in range(6):
        out = generator.generate(
            "car mirror heat sharp; outline; transit", n=4, seed=seed, temperature=1.5, max_tokens=9
        )
        assert all(generator.vocab.svg.grammar.accepts(s.svg_ids) and len(s.svg_ids) <= 10 for s in out.samples)


def nucleus_draws(generator, vocab, logits: torch.Tensor, top_p: float, draws: int) -> np.ndarray:
    seeded = torch.Generator().manual_seed(0)
    sampler = GrammarSampler(generator.vocab.svg.grammar, vocab, 1, 3, 50, top_p=top_p, generator=seeded)
    return np.bincount([int(sampler._sample(logits[None])[0]) for _ in range(draws)], minlength=len(logits))


@pytest.mark.parametrize("width", [10, 300])  # a nucleus inside the probed best tokens, and one far wider
def test_nucleus_draws_follow_the_renormalized_top_p_distribution(generator, vocab, width):
    probs = torch.zeros(1000)
    probs[:width] = torch.linspace(2.0, 1.0, width)
    probs[width:] = 1e-4
    probs /= probs.sum()
    logits = probs.log()
    kept = int(np.searchsorted(np.cumsum(probs.numpy()), 0.9)) + 1  # the best tokens up to the one crossing 0.9
    counts = nucleus_draws(generator, vocab, logits, 0.9, 4000)
    assert counts[kept:].sum() == 0
    expected = probs[:kept].numpy() / probs[:kept].sum().item() * 4000
    assert np.abs(counts[:kept] - expected).max() < 5 * np.sqrt(expected.max()) + 5
