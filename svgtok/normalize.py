"""Normalization: any SVG to the flat, quantized document that svgtok's tokens express exactly.

The passes run in this order on a tree that :func:`svgtok.parse.parse` checked; each mutates the tree it
is given and appends what it had to drop to ``dropped``:

1. ``resolve_styles``        ``<style>`` sheets and ``style`` attributes → presentation attributes
2. ``check_clips_and_masks`` ``clip-path`` and ``mask`` references flatten cannot bake (CSS shapes, text,
                             images, gradients, filters in the content) → listed
3. ``drop_unsupported``      text, images, filters, patterns, markers, animation, dashes → listed
4. ``expand_use``            ``<use>`` of local elements and symbols → transformed copies
5. ``shapes_to_paths``       rect, circle, ellipse, line, polyline, polygon → ``<path>``
6. ``resolve_paint_servers`` gradients → one representative color

Then ``flatten`` walks the tree once, baking the canvas mapping (viewBox, width/height,
preserveAspectRatio) and every transform into coordinates, resolving inherited paint, and baking clip
paths and masks into geometry with boolean path operations (see :mod:`svgtok.clip`); ``quantize`` puts
the result on the integer grid (see :mod:`svgtok.quantize`).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field, replace

from lxml import etree

from svgtok import clip, geometry
from svgtok.color import CURRENT_COLOR, mix, parse_color
from svgtok.document import SVGDoc, to_svg
from svgtok.errors import SVGError
from svgtok.parse import DEFAULT_LIMITS, SVG_NS, Limits, href_of, local_name, parse
from svgtok.pathdata import parse_path
from svgtok.quantize import FloatPath, quantize
from svgtok.shapes import SHAPES, length, shape_commands
from svgtok.styles import resolve_styles

DROPPED_ELEMENTS = {
    "text": "text",
    "image": "image",
    "foreignObject": "foreignObject",
    "script": "script",
    "animate": "animation",
    "animateTransform": "animation",
    "animateMotion": "animation",
    "animateColor": "animation",
    "set": "animation",
}
DROPPED_ATTRIBUTES = {
    "filter": "filter",
    "marker-start": "marker",
    "marker-mid": "marker",
    "marker-end": "marker",
    "stroke-dasharray": "stroke-dasharray",
}
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
    "visibility": "visible",
    "clip-rule": "nonzero",
}
MAX_USE_EXPANSIONS = 2_000
# What a clip path or mask may not contain to be baked into geometry (its paint must be flat colors, too).
UNBAKEABLE = frozenset({"text", "image", "foreignObject", "pattern", "linearGradient", "radialGradient", "filter"})
MAX_NESTED_EFFECTS = 32  # clipped, masked or translucent groups inside each other or inside clip paths and masks
MAX_MASK_LAYERS = 1_024  # fills and strokes the masks of one document may composite, each with boolean operations
MASK_WINDOW = (("x", -0.1), ("y", -0.1), ("width", 1.2), ("height", 1.2))  # and their initial values


@dataclass
class NormalizeResult:
    """A normalized document and the features normalization could not represent."""

    doc: SVGDoc
    dropped: list[str] = field(default_factory=list)

    @property
    def svg(self) -> str:
        return to_svg(self.doc)


def _note(dropped: list[str], feature: str) -> None:
    if feature not in dropped:
        dropped.append(feature)


def drop_unsupported(root: etree._Element, dropped: list[str]) -> None:
    """Remove elements and attributes the token language cannot express, and list each kind once."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        name = local_name(element)
        if name in DROPPED_ELEMENTS:
            _note(dropped, DROPPED_ELEMENTS[name])
            element.getparent().remove(element)
            continue
        if name in ("metadata", "title", "desc"):
            element.getparent().remove(element)
            continue
        for attr, feature in DROPPED_ATTRIBUTES.items():
            value = element.get(attr)
            if value is not None:
                if value.strip() != "none":
                    _note(dropped, feature)
                del element.attrib[attr]


def _index_ids(root: etree._Element) -> dict[str, etree._Element]:
    return {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}


def _url_id(value: str) -> str | None:
    """The id in a local ``url(#id)`` reference; None for anything else (CSS shapes, other documents)."""
    text = value.strip()
    if not (text.startswith("url(") and text.endswith(")")):
        return None
    ref = text[4:-1].strip(" '\"")
    return ref[1:] if ref.startswith("#") and len(ref) > 1 else None


def _bakeable(target: etree._Element, ids: dict[str, etree._Element]) -> bool:
    """True when a clip path's or mask's content, followed through ``<use>``, is flat shapes that
    :mod:`svgtok.clip` can turn into areas: no text, images, filters, gradients or patterns."""
    seen: set[int] = set()
    pending = [target]
    while pending:
        element = pending.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        for node in element.iter():
            if not isinstance(node.tag, str):
                continue
            name = local_name(node)
            if name in UNBAKEABLE or (node.get("filter") or "none").strip() != "none":
                return False
            if any((node.get(prop) or "").strip().startswith("url(") for prop in ("fill", "stroke")):
                return False
            ref = (href_of(node) or "").strip() if name == "use" else ""
            if ref[1:] in ids and ref.startswith("#"):
                pending.append(ids[ref[1:]])
    return True


def check_clips_and_masks(root: etree._Element, dropped: list[str]) -> None:
    """Keep the ``clip-path`` and ``mask`` references that flatten can bake into geometry; drop and list the rest."""
    ids = _index_ids(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr, kind in (("clip-path", "clipPath"), ("mask", "mask")):
            value = element.get(attr)
            if value is None:
                continue
            target = ids.get(_url_id(value) or "")
            if target is not None and local_name(target) == kind and _bakeable(target, ids):
                continue
            if value.strip() != "none":
                _note(dropped, attr)
            del element.attrib[attr]


def expand_use(root: etree._Element, dropped: list[str]) -> None:
    """Replace each ``<use>`` of a local element with a transformed copy (SVG 1.1, 5.6)."""
    expansions = 0
    viewport = _viewport_size(root)
    while True:
        uses = [e for e in root.iter() if isinstance(e.tag, str) and local_name(e) == "use"]
        if not uses:
            return
        ids = _index_ids(root)
        for use in uses:
            parent = use.getparent()
            if parent is None:
                continue
            ref = (href_of(use) or "").strip()
            target = ids.get(ref[1:]) if ref.startswith("#") else None
            expansions += 1
            if target is None or expansions > MAX_USE_EXPANSIONS or _contains(target, use):
                _note(
                    dropped,
                    "use of a missing or recursive reference" if expansions <= MAX_USE_EXPANSIONS else "use",
                )
                parent.remove(use)
                if expansions > MAX_USE_EXPANSIONS:
                    raise SVGError(
                        f"<use> expands more than {MAX_USE_EXPANSIONS:,} times; the document is too deeply "
                        "self-referencing to draw safely"
                    )
                continue
            group = etree.Element(f"{{{SVG_NS}}}g")
            for attr, value in use.attrib.items():
                if attr.rsplit("}", 1)[-1] not in ("href", "x", "y", "width", "height", "id"):
                    group.set(attr, value)
            shift = f"translate({length(use, 'x')} {length(use, 'y')})"
            group.set("transform", f"{use.get('transform', '')} {shift}".strip())
            clone = copy.deepcopy(target)
            clone.attrib.pop("id", None)
            if local_name(clone) == "symbol":
                clone.tag = f"{{{SVG_NS}}}g"
                view_box = clone.attrib.pop("viewBox", None)
                if view_box:  # sized by the use, else 100% of the viewport
                    w, h = length(use, "width", viewport[0]), length(use, "height", viewport[1])
                    m = _viewbox_transform(view_box, w, h, clone.attrib.pop("preserveAspectRatio", ""))
                    clone.set("transform", "matrix({} {} {} {} {} {})".format(*m))
            group.append(clone)
            parent.replace(use, group)


def _viewport_size(root: etree._Element) -> tuple[float, float]:
    """The root viewport in user units: the viewBox size, else width and height (0 when unknown)."""
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            return float(view_box[2]), float(view_box[3])
        except ValueError:
            pass
    return length(root, "width"), length(root, "height")


def _contains(ancestor: etree._Element, element: etree._Element) -> bool:
    return any(a is ancestor for a in element.iterancestors()) or ancestor is element


def shapes_to_paths(root: etree._Element, dropped: list[str]) -> None:
    """Turn every basic shape into a ``<path>`` with the same geometry and attributes."""
    for element in list(root.iter()):
        if isinstance(element.tag, str) and local_name(element) in SHAPES:
            commands = shape_commands(element)
            for attr in (
                "x",
                "y",
                "width",
                "height",
                "rx",
                "ry",
                "cx",
                "cy",
                "r",
                "x1",
                "y1",
                "x2",
                "y2",
                "points",
            ):
                element.attrib.pop(attr, None)
            element.tag = f"{{{SVG_NS}}}path"
            element.set("d", _commands_text(commands))


def _commands_text(commands: list) -> str:
    """Absolute commands as path data at full precision (``repr`` floats round-trip exactly)."""
    return " ".join(c[0] + " ".join(str(v) if isinstance(v, int) else repr(float(v)) for v in c[1:]) for c in commands)


def _gradient_color(gradient: etree._Element, ids: dict[str, etree._Element]) -> str | None:
    """The mean color of a gradient's stops, weighted by stop opacity; follows ``href`` for stops."""
    seen = 0
    while not [s for s in gradient if local_name(s) == "stop"] and seen < 8:
        ref = (href_of(gradient) or "").strip()
        if not ref.startswith("#") or ref[1:] not in ids:
            return None
        gradient, seen = ids[ref[1:]], seen + 1
    colors = []
    for stop in gradient:
        if local_name(stop) != "stop":
            continue
        parsed = parse_color(stop.get("stop-color", "black"))
        if parsed is None or parsed[0] is None or parsed[0] == CURRENT_COLOR:
            continue
        opacity = _fraction(stop.get("stop-opacity"), 1.0) * parsed[1]
        colors.append((parsed[0], max(opacity, 1e-3)))
    return mix(colors) if colors else None


def resolve_paint_servers(root: etree._Element, dropped: list[str]) -> None:
    """Replace ``url(#gradient)`` paints with one representative color; patterns fall back or go."""
    ids = _index_ids(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for prop in ("fill", "stroke"):
            value = element.get(prop)
            if not value or not value.strip().startswith("url("):
                continue
            ref, _, fallback = value.strip()[4:].partition(")")
            target = ids.get(ref.strip(" '\"").lstrip("#"))
            color = None
            if target is not None and local_name(target) in ("linearGradient", "radialGradient"):
                _note(dropped, "gradient (approximated by one color)")
                color = _gradient_color(target, ids)
            else:
                _note(dropped, "pattern" if target is not None else "paint reference to a missing element")
            element.set(prop, color or fallback.strip() or "none")


PASSES = (resolve_styles, check_clips_and_masks, drop_unsupported, expand_use, shapes_to_paths, resolve_paint_servers)


def _fraction(value: str | None, default: float) -> float:
    """An opacity-like value (``0.5`` or ``50%``) clamped to [0, 1]."""
    if value is None:
        return default
    text = value.strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return default
    return max(0.0, min(1.0, number)) if math.isfinite(number) else default


def _parse_view_box(view_box: str) -> tuple[float, float, float, float]:
    try:
        vx, vy, vw, vh = (float(v) for v in view_box.replace(",", " ").split())
    except ValueError as exc:
        raise SVGError(f"viewBox {view_box!r} must be four numbers: min-x min-y width height") from exc
    if not (vw > 0 and vh > 0 and all(math.isfinite(v) for v in (vx, vy, vw, vh))):
        raise SVGError(f"viewBox {view_box!r} needs a positive, finite width and height")
    return vx, vy, vw, vh


def _viewbox_transform(view_box: str, width: float, height: float, aspect: str) -> geometry.Affine:
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
        to_viewport = _viewbox_transform(view_box, width, height, root.get("preserveAspectRatio", ""))
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


def _stroke_width(value: str) -> float:
    text = value.strip().removesuffix("px")
    try:
        width = float(text)
    except ValueError:
        return 1.0
    return width if math.isfinite(width) and width >= 0 else 1.0


def _nested_viewport(element: etree._Element) -> geometry.Affine:
    """A nested ``<svg>``'s own viewport: placed at x, y, its viewBox fitted to width × height."""
    place = geometry.translate(length(element, "x"), length(element, "y"))
    view_box = element.get("viewBox")
    if view_box is None:
        return place
    _, _, vw, vh = _parse_view_box(view_box)
    width, height = length(element, "width", vw), length(element, "height", vh)
    fit = _viewbox_transform(view_box, width, height, element.get("preserveAspectRatio", ""))
    return geometry.multiply(place, fit)


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
        if prop in ("fill", "stroke") and parse_color(value) is None:
            # An invalid presentation attribute is ignored (SVG 2, 6.6): the inherited paint applies.
            _note(dropped, f"unknown color {value.strip()[:30]!r}")
            continue
        style[prop] = value.strip()
    return style


@dataclass
class _Walk:
    """What one flatten shares across clip paths and masks: options, references and nesting guards."""

    keep_arcs: bool
    dropped: list[str]
    ids: dict[str, etree._Element]
    viewport: tuple[float, float]
    resolving: list[str] = field(default_factory=list)  # clip paths and masks being drawn, innermost last
    nesting: int = 0  # clipped or masked elements being drawn
    layers: int = 0  # mask fills and strokes composited so far


def flatten(root: etree._Element, canvas: geometry.Affine, keep_arcs: bool, dropped: list[str]) -> list[FloatPath]:
    """Walk the rendered tree once: bake transforms into coordinates, resolve inherited paint, bake clips and masks."""
    walk = _Walk(keep_arcs, dropped, _index_ids(root), _viewport_size(root))
    return _flatten(root, canvas, dict(INITIAL_STYLE), 1.0, walk, is_root=True)


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
        own_opacity = _fraction(element.get("opacity"), 1.0) if composited else 1.0
        group_opacity = own_opacity < 1 and not is_root and name != "path"
        if composited and (element.get("clip-path") or element.get("mask") or group_opacity):
            paths.extend(_composite(element, outer, matrix, inherited, opacity, own_opacity, is_root, clip_rule, walk))
            continue
        if name == "svg" and not is_root:
            matrix = geometry.multiply(matrix, _nested_viewport(element))
        if name == "path":
            paths.extend(_path(element, matrix, style, opacity * own_opacity, walk.keep_arcs))
            continue
        children = [c for c in element if isinstance(c.tag, str)]
        if name == "switch":  # SVG 1.1, 5.8: only the first child is drawn (no conditions are evaluated)
            children = children[:1]
        child_opacity = opacity if is_root else opacity * own_opacity
        stack.extend((c, matrix, style, child_opacity, False) for c in reversed(children))
    return paths


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
            _note(walk.dropped, "group opacity (applied to each path)")
    walk.nesting -= 1
    return [replace(p, opacity=p.opacity * opacity * group_opacity) for p in content]


def _style_at(element: etree._Element, dropped: list[str]) -> dict[str, str]:
    """The inherited properties in effect on an element, from the root down (a clip path's or mask's
    content inherits from where the ``<clipPath>`` or ``<mask>`` stands, not from where it is used)."""
    style = dict(INITIAL_STYLE)
    for node in [*reversed(list(element.iterancestors())), element]:
        style = _own_style(node, style, dropped)
    return style


def _bounding_box(paths: list[FloatPath], matrix: geometry.Affine) -> tuple[float, float, float, float] | None:
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


def _box_transform(box: tuple[float, float, float, float]) -> geometry.Affine:
    """objectBoundingBox units: (0, 0) and (1, 1) are the box's corners."""
    return (box[2], 0.0, 0.0, box[3], box[0], box[1])


def _content(target: etree._Element, matrix: geometry.Affine, walk: _Walk, clip_rule: bool) -> list[FloatPath]:
    """The flattened children of a ``<clipPath>`` or ``<mask>``, drawn with ``matrix``."""
    style = _style_at(target, walk.dropped)
    children = [c for c in target if isinstance(c.tag, str)]
    return [p for child in children for p in _flatten(child, matrix, style, 1.0, walk, clip_rule=clip_rule)]


def _clip_area(target: etree._Element, matrix: geometry.Affine, box, walk: _Walk) -> clip.Area:
    """The canvas area a ``<clipPath>`` lets through (SVG 1.1, 14.3.5)."""
    if target.get("clipPathUnits") == "objectBoundingBox":
        matrix = geometry.multiply(matrix, _box_transform(box))
    matrix = geometry.multiply(matrix, geometry.parse_transform(target.get("transform")))
    shapes = _content(target, matrix, walk, clip_rule=True)
    return clip.union([clip.area_of(p.commands, p.fill_rule) for p in shapes])


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


def _mask_levels(target: etree._Element, matrix: geometry.Affine, box, walk: _Walk) -> list | None:
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


def _clip_and_mask(element: etree._Element, matrix: geometry.Affine, content: list[FloatPath], walk: _Walk):
    """An element's flattened content cut by its clip path and mask, drawn in its user space ``matrix``."""
    if element.get("clip-path") is None and element.get("mask") is None:
        return content
    box = _bounding_box(content, matrix)
    for attr in ("clip-path", "mask"):
        ref = _url_id(element.get(attr) or "")
        target = walk.ids.get(ref or "")
        if target is None:
            continue
        if ref in walk.resolving:
            _note(walk.dropped, f"{attr} that references itself")
            continue
        if attr == "clip-path":
            needs_box = target.get("clipPathUnits") == "objectBoundingBox"
        else:
            needs_box = (
                target.get("maskUnits") != "userSpaceOnUse" or target.get("maskContentUnits") == "objectBoundingBox"
            )
        if box is None and needs_box:
            return []  # objectBoundingBox units on an element with no area: nothing is drawn (SVG 1.1, 7.11)
        walk.resolving.append(ref)
        try:
            if attr == "clip-path":
                area = _clip_area(target, matrix, box, walk)
                content = [piece for path in content for piece in clip.clip(path, area)]
                continue
            levels = _mask_levels(target, matrix, box, walk)
        finally:
            walk.resolving.pop()
        if levels is None:
            _note(walk.dropped, "mask")
            continue
        if len(content) > 1 and any(value < 1 for _, value in levels):
            _note(walk.dropped, "mask with partial opacity (applied to each path)")
        content = clip.apply_mask(content, levels)
    return content


def _path(
    element: etree._Element, matrix: geometry.Affine, style: dict[str, str], opacity: float, keep_arcs: bool
) -> list[FloatPath]:
    """One ``<path>`` as a flattened float path (none when it is hidden or empty)."""
    if style.get("visibility") in ("hidden", "collapse"):
        return []
    commands = parse_path(element.get("d") or "")
    if not commands:
        return []
    fill, fill_alpha = _resolve_paint(style["fill"], style)
    stroke, stroke_alpha = _resolve_paint(style["stroke"], style)
    return [
        FloatPath(
            commands=geometry.transform_commands(matrix, commands, keep_arcs),
            fill=fill,
            fill_opacity=_fraction(style["fill-opacity"], 1.0) * fill_alpha,
            fill_rule="evenodd" if style["fill-rule"] == "evenodd" else "nonzero",
            stroke=stroke,
            stroke_width=_stroke_width(style["stroke-width"]) * geometry.mean_scale(matrix),
            stroke_opacity=_fraction(style["stroke-opacity"], 1.0) * stroke_alpha,
            linecap=style["stroke-linecap"] if style["stroke-linecap"] in ("round", "square") else "butt",
            linejoin=style["stroke-linejoin"] if style["stroke-linejoin"] in ("round", "bevel") else "miter",
            opacity=opacity,
        )
    ]


def normalize(
    svg: str | bytes,
    grid: int = 256,
    arcs: str = "keep",
    limits: Limits = DEFAULT_LIMITS,
    active: str = "reject",
) -> NormalizeResult:
    """Normalize an SVG document onto svgtok's canonical canvas and grid.

    Args:
        svg: the document text.
        grid: grid units along the canvas's longer side.
        arcs: ``"keep"`` quantizes arcs as arcs; ``"cubic"`` turns them into cubic Béziers.
        limits: parsing limits (see :class:`svgtok.parse.Limits`).
        active: what to do with scripts and external references: ``"reject"`` or ``"drop"``.

    Returns:
        The normalized document and the list of features that were dropped or approximated.

    Raises:
        SVGError: when the input cannot be parsed safely or has no usable canvas.

    Example:
        >>> svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle r="4" cx="12" cy="12"/></svg>'
        >>> normalize(svg, grid=24).svg[60:]
        '<path d="M16 12a4 4 0 1 0-8 0a4 4 0 1 0 8 0z" fill="#000000"/></svg>'
    """
    if arcs not in ("keep", "cubic"):
        raise SVGError(f"arcs={arcs!r} is not one of 'keep', 'cubic'")
    parsed = parse(svg, limits, active)
    root, dropped = parsed.root, list(parsed.removed)
    for run_pass in PASSES:
        run_pass(root, dropped)
    width, height, canvas = resolve_canvas(root, grid)
    paths = flatten(root, canvas, keep_arcs=arcs == "keep", dropped=dropped)
    doc = quantize(paths, width, height, grid, opacity=_fraction(root.get("opacity"), 1.0))
    return NormalizeResult(doc=doc, dropped=dropped)
