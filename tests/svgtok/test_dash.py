"""Dashed strokes cut into their dashes: lengths, pattern rules, closed subpaths, the cap, and renders."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svgtok import normalize
from svgtok.dash import dash, dash_array, dash_offset, path_length
from svgtok.flatten import MAX_DASHED_COMMANDS
from svgtok.metrics import ssim
from svgtok.pathdata import parse_path
from svgtok.render import render

LINE = parse_path("M0 0H10")
SQUARE = parse_path("M0 0H10V10H0Z")
CIRCLE = parse_path("M20 10A10 10 0 1 0 0 10A10 10 0 1 0 20 10Z")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">{}</svg>'


def pieces(commands: list) -> list[list]:
    """Dashed output split into its subpaths."""
    out: list[list] = []
    for cmd in commands:
        if cmd[0] == "M":
            out.append([])
        out[-1].append(cmd)
    return out


def rounded(commands: list) -> list:
    return [(c[0], *(round(v, 9) + 0.0 for v in c[1:])) for c in commands]


def test_dash_lengths_on_a_line_add_up() -> None:
    out = dash(LINE, [3.0, 1.0], 0.0, 100)
    assert [path_length(p) for p in pieces(out)] == pytest.approx([3, 3, 2])


def _on_length(array: list[float], offset: float, length: float) -> float:
    """How much of ``[0, length]`` the pattern, started ``offset`` into it, has on."""

    def on_before(x: float) -> float:
        periods, rest = divmod(x, sum(array))
        on = periods * sum(array[::2])
        for i, entry in enumerate(array):
            on += min(rest, entry) if i % 2 == 0 else 0.0
            rest = max(rest - entry, 0.0)
        return on

    return on_before(offset + length) - on_before(offset)


@pytest.mark.parametrize(("array", "offset"), [([2.0, 3.0], 0.0), ([1.5, 0.5, 4.0, 1.0], 2.25), ([5.0, 5.0], -7.0)])
def test_dash_lengths_on_a_circle_add_up(array: list[float], offset: float) -> None:
    total = sum(path_length(p) for p in pieces(dash(CIRCLE, array, offset, 1000)))
    assert total == pytest.approx(_on_length(array, offset, 2 * math.pi * 10), rel=1e-9)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    points=st.lists(st.tuples(st.integers(-50, 50), st.integers(-50, 50)), min_size=2, max_size=6),
    array=st.lists(st.floats(0.25, 8.0), min_size=1, max_size=5),
    offset=st.floats(-20.0, 20.0),
)
def test_dash_lengths_on_polylines_add_up(points: list, array: list[float], offset: float) -> None:
    """Across the corners of an open polyline, the dashes' lengths add up to the pattern's 'on' length."""
    commands = [("M", *map(float, points[0])), *(("L", *map(float, p)) for p in points[1:])]
    array = dash_array(" ".join(map(repr, array)), 24.0)
    out = dash(commands, array, offset, 10_000)
    total = sum(path_length(p) for p in pieces(out))
    assert total == pytest.approx(_on_length(array, offset, path_length(commands)), abs=1e-6)


def test_cubic_pieces_lie_on_the_curve_and_add_up() -> None:
    curve = parse_path("M0 0C10 20 20 -20 30 0")
    out = dash(curve, [2.0, 1.0], 0.0, 100)
    total = path_length(curve)
    full, rest = divmod(total, 3.0)
    assert sum(path_length(p) for p in pieces(out)) == pytest.approx(2 * full + min(rest, 2.0), rel=1e-9)
    # the second dash starts 3 units along the curve, against a fine polyline of the curve
    t = np.linspace(0, 1, 200_001)[:, None]
    p = np.array([(0, 0), (10, 20), (20, -20), (30, 0)], float)
    xy = (1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1] + 3 * (1 - t) * t**2 * p[2] + t**3 * p[3]
    s = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    expected = (np.interp(3.0, s, xy[:, 0]), np.interp(3.0, s, xy[:, 1]))
    assert pieces(out)[1][0][1:] == pytest.approx(expected, abs=1e-6)


def test_the_pattern_runs_on_across_segments() -> None:
    out = dash(parse_path("M0 0H5V5"), [3.0, 1.0], 0.0, 100)
    assert rounded(pieces(out)[1]) == [("M", 4.0, 0.0), ("L", 5.0, 0.0), ("L", 5.0, 2.0)]


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(1.0, [(0, 3), (5, 9)]), (-1.0, [(1, 5), (7, 10)]), (7.0, [(0, 3), (5, 9)]), (4.0, [(2, 6), (8, 10)])],
)
def test_offset_shifts_the_pattern(offset: float, expected: list) -> None:
    out = dash(LINE, [4.0, 2.0], offset, 100)
    assert [(p[0][1], p[-1][-2]) for p in map(rounded, pieces(out))] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 2 3", [1, 2, 3, 1, 2, 3]),
        ("4,2", [4, 2]),
        ("4px 2", [4, 2]),
        ("50%", [12, 12]),
        ("1in", [96, 96]),
        ("0 3", [0, 3]),
        ("none", None),
        ("0 0", None),
        ("0", None),
        ("-1 2", None),
        ("2 bogus", None),
        ("2em", None),
        ("", None),
    ],
)
def test_dash_array_rules(value: str, expected: list | None) -> None:
    assert dash_array(value, 24.0) == expected


def test_dash_offset_reads_lengths() -> None:
    assert (dash_offset("-3", 24), dash_offset("50%", 24), dash_offset("x", 24)) == (-3.0, 12.0, 0.0)


def test_closed_subpath_joins_the_dash_through_its_start() -> None:
    out = pieces(dash(SQUARE, [6.0, 4.0], 2.0, 100))
    assert rounded(out[0]) == [("M", 0.0, 2.0), ("L", 0.0, 0.0), ("L", 4.0, 0.0)]
    assert len(out) == 4


def test_closed_subpath_with_a_gap_at_its_start_is_not_joined() -> None:
    out = pieces(dash(SQUARE, [6.0, 4.0], 0.0, 100))
    assert [rounded(p)[0] for p in out] == [("M", 0.0, 0.0), ("M", 10.0, 0.0), ("M", 10.0, 10.0), ("M", 0.0, 10.0)]


def test_one_dash_over_a_closed_subpath_keeps_it_closed() -> None:
    assert dash(SQUARE, [82.0, 82.0], 0.0, 100) == [*SQUARE[:-1], ("L", 0.0, 0.0), ("Z",)]


def test_each_subpath_restarts_the_pattern() -> None:
    out = dash(parse_path("M0 0H10M0 5H10"), [3.0, 1.0], 0.0, 100)
    starts = [("M", x, y) for y in (0.0, 5.0) for x in (0.0, 4.0, 8.0)]
    assert [p[0] for p in pieces(out)] == starts


def test_zero_length_dashes_are_dots() -> None:
    out = pieces(dash(LINE, [0.0, 5.0], 0.0, 100))
    assert out == [[("M", x, 0.0), ("L", x, 0.0)] for x in (0.0, 5.0, 10.0)]


def test_touching_dashes_merge() -> None:
    """openmoji's ``0 6.735 0 0 0 0``: three zero dashes at one place are one dot."""
    out = pieces(dash(LINE, dash_array("0 4 0 0 0 0", 24), 0.0, 100))
    assert [p[0][1] for p in out] == [0.0, 4.0, 8.0]


def test_the_cap_gives_up() -> None:
    assert dash(LINE, [0.001, 0.001], 0.0, 2_000) is None
    assert dash(parse_path("M0 0H1e9"), [1e-300, 1.0], 0.0, 2_000) is None


def test_hostile_dashes_are_dropped_fast() -> None:
    before = SVG.format("<path d='M0 0H1e7' stroke='red' stroke-dasharray='0.0001'/>" * 5)
    start = time.perf_counter()
    result = normalize(before, grid=24)
    assert time.perf_counter() - start < 2.0
    assert any("stroke-dasharray" in entry for entry in result.dropped)
    assert result.svg.count("<path") == 5  # solid instead


def test_too_many_dashes_along_the_chords_measure_no_curve(monkeypatch: pytest.MonkeyPatch) -> None:
    def measure(curve):
        raise AssertionError("a curve was measured")

    monkeypatch.setattr("svgtok.dash._measure", measure)
    assert dash(parse_path("M0 0" + "c1 2 3 -2 4 0" * 5_000), [1.0, 1.0], 0.0, 2_000) is None


def test_a_dashed_path_of_too_many_commands_stays_solid(monkeypatch: pytest.MonkeyPatch) -> None:
    def measure(curve):
        raise AssertionError("a curve was measured")

    monkeypatch.setattr("svgtok.dash._measure", measure)
    d = "M0 12" + "c1 2 3 -2 4 0" * (MAX_DASHED_COMMANDS + 1)
    result = normalize(SVG.format(f"<path d='{d}' fill='none' stroke='red' stroke-dasharray='50 50'/>"), grid=24)
    assert result.dropped == [f"stroke-dasharray (a path of more than {MAX_DASHED_COMMANDS:,} commands)"]


def test_dashes_are_measured_before_the_transform() -> None:
    before = SVG.format("<path d='M0 1H10' stroke='red' stroke-dasharray='2' transform='scale(2 1)'/>")
    result = normalize(before, grid=24)
    assert result.dropped == []
    assert "M0 1h4m4 0h4m4 0h4" in result.svg


def test_path_length_scales_the_pattern() -> None:
    before = SVG.format("<path d='M0 1H20' pathLength='10' stroke='red' stroke-dasharray='2 3'/>")
    assert 'd="M0 1h4m6 0h4"' in normalize(before, grid=24).svg


def test_clip_path_content_is_not_dashed() -> None:
    clipped = "<clipPath id='c'><rect width='12' height='24' stroke='#000' stroke-dasharray='1'/></clipPath>"
    plain = "<clipPath id='c'><rect width='12' height='24'/></clipPath>"
    rect = "<rect width='24' height='24' clip-path='url(#c)'/>"
    assert normalize(SVG.format(clipped + rect)).svg == normalize(SVG.format(plain + rect)).svg


RENDERS = [
    pytest.param("<path d='M2 12h20' stroke='#c00' stroke-width='2' stroke-dasharray='3 2'/>", id="line"),
    pytest.param(
        "<circle cx='12' cy='12' r='10' fill='none' stroke='#00c' stroke-width='2' stroke-dasharray='5 2 1'"
        " stroke-dashoffset='3'/>",
        id="circle-odd-offset",
    ),
    pytest.param(
        "<path d='M3 20C3 4 21 4 21 20' fill='none' stroke='#0a0' stroke-width='2' stroke-linecap='round'"
        " stroke-dasharray='0 3'/>",
        id="cubic-dots",
    ),
    pytest.param(
        "<rect x='3' y='3' width='18' height='18' rx='3' fill='#fc0' stroke='#000' stroke-width='1.5'"
        " stroke-linejoin='round' stroke-dasharray='7 3' stroke-dashoffset='2'/>",
        id="filled-rounded-rect-joined",
    ),
    pytest.param(
        "<g transform='rotate(30 12 12) scale(1.5)'><path d='M2 8h12' stroke='#909' stroke-dasharray='2 1'/></g>",
        id="transformed",
    ),
    pytest.param(
        "<g stroke='#000' stroke-width='2' stroke-dasharray='5%'><path d='M2 4h20M2 9h20'/></g>", id="inherited"
    ),
]


@pytest.mark.parametrize("body", RENDERS)
def test_dashed_icons_render_like_the_original(body: str, tokenizer) -> None:
    svg = SVG.format(body)
    decoded = tokenizer.decode(tokenizer.encode(svg).ids)
    score = ssim(render(svg), render(decoded))
    assert score >= 0.98, (score, decoded)
    assert tokenizer.normalize(svg).dropped == []
