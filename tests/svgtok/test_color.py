"""CSS colors (CSS Color 4) to canonical paints: ``None``, ``"currentColor"`` or ``#rrggbb``, plus alpha."""

from __future__ import annotations

import colorsys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svgtok.color import NAMED_COLORS, mix, parse_color

COLORS = [
    (None, None),
    ("none", (None, 1.0)),
    ("transparent", (None, 1.0)),
    ("currentColor", ("currentColor", 1.0)),
    ("CURRENTCOLOR", ("currentColor", 1.0)),
    # Hex: 3, 4, 6 and 8 digits; case and surrounding space do not matter.
    ("#abc", ("#aabbcc", 1.0)),
    ("#ABC", ("#aabbcc", 1.0)),
    ("#abcd", ("#aabbcc", 0xDD / 255)),
    ("#a1b2c3", ("#a1b2c3", 1.0)),
    ("#A1B2C3", ("#a1b2c3", 1.0)),
    ("#a1b2c380", ("#a1b2c3", 0x80 / 255)),
    ("  #abc  ", ("#aabbcc", 1.0)),
    # Names (CSS Color 4, 6.1), case-insensitive.
    ("red", ("#ff0000", 1.0)),
    ("  Red ", ("#ff0000", 1.0)),
    ("RebeccaPurple", ("#663399", 1.0)),
    ("grey", ("#808080", 1.0)),
    ("gray", ("#808080", 1.0)),
    # rgb() and rgba(): numbers, percentages, commas or spaces, a slash before alpha; out-of-range clamps.
    ("rgb(255, 0, 0)", ("#ff0000", 1.0)),
    ("rgb( 1 , 2 , 3 )", ("#010203", 1.0)),
    ("RGB(1,2,3)", ("#010203", 1.0)),
    ("rgb(1 2 3)", ("#010203", 1.0)),
    ("rgb(100%, 50%, 0%)", ("#ff8000", 1.0)),  # 127.5 rounds to 128
    ("rgb(10%,20%,30%)", ("#1a334c", 1.0)),
    ("rgb(127.5, 0, 0)", ("#800000", 1.0)),
    ("rgb(1e2, 0, 0)", ("#640000", 1.0)),
    ("rgb(300, -5, 0)", ("#ff0000", 1.0)),
    ("rgba(0, 0, 255, 0.25)", ("#0000ff", 0.25)),
    ("rgba(0, 0, 255, 25%)", ("#0000ff", 0.25)),
    ("rgb(0 0 255 / 50%)", ("#0000ff", 0.5)),
    ("rgba(0, 0, 0, 2)", ("#000000", 1.0)),
    ("rgba(0, 0, 0, -1)", ("#000000", 0.0)),
    # hsl() and hsla(): hue in degrees (any turn), saturation and lightness in percent.
    ("hsl(0, 100%, 50%)", ("#ff0000", 1.0)),
    ("hsl(120, 100%, 50%)", ("#00ff00", 1.0)),
    ("hsl(240deg 100% 25%)", ("#000080", 1.0)),
    ("hsl(-120, 100%, 50%)", ("#0000ff", 1.0)),
    ("hsl(480, 100%, 50%)", ("#00ff00", 1.0)),
    ("hsl(0, 0%, 50%)", ("#808080", 1.0)),
    ("hsl(120 50% 50% / .5)", ("#40bf40", 0.5)),
    ("hsla(0, 100%, 50%, 0.5)", ("#ff0000", 0.5)),
    # Not colors svgtok understands: the caller decides (normalize lists them as dropped).
    ("#", None),
    ("#ab", None),
    ("#abcde", None),
    ("#abcdeff", None),
    ("#ggg", None),
    ("bogus", None),
    ("inherit", None),
    ("url(#a)", None),
    ("rgb(1, 2)", None),
    ("rgb(1, 2, 3, 4, 5)", None),
    ("rgb(a, b, c)", None),
    ("rgb(1,2,3))", None),
    ("hsl(.5turn, 100%, 50%)", None),
    ("rgb(nan, 0, 0)", None),
    ("rgb(inf, 0, 0)", None),
    ("rgb(1e400, 0, 0)", None),
    ("hsl(nan, 50%, 50%)", None),
    ("rgba(0, 0, 0, nan)", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), COLORS, ids=[repr(t) for t, _ in COLORS])
def test_parse_color(text: str | None, expected: tuple | None) -> None:
    got = parse_color(text)
    if expected is None:
        assert got is None
    else:
        assert got[0] == expected[0]
        assert got[1] == pytest.approx(expected[1])


def test_named_colors_are_the_148_of_css_color_4() -> None:
    assert len(NAMED_COLORS) == 148
    assert all(len(v) == 6 and int(v, 16) >= 0 for v in NAMED_COLORS.values())
    assert "transparent" not in NAMED_COLORS and "currentcolor" not in NAMED_COLORS


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)))
def test_rgb_and_hex_agree(rgb: tuple[int, int, int]) -> None:
    hex_color = "#{:02x}{:02x}{:02x}".format(*rgb)
    assert parse_color("rgb({}, {}, {})".format(*rgb)) == (hex_color, 1.0)
    assert parse_color(hex_color.upper()) == (hex_color, 1.0)
    assert parse_color(hex_color + "ff") == (hex_color, 1.0)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.integers(0, 359), st.integers(0, 100), st.integers(0, 100))
def test_hsl_matches_the_css_formula(h: int, s: int, lightness: int) -> None:
    """CSS Color 4, 7.1: hsl() is HLS with hue in degrees; compare channels within rounding."""
    paint, _ = parse_color(f"hsl({h}, {s}%, {lightness}%)")
    got = [int(paint[i : i + 2], 16) for i in (1, 3, 5)]
    want = [c * 255 for c in colorsys.hls_to_rgb(h / 360, lightness / 100, s / 100)]
    assert all(abs(g - w) <= 0.5 + 1e-9 for g, w in zip(got, want, strict=True))


@pytest.mark.parametrize(
    ("colors", "expected"),
    [
        ([("#123456", 1.0)], "#123456"),
        ([("#ff0000", 1.0), ("#0000ff", 1.0)], "#800080"),
        ([("#000000", 3.0), ("#ffffff", 1.0)], "#404040"),
        ([("#ff0000", 1.0), ("#00ff00", 0.0)], "#ff0000"),
    ],
)
def test_mix(colors: list[tuple[str, float]], expected: str) -> None:
    assert mix(colors) == expected
