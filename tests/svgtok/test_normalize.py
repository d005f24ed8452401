"""Normalization, tested as before/after pairs (picosvg ``svg_test.py`` style) plus idempotence.

Every expected document below was worked out by hand from the SVG spec, on small grids so the numbers
stay readable: with ``viewBox="0 0 24 24"`` and ``grid=24`` user units are grid units. Cases the code
gets wrong are marked ``xfail(strict=True)`` with the bug in the reason, so fixing one flips the test.
"""

from __future__ import annotations

import random

import pytest

from svgtok import NormalizeResult, SVGError, normalize
from svgtok.iconify import load_sample

SVG = '<svg xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
BOX = 'viewBox="0 0 24 24"'


def doc(body: str, attrs: str = BOX) -> str:
    """An input document."""
    return f"{SVG} {attrs}>{body}</svg>"


def out(*paths: str, size: str = "24 24", attrs: str = "") -> str:
    """An expected normalized document: canvas ``size`` in grid units and its paths."""
    return f'{SVG} viewBox="0 0 {size}"{attrs}>{"".join(paths)}</svg>'


def path(d: str, paint: str = 'fill="#000000"') -> str:
    """An expected normalized path; the default paint is the initial one (black fill, no stroke)."""
    return f'<path d="{d}" {paint}/>'


def assert_normalizes(before: str, expected: str, **kwargs) -> NormalizeResult:
    """Normalize ``before`` and compare with ``expected``; on failure both documents are printed."""
    kwargs.setdefault("grid", 24)
    result = normalize(before, **kwargs)
    if result.svg != expected:
        print(f"before:   {before}\nexpected: {expected}\nactual:   {result.svg}\ndropped:  {result.dropped}")
    assert result.svg == expected
    return result


def case(id: str, before: str, expected: str, *, xfail: str | None = None, **kwargs) -> pytest.param:
    marks = [pytest.mark.xfail(reason=xfail, strict=True)] if xfail else []
    return pytest.param(before, expected, kwargs, id=id, marks=marks)


def tagged(topic: str, table: list) -> list:
    """A table's cases with their ids prefixed by the topic, for one parametrized test over all tables."""
    return [pytest.param(*p.values, id=f"{topic}-{p.id}", marks=p.marks) for p in table]


SQUARE = "M0 0h24v24h-24z"  # the 24×24 box, drawn in user units in the canvas cases

CANVAS = [
    case("viewbox-scaled", doc("<path d='M0 0L48 48'/>", 'viewBox="0 0 48 48"'), out(path("M0 0l24 24"))),
    case("viewbox-offset", doc("<path d='M10 10L34 34'/>", 'viewBox="10 10 24 24"'), out(path("M0 0l24 24"))),
    case(
        "non-square-keeps-aspect",
        doc("<path d='M0 0h48v24h-48z'/>", 'viewBox="0 0 48 24"'),
        out(path("M0 0h24v12h-24z"), size="24 12"),
    ),
    case(
        "tall-canvas",
        doc("<path d='M0 0h12v24h-12z'/>", 'viewBox="0 0 12 24"'),
        out(path("M0 0h12v24h-12z"), size="12 24"),
    ),
    case(
        "non-square-grid-100",
        doc("<path d='M0 0L200 100'/>", 'viewBox="0 0 200 100"'),
        out(path("M0 0l100 50"), size="100 50"),
        grid=100,
    ),
    case(
        "width-height-without-viewbox",
        doc("<path d='M0 0h48v24h-48z'/>", 'width="48" height="24"'),
        out(path("M0 0h24v12h-24z"), size="24 12"),
    ),
    case(
        "width-height-in-px",
        doc("<path d='M0 0h48v24h-48z'/>", 'width="48px" height="24px"'),
        out(path("M0 0h24v12h-24z"), size="24 12"),
    ),
    case(
        "width-only-takes-height-from-viewbox",
        doc("<path d='M0 0h48v24h-48z'/>", 'width="96" viewBox="0 0 48 24"'),
        out(path("M0 0h24v12h-24z"), size="24 12"),
    ),
    case(
        "percent-size-falls-back-to-viewbox",
        doc("<path d='M0 0L48 48'/>", 'width="100%" height="100%" viewBox="0 0 48 48"'),
        out(path("M0 0l24 24")),
    ),
    # A 24×24 viewBox in a 48×24 viewport: "meet" scales by 1 and aligns along x (SVG 1.1, 7.8).
    case(
        "meet-xMidYMid-default",
        doc(f"<path d='{SQUARE}'/>", 'width="48" height="24" viewBox="0 0 24 24"'),
        out(path("M6 0h12v12h-12z"), size="24 12"),
    ),
    case(
        "meet-xMinYMin",
        doc(f"<path d='{SQUARE}'/>", 'width="48" height="24" viewBox="0 0 24 24" preserveAspectRatio="xMinYMin"'),
        out(path("M0 0h12v12h-12z"), size="24 12"),
    ),
    case(
        "meet-xMaxYMax",
        doc(
            f"<path d='{SQUARE}'/>",
            'width="48" height="24" viewBox="0 0 24 24" preserveAspectRatio="xMaxYMax meet"',
        ),
        out(path("M12 0h12v12h-12z"), size="24 12"),
    ),
    case(
        "meet-xMidYMax-tall",
        doc(f"<path d='{SQUARE}'/>", 'width="24" height="48" viewBox="0 0 24 24" preserveAspectRatio="xMidYMax"'),
        out(path("M0 12h12v12h-12z"), size="12 24"),
    ),
    case(
        "none-stretches",
        doc(f"<path d='{SQUARE}'/>", 'width="48" height="24" viewBox="0 0 24 24" preserveAspectRatio="none"'),
        out(path("M0 0h24v12h-24z"), size="24 12"),
    ),
    # "slice" scales by 2 to cover the viewport; xMidYMid centers, so half the overflow goes above.
    case(
        "slice-xMidYMid",
        doc(
            f"<path d='{SQUARE}'/>",
            'width="48" height="24" viewBox="0 0 24 24" preserveAspectRatio="xMidYMid slice"',
        ),
        out(path("M0-6h24v24h-24z"), size="24 12"),
    ),
    case(
        "slice-xMinYMin",
        doc(
            f"<path d='{SQUARE}'/>",
            'width="48" height="24" viewBox="0 0 24 24" preserveAspectRatio="xMinYMin slice"',
        ),
        out(path("M0 0h24v24h-24z"), size="24 12"),
    ),
    # A nested <svg> is a new viewport (SVG 1.1, 7.9): placed at x, y with its viewBox fitted to its size.
    case(
        "nested-svg-viewport",
        doc("<svg x='12' width='12' height='12' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>"),
        out(path("M12 0h12v12h-12z")),
    ),
]

SHAPES = [
    case("rect", doc("<rect x='2' y='4' width='20' height='16'/>"), out(path("M2 4h20v16h-20z"))),
    case(
        "rect-rounded",
        doc("<rect x='2' y='4' width='20' height='16' rx='3'/>"),
        out(path("M5 4h14a3 3 0 0 1 3 3v10a3 3 0 0 1-3 3h-14a3 3 0 0 1-3-3v-10a3 3 0 0 1 3-3z")),
    ),
    case(
        "rect-ry-only",
        doc("<rect x='2' y='4' width='20' height='16' ry='3'/>"),
        out(path("M5 4h14a3 3 0 0 1 3 3v10a3 3 0 0 1-3 3h-14a3 3 0 0 1-3-3v-10a3 3 0 0 1 3-3z")),
    ),
    # SVG 1.1, 9.2: ry defaults to rx (20), then each is capped at half its side: rx 10, ry 5.
    case(
        "rect-radii-capped",
        doc("<rect width='20' height='10' rx='20'/>"),
        out(path("M10 0a10 5 0 0 1 10 5a10 5 0 0 1-10 5a10 5 0 0 1-10-5a10 5 0 0 1 10-5z")),
    ),
    case("rect-zero-width-draws-nothing", doc("<rect width='0' height='10'/>"), out()),
    case(
        "circle",
        doc("<circle cx='12' cy='12' r='4'/>"),
        out(path("M16 12a4 4 0 1 0-8 0a4 4 0 1 0 8 0z")),
    ),
    case(
        "ellipse",
        doc("<ellipse cx='12' cy='12' rx='8' ry='4'/>"),
        out(path("M20 12a8 4 0 1 0-16 0a8 4 0 1 0 16 0z")),
    ),
    case(
        "line",
        doc("<line x1='2' y1='3' x2='20' y2='21' stroke='black' stroke-width='2'/>"),
        out(path("M2 3l18 18", 'fill="#000000" stroke="#000000" stroke-width="2"')),
    ),
    case(
        "polyline",
        doc("<polyline points='2,2 10,2 10,10' fill='none' stroke='red'/>"),
        out(path("M2 2h8v8", 'fill="none" stroke="#ff0000" stroke-width="1"')),
    ),
    case("polygon", doc("<polygon points='2 2 22 2 12 20'/>"), out(path("M2 2h20l-10 18z"))),
    case("polygon-odd-coordinate-ignored", doc("<polygon points='2 2 22 2 12 20 5'/>"), out(path("M2 2h20l-10 18z"))),
]

DEFS = "<defs><path id='p' d='M0 0h4v4h-4z'/></defs>"

TRANSFORMS = [
    case(
        "nested-groups",
        doc("<g transform='translate(2 3)'><g transform='scale(2)'><path d='M1 1h4v4h-4z'/></g></g>"),
        out(path("M4 5h8v8h-8z")),
    ),
    case(
        "list-applies-right-to-left",
        doc("<path transform='translate(10 0) scale(2)' d='M0 0h2'/>"),
        out(path("M10 0h4")),
    ),
    case("rotate-about-point", doc("<path transform='rotate(90 12 12)' d='M12 2V6'/>"), out(path("M22 12h-4"))),
    case(
        "matrix-on-group-and-rect",
        doc("<g transform='matrix(1 0 0 1 5 5)'><rect width='2' height='2'/></g>"),
        out(path("M5 5h2v2h-2z")),
    ),
    case("skewX", doc("<path transform='skewX(45)' d='M0 0L0 10'/>"), out(path("M0 0l10 10"))),
    # SVG 2, 8.5: the root's transform, in user units inside the viewBox mapping (as cairosvg draws it).
    case(
        "root-transform-flips-in-user-space",
        doc("<path d='M2 2h4v4h-4z'/>", f"{BOX} transform='translate(0,24) scale(1,-1)'"),
        out(path("M2 22h4v-4h-4z")),
    ),
    case("use-of-def", doc(f"{DEFS}<use href='#p' x='10' y='2'/>"), out(path("M10 2h4v4h-4z"))),
    # SVG 1.1, 5.6: the use's transform applies outside its extra translate(x, y).
    case(
        "use-xlink-with-transform",
        doc(f"{DEFS}<use xlink:href='#p' transform='scale(2)' x='1' y='1'/>", f"{BOX} {XLINK}"),
        out(path("M2 2h8v8h-8z")),
    ),
    case(
        "use-in-group-inherits-paint",
        doc(f"{DEFS}<g transform='translate(1 1)'><use href='#p' fill='red'/></g>"),
        out(path("M1 1h4v4h-4z", 'fill="#ff0000"')),
    ),
    case(
        "use-of-group-keeps-its-transform",
        doc("<defs><g id='g' transform='translate(1 0)'><rect width='2' height='2'/></g></defs><use href='#g' y='5'/>"),
        out(path("M1 5h2v2h-2z")),
    ),
    case(
        "use-of-use",
        doc(f"{DEFS}<use id='u' href='#p' x='1'/><use href='#u' x='10'/>"),
        out(path("M1 0h4v4h-4z"), path("M11 0h4v4h-4z")),
    ),
    # SVG 1.1, 5.6: a use of a symbol without width and height gets 100% of the viewport.
    case(
        "use-of-symbol-without-size-fills-the-viewport",
        doc("<symbol id='s' viewBox='0 0 12 12'><rect width='12' height='12'/></symbol><use href='#s'/>"),
        out(path("M0 0h24v24h-24z")),
    ),
    case(
        "switch-draws-its-first-child",
        doc("<switch><rect width='4' height='4'/><rect width='8' height='8'/></switch>"),
        out(path("M0 0h4v4h-4z")),
    ),
    case(
        "use-of-symbol-with-viewbox",
        doc(
            "<symbol id='s' viewBox='0 0 10 10'><path d='M0 0h10v10h-10z'/></symbol>"
            "<use href='#s' x='2' y='2' width='20' height='20'/>"
        ),
        out(path("M2 2h20v20h-20z")),
    ),
]

HALF_ELLIPSE = "<path d='M2 12A10 5 0 0 1 22 12' fill='none' stroke='black'/>"  # through (12, 7)
THIN = 'fill="none" stroke="#000000" stroke-width="1"'

ARCS = [
    # Rotated by 90° about the center the arc runs top to bottom through (17, 12): rotation 90, same sweep.
    case(
        "rotated", doc(f"<g transform='rotate(90 12 12)'>{HALF_ELLIPSE}</g>"), out(path("M12 2a10 5 90 0 1 0 20", THIN))
    ),
    # Mirrored in x the arc runs right to left through (12, 7): the sweep flips.
    case(
        "reflected",
        doc(f"<g transform='matrix(-1 0 0 1 24 0)'>{HALF_ELLIPSE}</g>"),
        out(path("M22 12a10 5 0 0 0-20 0", THIN)),
    ),
    # Mirrored in the diagonal y = x: rotation 90 and a flipped sweep, through (7, 12).
    case(
        "reflected-diagonal",
        doc(f"<g transform='matrix(0 1 1 0 0 0)'>{HALF_ELLIPSE}</g>"),
        out(path("M12 2a10 5 90 0 0 0 20", THIN)),
    ),
    case(
        "uniform-scale",
        doc("<g transform='scale(2)'><path d='M1 6A5 2.5 0 0 1 11 6' fill='none' stroke='black'/></g>"),
        out(path("M2 12a10 5 0 0 1 20 0", 'fill="none" stroke="#000000" stroke-width="2"')),
    ),
    # scale(2 1) turns a half circle of radius 5 into a half ellipse 10 × 5: two quarter cubics with
    # handles 4/3·tan(π/8)·r long, which round to 3 and 4 grid units.
    case(
        "non-uniform-scale-becomes-cubics",
        doc("<g transform='scale(2 1)'><path d='M2 12A5 5 0 0 1 12 12' fill='none' stroke='black'/></g>"),
        out(path("M4 12c0-3 4-5 10-5s10 2 10 5", THIN)),
    ),
    # A huge viewBox makes the canvas scale tiny; the group's scale(1 2) must still count as non-uniform.
    case(
        "non-uniform-scale-under-huge-viewbox",
        doc("<g transform='scale(1 2)'><path d='M2e6 12e6A5e6 5e6 0 0 1 12e6 12e6'/></g>", 'viewBox="0 0 24e6 24e6"'),
        out(path("M2 24c0-6 2-10 5-10s5 4 5 10")),
    ),
    case(
        "aspect-none-becomes-cubics",
        doc(
            "<circle cx='12' cy='12' r='12'/>", 'width="48" height="24" viewBox="0 0 24 24" preserveAspectRatio="none"'
        ),
        out(path("M24 6c0-3-5-6-12-6s-12 3-12 6s5 6 12 6s12-3 12-6z"), size="24 12"),
    ),
    case(
        "arcs-cubic-mode",
        doc("<circle cx='12' cy='12' r='12'/>"),
        out(path("M24 12c0-7-5-12-12-12s-12 5-12 12s5 12 12 12s12-5 12-12z")),
        arcs="cubic",
    ),
]

RECT = "<rect width='4' height='4' {}/>"
BOX_PATH = "M0 0h4v4h-4z"

STYLES = [
    case(
        "class-rule",
        doc("<style>.a{fill:red}</style>" + RECT.format("class='a'")),
        out(path(BOX_PATH, 'fill="#ff0000"')),
    ),
    case(
        "id-beats-class-whatever-the-order",
        doc("<style>#p{fill:blue}.a{fill:red}</style>" + RECT.format("id='p' class='a'")),
        out(path(BOX_PATH, 'fill="#0000ff"')),
    ),
    case(
        "class-beats-type",
        doc("<style>.a{fill:red} rect{fill:blue}</style>" + RECT.format("class='a'")),
        out(path(BOX_PATH, 'fill="#ff0000"')),
    ),
    case(
        "later-rule-wins-at-equal-specificity",
        doc("<style>.a{fill:red}.b{fill:lime}</style>" + RECT.format("class='a b'")),
        out(path(BOX_PATH, 'fill="#00ff00"')),
    ),
    case(
        "selector-list-comment-and-cdata",
        doc(
            "<style><![CDATA[/* .a{fill:blue} */ .x, .a { fill: red !important; }]]></style>" + RECT.format("class='a'")
        ),
        out(path(BOX_PATH, 'fill="#ff0000"')),
    ),
    case(
        "sheet-beats-presentation-attribute",
        doc("<style>.a{fill:red}</style>" + RECT.format("class='a' fill='blue'")),
        out(path(BOX_PATH, 'fill="#ff0000"')),
    ),
    case(
        "style-attribute-beats-sheet",
        doc("<style>.a{fill:red}</style>" + RECT.format("class='a' style='fill:lime'")),
        out(path(BOX_PATH, 'fill="#00ff00"')),
    ),
    case(
        "important-sheet-beats-style-attribute",
        doc("<style>.a{fill:red !important}</style>" + RECT.format("class='a' style='fill:blue'")),
        out(path(BOX_PATH, 'fill="#ff0000"')),
    ),
    case(
        "group-style-inherited",
        doc("<g style='fill:none;stroke:red;stroke-width:2'>" + RECT.format("") + "</g>"),
        out(path(BOX_PATH, 'fill="none" stroke="#ff0000" stroke-width="2"')),
    ),
    case(
        "group-class-inherited",
        doc("<style>.s{stroke:blue}</style><g class='s'>" + RECT.format("") + "</g>"),
        out(path(BOX_PATH, 'fill="#000000" stroke="#0000ff" stroke-width="1"')),
    ),
    case(
        "child-overrides-group",
        doc("<g fill='red'>" + RECT.format("fill='blue'") + "</g>"),
        out(path(BOX_PATH, 'fill="#0000ff"')),
    ),
    case(
        "inherit-keyword",
        doc("<g fill='red'>" + RECT.format("fill='inherit'") + "</g>"),
        out(path(BOX_PATH, 'fill="#ff0000"')),
    ),
    case(
        "descendant-selector-ignored",
        doc("<style>g rect{fill:red}</style><g>" + RECT.format("") + "</g>"),
        out(path(BOX_PATH)),
    ),
]


def color_case(value: str, paint: str, **kwargs) -> pytest.param:
    return case(f"fill={value}", doc(RECT.format(f'fill="{value}"')), out(path(BOX_PATH, paint)), **kwargs)


COLORS = [
    color_case("#abc", 'fill="#aabbcc"'),
    color_case("#AABBCC", 'fill="#aabbcc"'),
    color_case("#ff000080", 'fill="#ff0000" fill-opacity="0.5"'),  # 0x80 / 255 = 50.2%
    color_case("#f008", 'fill="#ff0000" fill-opacity="0.53"'),  # 0x88 / 255 = 53.3%
    color_case("red", 'fill="#ff0000"'),
    color_case("RebeccaPurple", 'fill="#663399"'),
    color_case("rgb(255, 0, 0)", 'fill="#ff0000"'),
    color_case("rgb(100%, 50%, 0%)", 'fill="#ff8000"'),  # 127.5 rounds to 128
    color_case("rgba(0, 0, 255, 0.25)", 'fill="#0000ff" fill-opacity="0.25"'),
    color_case("rgb(0 0 255 / 50%)", 'fill="#0000ff" fill-opacity="0.5"'),
    color_case("hsl(120, 100%, 50%)", 'fill="#00ff00"'),
    color_case("hsl(240deg 100% 25%)", 'fill="#000080"'),
    color_case("hsla(0, 100%, 50%, 0.5)", 'fill="#ff0000" fill-opacity="0.5"'),
    color_case("currentColor", 'fill="currentColor"'),
    case(
        "fill=bogus-is-ignored",
        doc(RECT.format("fill='bogus'")),
        out(path(BOX_PATH)),
    ),
    case(
        "alpha-times-fill-opacity",
        doc(RECT.format("fill='rgba(255,0,0,0.5)' fill-opacity='0.5'")),
        out(path(BOX_PATH, 'fill="#ff0000" fill-opacity="0.25"')),
    ),
    case(
        "color-resolves-currentColor",
        doc("<g color='red'>" + RECT.format("fill='currentColor'") + "</g>"),
        out(path(BOX_PATH, 'fill="#ff0000"')),
    ),
    case(
        "color-in-style-resolves-stroke",
        doc(RECT.format("style='color:#00f' fill='none' stroke='currentColor'")),
        out(path(BOX_PATH, 'fill="none" stroke="#0000ff" stroke-width="1"')),
    ),
    case(
        "color-alpha-folds-into-opacity",
        doc(RECT.format("color='rgba(255,0,0,0.5)' fill='currentColor'")),
        out(path(BOX_PATH, 'fill="#ff0000" fill-opacity="0.5"')),
    ),
]

PAINT = [
    case("opacity", doc(RECT.format("opacity='0.5'")), out(path(BOX_PATH, 'fill="#000000" opacity="0.5"'))),
    case(
        "group-opacity-multiplies",
        doc("<g opacity='0.5'>" + RECT.format("opacity='0.5'") + "</g>"),
        out(path(BOX_PATH, 'fill="#000000" opacity="0.25"')),
    ),
    case("root-opacity", doc(RECT.format(""), f'{BOX} opacity="0.5"'), out(path(BOX_PATH), attrs=' opacity="0.5"')),
    case(
        "fill-opacity",
        doc(RECT.format("fill-opacity='0.25'")),
        out(path(BOX_PATH, 'fill="#000000" fill-opacity="0.25"')),
    ),
    case(
        "stroke-opacity",
        doc(RECT.format("fill='none' stroke='red' stroke-opacity='40%'")),
        out(path(BOX_PATH, 'fill="none" stroke="#ff0000" stroke-width="1" stroke-opacity="0.4"')),
    ),
    case(
        "stroke-width-scales-with-transform",
        doc("<g transform='scale(2)'><path d='M1 1h4' stroke='red' stroke-width='1.5'/></g>"),
        out(path("M2 2h8", 'fill="#000000" stroke="#ff0000" stroke-width="3"')),
    ),
    case(
        "stroke-width-px",
        doc(RECT.format("fill='none' stroke='red' stroke-width='2px'")),
        out(path(BOX_PATH, 'fill="none" stroke="#ff0000" stroke-width="2"')),
    ),
    case("stroke-width-zero-is-no-stroke", doc(RECT.format("stroke='red' stroke-width='0'")), out(path(BOX_PATH))),
    case(
        "fill-rule", doc(RECT.format("fill-rule='evenodd'")), out(path(BOX_PATH, 'fill="#000000" fill-rule="evenodd"'))
    ),
    case(
        "linecap-linejoin",
        doc(RECT.format("fill='none' stroke='red' stroke-linecap='round' stroke-linejoin='bevel'")),
        out(
            path(
                BOX_PATH, 'fill="none" stroke="#ff0000" stroke-width="1" stroke-linecap="round" stroke-linejoin="bevel"'
            )
        ),
    ),
    case(
        "linecap-square-linejoin-miter-clip",
        doc(RECT.format("fill='none' stroke='red' stroke-linecap='square' stroke-linejoin='miter-clip'")),
        out(path(BOX_PATH, 'fill="none" stroke="#ff0000" stroke-width="1" stroke-linecap="square"')),
    ),
    case("fill-none-no-stroke-draws-nothing", doc(RECT.format("fill='none'")), out()),
    case("transparent-draws-nothing", doc(RECT.format("fill='transparent'")), out()),
    case("fill-opacity-zero-draws-nothing", doc(RECT.format("fill-opacity='0'")), out()),
    case("display-none", doc("<g display='none'>" + RECT.format("") + "</g>"), out()),
    case(
        "visibility-hidden-child-visible",
        doc("<g visibility='hidden'>" + RECT.format("") + "<rect width='8' height='8' visibility='visible'/></g>"),
        out(path("M0 0h8v8h-8z")),
    ),
    # SVG 1.1, 11.4: a zero-length subpath with round caps draws a dot; with butt caps, nothing.
    case(
        "zero-length-round-cap-is-a-dot",
        doc("<path d='M5 5L5 5' stroke='black' stroke-linecap='round' stroke-width='2'/>"),
        out(path("M5 5h0", 'fill="#000000" stroke="#000000" stroke-width="2" stroke-linecap="round"')),
    ),
    case("zero-length-butt-cap-is-nothing", doc("<path d='M5 5L5 5' stroke='black' stroke-width='2'/>"), out()),
    case("subcell-path-vanishes", doc("<path d='M1 1h0.2v0.2z'/>"), out()),
]

STOPS = "<stop offset='0' stop-color='#ff0000'/><stop offset='1' stop-color='#0000ff'/>"

HREF_STOPS = doc(
    "<linearGradient id='a'><stop stop-color='#000'/><stop stop-color='#fff'/></linearGradient>"
    "<linearGradient id='b' href='#a'/>" + RECT.format("fill='url(#b)'")
)

GRADIENTS = [
    # By default a gradient fills with its stops' mean color: (255 + 0) / 2 = 127.5, which rounds to 0x80.
    case(
        "linear-gradient-mean",
        doc(f"<defs><linearGradient id='g'>{STOPS}</linearGradient></defs>" + RECT.format("fill='url(#g)'")),
        out(path(BOX_PATH, 'fill="#800080"')),
    ),
    # With gradients="bands", two bands across 8 units (the narrowest is 4), colored at a quarter and three
    # quarters of the way: 255 · 3/4 = 191 (0xbf), 255 / 4 = 64 (0x40). The first reaches 3 units under the
    # second so no seam shows.
    case(
        "linear-gradient-bands",
        doc(f"<defs><linearGradient id='g'>{STOPS}</linearGradient></defs><rect width='8' height='4' fill='url(#g)'/>"),
        out(path("M0 0h7v4h-7z", 'fill="#bf0040"'), path("M4 0h4v4h-4z", 'fill="#4000bf"')),
        gradients="bands",
    ),
    case(
        "radial-gradient-stop-style",
        doc(
            "<radialGradient id='g'><stop style='stop-color:#00ff00'/></radialGradient>" + RECT.format("fill='url(#g)'")
        ),
        out(path(BOX_PATH, 'fill="#00ff00"')),
    ),
    # Stops inherited through href: both sit at offset 0, so the whole box lies past the jump to white
    # (SVG 1.1, 13.2.4), as one color and as bands; nothing is approximated.
    case(
        "gradient-stops-through-href",
        HREF_STOPS,
        out(path(BOX_PATH, 'fill="#ffffff"')),
    ),
    case(
        "gradient-stops-through-href-bands",
        HREF_STOPS,
        out(path(BOX_PATH, 'fill="#ffffff"')),
        gradients="bands",
    ),
    # Strokes keep one color, the stops' mean: (255 + 0) / 2 = 127.5, which rounds to 128 (0x80).
    case(
        "stroke-gradient",
        doc(f"<linearGradient id='g'>{STOPS}</linearGradient>" + RECT.format("fill='none' stroke='url(#g)'")),
        out(path(BOX_PATH, 'fill="none" stroke="#800080" stroke-width="1"')),
    ),
    case(
        "pattern-uses-fallback",
        doc("<pattern id='t'/>" + RECT.format("fill='url(#t) red'")),
        out(path(BOX_PATH, 'fill="#ff0000"')),
    ),
    case("missing-reference-is-none", doc(RECT.format("fill='url(#nope)'")), out()),
]

CASES = [
    *tagged("canvas", CANVAS),
    *tagged("shape", SHAPES),
    *tagged("transform", TRANSFORMS),
    *tagged("arc", ARCS),
    *tagged("style", STYLES),
    *tagged("color", COLORS),
    *tagged("paint", PAINT),
    *tagged("gradient", GRADIENTS),
]


@pytest.mark.parametrize(("before", "expected", "kwargs"), CASES)
def test_normalize(before: str, expected: str, kwargs: dict) -> None:
    assert_normalizes(before, expected, **kwargs)


DROPPED = [
    case("text", doc("<text x='1' y='10'>hi</text>"), "text"),
    case("image", doc("<image href='data:image/png;base64,AAAA' width='4' height='4'/>"), "image"),
    case("filter", doc("<filter id='f'/>" + RECT.format("filter='url(#f)'")), "filter"),
    case("mask", doc("<mask id='m'><text>a</text></mask>" + RECT.format("mask='url(#m)'")), "mask"),
    case("clip-path", doc(RECT.format("clip-path='circle(50%)'")), "clip-path"),
    case("pattern", doc("<pattern id='t'/>" + RECT.format("fill='url(#t)'")), "pattern"),
    case(
        "gradient", doc(f"<linearGradient id='g'>{STOPS}</linearGradient>" + RECT.format("fill='url(#g)'")), "gradient"
    ),
    case("animate", doc(RECT.format("") + "<animate attributeName='x' to='4' dur='1s'/>"), "animation"),
    case("animateTransform", doc("<animateTransform attributeName='transform' type='rotate'/>"), "animation"),
    case("set", doc("<set attributeName='fill' to='red'/>"), "animation"),
    case("marker", doc("<marker id='m'/><path d='M0 0h4' marker-end='url(#m)'/>"), "marker"),
    case("too-many-dashes", doc("<path d='M0 0H1e5' stroke='red' stroke-dasharray='2 2'/>"), "stroke-dasharray"),
    case("css-selector", doc("<style>g rect{fill:red}</style>"), "css selector"),
    case("missing-use", doc("<use href='#nope'/>"), "use of a missing"),
    case(
        "group-opacity",
        doc("<g opacity='0.5'><path d='M0 0h4v4z'/><path d='M2 2h4v4z' fill-opacity='0.5'/></g>"),
        "group opacity",
    ),
    case("unknown-color", doc(RECT.format("fill='bogus'")), "unknown color"),
    case("nan-color", doc(RECT.format("fill='rgb(nan, 0, 0)'")), "unknown color"),
    case(
        "clip-path-in-style-attribute",
        doc("<clipPath id='c'><text>a</text></clipPath>" + RECT.format("style='clip-path:url(#c)'")),
        "clip-path",
    ),
    case(
        "filter-in-style-sheet",
        doc("<style>.a{filter:url(#f)}</style><filter id='f'/>" + RECT.format("class='a'")),
        "filter",
    ),
    case(
        "too-many-dashes-in-style-attribute",
        doc("<path d='M0 0H1e5' style='stroke:red;stroke-dasharray:2 2'/>"),
        "stroke-dasharray",
    ),
]


@pytest.mark.parametrize(("before", "feature", "kwargs"), DROPPED)
def test_dropped_features_are_listed(before: str, feature: str, kwargs: dict) -> None:
    """What normalization cannot express is listed in ``result.dropped``, never lost silently."""
    result = normalize(before, grid=24, **kwargs)
    assert any(feature in entry for entry in result.dropped), (feature, result.dropped)


def test_dropped_features_leave_the_rest_drawn() -> None:
    before = doc(
        "<text>hi</text><filter id='f'/>"
        "<rect width='4' height='4' filter='url(#f)' clip-path='url(#nowhere)'/><animate attributeName='x'/>"
    )
    result = assert_normalizes(before, out(path(BOX_PATH)))
    assert set(result.dropped) == {"text", "filter", "clip-path", "animation"}


def test_each_dropped_feature_is_listed_once() -> None:
    result = normalize(doc("<text>a</text><text>b</text><g><text>c</text></g>"), grid=24)
    assert result.dropped == ["text"]


def test_clean_document_drops_nothing() -> None:
    assert normalize(doc(RECT.format("fill='red'")), grid=24).dropped == []


@pytest.mark.parametrize(
    ("before", "message"),
    [
        (f"{SVG}><rect width='4' height='4'/></svg>", "neither a viewBox nor a width and height"),
        (doc("", 'viewBox="0 0 0 24"'), "positive, finite"),
        (doc("", 'viewBox="0 0 24"'), "four numbers"),
        (doc("", 'viewBox="a b c d"'), "four numbers"),
        (doc("<path d='M0 0h1'/>", 'viewBox="0 0 1e-320 1e-320"'), "too small or too large"),
        (doc("<path d='M0 0L'/>"), "needs a multiple of 2 numbers"),
        (doc("<path d='M0 0h4' transform='rotate(x)'/>"), "transform"),
    ],
)
def test_unusable_documents_raise(before: str, message: str) -> None:
    with pytest.raises(SVGError, match=message):
        normalize(before, grid=24)


@pytest.mark.parametrize(("kwargs", "message"), [({"arcs": "bezier"}, "arcs="), ({"active": "allow"}, "active=")])
def test_bad_arguments_raise(kwargs: dict, message: str) -> None:
    with pytest.raises(SVGError, match=message):
        normalize(doc(""), **kwargs)


def test_huge_stroke_width_is_clamped_to_the_grid() -> None:
    before = doc("<path d='M0 0h1' stroke='red' stroke-width='1e308'/>", 'viewBox="0 0 1 1"')
    assert 'stroke-width="24"' in normalize(before, grid=24).svg


# Idempotence: a normalized document is a fixed point. The fixtures cover every kind of command and paint.
IDEMPOTENT = {
    "shapes": doc(
        "<rect x='2' y='4' width='20' height='16' rx='3' fill='#abc'/><ellipse cx='12' cy='12' rx='8' ry='4'/>"
        "<polyline points='2,2 10,2 10,10' fill='none' stroke='red' stroke-linecap='round'/>"
    ),
    "transforms": doc(f"{DEFS}<g transform='rotate(30 12 12) scale(1.3)'><use href='#p' x='3'/></g>"),
    "arcs": doc(f"<g transform='rotate(33 12 12)'>{HALF_ELLIPSE}</g><g transform='scale(2 1)'>{HALF_ELLIPSE}</g>"),
    "curves": doc("<path d='M2 2C5 0 8 4 10 2S15 0 18 2Q20 6 22 2T22 10z' fill-rule='evenodd' opacity='.5'/>"),
    "non-square": doc("<path d='M1 1L47 23' stroke='blue' stroke-width='3'/>", 'viewBox="0 0 48 24"'),
    "paint": doc(
        "<style>.a{fill:rgba(0,128,0,.3);stroke:currentColor}</style>"
        "<g color='purple' opacity='.8'><rect class='a' width='9' height='9' stroke-linejoin='round'/></g>"
    ),
    "circle": doc("<circle cx='12' cy='12' r='4'/>"),
}


@pytest.mark.parametrize("grid", [24, 100])
@pytest.mark.parametrize("name", list(IDEMPOTENT))
def test_idempotent_fixtures(name: str, grid: int) -> None:
    once = normalize(IDEMPOTENT[name], grid=grid).svg
    assert_normalizes(once, once, grid=grid)


def sample_subset(n: int = 150, seed: int = 0) -> list:
    icons = load_sample()
    return random.Random(seed).sample(icons, min(n, len(icons)))


@pytest.mark.parametrize("grid", [24, 256])
def test_idempotent_on_sample(grid: int) -> None:
    changed = []
    for icon in sample_subset():
        once = normalize(icon.svg, grid=grid, active="drop").svg
        if normalize(once, grid=grid).svg != once:
            changed.append(icon.id)
    assert not changed, f"{len(changed)} icons change on a second pass, e.g. {changed[:5]}"


@pytest.mark.parametrize("grid", [24, 256])
def test_sample_normalizes_without_errors(grid: int) -> None:
    """Every icon of the subset normalizes, and the output parses back as the same canvas size."""
    for icon in sample_subset():
        result = normalize(icon.svg, grid=grid, active="drop")
        assert max(result.doc.width, result.doc.height) == grid, icon.id
        again = normalize(result.svg, grid=grid)
        assert (again.doc.width, again.doc.height) == (result.doc.width, result.doc.height), icon.id
        assert again.dropped == [], icon.id
