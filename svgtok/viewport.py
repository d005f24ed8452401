"""The canvas: viewBox, width, height and preserveAspectRatio (SVG 1.1, 7.8), for the root and nested ``<svg>``."""

from __future__ import annotations

import math

from lxml import etree

from svgtok import geometry
from svgtok.errors import SVGError
from svgtok.shapes import length


def viewport_size(root: etree._Element) -> tuple[float, float]:
    """The root viewport in user units: the viewBox size, else width and height (0 when unknown)."""
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            return float(view_box[2]), float(view_box[3])
        except ValueError:
            pass
    return length(root, "width"), length(root, "height")


def _parse_view_box(view_box: str) -> tuple[float, float, float, float]:
    try:
        vx, vy, vw, vh = (float(v) for v in view_box.replace(",", " ").split())
    except ValueError as exc:
        raise SVGError(f"viewBox {view_box!r} must be four numbers: min-x min-y width height") from exc
    if not (vw > 0 and vh > 0 and all(math.isfinite(v) for v in (vx, vy, vw, vh))):
        raise SVGError(f"viewBox {view_box!r} needs a positive, finite width and height")
    return vx, vy, vw, vh


def viewbox_transform(view_box: str, width: float, height: float, aspect: str) -> geometry.Affine:
    """The viewBox-to-viewport mapping of SVG 1.1 section 7.8, including preserveAspectRatio."""
    vx, vy, vw, vh = _parse_view_box(view_box)
    sx, sy = width / vw, height / vh
    parts = aspect.split()
    align = parts[0] if parts else "xMidYMid"
    if align == "none":
        return (sx, 0.0, 0.0, sy, -vx * sx, -vy * sy)
    s = max(sx, sy) if len(parts) > 1 and parts[1] == "slice" else min(sx, sy)
    tx, ty = -vx * s, -vy * s
    if "xMid" in align:
        tx += (width - vw * s) / 2
    elif "xMax" in align:
        tx += width - vw * s
    if "YMid" in align:
        ty += (height - vh * s) / 2
    elif "YMax" in align:
        ty += height - vh * s
    return (s, 0.0, 0.0, s, tx, ty)


def nested_viewport(element: etree._Element) -> geometry.Affine:
    """A nested ``<svg>``'s own viewport: placed at x, y, its viewBox fitted to width × height."""
    place = geometry.translate(length(element, "x"), length(element, "y"))
    view_box = element.get("viewBox")
    if view_box is None:
        return place
    _, _, vw, vh = _parse_view_box(view_box)
    width, height = length(element, "width", vw), length(element, "height", vh)
    fit = viewbox_transform(view_box, width, height, element.get("preserveAspectRatio", ""))
    return geometry.multiply(place, fit)


def resolve_canvas(root: etree._Element, grid: int) -> tuple[int, int, geometry.Affine]:
    """The canvas size in grid units (longer side = ``grid``) and the map from user space onto it."""
    view_box = root.get("viewBox")
    width, height = length(root, "width", -1.0), length(root, "height", -1.0)
    if "%" in (root.get("width") or "") or "%" in (root.get("height") or ""):
        width = height = -1.0
    if view_box is not None:
        _, _, vw, vh = _parse_view_box(view_box)
        if width <= 0 and height <= 0:
            width, height = vw, vh
        elif width <= 0:
            width = height * vw / vh
        elif height <= 0:
            height = width * vh / vw
        to_viewport = viewbox_transform(view_box, width, height, root.get("preserveAspectRatio", ""))
    elif width > 0 and height > 0:
        to_viewport = geometry.IDENTITY
    else:
        raise SVGError('the <svg> has neither a viewBox nor a width and height; add viewBox="0 0 W H"')
    if not (width > 0 and height > 0 and math.isfinite(width) and math.isfinite(height)):
        raise SVGError(f"the canvas size {width:g}×{height:g} must be positive and finite")
    s = grid / max(width, height)
    if not math.isfinite(s) or s <= 0:
        raise SVGError(f"the canvas size {width:g}×{height:g} is too small or too large to map onto the grid")
    canvas_w, canvas_h = max(1, round(width * s)), max(1, round(height * s))
    return canvas_w, canvas_h, geometry.multiply(geometry.scale(s), to_viewport)
