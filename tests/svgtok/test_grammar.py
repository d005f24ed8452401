"""The token grammar: real programs are accepted, random walks always decode to drawable SVG."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svgtok.atomic import AtomicVocab
from svgtok.grammar import END, START, STATE, Grammar
from svgtok.parse import parse
from svgtok.render import render


@pytest.fixture(scope="module")
def grammar(tokenizer) -> Grammar:
    return tokenizer.grammar


def test_every_encoded_icon_is_accepted(tokenizer, grammar, sample_icons):
    for icon in sample_icons:
        assert grammar.accepts(tokenizer.encode(icon.svg, active="drop").ids), icon.id


def test_exact_allowed_sets():
    v = AtomicVocab(grid=16, pair_radius=2)
    g = Grammar(v)
    names = lambda state: {v.tokens[i] for i in np.flatnonzero(g.allowed(np.array([STATE[state]]))[0])}  # noqa: E731
    assert names("start") == {"<svg>"}
    assert names("doc") == {"opacity", "<path>", "</svg>"}
    assert names("fill") == {"fill:none", "fill:current", "fill:rgb"}
    after_fill = names("after_fill")
    assert {"fill-opacity", "evenodd", "stroke:current", "stroke:rgb", "opacity"} <= after_fill
    assert "n0" in after_fill and "fill:none" not in after_fill and "cap:round" not in after_fill
    assert names("stroke_width_value") == {f"n{i}" for i in range(1, 17)}
    assert names("arc_rotation") == {f"r{i}" for i in range(180)}
    # A small first scalar in a delta forces a large second one: the pair token was the spelling.
    assert names("pair1_y_big") == {f"n{i}" for i in range(-32, 33) if abs(i) > 2}
    assert names("end") == set()
    # A canvas has its longer side on the grid: a narrow one is as tall as the grid, a full-width one shorter.
    assert names("canvas_h_grid") == {"n16"}
    assert names("canvas_h_short") == {f"n{i}" for i in range(1, 16)}


def test_only_canonical_canvases_are_accepted():
    v = AtomicVocab(grid=16, pair_radius=2)
    g = Grammar(v)
    program = lambda w, h: [v.id("<svg>"), v.scalar(w), v.scalar(h), v.id("</svg>")]  # noqa: E731
    assert g.accepts(program(16, 9)) and g.accepts(program(9, 16))
    assert not g.accepts(program(9, 8)) and not g.accepts(program(16, 16))


def test_allowed_and_step_are_batched_and_pure():
    g = Grammar(AtomicVocab(grid=16, pair_radius=2))
    states = np.array([START, STATE["units"], END])
    before = states.copy()
    masks = g.allowed(states)
    assert masks.shape == (3, g.size) and masks.dtype == bool
    assert (states == before).all()
    tokens = np.array([g.vocab.id("<svg>"), g.vocab.id("z"), g.vocab.id("z")])
    assert g.step(states, tokens).tolist() == [STATE["canvas"], STATE["units"], -1]


def test_broken_sequences_are_rejected(tokenizer, grammar):
    ids = tokenizer.encode('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><path d="M1 1h4v4z"/></svg>').ids
    assert grammar.accepts(ids)
    assert not grammar.accepts(ids[:-1])
    assert not grammar.accepts(ids + ids[-1:])
    assert not grammar.accepts([ids[0], ids[-2], *ids[1:]])
    assert not grammar.accepts([ids[0], tokenizer.vocab_size + 5])


def random_walk(grammar: Grammar, rng: np.random.Generator, max_len: int = 120) -> list[int]:
    """Sample allowed tokens uniformly; past max_len, close the document as soon as the grammar lets us."""
    closing = {grammar.vocab.id("</svg>")}
    state, ids = START, []
    while state != END:
        allowed = np.flatnonzero(grammar.allowed(np.array([state]))[0])
        ending = [t for t in allowed if t in closing] if len(ids) > max_len else []
        token = int(ending[0] if ending else rng.choice(allowed))
        ids.append(token)
        state = int(grammar.table[state, token])
    return ids


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_walks_decode_to_svg_that_parses_and_renders(tokenizer, grammar, seed):
    ids = random_walk(grammar, np.random.default_rng(seed))
    assert grammar.accepts(ids)
    svg = tokenizer.decode(ids)
    parse(svg)
    assert render(svg, 32).shape == (32, 32, 3)
