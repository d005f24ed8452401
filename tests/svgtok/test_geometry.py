"""Affine transforms (SVG 1.1, 7.6) and arcs (appendix F.6): parsing, baking and arc-to-cubic conversion."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from svgtok import SVGError
from svgtok.geometry import (
    IDENTITY,
    apply,
    arc_center,
    arc_to_cubics,
    is_similarity,
    mean_scale,
    multiply,
    parse_transform,
    rotate,
    scale,
    transform_commands,
    translate,
)

SQRT_HALF = math.sqrt(0.5)

TRANSFORMS = [
    (None, IDENTITY),
    ("", IDENTITY),
    ("  ", IDENTITY),
    ("translate(10)", (1, 0, 0, 1, 10, 0)),
    ("translate(10 20)", (1, 0, 0, 1, 10, 20)),
    ("translate(10,-20)", (1, 0, 0, 1, 10, -20)),
    ("scale(2)", (2, 0, 0, 2, 0, 0)),
    ("scale(2, 3)", (2, 0, 0, 3, 0, 0)),
    ("rotate(90)", (0, 1, -1, 0, 0, 0)),
    ("rotate(45)", (SQRT_HALF, SQRT_HALF, -SQRT_HALF, SQRT_HALF, 0, 0)),
    ("rotate(90 10 10)", (0, 1, -1, 0, 20, 0)),  # keeps (10, 10) fixed
    ("rotate(-90)", (0, -1, 1, 0, 0, 0)),
    ("skewX(45)", (1, 0, 1, 1, 0, 0)),
    ("skewY(45)", (1, 1, 0, 1, 0, 0)),
    ("matrix(1 2 3 4 5 6)", (1, 2, 3, 4, 5, 6)),
    ("matrix(1,2,3,4,5,6)", (1, 2, 3, 4, 5, 6)),
    # A list applies right to left: scale first, then translate.
    ("translate(10 0) scale(2)", (2, 0, 0, 2, 10, 0)),
    ("scale(2) translate(10 0)", (2, 0, 0, 2, 20, 0)),
    ("translate(1,2),scale(2)", (2, 0, 0, 2, 1, 2)),
    ("  scale( 2 )  translate( 1 )  ", (2, 0, 0, 2, 2, 0)),
    ("scale(1e-3)", (0.001, 0, 0, 0.001, 0, 0)),
]


@pytest.mark.parametrize(("text", "expected"), TRANSFORMS, ids=[repr(t) for t, _ in TRANSFORMS])
def test_parse_transform(text: str | None, expected: tuple) -> None:
    got = parse_transform(text)
    assert got == pytest.approx(expected, abs=1e-12)


TRANSFORM_ERRORS = [
    ("scale()", "takes"),
    ("rotate(1 2)", "takes"),
    ("matrix(1 2 3)", "takes"),
    ("translate(1 2 3)", "takes"),
    ("foo(1)", "cannot read"),
    ("scale(2) junk", "cannot read"),
    ("translate(10", "cannot read"),
    ("matrix(nan 0 0 1 0 0)", "takes"),
    ("scale(1e308) scale(1e308)", "not finite"),
]


@pytest.mark.parametrize(("text", "message"), TRANSFORM_ERRORS, ids=[t for t, _ in TRANSFORM_ERRORS])
def test_parse_transform_errors(text: str, message: str) -> None:
    with pytest.raises(SVGError, match=message):
        parse_transform(text)


def test_multiply_applies_the_right_factor_first() -> None:
    m = multiply(translate(10, 0), scale(2))
    assert apply(m, 1, 1) == (12, 2)
    assert apply(multiply(scale(2), translate(10, 0)), 1, 1) == (22, 2)


def test_rotate_about_a_point_keeps_it_fixed() -> None:
    m = rotate(37, 5, -3)
    assert apply(m, 5, -3) == pytest.approx((5, -3))


@pytest.mark.parametrize(
    ("m", "expected"),
    [
        (IDENTITY, 1.0),
        (scale(2), 2.0),
        (scale(2, 8), 4.0),
        (scale(-3, 3), 3.0),
        (rotate(30), 1.0),
        ((1, 0, 1, 1, 0, 0), 1.0),  # a skew keeps area
    ],
)
def test_mean_scale(m: tuple, expected: float) -> None:
    assert mean_scale(m) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("m", "expected"),
    [
        pytest.param(IDENTITY, True, id="identity"),
        pytest.param(rotate(30), True, id="rotate"),
        pytest.param(scale(2), True, id="uniform-scale"),
        pytest.param(scale(-1, 1), True, id="reflection"),
        pytest.param(multiply(rotate(20), scale(-3, 3)), True, id="rotated-reflection"),
        pytest.param(scale(1e-6), True, id="tiny-uniform-scale"),
        pytest.param(scale(1, 2), False, id="non-uniform-scale"),
        pytest.param((1, 0, 1, 1, 0, 0), False, id="skew"),
        # A large viewBox puts a small scale in front of every transform; a non-uniform group scale
        # must still count as non-uniform.
        pytest.param(scale(1e-6, 2e-6), False, id="tiny-non-uniform-scale"),
    ],
)
def test_is_similarity(m: tuple, expected: bool) -> None:
    assert is_similarity(m) is expected


def test_arc_center_of_a_half_circle() -> None:
    center = arc_center(0, 0, ("A", 5, 5, 0, 0, 1, 10, 0))
    assert (center.cx, center.cy, center.rx, center.ry) == pytest.approx((5, 0, 5, 5))
    assert center.theta1 == pytest.approx(math.pi)
    assert center.dtheta == pytest.approx(math.pi)  # sweep 1: positive angles, through (5, -5)
    assert center.point(center.theta1 + center.dtheta / 2) == pytest.approx((5, -5))


def test_arc_center_scales_radii_that_are_too_small() -> None:
    """F.6.6: radii too small for the chord grow until the arc is a half ellipse."""
    center = arc_center(0, 0, ("A", 1, 1, 0, 0, 0, 10, 0))
    assert (center.cx, center.cy, center.rx, center.ry) == pytest.approx((5, 0, 5, 5))
    assert center.point(center.theta1 + center.dtheta / 2) == pytest.approx((5, 5))


@pytest.mark.parametrize(
    ("arc", "expected"),
    [
        (("A", 5, 5, 0, 0, 1, 0, 0), []),  # same endpoints: the arc is omitted (F.6.2)
        (("A", 0, 5, 0, 0, 1, 10, 0), [("L", 10, 0)]),  # a zero radius makes it a line
        (("A", 5, 0, 0, 0, 1, 10, 0), [("L", 10, 0)]),
    ],
)
def test_arc_to_cubics_degenerate(arc: tuple, expected: list) -> None:
    assert arc_to_cubics(0, 0, arc) == expected


def _cubic_point(p0: tuple, cubic: tuple, t: float) -> tuple[float, float]:
    (x1, y1, x2, y2, x3, y3), (x0, y0) = cubic[1:], p0
    u = 1 - t
    x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
    y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
    return x, y


def _radial_errors(x0: float, y0: float, arc: tuple, cubics: list) -> list[float]:
    """For points along each cubic, how far off the ellipse they are, relative to the larger radius."""
    c = arc_center(x0, y0, arc)
    cos_phi, sin_phi = math.cos(c.phi), math.sin(c.phi)
    errors, start = [], (x0, y0)
    for cubic in cubics:
        for t in (0.1, 0.25, 0.5, 0.75, 0.9):
            px, py = _cubic_point(start, cubic, t)
            dx, dy = px - c.cx, py - c.cy
            ux, uy = (cos_phi * dx + sin_phi * dy) / c.rx, (-sin_phi * dx + cos_phi * dy) / c.ry
            errors.append(abs(math.hypot(ux, uy) - 1))
        start = cubic[-2:]
    return errors


@pytest.mark.parametrize(
    ("arc", "pieces"),
    [
        (("A", 5, 5, 0, 0, 1, 10, 0), 2),  # half circle: two quarters
        (("A", 5, 5, 0, 1, 1, 5, 5), 3),  # three quarters
        (("A", 10, 5, 30, 0, 0, 4, 3), 1),
        (("A", 10, 5, 30, 1, 0, 4, 3), 4),
    ],
)
def test_arc_to_cubics_lands_on_the_endpoint_and_stays_on_the_ellipse(arc: tuple, pieces: int) -> None:
    cubics = arc_to_cubics(0, 0, arc)
    assert len(cubics) == pieces
    assert all(c[0] == "C" for c in cubics)
    assert cubics[-1][-2:] == arc[-2:]  # exactly, not approximately
    assert max(_radial_errors(0, 0, arc, cubics)) < 3e-4  # 0.03% of the radius


finite = st.integers(-400, 400).map(lambda v: v / 8)
radius = st.integers(0, 200).map(lambda v: v / 8)
arcs = st.tuples(
    st.just("A"),
    radius,
    radius,
    st.integers(-360, 360).map(float),
    st.integers(0, 1),
    st.integers(0, 1),
    finite,
    finite,
)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(finite, finite, arcs)
def test_arc_to_cubics_endpoints_exact(x0: float, y0: float, arc: tuple) -> None:
    cubics = arc_to_cubics(x0, y0, arc)
    if (x0, y0) == arc[-2:]:
        assert cubics == []
    else:
        assert cubics[-1][-2:] == arc[-2:]
        assert all(math.isfinite(v) for c in cubics for v in c[1:])
        if cubics[0][0] == "C":
            assert len(cubics) <= 4
            assert max(_radial_errors(x0, y0, arc, cubics)) < 3e-4


angles = st.integers(-180, 180).map(float)
factors = st.sampled_from([0.25, 0.5, 1.0, 2.0, 3.0])


@st.composite
def affines(draw: st.DrawFn, similar: bool) -> tuple:
    m = multiply(translate(draw(finite), draw(finite)), rotate(draw(angles)))
    sx = draw(factors)
    sy = sx if similar else draw(factors.filter(lambda f: f != sx))
    m = multiply(m, scale(sx * draw(st.sampled_from([1, -1])), sy))
    return multiply(m, rotate(draw(angles))) if not similar else m


def _mapped_points(m: tuple, x0: float, y0: float, arc: tuple) -> list[tuple[float, float]]:
    """Points along the original arc at a quarter, half and three quarters, mapped through ``m``."""
    c = arc_center(x0, y0, arc)
    return [apply(m, *c.point(c.theta1 + c.dtheta * t)) for t in (0.25, 0.5, 0.75)]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(affines(similar=True), finite, finite, arcs)
def test_transformed_arc_is_the_image_of_the_arc(m: tuple, x0: float, y0: float, arc: tuple) -> None:
    """Under a similarity the arc stays an arc whose points are the mapped points of the original."""
    assume(arc[1] > 0.5 and arc[2] > 0.5 and math.dist((x0, y0), arc[-2:]) > 0.5)
    out = transform_commands(m, [("M", x0, y0), arc])
    assert out[1][0] == "A"
    nx0, ny0 = out[0][1:]
    assert out[1][-2:] == pytest.approx(apply(m, *arc[-2:]))
    got = _mapped_points(IDENTITY, nx0, ny0, out[1])
    want = _mapped_points(m, x0, y0, arc)
    scale_ = mean_scale(m) * max(arc[1], arc[2])
    for p, q in zip(got, want, strict=True):
        assert math.dist(p, q) <= 1e-6 * max(1.0, scale_), (m, arc, out)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(affines(similar=False), finite, finite, arcs)
def test_arc_under_non_uniform_transform_becomes_cubics_on_the_image(
    m: tuple, x0: float, y0: float, arc: tuple
) -> None:
    assume(arc[1] > 0.5 and arc[2] > 0.5 and math.dist((x0, y0), arc[-2:]) > 0.5)
    out = transform_commands(m, [("M", x0, y0), arc])
    assert {c[0] for c in out[1:]} == {"C"}
    assert out[-1][-2:] == pytest.approx(apply(m, *arc[-2:]))
    # Map the cubics back: they must lie on the original ellipse.
    a, b, c, d, e, f = m
    det = a * d - b * c
    inverse = (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)
    back = transform_commands(inverse, out)
    assert max(_radial_errors(x0, y0, arc, back[1:])) < 3e-4


def test_transform_commands_maps_every_point() -> None:
    commands = [("M", 1, 1), ("L", 2, 1), ("C", 1, 2, 3, 4, 5, 6), ("Q", 1, 1, 2, 2), ("Z",)]
    out = transform_commands(translate(10, 20), commands)
    assert out == [("M", 11, 21), ("L", 12, 21), ("C", 11, 22, 13, 24, 15, 26), ("Q", 11, 21, 12, 22), ("Z",)]


def test_transform_commands_keep_arcs_false_gives_cubics() -> None:
    out = transform_commands(IDENTITY, [("M", 0, 0), ("A", 5, 5, 0, 0, 1, 10, 0)], keep_arcs=False)
    assert [c[0] for c in out] == ["M", "C", "C"]
    assert out[-1][-2:] == (10, 0)


def test_transform_commands_arc_after_close_starts_at_the_subpath_start() -> None:
    """After z the current point is the subpath's start, so a following arc is converted from there."""
    commands = [("M", 0, 0), ("L", 10, 0), ("Z",), ("A", 5, 5, 0, 0, 1, 10, 0)]
    out = transform_commands(scale(1, 2), commands)
    assert out[3][0] == "C"
    assert _cubic_point((0, 0), out[3], 1.0) == pytest.approx((5, -10))  # top of the ellipse at x=5


@pytest.mark.parametrize(
    ("m", "arc", "expected"),
    [
        # rotate(90): the ellipse's axes turn with it; the sweep is unchanged.
        (rotate(90), ("A", 10, 5, 0, 0, 1, 20, 0), ("A", 10, 5, 90, 0, 1, 0, 20)),
        # a mirror in x reverses the sweep and negates the ellipse's rotation (mod 180).
        (scale(-1, 1), ("A", 10, 5, 30, 1, 1, 20, 0), ("A", 10, 5, 150, 1, 0, -20, 0)),
        (scale(2), ("A", 10, 5, 30, 1, 0, 20, 0), ("A", 20, 10, 30, 1, 0, 40, 0)),
    ],
)
def test_transform_commands_similarity_keeps_arcs(m: tuple, arc: tuple, expected: tuple) -> None:
    out = transform_commands(m, [("M", 0, 0), arc])
    assert out[1] == pytest.approx(expected)


def test_transform_commands_refuses_overflow() -> None:
    with pytest.raises(SVGError, match="overflows to infinity"):
        transform_commands(scale(10), [("M", 0, 0), ("L", 1e308, 1e308)])
