"""The edit operations, checked on real renders (cairosvg) of small documents and of fixture emoji."""

import random

import numpy as np
import pytest

from svgtok import SVGError, normalize
from svgtok.render import render
from training.catalog import FIXTURE_CATALOG, connect, read_icons
from training.edits import (
    TASKS,
    change_color,
    color_word,
    crop_to_half,
    fill_colors,
    half_transparent,
    make_edit,
    mirror,
    outline,
    recolor,
    remove_part,
    rotate,
    scale,
    set_contour,
    simplify,
    uppercase_hex,
    upside_down,
)

# A red bar along the top and a blue square at the left of the bottom half, on Twemoji's canvas.
DOC = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36">'
    '<path fill="#DD2E44" d="M0 0h36v8H0z"/><rect fill="#3B88C3" x="2" y="20" width="10" height="10"/></svg>'
)
# The same drawing on a viewBox that does not start at the origin.
OFFSET = DOC.replace('viewBox="0 0 36 36"', 'viewBox="-10 4 36 36"').replace("M0 0", "M-10 4")
OFFSET = OFFSET.replace('x="2" y="20"', 'x="-8" y="24"')
RED, BLUE, WHITE = (221, 46, 68), (59, 136, 195), (255, 255, 255)


def pixel(svg: str, x: int, y: int, size: int = 72) -> tuple[int, ...]:
    return tuple(int(v) for v in render(svg, size)[y, x])


def close(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal up to antialiasing along edges."""
    return float(np.mean(np.abs(a.astype(int) - b.astype(int)))) < 1.0


@pytest.mark.parametrize("svg", [DOC, OFFSET])
def test_upside_down_flips_the_render_vertically(svg):
    flipped = render(svg, 72)[::-1]
    assert close(render(upside_down(svg), 72), flipped)
    assert close(render(simplify(upside_down(svg)), 72), flipped)  # svgtok keeps the flip, so the model can learn it


def test_upside_down_is_the_official_root_transform():
    assert 'transform="translate(0,36) scale(1,-1)"' in upside_down(DOC)
    assert 'transform="translate(0,44) scale(1,-1)"' in upside_down(OFFSET)


@pytest.mark.parametrize("svg", [DOC, OFFSET])
def test_mirror_and_rotate_move_pixels_where_they_should(svg):
    image = render(svg, 72)
    assert close(render(mirror(svg), 72), image[:, ::-1])
    assert close(render(rotate(svg, 180), 72), image[::-1, ::-1])
    assert close(render(rotate(svg, 90), 72), np.rot90(image, k=-1))


def test_change_color_repaints_exactly_that_fill():
    edited = change_color(DOC, "#DD2E44", "green")
    assert pixel(edited, 36, 4) == (0, 128, 0)
    assert pixel(edited, 14, 50) == BLUE
    with pytest.raises(SVGError, match="#ABCDEF"):
        change_color(DOC, "#ABCDEF", "red")


def test_set_contour_strokes_only_elements_of_that_fill():
    edited = set_contour(DOC, "#3B88C3")
    assert edited.count('stroke="black" stroke-width="1"') == 1
    assert 'fill="#3B88C3" x="2" y="20" width="10" height="10" stroke="black"' in edited
    assert pixel(edited, 4, 40) == (0, 0, 0)  # the left edge of the square, 2 user units = 4 px


def test_half_transparent_and_crop_to_half():
    assert pixel(half_transparent(DOC), 36, 4) == (238, 150, 161)
    cropped = crop_to_half(DOC)
    assert 'viewBox="0 0 18 36"' in cropped
    assert 'viewBox="-10 4 18 36"' in crop_to_half(OFFSET)
    assert pixel(cropped, 4, 4) == WHITE and pixel(cropped, 36, 4) == RED  # centered, half as wide


def test_scale_shrinks_about_the_center():
    small = scale(DOC, 0.5)
    assert pixel(small, 36, 2) == WHITE and pixel(small, 36, 20) == RED


def test_recolor_outline_and_remove_part():
    assert color_word("#DD2E44") == "red" and color_word("#3B88C3") == "blue"
    assert pixel(recolor(DOC, "blue", "yellow"), 14, 50) == (255, 255, 0)
    with pytest.raises(SVGError, match="no fill is green"):
        recolor(DOC, "green", "red")
    assert pixel(outline(DOC, "black", 2), 4, 40) == (0, 0, 0)
    without = remove_part(DOC, 1)
    assert pixel(without, 14, 50) == WHITE and pixel(without, 36, 4) == RED
    with pytest.raises(SVGError, match="draws 2 shapes"):
        remove_part(DOC, 2)


def test_simplify_is_svgtok_normalization():
    assert simplify(DOC) == normalize(DOC).svg
    assert close(render(simplify(DOC), 72), render(DOC, 72))


def test_uppercase_hex_leaves_references_alone():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><path fill="#f4900c" stroke="url(#ab)"/><g fill="#abc"/></svg>'
    upper = uppercase_hex(svg)
    assert 'fill="#F4900C"' in upper and 'stroke="url(#ab)"' in upper
    assert fill_colors(upper) == ["#F4900C", "#ABC"]


def test_fill_colors_skip_what_is_not_drawn():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><defs><path fill="#111"/></defs><path fill="#222"/></svg>'
    assert fill_colors(svg) == ["#222"]


@pytest.mark.parametrize("bad", ["<svg", "<html/>", '<svg xmlns="http://www.w3.org/2000/svg" width="1em"/>'])
def test_bad_input_raises_svgerror(bad):
    with pytest.raises(SVGError):
        upside_down(bad)


def test_unknown_task_is_a_clear_error():
    with pytest.raises(SVGError, match="unknown edit task 'blur'"):
        make_edit("blur", DOC, random.Random(0))


@pytest.fixture(scope="module")
def emoji() -> list[str]:
    conn = connect(FIXTURE_CATALOG)
    icons = read_icons(conn, "palette = 'color' AND set_prefix IN ('noto', 'fluent-emoji-flat') AND tokens > 0")
    return [uppercase_hex(icon.svg) for icon in icons[:12]]


@pytest.mark.parametrize("task", TASKS)
def test_every_task_on_real_emoji_is_seeded_and_renders(task, emoji):
    made = 0
    for i, svg in enumerate(emoji):
        try:
            edit = make_edit(task, svg, random.Random(i))
        except SVGError as exc:  # an emoji can lack what a task needs (a nameable part, a hex fill)
            assert "fill" in str(exc) or "color" in str(exc)
            continue
        assert edit == make_edit(task, svg, random.Random(i))
        assert edit.task == task and edit.instruction.endswith(".")
        assert render(edit.target, 32).shape == (32, 32, 3)
        made += 1
    assert made >= len(emoji) // 2
