"""The token grammar: a finite-state machine whose every accepted sequence decodes to drawable SVG.

States are small integers and the machine is one table, ``table[state, token] → next state`` (−1 where
the token is not allowed), built once from the vocabulary. The allowed next tokens for a whole batch
are ``table[states] >= 0``: one gather per step, which is what constrained sampling needs.

The grammar follows :mod:`svgtok.atomic` exactly: canvas, document opacity, then paths, each with its
paint attributes in their fixed order, a start point, and units; a segment token stands wherever a
unit may start. It is also canonical where that is cheap: a canvas has its longer side on the grid (and
the full square is never spelled), and a delta spelled as two scalars must not fit a pair token.
"""

from __future__ import annotations

import numpy as np

from svgtok.atomic import ARCS, AtomicVocab
from svgtok.segments import SegmentVocab

_STATE_NAMES = (
    "start", "canvas", "canvas_h_grid", "canvas_h_short", "doc", "doc_opacity", "body", "end",
    "fill", "fill_r", "fill_g", "fill_b", "after_fill", "fill_opacity", "after_fill_opacity",
    "after_rule", "stroke_r", "stroke_g", "stroke_b", "stroke_width", "stroke_width_value",
    "after_width", "stroke_opacity", "after_stroke_opacity", "after_cap", "after_stroke",
    "path_opacity", "start_x", "start_y", "units", "arc_rx", "arc_ry", "arc_rotation", "arc_r",
    "scalar_arg", "pair3", "pair3_y_big", "pair3_y_any", "pair2", "pair2_y_big", "pair2_y_any",
    "pair1", "pair1_y_big", "pair1_y_any",
)  # fmt: skip
STATE = {name: i for i, name in enumerate(_STATE_NAMES)}
START, END = STATE["start"], STATE["end"]
# An optional paint step may be skipped: the state then also accepts what its successor accepts.
# Listed so that each successor is complete before it is copied.
_SKIPS = (
    ("after_stroke", "start_x"),
    ("after_cap", "after_stroke"),
    ("after_stroke_opacity", "after_cap"),
    ("after_width", "after_stroke_opacity"),
    ("after_rule", "after_stroke"),
    ("after_fill_opacity", "after_rule"),
    ("after_fill", "after_fill_opacity"),
)
_UNIT_PAIRS = {"m": 1, "l": 1, "t": 1, "s": 2, "q": 2, "c": 3}


class Grammar:
    """The token grammar over an atomic vocabulary and, optionally, its segment tokens.

    Args:
        vocab: the atomic vocabulary.
        segments: the segment vocabulary; its tokens are allowed wherever a unit may start.

    Example:
        >>> g = Grammar(AtomicVocab(grid=16, pair_radius=2))
        >>> g.accepts([g.vocab.id("<svg>"), g.vocab.id("</svg>")])
        True
    """

    def __init__(self, vocab: AtomicVocab, segments: SegmentVocab | None = None):
        self.vocab = vocab
        self.size = segments.size if segments is not None else len(vocab)
        self.table = np.full((len(_STATE_NAMES), self.size), -1, dtype=np.int16)
        v = vocab

        def on(state: str, tokens, target: str) -> None:
            self.table[STATE[state], tokens] = STATE[target]

        def scalars(low: int, high: int) -> slice:
            return slice(v.scalar(max(low, -v.scalar_bound)), v.scalar(min(high, v.scalar_bound)) + 1)

        channels = slice(v.channel0, v.channel0 + 256)
        percents = slice(v.percent0, v.percent0 + 101)
        any_scalar = scalars(-v.scalar_bound, v.scalar_bound)

        # Document: <svg> [width height] [opacity %] paths </svg>
        on("start", v.id("<svg>"), "canvas")
        # A canvas has its longer side on the grid, and the full square is left out.
        on("canvas", scalars(1, v.grid - 1), "canvas_h_grid")
        on("canvas_h_grid", v.scalar(v.grid), "doc")
        on("canvas", v.scalar(v.grid), "canvas_h_short")
        on("canvas_h_short", scalars(1, v.grid - 1), "doc")
        for state in ("canvas", "doc"):
            on(state, v.id("opacity"), "doc_opacity")
        on("doc_opacity", percents, "body")
        for state in ("canvas", "doc", "body", "units"):
            on(state, v.id("<path>"), "fill")
            on(state, v.id("</svg>"), "end")

        # Paint, in the fixed order of svgtok.atomic._paint_ids.
        on("fill", [v.id("fill:none"), v.id("fill:current")], "after_fill")
        on("fill", v.id("fill:rgb"), "fill_r")
        on("fill_r", channels, "fill_g")
        on("fill_g", channels, "fill_b")
        on("fill_b", channels, "after_fill")
        on("after_fill", v.id("fill-opacity"), "fill_opacity")
        on("fill_opacity", percents, "after_fill_opacity")
        on("after_fill_opacity", v.id("evenodd"), "after_rule")
        on("after_rule", v.id("stroke:current"), "stroke_width")
        on("after_rule", v.id("stroke:rgb"), "stroke_r")
        on("stroke_r", channels, "stroke_g")
        on("stroke_g", channels, "stroke_b")
        on("stroke_b", channels, "stroke_width")
        on("stroke_width", v.id("stroke-width"), "stroke_width_value")
        on("stroke_width_value", scalars(1, v.grid), "after_width")
        on("after_width", v.id("stroke-opacity"), "stroke_opacity")
        on("stroke_opacity", percents, "after_stroke_opacity")
        on("after_stroke_opacity", [v.id("cap:round"), v.id("cap:square")], "after_cap")
        on("after_cap", [v.id("join:round"), v.id("join:bevel")], "after_stroke")
        on("after_stroke", v.id("opacity"), "path_opacity")
        on("path_opacity", percents, "start_x")
        on("start_x", any_scalar, "start_y")
        on("start_y", any_scalar, "units")

        # Units: a command and its arguments; segment tokens are whole units.
        on("units", v.id("z"), "units")
        on("units", [v.id("h"), v.id("v")], "scalar_arg")
        on("scalar_arg", any_scalar, "units")
        for command, pairs in _UNIT_PAIRS.items():
            on("units", v.id(command), f"pair{pairs}")
        for arc in ARCS:
            on("units", v.id(arc), "arc_rx" if arc[0] == "a" else "arc_r")
        on("arc_rx", scalars(0, v.scalar_bound), "arc_ry")
        on("arc_ry", scalars(0, v.scalar_bound), "arc_rotation")
        on("arc_rotation", slice(v.rotation0, v.scalar0), "pair1")
        on("arc_r", scalars(0, v.scalar_bound), "pair1")
        if segments is not None:
            on("units", slice(len(v), segments.size), "units")

        # A delta: one pair token, or two scalars of which at least one is too large for a pair.
        r = v.pair_radius
        for k in (1, 2, 3):
            after = "units" if k == 1 else f"pair{k - 1}"
            on(f"pair{k}", slice(v.pair0, v.pair_end), after)
            on(f"pair{k}", scalars(-r, r), f"pair{k}_y_big")
            on(f"pair{k}", scalars(-v.scalar_bound, -r - 1), f"pair{k}_y_any")
            on(f"pair{k}", scalars(r + 1, v.scalar_bound), f"pair{k}_y_any")
            on(f"pair{k}_y_big", scalars(-v.scalar_bound, -r - 1), after)
            on(f"pair{k}_y_big", scalars(r + 1, v.scalar_bound), after)
            on(f"pair{k}_y_any", any_scalar, after)

        for state, successor in _SKIPS:
            row, fallback = self.table[STATE[state]], self.table[STATE[successor]]
            self.table[STATE[state]] = np.where(row >= 0, row, fallback)

    def allowed(self, states: np.ndarray) -> np.ndarray:
        """Boolean masks of the tokens allowed next. Shape: states ``(B,)`` → masks ``(B, V)``."""
        return self.table[states] >= 0

    def step(self, states: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """The states after each row takes its token; −1 where the token was not allowed. Shape ``(B,)``."""
        return self.table[states, tokens].astype(np.int64)

    def accepts(self, ids: list[int]) -> bool:
        """True when the whole sequence is a complete program (it ends in the final state)."""
        state = START
        for token in ids:
            if not 0 <= token < self.size:
                return False
            state = int(self.table[state, token])
            if state < 0:
                return False
        return state == END
