"""Flatten: walk a normalized tree once into float paths on the canvas (see :mod:`svgtok.normalize`).

The walk bakes every transform into coordinates and resolves inherited paint onto each path. Elements that
SVG composites as a group are flattened on their own first and then cut down with boolean path operations
(:mod:`svgtok.clip`): a ``clip-path`` keeps what lies inside the clip path's area (SVG 1.1, 14.3), a
``mask`` keeps its content in proportion to the mask's luminance (14.4), and a translucent group has each
child cut by the opaque children drawn after it, so that the pieces can carry the group's opacity one by
one (14.5). A gradient fill is cut into bands of flat color the same way (:mod:`svgtok.gradient`), and a
dashed stroke into its dashes in the element's user space, before the transform is baked (:mod:`svgtok.dash`).
What cannot be done exactly is listed in ``dropped``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from lxml import etree

from svgtok import clip, dash, geometry, gradient
from svgtok.color import CURRENT_COLOR, parse_color
from svgtok.errors import SVGError, note
from svgtok.parse import index_ids, local_name, url_id
from svgtok.pathdata import parse_path
from svgtok.quantize import FloatPath
from svgtok.shapes import fraction, length
from svgtok.viewport import nested_viewport, viewport_size

# Containers whose content is never drawn where it stands (SVG 1.1, 5.3 and 14).
NOT_RENDERED = frozenset(
    {"defs", "symbol", "clipPath", "mask", "pattern", "marker", "linearGradient", "radialGradient", "filter"}
)

INHERITED = (
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "stroke-dashoffset",
    "color",
    "visibility",
    "clip-rule",
)

INITIAL_STYLE = {
    "fill": "black",
    "fill-opacity": "1",
    "fill-rule": "nonzero",
    "stroke": "none",
    "stroke-width": "1",
    "stroke-opacity": "1",
    "stroke-linecap": "butt",
    "stroke-linejoin": "miter",
    "stroke-dasharray": "none",
    "stroke-dashoffset": "0",
    "visibility": "visible",
    "clip-rule": "nonzero",
}
MAX_NESTED_EFFECTS = 32  # clipped, masked or translucent groups inside each other or inside clip paths and masks
MAX_MASK_LAYERS = 1_024  # fills and strokes the masks of one document may composite, each with boolean operations
BAND_OVERLAP = 3.0  # grid units an opaque gradient band reaches under the next
MAX_GRADIENT_BANDS = 1_024  # bands of flat color the gradients of one document may be cut into; then one color each
Box = tuple[float, float, float, float]  # x, y, width, height
MASK_WINDOW = (("x", -0.1), ("y", -0.1), ("width", 1.2), ("height", 1.2))  # and their initial values
MAX_DASHES = 2_000  # dashes one document may be cut into; past it a stroke stays solid (hostile input stays fast)
MAX_DASHED_COMMANDS = 4_000  # commands of one dashed path: measuring every curve of a longer one takes seconds


def _stroke_width(value: str) -> float:
    text = value.strip().removesuffix("px")
    try:
        width = float(text)
    except ValueError:
        return 1.0
    return width if math.isfinite(width) and width >= 0 else 1.0


def _resolve_paint(value: str, style: dict[str, str]) -> tuple[str | None, float]:
    """A paint value that flatten already checked, with currentColor taken from ``color`` when set."""
    paint, alpha = parse_color(value)
    if paint == CURRENT_COLOR and "color" in style:
        inherited = parse_color(style["color"])
        if inherited is not None and inherited[0] not in (None, CURRENT_COLOR):
            return inherited[0], alpha * inherited[1]
    return paint, alpha


def _own_style(element: etree._Element, inherited: dict[str, str], dropped: list[str]) -> dict[str, str]:
    """The inherited properties in effect on an element: its own presentation attributes over its parent's."""
    style = dict(inherited)
    for prop in INHERITED:
        value = element.get(prop)
        if value is None or value.strip() == "inherit":
            continue
        if prop in ("fill", "stroke") and parse_color(value) is None and not value.startswith("url("):
            # An invalid presentation attribute is ignored (SVG 2, 6.6): the inherited paint applies.
            note(dropped, f"unknown color {value.strip()[:30]!r}")
            continue
        style[prop] = value.strip()
    return style


@dataclass
class _Walk:
    """What one flatten shares across composited elements: options, references and guards."""

    keep_arcs: bool
    dropped: list[str]
    ids: dict[str, etree._Element]
    viewport: tuple[float, float]
    resolving: list[str] = field(default_factory=list)  # clip paths and masks being drawn, innermost last
    dashes: int = 0  # dashes cut so far
    nesting: int = 0  # clipped, masked or translucent groups being drawn
    layers: int = 0  # mask fills and strokes composited so far
    one_color: bool = True  # a gradient fill becomes its mean color over the path, not bands
    bands: int = 0  # gradient bands cut so far


def _dashes(element: etree._Element, commands: list, style: dict[str, str], walk: _Walk) -> list | None:
    """A stroke's dashes in user space; None when it is solid or has too many dashes (then listed)."""
    width, height = walk.viewport
    percent_of = math.hypot(width, height) / math.sqrt(2)  # SVG 1.1, 7.10: percentages of other lengths
    array = dash.dash_array(style["stroke-dasharray"], percent_of)
    if array is None:
        return None
    if len(commands) > MAX_DASHED_COMMANDS:
        note(walk.dropped, f"stroke-dasharray (a path of more than {MAX_DASHED_COMMANDS:,} commands)")
        return None
    offset = dash.dash_offset(style["stroke-dashoffset"], percent_of)
    scale = 1.0
    authored = length(element, "pathLength")
    if 0 < authored < math.inf:  # SVG 2, pathLength: dashes are measured in the author's units
        scale = dash.path_length(commands) / authored
    pieces = dash.dash(commands, array, offset, MAX_DASHES - walk.dashes, scale)
    if pieces is None:
        note(walk.dropped, f"stroke-dasharray (more than {MAX_DASHES:,} dashes in the document)")
        return None
    walk.dashes += sum(cmd[0] == "M" for cmd in pieces)
    return pieces


def _style_at(element: etree._Element, dropped: list[str]) -> dict[str, str]:
    """The inherited properties in effect on an element, from the root down (a clip path's or mask's
    content inherits from where the ``<clipPath>`` or ``<mask>`` stands, not from where it is used)."""
    style = dict(INITIAL_STYLE)
    for node in [*reversed(list(element.iterancestors())), element]:
        style = _own_style(node, style, dropped)
    return style


def _bounding_box(paths: list[FloatPath], matrix: geometry.Affine) -> Box | None:
    """The bounding box (x, y, width, height) of flattened paths in the user space that ``matrix`` maps onto
    the canvas (SVG 1.1, 7.11); None when it is empty or has no width or no height."""
    inverse = geometry.invert(matrix)
    if inverse is None:
        return None
    boxes = [clip.area_of(geometry.transform_commands(inverse, p.commands, False)).bounds for p in paths]
    boxes = [b for b in boxes if b != (0.0, 0.0, 0.0, 0.0)]
    if not boxes:
        return None
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


def _box_transform(box: Box) -> geometry.Affine:
    """objectBoundingBox units: (0, 0) and (1, 1) are the box's corners."""
    return (box[2], 0.0, 0.0, box[3], box[0], box[1])


def _unit(value: str | None, default: float, reference: float, fraction: bool) -> float:
    """A mask's x, y, width or height in user units: a percentage of ``reference``, a fraction of it in
    objectBoundingBox units, else a number of user units; ``default`` is a fraction of ``reference``."""
    text = (value or "").strip()
    try:
        scale = reference / 100 if text.endswith("%") else (reference if fraction else 1.0)
        number = float(text.removesuffix("%")) * scale
    except ValueError:
        return default * reference
    return number if math.isfinite(number) else default * reference


def _gradient_to_canvas(paint: gradient.Gradient, path: FloatPath, matrix: geometry.Affine) -> geometry.Affine | None:
    """Gradient space to the canvas for a gradient painting ``path``, drawn in the user space ``matrix`` maps;
    None when objectBoundingBox units meet a path with no area (the gradient then draws nothing, 7.11)."""
    space = matrix  # the user space of the path, where userSpaceOnUse coordinates live (SVG 1.1, 13.2.2)
    if paint.box_units:
        box = _bounding_box([path], matrix)
        if box is None:
            return None
        space = geometry.multiply(matrix, _box_transform(box))
    return geometry.multiply(space, paint.transform)


def _one_paint(
    paint: gradient.Gradient, to_canvas: geometry.Affine, area: clip.Area, what: str, walk: _Walk
) -> tuple[str | None, float]:
    """The gradient's mean paint over ``area`` (listed unless the gradient is flat there); the stops' mean
    color where the mean cannot be measured."""
    inverse = geometry.invert(to_canvas)
    mean = gradient.mean_paint(paint, inverse, area) if inverse is not None else None
    if mean is None or not mean[2]:
        note(walk.dropped, f"gradient {what} (approximated by one color)")
    return mean[:2] if mean is not None else (gradient.mean_color(paint), 1.0)


def _gradient_stroke(path: FloatPath, value: str, matrix: geometry.Affine, walk: _Walk) -> FloatPath:
    """A path whose stroke is a gradient, stroked with the gradient's mean paint over the stroke's outline."""
    paint = gradient.parse_gradient(walk.ids[url_id(value)], walk.ids, walk.viewport)
    to_canvas = _gradient_to_canvas(paint, path, matrix)
    area = clip.stroke_area(path) if to_canvas is not None and path.stroke_width > 0 else None
    if area is None or clip.is_empty(area):
        return replace(path, stroke=None)
    color, alpha = _one_paint(paint, to_canvas, area, "stroke", walk)
    return replace(path, stroke=color, stroke_opacity=path.stroke_opacity * alpha)


def _gradient_fill(path: FloatPath, value: str, matrix: geometry.Affine, walk: _Walk) -> list[FloatPath]:
    """A path whose fill is a gradient (which normalization checked), cut into bands of flat color with the
    stroke, if any, drawn over them; or, with ``walk.one_color``, filled with the gradient's mean paint over
    the path. Beyond ``MAX_GRADIENT_BANDS``, or where the mean cannot be measured, the stops' mean color."""
    paint = gradient.parse_gradient(walk.ids[url_id(value)], walk.ids, walk.viewport)
    stroke = [replace(path, fill=None)] if path.stroke is not None else []
    area = clip.union([clip.area_of(path.commands, path.fill_rule)])
    to_canvas = _gradient_to_canvas(paint, path, matrix)
    if clip.is_empty(area) or to_canvas is None:
        return stroke
    if walk.one_color:
        color, alpha = _one_paint(paint, to_canvas, area, "fill", walk)
        return [replace(path, fill=color, fill_opacity=path.fill_opacity * alpha)]
    inverse = geometry.invert(to_canvas)
    found = None
    if inverse is not None:
        try:
            limit = MAX_GRADIENT_BANDS - walk.bands
            overlap = BAND_OVERLAP if path.fill_opacity >= 1 else 0.0  # translucent bands must not overlap
            found = gradient.bands(paint, to_canvas, inverse, area, limit, overlap)
        except SVGError:
            found = None
    if found is None:
        note(walk.dropped, "gradient fill (approximated by one color)")
        return [replace(path, fill=gradient.mean_color(paint))]
    walk.bands += len(found)
    if len(found) == 1 and found[0].area is area:
        if not found[0].flat:
            note(walk.dropped, "gradient fill (approximated by one color)")
        return [replace(path, fill=found[0].color, fill_opacity=path.fill_opacity * found[0].alpha)]
    note(walk.dropped, "gradient fill (approximated by bands of flat color)")
    bands = [
        replace(
            path,
            commands=clip.commands_of(band.area),
            fill=band.color,
            fill_opacity=path.fill_opacity * band.alpha,
            fill_rule=clip.fill_rule_of(band.area),
            stroke=None,
        )
        for band in found
    ]
    return bands + stroke


def _path(
    element: etree._Element,
    matrix: geometry.Affine,
    style: dict[str, str],
    opacity: float,
    walk: _Walk,
    clip_rule: bool,
) -> list[FloatPath]:
    """One ``<path>`` as flattened float paths: none when it is hidden or empty; a gradient fill as bands and a
    dashed stroke as its dashes, apart from each other (the content of a ``<clipPath>``, ``clip_rule``, has no
    stroke to dash)."""
    if style.get("visibility") in ("hidden", "collapse"):
        return []
    commands = parse_path(element.get("d") or "")
    if not commands:
        return []
    by_gradient = style["fill"].startswith("url(")
    stroke_by_gradient = style["stroke"].startswith("url(")
    fill, fill_alpha = (None, 1.0) if by_gradient else _resolve_paint(style["fill"], style)
    stroke, stroke_alpha = (None, 1.0) if stroke_by_gradient else _resolve_paint(style["stroke"], style)
    path = FloatPath(
        commands=geometry.transform_commands(matrix, commands, walk.keep_arcs),
        fill=fill,
        fill_opacity=fraction(style["fill-opacity"], 1.0) * fill_alpha,
        fill_rule="evenodd" if style["fill-rule"] == "evenodd" else "nonzero",
        stroke=stroke,
        stroke_width=_stroke_width(style["stroke-width"]) * geometry.mean_scale(matrix),
        stroke_opacity=fraction(style["stroke-opacity"], 1.0) * stroke_alpha,
        linecap=style["stroke-linecap"] if style["stroke-linecap"] in ("round", "square") else "butt",
        linejoin=style["stroke-linejoin"] if style["stroke-linejoin"] in ("round", "bevel") else "miter",
        opacity=1.0,
    )
    if stroke_by_gradient:  # the outline it strokes decides the one color
        path = _gradient_stroke(path, style["stroke"], matrix, walk)
        stroke = path.stroke
    dashes = None if clip_rule or stroke is None or path.stroke_width <= 0 else _dashes(element, commands, style, walk)
    pieces = [path]
    if dashes is not None:
        pieces = [replace(path, stroke=None)] if fill is not None or by_gradient else []
        if dashes:
            pieces.append(
                replace(path, commands=geometry.transform_commands(matrix, dashes, walk.keep_arcs), fill=None)
            )
    if by_gradient:  # the first piece holds the fill
        pieces = _gradient_fill(pieces[0], style["fill"], matrix, walk) + pieces[1:]
    if opacity < 1 and len(pieces) > 1:  # the element's opacity acts on all its pieces together (SVG 1.1, 14.5)
        pieces, exact = clip.occlude(pieces)
        if not exact:
            note(walk.dropped, "opacity of a path drawn in pieces (applied to each piece)")
    return [replace(p, opacity=opacity) for p in pieces]


def _content(target: etree._Element, matrix: geometry.Affine, walk: _Walk, clip_rule: bool) -> list[FloatPath]:
    """The flattened children of a ``<clipPath>`` or ``<mask>``, drawn with ``matrix``."""
    style = _style_at(target, walk.dropped)
    children = [c for c in target if isinstance(c.tag, str)]
    return [p for child in children for p in _flatten(child, matrix, style, 1.0, walk, clip_rule=clip_rule)]


def _clip_area(target: etree._Element, matrix: geometry.Affine, box: Box | None, walk: _Walk) -> clip.Area:
    """The canvas area a ``<clipPath>`` lets through (SVG 1.1, 14.3.5)."""
    if target.get("clipPathUnits") == "objectBoundingBox":
        matrix = geometry.multiply(matrix, _box_transform(box))
    matrix = geometry.multiply(matrix, geometry.parse_transform(target.get("transform")))
    shapes = _content(target, matrix, walk, clip_rule=True)
    return clip.union([clip.area_of(p.commands, p.fill_rule) for p in shapes])


def _mask_levels(
    target: etree._Element, matrix: geometry.Affine, box: Box | None, walk: _Walk
) -> list[tuple[clip.Area, float]] | None:
    """A ``<mask>`` as disjoint canvas areas of constant value (SVG 1.1, 14.4); None when its paint is unknown
    (``currentColor`` comes from the page) or the document's masks pass ``MAX_MASK_LAYERS`` fills and strokes."""
    user = target.get("maskUnits") == "userSpaceOnUse"
    x0, y0, width, height = (0.0, 0.0, *walk.viewport) if user else box
    references = (width, height, width, height)
    x, y, w, h = (_unit(target.get(k), d, r, not user) for (k, d), r in zip(MASK_WINDOW, references, strict=True))
    window = (x0 + x, y0 + y, w, h)
    content_matrix = matrix
    if target.get("maskContentUnits") == "objectBoundingBox":
        content_matrix = geometry.multiply(matrix, _box_transform(box))
    by_alpha = target.get("mask-type", "").strip() == "alpha"
    layers = []
    for path in _content(target, content_matrix, walk, clip_rule=False):
        for area, paint, alpha in clip.painted(path):
            if paint == CURRENT_COLOR and not by_alpha:
                return None
            alpha *= path.opacity
            layers.append((area, alpha if by_alpha else clip.luminance(paint) * alpha, alpha))
            walk.layers += 1
        if walk.layers > MAX_MASK_LAYERS:
            return None
    bounds = clip.rectangle(*window, matrix)
    return [(clip.intersect(area, bounds), value) for area, value in clip.mask_levels(layers)]


def _masked(
    content: list[FloatPath], target: etree._Element, matrix: geometry.Affine, box: Box | None, walk: _Walk
) -> list[FloatPath]:
    """Content under a mask: cut to each level's area and made as translucent as the level; overlaps are
    removed first where a level is translucent, as for group opacity. Unmasked and listed when the mask
    cannot be baked."""
    levels = _mask_levels(target, matrix, box, walk)
    if levels is None:
        note(walk.dropped, "mask")
        return content
    if len(content) > 1 and any(value < 1 for _, value in levels):
        content, exact = clip.occlude(content)
        if not exact:
            note(walk.dropped, "mask with partial opacity (applied to each path)")
    return clip.apply_mask(content, levels)


def _in_box_units(attr: str, target: etree._Element) -> bool:
    """True when a clip path or mask is laid out on the bounding box of the element that uses it."""
    if attr == "clip-path":
        return target.get("clipPathUnits") == "objectBoundingBox"
    return target.get("maskUnits") != "userSpaceOnUse" or target.get("maskContentUnits") == "objectBoundingBox"


def _clip_and_mask(
    element: etree._Element, matrix: geometry.Affine, content: list[FloatPath], walk: _Walk
) -> list[FloatPath]:
    """An element's flattened content cut by its clip path and mask, drawn in its user space ``matrix``."""
    refs = [(attr, url_id(element.get(attr) or "")) for attr in ("clip-path", "mask")]
    targets = [(attr, ref, walk.ids[ref]) for attr, ref in refs if ref in walk.ids]
    box = None
    if any(_in_box_units(attr, target) for attr, _, target in targets):
        box = _bounding_box(content, matrix)
        if box is None:
            return []  # objectBoundingBox units on an element with no area: nothing is drawn (SVG 1.1, 7.11)
    for attr, ref, target in targets:
        if ref in walk.resolving:
            note(walk.dropped, f"{attr} that references itself")
            continue
        walk.resolving.append(ref)
        try:
            if attr == "clip-path":
                area = _clip_area(target, matrix, box, walk)
                content = [piece for path in content for piece in clip.clip(path, area)]
            else:
                content = _masked(content, target, matrix, box, walk)
        finally:
            walk.resolving.pop()
    return content


def _composite(
    element: etree._Element,
    outer: geometry.Affine,
    matrix: geometry.Affine,
    inherited: dict[str, str],
    opacity: float,
    own_opacity: float,
    is_root: bool,
    clip_rule: bool,
    walk: _Walk,
) -> list[FloatPath]:
    """An element drawn as a group: its content flattened on its own, cut by its clip path and mask, and with
    overlaps removed under group opacity (the root's opacity stays on the document); then made translucent."""
    if walk.nesting >= MAX_NESTED_EFFECTS:
        raise SVGError(
            f"clip paths, masks and group opacity nest more than {MAX_NESTED_EFFECTS} deep; "
            "flatten the document's clipping first"
        )
    walk.nesting += 1
    content = _flatten(element, outer, inherited, 1.0, walk, is_root, False, clip_rule)
    content = _clip_and_mask(element, matrix, content, walk)
    group_opacity = 1.0 if is_root else own_opacity
    if group_opacity < 1 and len(content) > 1:
        content, exact = clip.occlude(content)
        if not exact:
            note(walk.dropped, "group opacity (applied to each path)")
    walk.nesting -= 1
    return [replace(p, opacity=p.opacity * opacity * group_opacity) for p in content]


def _flatten(
    start: etree._Element,
    matrix: geometry.Affine,
    style: dict[str, str],
    opacity: float,
    walk: _Walk,
    is_root: bool = False,
    effects: bool = True,
    clip_rule: bool = False,
) -> list[FloatPath]:
    """Flatten one subtree; ``effects=False`` leaves out the start's own clip path and mask, ``clip_rule=True``
    fills by ``clip-rule`` (the content of a ``<clipPath>``)."""
    paths: list[FloatPath] = []
    stack = [(start, matrix, style, opacity, is_root)]
    while stack:
        element, outer, inherited, opacity, is_root = stack.pop()
        name = local_name(element)
        if name in NOT_RENDERED or element.get("display", "").strip() == "none":
            continue
        style = _own_style(element, inherited, walk.dropped)
        if clip_rule:
            style["fill-rule"] = style["clip-rule"]
        # The root's own transform (allowed on <svg> by SVG 2, 8.5) acts in its user space, inside the viewBox
        # mapping, as cairosvg draws it; SVGEditBench's Upside-Down answers are written that way.
        matrix = geometry.multiply(outer, geometry.parse_transform(element.get("transform")))
        composited = effects or element is not start  # else the caller composites the start
        own_opacity = fraction(element.get("opacity"), 1.0) if composited else 1.0
        group_opacity = own_opacity < 1 and not is_root and name != "path"
        if composited and (element.get("clip-path") or element.get("mask") or group_opacity):
            paths.extend(_composite(element, outer, matrix, inherited, opacity, own_opacity, is_root, clip_rule, walk))
            continue
        if name == "svg" and not is_root:
            matrix = geometry.multiply(matrix, nested_viewport(element))
        if name == "path":
            paths.extend(_path(element, matrix, style, opacity * own_opacity, walk, clip_rule))
            continue
        children = [c for c in element if isinstance(c.tag, str)]
        if name == "switch":  # SVG 1.1, 5.8: only the first child is drawn (no conditions are evaluated)
            children = children[:1]
        child_opacity = opacity if is_root else opacity * own_opacity
        stack.extend((c, matrix, style, child_opacity, False) for c in reversed(children))
    return paths


def flatten(
    root: etree._Element, canvas: geometry.Affine, keep_arcs: bool, dropped: list[str], gradient_bands: bool = False
) -> list[FloatPath]:
    """Walk the rendered tree once: bake transforms into coordinates, resolve inherited paint, bake clips and
    masks; gradient fills become their mean color over each path, or bands of flat color with ``gradient_bands``."""
    walk = _Walk(keep_arcs, dropped, index_ids(root), viewport_size(root), one_color=not gradient_bands)
    return _flatten(root, canvas, dict(INITIAL_STYLE), 1.0, walk, is_root=True)
