"""Path data parsing (SVG 1.1, 8.3): every command comes out absolute as M, L, C, Q, A or Z."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svgtok import SVGError
from svgtok.pathdata import parse_path

PARSES = [
    ("", []),
    ("  \n", []),
    ("M1 2h3v4z", [("M", 1, 2), ("L", 4, 2), ("L", 4, 6), ("Z",)]),
    # Extra pairs after a move are line-tos, relative after m (8.3.2).
    ("M1 2 3 4 5 6", [("M", 1, 2), ("L", 3, 4), ("L", 5, 6)]),
    ("m1 2 3 4", [("M", 1, 2), ("L", 4, 6)]),
    ("M1 1l2 2L5 7l1 1", [("M", 1, 1), ("L", 3, 3), ("L", 5, 7), ("L", 6, 8)]),
    ("M1 1H5V7h-1v-2", [("M", 1, 1), ("L", 5, 1), ("L", 5, 7), ("L", 4, 7), ("L", 4, 5)]),
    ("M1 1h1 2 3", [("M", 1, 1), ("L", 2, 1), ("L", 4, 1), ("L", 7, 1)]),
    # After z the current point is the subpath's start, so a relative move or line starts from there.
    ("M10 10h5v5zm1 1h1", [("M", 10, 10), ("L", 15, 10), ("L", 15, 15), ("Z",), ("M", 11, 11), ("L", 12, 11)]),
    ("M10 10h5zl1 1", [("M", 10, 10), ("L", 15, 10), ("Z",), ("L", 11, 11)]),
    ("m1 1zm1 1z", [("M", 1, 1), ("Z",), ("M", 2, 2), ("Z",)]),
    # S reflects the previous C's second control point about the current point (8.3.6).
    ("M0 0C1 2 3 4 5 5S9 8 10 10", [("M", 0, 0), ("C", 1, 2, 3, 4, 5, 5), ("C", 7, 6, 9, 8, 10, 10)]),
    ("M0 0c1 2 3 4 5 5s4 3 5 5", [("M", 0, 0), ("C", 1, 2, 3, 4, 5, 5), ("C", 7, 6, 9, 8, 10, 10)]),
    (
        "M0 0C1 2 3 4 5 5S9 8 10 10 14 12 15 15",
        [("M", 0, 0), ("C", 1, 2, 3, 4, 5, 5), ("C", 7, 6, 9, 8, 10, 10), ("C", 11, 12, 14, 12, 15, 15)],
    ),
    # S after anything but C or S, and T after anything but Q or T, take the current point as control.
    ("M0 0L5 5S8 8 10 10", [("M", 0, 0), ("L", 5, 5), ("C", 5, 5, 8, 8, 10, 10)]),
    ("M0 0Q1 1 2 2S4 4 5 5", [("M", 0, 0), ("Q", 1, 1, 2, 2), ("C", 2, 2, 4, 4, 5, 5)]),
    ("M0 0Q5 5 10 0T20 0", [("M", 0, 0), ("Q", 5, 5, 10, 0), ("Q", 15, -5, 20, 0)]),
    ("M0 0Q5 5 10 0t10 0t10 0", [("M", 0, 0), ("Q", 5, 5, 10, 0), ("Q", 15, -5, 20, 0), ("Q", 25, 5, 30, 0)]),
    ("M0 0L5 5T10 10", [("M", 0, 0), ("L", 5, 5), ("Q", 5, 5, 10, 10)]),
    ("M0 0C1 1 2 2 3 3T6 6", [("M", 0, 0), ("C", 1, 1, 2, 2, 3, 3), ("Q", 3, 3, 6, 6)]),
    ("M0 0q1 2 3 4", [("M", 0, 0), ("Q", 1, 2, 3, 4)]),
    ("M0 0A5 5 0 1 0 10 0", [("M", 0, 0), ("A", 5, 5, 0, 1, 0, 10, 0)]),
    ("M1 1a2 3 30 1 1 4 5", [("M", 1, 1), ("A", 2, 3, 30, 1, 1, 5, 6)]),
    # Flags are single digits, so they need no separators (8.3.9): "012 2" is 0, 1, 2 2.
    ("M0 0a2 2 0 012 2", [("M", 0, 0), ("A", 2, 2, 0, 0, 1, 2, 2)]),
    ("M0 0a2 2 0 11.5.5", [("M", 0, 0), ("A", 2, 2, 0, 1, 1, 0.5, 0.5)]),
    ("M0 0a2,2,0,1,0,2,2", [("M", 0, 0), ("A", 2, 2, 0, 1, 0, 2, 2)]),
    ("M0 0a1 1 0 0 1 2 0 1 1 0 0 1 2 0", [("M", 0, 0), ("A", 1, 1, 0, 0, 1, 2, 0), ("A", 1, 1, 0, 0, 1, 4, 0)]),
    ("M0 0A-5 -3 0 0 1 10 0", [("M", 0, 0), ("A", 5, 3, 0, 0, 1, 10, 0)]),  # F.6.6: radii are |r|
    # Number syntax: a sign or a second dot starts a new number; exponents; any whitespace or commas.
    ("M.5.5", [("M", 0.5, 0.5)]),
    ("M-1-2", [("M", -1, -2)]),
    ("M1e2-3E-1", [("M", 100, -0.3)]),
    ("M+1,+2", [("M", 1, 2)]),
    ("M1,2,3,4", [("M", 1, 2), ("L", 3, 4)]),
    ("\t M 1 \n 2 , L 3\r\n4 ", [("M", 1, 2), ("L", 3, 4)]),
]


@pytest.mark.parametrize(("d", "expected"), PARSES, ids=[d or "empty" for d, _ in PARSES])
def test_parse_path(d: str, expected: list[tuple]) -> None:
    assert parse_path(d) == expected


def test_parse_path_returns_floats_and_int_flags() -> None:
    (_, arc) = parse_path("M0 0A5 5 0 1 0 10 0")
    assert all(type(v) is float for v in (*arc[1:4], *arc[6:]))
    assert all(type(v) is int for v in arc[4:6])


ERRORS = [
    ("1 2", "must start with a command letter"),
    ("L1 2", "must start with M or m"),
    ("z", "must start with M or m"),
    ("M1", "multiple of 2 numbers but got 1"),
    ("M1 2 3", "multiple of 2 numbers but got 3"),
    ("M1 2L", "multiple of 2 numbers but got 0"),
    ("M0 0C1 2 3 4 5", "multiple of 6 numbers"),
    ("M0 0A1 1 0 0 1 2", "multiple of 7 numbers"),
    ("M1 2z3", "takes no numbers"),
    ("M1 2LNaN 3", "unexpected 'N' after command 'L' at character 4"),  # the a of NaN is an arc
    ("M1 2Linf 3", "unexpected"),
    ("M1 2L1e999 3", "not a finite number"),
    ("M0 0A1 1 0 2 0 3 3", "unexpected"),  # a flag must be 0 or 1
    ("M1 2 X3", "unexpected 'X3'"),
    ("M1px 2", "unexpected 'px 2'"),
    ("M1 2 #", "unexpected"),
]


@pytest.mark.parametrize(("d", "message"), ERRORS, ids=[d for d, _ in ERRORS])
def test_parse_path_errors(d: str, message: str) -> None:
    with pytest.raises(SVGError, match=message.replace("(", r"\(")):
        parse_path(d)


# Random valid path data, written both absolute and relative: the parser must recover the same absolute
# points the generator drew.
coordinate = st.integers(-500, 500).map(lambda v: v / 4)
segment = st.one_of(
    st.tuples(st.just("M"), coordinate, coordinate),
    st.tuples(st.just("L"), coordinate, coordinate),
    st.tuples(st.just("H"), coordinate),
    st.tuples(st.just("V"), coordinate),
    st.tuples(st.just("C"), *[coordinate] * 6),
    st.tuples(st.just("Q"), *[coordinate] * 4),
    st.tuples(
        st.just("A"),
        coordinate.map(abs),
        coordinate.map(abs),
        st.integers(0, 359).map(float),
        st.integers(0, 1),
        st.integers(0, 1),
        coordinate,
        coordinate,
    ),
    st.tuples(st.just("Z")),
)


def _number(value: float, previous: str) -> str:
    """A number as tightly as the grammar allows: no separator before a sign."""
    text = f"{value:g}"
    return text if text.startswith("-") or not previous else f" {text}"


def _write(segments: list[tuple], relative: list[bool]) -> tuple[str, list[tuple]]:
    """Path data for ``segments`` (absolute) written with the chosen relative letters, and the absolute
    commands the parser should return."""
    d, expected = ["M0 0"], [("M", 0.0, 0.0)]
    x = y = sx = sy = 0.0
    for seg, rel in zip(segments, relative, strict=True):
        op, args = seg[0], list(seg[1:])
        if op == "Z":
            d.append("z" if rel else "Z")
            expected.append(("Z",))
            x, y = sx, sy
            continue
        if op == "H":
            shown, end = [args[0] - x if rel else args[0]], (args[0], y)
            expected.append(("L", *end))
        elif op == "V":
            shown, end = [args[0] - y if rel else args[0]], (x, args[0])
            expected.append(("L", *end))
        elif op == "A":
            end = (args[5], args[6])
            shown = args[:5] + ([args[5] - x, args[6] - y] if rel else args[5:])
            expected.append(("A", *args))
        else:
            offsets = [x, y] * (len(args) // 2) if rel else [0.0] * len(args)
            shown = [a - o for a, o in zip(args, offsets, strict=True)]
            end = (args[-2], args[-1])
            expected.append((op, *args))
        text = op.lower() if rel else op
        for value in shown:
            text += _number(value, text[-1] if text[-1].isdigit() or text[-1] == "." else "")
        d.append(text)
        x, y = end
        if op == "M":
            sx, sy = x, y
    return "".join(d), expected


@st.composite
def written_paths(draw: st.DrawFn) -> tuple[str, list[tuple]]:
    segments = draw(st.lists(segment, max_size=12))
    relative = draw(st.lists(st.booleans(), min_size=len(segments), max_size=len(segments)))
    return _write(segments, relative)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(written_paths())
def test_parse_path_recovers_generated_paths(written: tuple[str, list[tuple]]) -> None:
    d, expected = written
    parsed = parse_path(d)
    assert [c[0] for c in parsed] == [c[0] for c in expected], d
    for got, want in zip(parsed, expected, strict=True):
        assert all(math.isclose(g, w, abs_tol=1e-9) for g, w in zip(got[1:], want[1:], strict=True)), d


@settings(derandomize=True, max_examples=500, deadline=None)
@given(st.text(alphabet="MmLlHhVvCcSsQqTtAaZz0123456789.-+eE ,\n", max_size=60))
def test_parse_path_raises_only_svgerror(d: str) -> None:
    try:
        commands = parse_path(d)
    except SVGError:
        commands = []
    assert all(c[0] in "MLCQAZ" for c in commands)
    assert all(math.isfinite(v) for c in commands for v in c[1:])
