"""Clip paths, masks and group opacity baked into geometry with boolean path operations (skia-pathops).

:func:`svgtok.flatten.flatten` flattens a clipped, masked or translucent group's content, and the content of
the ``<clipPath>`` or ``<mask>`` it references, into :class:`~svgtok.quantize.FloatPath` lists on the canvas.
This module turns those into areas and cuts the content down to what is drawn:

- a clip path is the union of its children's areas, each filled by its ``clip-rule`` (SVG 1.1, 14.3.5);
- a mask drawn with flat colors is piecewise constant: :func:`mask_levels` composites its shapes in
  painter's order into disjoint areas, each with one value, luminance × alpha (14.4), and
  :func:`apply_mask` intersects the content with each area and multiplies its opacity by the value;
- under group opacity (14.5), :func:`occlude` cuts from each path what later opaque paths cover, so the
  pieces can each carry the group's opacity.

A stroke that an area cuts becomes its outline, filled with the stroke's paint; a path wholly inside
stays as it was, stroke and all. Arcs become cubics on the way in; curves come out as cubics and
quadratics, which the token language writes as they are.
"""

from __future__ import annotations

import dataclasses

import pathops

from svgtok.errors import SVGError
from svgtok.geometry import Affine, apply, arc_to_cubics
from svgtok.pathdata import Command
from svgtok.quantize import FloatPath

Area = pathops.Path

CURVE_TOLERANCE = 0.05  # grid units: round caps and joins come out of Skia as conics, turned into quadratics
MITER_LIMIT = 4.0  # SVG's initial stroke-miterlimit, the only one the token language draws
EMPTY = 1e-3  # square grid units: an area this small draws nothing at any render size svgtok uses
# Skia works in float32; far outside the canvas a point only has to keep its side. quantize clamps far harder.
COORDINATE_LIMIT = 1e6
LUMINANCE = (0.2125, 0.7154, 0.0721)  # SVG 1.1, 14.4, applied to sRGB values as browsers do
_CAPS = {"butt": pathops.LineCap.BUTT_CAP, "round": pathops.LineCap.ROUND_CAP, "square": pathops.LineCap.SQUARE_CAP}
_JOINS = {
    "miter": pathops.LineJoin.MITER_JOIN,
    "round": pathops.LineJoin.ROUND_JOIN,
    "bevel": pathops.LineJoin.BEVEL_JOIN,
}


def _clamped(values: tuple) -> list[float]:
    return [max(-COORDINATE_LIMIT, min(COORDINATE_LIMIT, v)) for v in values]


def area_of(commands: list[Command], fill_rule: str = "nonzero") -> Area:
    """The area that absolute commands enclose under a fill rule; arcs become cubics."""
    area = Area(fillType=pathops.FillType.EVEN_ODD if fill_rule == "evenodd" else pathops.FillType.WINDING)
    add = {"M": area.moveTo, "L": area.lineTo, "Q": area.quadTo, "C": area.cubicTo}
    x = y = start_x = start_y = 0.0
    for cmd in commands:
        op = cmd[0]
        if op == "Z":
            area.close()
            x, y = start_x, start_y
            continue
        for piece in arc_to_cubics(x, y, cmd) if op == "A" else [cmd]:
            add[piece[0]](*_clamped(piece[1:]))
        x, y = cmd[-2], cmd[-1]
        if op == "M":
            start_x, start_y = x, y
    return area


def commands_of(area: Area) -> list[Command]:
    """Absolute commands that draw an area."""
    out: list[Command] = []
    letters = {pathops.PathVerb.MOVE: "M", pathops.PathVerb.LINE: "L"}
    letters |= {pathops.PathVerb.QUAD: "Q", pathops.PathVerb.CUBIC: "C"}
    for verb, points in area:
        if verb == pathops.PathVerb.CLOSE:
            out.append(("Z",))
        else:
            out.append((letters[verb], *(v for point in points for v in point)))
    return out


def fill_rule_of(area: Area) -> str:
    return "evenodd" if area.fillType == pathops.FillType.EVEN_ODD else "nonzero"


def stroke_area(path: FloatPath) -> Area:
    """The outline of a path's stroke, as an area to fill."""
    area = area_of(path.commands)
    area.stroke(path.stroke_width, _CAPS[path.linecap], _JOINS[path.linejoin], MITER_LIMIT)
    area.convertConicsToQuads(CURVE_TOLERANCE)
    return area


def is_empty(area: Area) -> bool:
    """True for an area that draws nothing; ``area`` must come out of a boolean operation (whose contours
    wind one way around what is inside and the other around holes, so their signed areas add up)."""
    return len(area) == 0 or abs(area.area) < EMPTY


def _op(one: Area, two: Area, operation: pathops.PathOp) -> Area:
    try:
        return pathops.op(one, two, operation)
    except pathops.PathOpsError as exc:
        raise SVGError(
            "a clip path, mask or translucent group has geometry that boolean path operations cannot resolve; "
            f"simplify it or keep its coordinates within ±{COORDINATE_LIMIT:g} canvas units"
        ) from exc


def union(areas: list[Area]) -> Area:
    # One operation per area: OpBuilder's shortcut for all-union input drops holes inside islands.
    result = Area()
    for area in areas:
        result = _op(result, area, pathops.PathOp.UNION)
    return result


def intersect(one: Area, two: Area) -> Area:
    return _op(one, two, pathops.PathOp.INTERSECTION)


def subtract(one: Area, two: Area) -> Area:
    return _op(one, two, pathops.PathOp.DIFFERENCE)


def rectangle(x: float, y: float, width: float, height: float, matrix: Affine) -> Area:
    """A rectangle in some user space, mapped onto the canvas."""
    corners = [apply(matrix, px, py) for px, py in ((x, y), (x + width, y), (x + width, y + height), (x, y + height))]
    return area_of([("M", *corners[0]), *(("L", *c) for c in corners[1:]), ("Z",)])


def painted(path: FloatPath) -> list[tuple[Area, str | None, float]]:
    """What a path paints: its fill and its stroke outline, each with its paint and alpha (before opacity)."""
    layers = []
    if path.fill is not None and path.fill_opacity > 0:
        layers.append((area_of(path.commands, path.fill_rule), path.fill, path.fill_opacity))
    if path.stroke is not None and path.stroke_opacity > 0 and path.stroke_width > 0:
        layers.append((stroke_area(path), path.stroke, path.stroke_opacity))
    return layers


def clip(path: FloatPath, area: Area, inside: bool = True) -> list[FloatPath]:
    """What of one path is drawn inside an area (outside it with ``inside=False``): the path itself when it
    is wholly there, else its fill and stroke outline cut to it."""
    keep, lose = (intersect, subtract) if inside else (subtract, intersect)
    layers = painted(path)
    if not layers:
        return []
    if all(is_empty(lose(shape, area)) for shape, _, _ in layers):
        return [path]
    pieces = []
    for shape, paint, alpha in layers:
        kept = keep(shape, area)
        if not is_empty(kept):
            pieces.append(
                dataclasses.replace(
                    path,
                    commands=commands_of(kept),
                    fill=paint,
                    fill_opacity=alpha,
                    fill_rule=fill_rule_of(kept),
                    stroke=None,
                )
            )
    return pieces


def _overlaps_translucently(paths: list[FloatPath]) -> bool:
    """True when some translucent fill or stroke lies over what the paths before it painted."""
    below = Area()
    for path in paths:
        for shape, _, alpha in painted(path):
            if alpha * path.opacity < 1 and len(below) and not is_empty(intersect(shape, below)):
                return True
            below = union([below, shape])
    return False


def occlude(paths: list[FloatPath]) -> tuple[list[FloatPath], bool]:
    """Each path less what later, opaque paths paint over it (SVG 1.1, 14.5: group opacity).

    Drawn one by one with the group's opacity, the pieces look like the group composited alone and then
    made translucent. Returns the pieces and whether that is exact: it is not where a translucent piece
    lies over another (what is under it then shows through twice).
    """
    out: list[FloatPath] = []
    cover = Area()
    for path in reversed(paths):
        out.extend(reversed(clip(path, cover, inside=False) if len(cover) else [path]))
        for shape, _, alpha in painted(path):
            if alpha * path.opacity >= 1:
                cover = union([cover, shape])
    out.reverse()
    return out, not _overlaps_translucently(out)


def luminance(color: str) -> float:
    """The luminance of a ``#rrggbb`` color, in [0, 1]."""
    return sum(k * int(color[1 + 2 * i : 3 + 2 * i], 16) / 255 for i, k in enumerate(LUMINANCE))


def mask_levels(layers: list[tuple[Area, float, float]]) -> list[tuple[Area, float]]:
    """Composite a mask's layers into disjoint areas of constant mask value (zero elsewhere).

    Args:
        layers: ``(area, value, alpha)`` in painter's order, where value is what the layer contributes
            (luminance × alpha for a luminance mask, alpha for an alpha mask). Over an earlier mask value
            ``m`` a layer leaves ``value + m·(1 − alpha)``, because compositing is linear in premultiplied
            color (Porter–Duff source-over).

    Returns:
        ``(area, value)`` pairs; values are rounded to hundredths, the precision of the token language's
        opacity, and areas of equal value are merged.
    """
    levels: list[tuple[Area, float]] = []
    for shape, value, alpha in layers:
        area = union([shape])  # resolved, so is_empty can measure it
        if is_empty(area):
            continue
        updated = [(subtract(region, area), m) for region, m in levels]
        if alpha < 1:
            updated += [(intersect(region, area), value + m * (1 - alpha)) for region, m in levels]
            area = subtract(area, union([region for region, _ in levels])) if levels else area
        updated.append((area, value))
        merged: dict[float, list[Area]] = {}
        for region, m in updated:
            if round(m, 2) > 0 and not is_empty(region):
                merged.setdefault(round(m, 2), []).append(region)
        levels = [(union(regions), m) for m, regions in merged.items()]
    return levels


def apply_mask(paths: list[FloatPath], levels: list[tuple[Area, float]]) -> list[FloatPath]:
    """Masked content: each path cut to each level's area, its opacity multiplied by the level's value."""
    out = []
    for path in paths:
        for area, value in levels:
            out.extend(dataclasses.replace(piece, opacity=piece.opacity * value) for piece in clip(path, area))
    return out
