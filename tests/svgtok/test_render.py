"""Rendering with cairosvg: square PNGs, the canvas centered, backgrounds, and errors as SVGError.

Hostile documents are refused by ``render_png`` too; those cases live in ``test_hostile.py``.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from svgtok import Limits, SVGError
from svgtok.render import render, render_png

SVG = '<svg xmlns="http://www.w3.org/2000/svg" {}>{}</svg>'
BLACK, WHITE = 0, 255


def doc(body: str = "", attrs: str = 'viewBox="0 0 4 4"') -> str:
    return SVG.format(attrs, body)


def test_render_png_is_a_square_png_of_the_requested_size() -> None:
    png = render_png(doc("<rect width='4' height='4' fill='red'/>"), 24)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (24, 24)


@pytest.mark.parametrize("svg", [doc(), doc().encode()])
def test_render_is_rgb_on_white(svg: str | bytes) -> None:
    image = render(svg, 8)
    assert image.shape == (8, 8, 3) and image.dtype == np.uint8
    assert (image == WHITE).all()


@pytest.mark.parametrize("encoding", ["UTF-16", "ISO-8859-1"])
def test_render_reads_text_whatever_the_declaration(encoding: str) -> None:
    svg = f'<?xml version="1.0" encoding="{encoding}"?>' + doc("<rect width='2' height='4'/>")
    for image in (render(svg, 8), render(svg.encode(encoding), 8)):
        assert (image[:, :4] == BLACK).all() and (image[:, 4:] == WHITE).all()


def test_render_draws_where_the_geometry_is() -> None:
    image = render(doc("<rect width='2' height='4'/>"), 8)  # the left half, black
    assert (image[:, :4] == BLACK).all()
    assert (image[:, 4:] == WHITE).all()


def test_render_colors() -> None:
    image = render(doc("<rect width='4' height='4' fill='#ff8000'/>"), 4)
    assert (image == [255, 128, 0]).all()


@pytest.mark.parametrize(
    ("attrs", "rect", "rows", "columns"),
    [
        ('viewBox="0 0 8 4"', "width='8' height='4'", slice(4, 12), slice(0, 16)),  # wide: centered vertically
        ('viewBox="0 0 4 8"', "width='4' height='8'", slice(0, 16), slice(4, 12)),  # tall: centered horizontally
        ('width="8" height="4"', "width='8' height='4'", slice(4, 12), slice(0, 16)),
    ],
)
def test_non_square_canvas_is_centered_on_the_square(attrs: str, rect: str, rows: slice, columns: slice) -> None:
    image = render(doc(f"<rect {rect}/>", attrs), 16)[..., 0]
    drawn = np.zeros((16, 16), bool)
    drawn[rows, columns] = True
    assert (image[drawn] == BLACK).all()
    assert (image[~drawn] == WHITE).all()


def test_transparent_background() -> None:
    png = render_png(doc("<rect width='2' height='4'/>"), 8, background=None)
    with Image.open(io.BytesIO(png)) as image:
        rgba = np.asarray(image.convert("RGBA"))
    assert (rgba[:, 4:, 3] == 0).all()
    assert (rgba[:, :4, 3] == 255).all()


@pytest.mark.parametrize("size", [0, -1, 4097])
def test_size_out_of_range(size: int) -> None:
    with pytest.raises(SVGError, match=f"render size {size} is outside 1..4096"):
        render_png(doc(), size)


def test_limits_apply_before_rendering() -> None:
    with pytest.raises(SVGError, match="more than 2 elements"):
        render_png(doc("<rect/><rect/>"), 8, limits=Limits(max_elements=2))


@pytest.mark.parametrize(
    ("body", "attrs"),
    [
        ("<rect width='4' height='4' fill='rgb(x)'/>", 'viewBox="0 0 4 4"'),
        ("<path d='M0 0h1'/>", 'viewBox="0 0 1e-320 1e-320"'),
    ],
    ids=["bad-color", "singular-viewbox"],
)
def test_renderer_failures_become_svgerror(body: str, attrs: str) -> None:
    with pytest.raises(SVGError, match="the renderer could not draw this document") as info:
        render_png(doc(body, attrs), 8)
    assert info.value.__cause__ is not None  # chained, so the original traceback survives


def test_embedded_images_are_refused_too() -> None:
    """The URL fetcher refuses everything, data: URLs included, so an embedded (possibly SVG) image is
    never parsed around svgtok's checks."""
    png = render_png(doc("<rect width='4' height='4'/>"), 4)
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    with pytest.raises(SVGError, match="refused 'data:image/png"):
        render_png(doc(f"<image href='{uri}' width='4' height='4'/>"), 8)


def test_render_tolerates_what_browsers_tolerate() -> None:
    """Path data with an error is drawn up to the error (SVG 1.1, F.2), not refused."""
    image = render(doc("<path d='M0 0h2v4h-2z M1 1L'/>"), 8)
    assert (image[:, :4] == BLACK).all()


# Masks (svgtok.cairomask): luminance × alpha, regions from the bounding box ---------------------------

BLACK_SQUARE = "<rect width='4' height='4' mask='url(#m)'/>"


def masked(mask: str, shape: str = BLACK_SQUARE, attrs: str = 'viewBox="0 0 4 4"') -> np.ndarray:
    return render(doc(f"<mask id='m' {mask}</mask>{shape}", attrs), 8)[..., 0].astype(int)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<rect width='4' height='4' fill='white'/>", BLACK),
        ("<rect width='4' height='4' fill='black'/>", WHITE),  # black content hides: luminance, not alpha
        ("<rect width='4' height='4' fill='#808080'/>", 127),  # 50% gray shows half
        ("<rect width='4' height='4' fill='white' fill-opacity='0.5'/>", 128),
    ],
)
def test_a_mask_shows_its_content_in_proportion_to_luminance_times_alpha(content: str, expected: int) -> None:
    assert masked(f">{content}") == pytest.approx(np.full((8, 8), expected), abs=3)


def test_black_content_cuts_a_hole() -> None:
    image = masked("><rect width='4' height='4' fill='white'/><rect x='1' y='1' width='2' height='2' fill='black'/>")
    assert (image[2:6, 2:6] == WHITE).all() and (image[0, :] == BLACK).all()


def test_an_alpha_mask_uses_alpha_only() -> None:
    assert (masked("mask-type='alpha'><rect width='4' height='4' fill='black'/>") == BLACK).all()


@pytest.mark.parametrize(
    "shape",
    [
        "<rect width='4' height='4' opacity='0.5' mask='url(#m)'/>",
        "<g opacity='0.5' mask='url(#m)'><rect width='4' height='4'/></g>",
    ],
)
def test_element_opacity_applies_once_through_the_mask(shape: str) -> None:
    assert masked("><rect width='4' height='4' fill='white'/>", shape) == pytest.approx(np.full((8, 8), 128), abs=3)


def test_object_bounding_box_region_follows_the_masked_shape() -> None:
    # The default region is the bounding box grown by 10% each side: the left half, x in [-0.2, 2.2].
    shape = "<rect width='2' height='4' mask='url(#m)'/>"
    image = masked("><rect width='4' height='4' fill='white'/>", shape)
    assert (image[:, :4] == BLACK).all() and (image[:, 5:] == WHITE).all()
    region = masked("x='0' y='0' width='0.5' height='1'><rect width='4' height='4' fill='white'/>", shape)
    assert (region[:, :2] == BLACK).all() and (region[:, 2:] == WHITE).all()


def test_object_bounding_box_content_units_scale_to_the_shape() -> None:
    shape = "<rect x='2' width='2' height='4' mask='url(#m)'/>"
    image = masked("maskContentUnits='objectBoundingBox'><rect width='0.5' height='1' fill='white'/>", shape)
    assert (image[:, 4:6] == BLACK).all() and (image[:, 6:] == WHITE).all() and (image[:, :4] == WHITE).all()


def test_user_space_region() -> None:
    image = masked(
        "maskUnits='userSpaceOnUse' x='0' y='0' width='4' height='2'><rect width='4' height='4' fill='white'/>"
    )
    assert (image[:4] == BLACK).all() and (image[4:] == WHITE).all()


def test_masks_nested_too_deep_are_refused() -> None:
    masks = "".join(
        f"<mask id='m{i}'><rect width='4' height='4' fill='white' mask='url(#m{i + 1})'/></mask>" for i in range(40)
    )
    with pytest.raises(SVGError, match="nested"):
        render(doc(masks + "<rect width='4' height='4' mask='url(#m0)'/>"), 8)


# Filters (svgtok.cairofilter): drawn unfiltered, not moved, flooded or blended by cairosvg ---------------

SHADOWED = (
    "<filter id='f'><feOffset dx='2'/><feGaussianBlur stdDeviation='0.5'/><feBlend in='SourceGraphic'/></filter>"
    "<rect width='2' height='4' filter='url(#f)'/>"
)


@pytest.mark.parametrize(
    "primitive",
    ["<feOffset dx='2'/>", "<feFlood flood-color='black' width='4' height='4'/>", "<feBlend mode='screen'/>"],
)
def test_a_filtered_element_is_drawn_where_it_stands_unfiltered(primitive: str) -> None:
    backdrop, shape = "<rect width='4' height='4' fill='red'/>", "<rect width='2' height='4' fill='blue'{}/>"
    plain = render(doc(backdrop + shape.format("")), 8)
    filtered = render(doc(f"<filter id='f'>{primitive}</filter>" + backdrop + shape.format(" filter='url(#f)'")), 8)
    assert (filtered == plain).all()


def test_a_shadow_filter_leaves_its_shape_in_place() -> None:
    image = render(doc(SHADOWED, 'viewBox="0 0 4 4"'), 8)[..., 0]
    assert (image[:, :4] == 0).all() and (image[:, 4:] == 255).all()
