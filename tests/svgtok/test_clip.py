"""Clip paths and masks baked into geometry: the normalized render against a reference render.

Clip paths are compared with cairosvg's render of the original. Masks are compared with a hand-written
document that draws what the mask means, because cairosvg masks by alpha, not luminance (SVG 1.1, 14.4),
and places objectBoundingBox masks wrongly.
"""

from __future__ import annotations

import time

import pytest

from svgtok import SVGError, normalize
from svgtok.iconify import load_sample
from svgtok.metrics import ssim
from svgtok.render import render

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">{}</svg>'
SIZE = 96
MATCH = 0.98
WHITE_MASK = "<mask id='m'><rect width='24' height='24' fill='#fff'/>{}</mask>"


def assert_renders_like(before: str, reference: str) -> list[str]:
    """Normalize ``before``; its render must match ``reference``'s (SSIM ≥ 0.98). Returns what was dropped."""
    result = normalize(before, grid=480)
    score = ssim(render(reference, SIZE), render(result.svg, SIZE))
    assert score >= MATCH, (score, result.svg)
    return result.dropped


CLIPS = [
    pytest.param(
        "<clipPath id='c'><circle cx='12' cy='12' r='8'/></clipPath><rect width='24' height='24' clip-path='url(#c)'/>",
        "<circle cx='12' cy='12' r='8'/>",
        id="circle-on-square",
    ),
    pytest.param(
        "<clipPath id='c' clipPathUnits='objectBoundingBox'><rect width='0.5' height='1'/></clipPath>"
        "<rect x='4' y='4' width='16' height='16' clip-path='url(#c)'/>",
        "<rect x='4' y='4' width='8' height='16'/>",
        id="object-bounding-box",
    ),
    pytest.param(
        "<clipPath id='c'><rect width='6' height='6' transform='translate(2 2)'/></clipPath>"
        "<g transform='translate(4 0) scale(2)'><g clip-path='url(#c)'><rect width='12' height='12' fill='red'/>"
        "</g></g>",
        "<rect x='8' y='4' width='12' height='12' fill='red'/>",
        id="nested-transforms",
    ),
    pytest.param(
        "<clipPath id='c'><path d='M2 2h20v20H2zM8 8h8v8H8z' clip-rule='evenodd'/></clipPath>"
        "<rect width='24' height='24' fill='blue' clip-path='url(#c)'/>",
        "<path d='M2 2h20v20H2zM8 8h8v8H8z' fill='blue' fill-rule='evenodd'/>",
        id="clip-rule-evenodd",
    ),
    pytest.param(
        "<clipPath id='c'><rect width='12' height='24'/></clipPath>"
        "<path d='M2 12h20' stroke='green' stroke-width='4' clip-path='url(#c)'/>",
        "<rect x='2' y='10' width='10' height='4' fill='green'/>",
        id="stroke-becomes-its-outline",
    ),
    pytest.param(
        "<clipPath id='c'><rect width='24' height='24'/></clipPath>"
        "<path d='M4 12h16' stroke='green' stroke-width='4' stroke-linecap='round' clip-path='url(#c)'/>",
        "<path d='M4 12h16' stroke='green' stroke-width='4' stroke-linecap='round'/>",
        id="wholly-inside-stays-a-stroke",
    ),
]


@pytest.mark.parametrize(("body", "reference"), CLIPS)
def test_clip_paths_are_baked(body: str, reference: str) -> None:
    assert assert_renders_like(SVG.format(body), SVG.format(reference)) == []


@pytest.mark.parametrize(
    ("body", "reference"),
    [
        pytest.param(*p.values, id=p.id, marks=[pytest.mark.xfail(reason="cairosvg ignores clip-rule", strict=True)])
        if p.id == "clip-rule-evenodd"
        else p
        for p in CLIPS
    ],
)
def test_the_references_are_what_cairosvg_draws(body: str, reference: str) -> None:
    assert ssim(render(SVG.format(body), SIZE), render(SVG.format(reference), SIZE)) >= MATCH


def test_a_stroke_wholly_inside_its_clip_is_kept_as_a_stroke() -> None:
    body = CLIPS[-1].values[0]
    assert 'stroke="#008000"' in normalize(SVG.format(body), grid=24).svg


MASKS = [
    pytest.param(
        WHITE_MASK.format("<circle cx='12' cy='12' r='5' fill='#000'/>")
        + "<rect x='2' y='2' width='20' height='20' mask='url(#m)'/>",
        "<path d='M2 2h20v20H2z M17 12a5 5 0 1 0-10 0a5 5 0 1 0 10 0z' fill-rule='evenodd'/>",
        id="white-rect-black-circle-cut-out",
    ),
    pytest.param(
        WHITE_MASK.format("<path d='M6 12h12' stroke='#000' stroke-width='2' stroke-linecap='round'/>")
        + "<rect width='24' height='24' mask='url(#m)'/>",
        "<rect width='24' height='24'/><path d='M6 12h12' stroke='#fff' stroke-width='2' stroke-linecap='round'/>",
        id="black-stroke-cut-out",
    ),
    pytest.param(
        "<mask id='m'><circle cx='12' cy='12' r='8' fill='#fff'/></mask>"
        "<g mask='url(#m)'><rect width='12' height='24' fill='red'/>"
        "<rect x='12' width='12' height='24' fill='blue'/></g>",
        "<path d='M12 4a8 8 0 0 0 0 16z' fill='red'/><path d='M12 4a8 8 0 0 1 0 16z' fill='blue'/>",
        id="circle-flag",
    ),
    pytest.param(
        "<mask id='m' maskContentUnits='objectBoundingBox'><rect width='1' height='0.5' fill='#fff'/></mask>"
        "<rect x='4' y='4' width='16' height='16' mask='url(#m)'/>",
        "<rect x='4' y='4' width='16' height='8'/>",
        id="mask-content-units",
    ),
    pytest.param(
        "<mask id='m' maskUnits='userSpaceOnUse' x='0' y='0' width='12' height='24'>"
        "<rect width='24' height='24' fill='#fff'/></mask><rect width='24' height='24' mask='url(#m)'/>",
        "<rect width='12' height='24'/>",
        id="mask-units-window",
    ),
    pytest.param(
        "<mask id='m' style='mask-type:alpha'><rect width='24' height='12' fill='#000'/></mask>"
        "<rect width='24' height='24' mask='url(#m)'/>",
        "<rect width='24' height='12'/>",
        id="mask-type-alpha",
    ),
]


@pytest.mark.parametrize(("body", "reference"), MASKS)
def test_masks_are_baked(body: str, reference: str) -> None:
    assert assert_renders_like(SVG.format(body), SVG.format(reference)) == []


def test_a_cut_inside_a_hole_of_a_cut_survives() -> None:
    """pepicons-pop's loop-minus: a ring cut out of a disc, then a minus bar cut out of the ring's hole.
    (skia-pathops' OpBuilder shortcut for unions lost such nested holes.)"""
    icon = next(i for i in load_sample() if i.id == "pepicons-pop:loop-minus-circle-filled")
    image = render(normalize(icon.svg, grid=480).svg, 260)  # 10 px per user unit
    bar, ring, inside, disc = (120, 119), (119, 75), (120, 100), (30, 130)  # (x, y) in pixels
    assert [int(image[y, x].mean()) > 128 for x, y in (bar, ring, inside, disc)] == [True, True, False, False]


def test_a_gray_mask_becomes_opacity() -> None:
    """#808080 has luminance 0.502; over a white one, later black and gray shapes composite in painter's order."""
    body = (
        WHITE_MASK.format("<rect width='12' height='24' fill='#808080'/>")
        + "<rect width='24' height='24' mask='url(#m)'/>"
    )
    result = normalize(SVG.format(body), grid=24)
    assert result.dropped == []
    assert sorted(p.paint.opacity for p in result.doc.paths) == [50, 100]
    reference = "<rect width='12' height='24' opacity='0.502'/><rect x='12' width='12' height='24'/>"
    assert_renders_like(SVG.format(body), SVG.format(reference))


def test_half_transparent_mask_shapes_composite() -> None:
    """A black rect at 50% over white leaves 0.5; a second white rect at 50% over that leaves 0.75."""
    body = (
        WHITE_MASK.format(
            "<rect width='24' height='24' fill='#000' fill-opacity='0.5'/>"
            "<rect width='12' height='24' fill='#fff' fill-opacity='0.5'/>"
        )
        + "<rect width='24' height='24' mask='url(#m)'/>"
    )
    result = normalize(SVG.format(body), grid=24)
    assert sorted(p.paint.opacity for p in result.doc.paths) == [50, 75]


GROUP_OPACITY = [
    pytest.param(
        "<g opacity='0.5'><rect width='16' height='16' fill='red'/><circle cx='16' cy='16' r='8' fill='blue'/></g>",
        id="overlapping-shapes",
    ),
    pytest.param(
        "<g opacity='0.4'><g opacity='0.5'><rect x='8' y='2' width='8' height='20'/>"
        "<rect x='4' y='8' width='16' height='8' fill='red'/></g>"
        "<path d='M2 12h20' stroke='green' stroke-width='6'/></g>",
        id="nested-groups-and-a-stroke",
    ),
]


@pytest.mark.parametrize("body", GROUP_OPACITY)
def test_group_opacity_is_composited_exactly(body: str) -> None:
    """cairosvg composites a translucent group on its own (push_group), so the original's render is the reference."""
    assert assert_renders_like(SVG.format(body), SVG.format(body)) == []


def test_translucent_paint_over_paint_in_a_translucent_group_is_listed() -> None:
    body = "<g opacity='0.5'><rect width='16' height='16'/><rect x='8' y='8' width='16' height='16' opacity='0.5'/></g>"
    assert normalize(SVG.format(body), grid=24).dropped == ["group opacity (applied to each path)"]


NOT_BAKEABLE = [
    pytest.param("<mask id='m'><rect width='24' height='24' fill='url(#g)'/></mask>", "mask", id="gradient-in-mask"),
    pytest.param(
        "<mask id='m'><image href='data:image/png;base64,AAAA' width='4' height='4'/></mask>", "mask", id="image"
    ),
    pytest.param("<mask id='m'><rect width='24' height='24' fill='currentColor'/></mask>", "mask", id="current-color"),
    pytest.param(
        "<mask id='m'><rect width='24' height='24' fill='#fff' filter='url(#f)'/></mask>", "mask", id="filter"
    ),
]


@pytest.mark.parametrize(("defs", "feature"), NOT_BAKEABLE)
def test_masks_that_cannot_be_baked_are_dropped_and_listed(defs: str, feature: str) -> None:
    body = "<linearGradient id='g'><stop stop-color='#fff'/></linearGradient><filter id='f'/>" + defs
    result = normalize(SVG.format(body + "<rect width='24' height='24' mask='url(#m)'/>"), grid=24)
    assert feature in result.dropped
    assert len(result.doc.paths) == 1  # drawn unmasked, as before masks were baked


def test_a_mask_that_references_itself_is_listed_not_followed() -> None:
    body = "<mask id='m'><rect width='24' height='24' fill='#fff' mask='url(#m)'/></mask>"
    result = normalize(SVG.format(body + "<rect width='24' height='24' mask='url(#m)'/>"), grid=24)
    assert "mask that references itself" in result.dropped


def test_a_huge_mask_is_dropped_quickly() -> None:
    shapes = "".join(f"<rect x='{i % 24}' y='{i // 24 % 24}' width='1' height='1' fill='#fff'/>" for i in range(3000))
    start = time.perf_counter()
    result = normalize(SVG.format(f"<mask id='m'>{shapes}</mask><rect width='24' height='24' mask='url(#m)'/>"))
    assert "mask" in result.dropped and time.perf_counter() - start < 10


def test_deeply_nested_clips_raise() -> None:
    clipped = "<rect width='24' height='24'/>"
    for _ in range(40):
        clipped = f"<g clip-path='url(#c)'>{clipped}</g>"
    body = "<clipPath id='c'><rect width='24' height='24'/></clipPath>" + clipped
    with pytest.raises(SVGError, match="nest more than 32 deep"):
        normalize(SVG.format(body))


def test_a_chain_of_masks_raises() -> None:
    chain = "".join(
        f"<mask id='m{i}'><rect width='24' height='24' fill='#fff' mask='url(#m{i + 1})'/></mask>" for i in range(40)
    )
    with pytest.raises(SVGError, match="nest more than 32 deep"):
        normalize(SVG.format(chain + "<rect width='24' height='24' mask='url(#m0)'/>"))


def test_huge_coordinates_are_cut_where_the_canvas_is() -> None:
    """Skia works in float32: 1e300 would overflow it, so far-away points are clamped first, keeping their side."""
    body = (
        "<clipPath id='c'><rect x='-1e300' width='1e300' height='24'/></clipPath>"
        "<rect width='24' height='24' clip-path='url(#c)'/>"
        "<g opacity='0.5'><rect x='-1e300' width='2e300' height='12'/><rect width='1e300' height='1e300'/></g>"
    )
    result = normalize(SVG.format(body), grid=24)
    assert result.svg.endswith(
        '<path d="M-12 0h12v12h-12z" fill="#000000" opacity="0.5"/>'
        '<path d="M0 0h36v36h-36z" fill="#000000" opacity="0.5"/></svg>'
    )


def test_object_bounding_box_units_on_an_element_with_no_area_draw_nothing() -> None:
    body = (
        "<clipPath id='c' clipPathUnits='objectBoundingBox'><rect width='1' height='1'/></clipPath>"
        "<path d='M2 12h20' stroke='red' clip-path='url(#c)'/>"
    )
    assert normalize(SVG.format(body), grid=24).doc.paths == []
