"""Normalization: any SVG to the flat, quantized document that svgtok's tokens express exactly.

The passes run in this order on a tree that :func:`svgtok.parse.parse` checked; each mutates the tree it
is given and appends what it had to drop to ``dropped``:

1. ``resolve_styles``        ``<style>`` sheets and ``style`` attributes → presentation attributes
2. ``check_clips_and_masks`` ``clip-path`` and ``mask`` references flatten cannot bake (CSS shapes, text,
                             images, gradients, filters in the content) → listed
3. ``drop_unsupported``      text, images, filters, patterns, markers, animation → listed
4. ``expand_use``            ``<use>`` of local elements and symbols → transformed copies
5. ``shapes_to_paths``       rect, circle, ellipse, line, polyline, polygon → ``<path>``
6. ``resolve_paint_servers`` gradient paint kept for flatten, which gives each fill the gradient's mean
                             color over its area, or cuts it into bands of flat color, and each stroke the
                             mean over its outline (:mod:`svgtok.gradient`)

Then :func:`svgtok.flatten.flatten` walks the tree once, baking the canvas mapping
(:mod:`svgtok.viewport`) and every transform into coordinates, resolving inherited paint, and baking clip
paths, masks, group opacity and gradient fills into geometry with boolean path operations (:mod:`svgtok.clip`,
:mod:`svgtok.gradient`) and dashed strokes into their dashes (:mod:`svgtok.dash`);
:func:`svgtok.quantize.quantize` puts the result on the integer grid (and, with ``starts="top-left"``, starts
each closed outline at its top-left vertex: :mod:`svgtok.starts`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree

from svgtok.document import SVGDoc, to_svg
from svgtok.errors import SVGError, note
from svgtok.flatten import flatten
from svgtok.gradient import GRADIENTS, parse_gradient
from svgtok.parse import DEFAULT_LIMITS, SVG_NS, Limits, href_of, index_ids, local_name, parse, url_id
from svgtok.quantize import quantize
from svgtok.shapes import SHAPES, fraction, length, shape_commands
from svgtok.starts import check_starts
from svgtok.styles import resolve_styles
from svgtok.viewport import resolve_canvas, viewbox_transform, viewport_size

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
}
MAX_USE_EXPANSIONS = 2_000
# What a clip path or mask may not contain to be baked into geometry (its paint must be flat colors, too).
UNBAKEABLE = frozenset({"text", "image", "foreignObject", "pattern", "linearGradient", "radialGradient", "filter"})


@dataclass
class NormalizeResult:
    """A normalized document and the features normalization could not represent."""

    doc: SVGDoc
    dropped: list[str] = field(default_factory=list)

    @property
    def svg(self) -> str:
        return to_svg(self.doc)


def drop_unsupported(root: etree._Element, dropped: list[str]) -> None:
    """Remove elements and attributes the token language cannot express, and list each kind once."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        name = local_name(element)
        if name in DROPPED_ELEMENTS:
            note(dropped, DROPPED_ELEMENTS[name])
            element.getparent().remove(element)
            continue
        if name in ("metadata", "title", "desc"):
            element.getparent().remove(element)
            continue
        for attr, feature in DROPPED_ATTRIBUTES.items():
            value = element.get(attr)
            if value is not None:
                if value.strip() != "none":
                    note(dropped, feature)
                del element.attrib[attr]


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
    ids = index_ids(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr, kind in (("clip-path", "clipPath"), ("mask", "mask")):
            value = element.get(attr)
            if value is None:
                continue
            target = ids.get(url_id(value) or "")
            if target is not None and local_name(target) == kind and _bakeable(target, ids):
                continue
            if value.strip() != "none":
                note(dropped, attr)
            del element.attrib[attr]


def expand_use(root: etree._Element, dropped: list[str]) -> None:
    """Replace each ``<use>`` of a local element with a transformed copy (SVG 1.1, 5.6)."""
    expansions = 0
    viewport = viewport_size(root)
    while True:
        uses = [e for e in root.iter() if isinstance(e.tag, str) and local_name(e) == "use"]
        if not uses:
            return
        ids = index_ids(root)
        for use in uses:
            parent = use.getparent()
            if parent is None:
                continue
            ref = (href_of(use) or "").strip()
            target = ids.get(ref[1:]) if ref.startswith("#") else None
            expansions += 1
            if target is None or expansions > MAX_USE_EXPANSIONS or _contains(target, use):
                note(
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
                    m = viewbox_transform(view_box, w, h, clone.attrib.pop("preserveAspectRatio", ""))
                    clone.set("transform", "matrix({} {} {} {} {} {})".format(*m))
            group.append(clone)
            parent.replace(use, group)


def _contains(ancestor: etree._Element, element: etree._Element) -> bool:
    return any(a is ancestor for a in element.iterancestors()) or ancestor is element


def _is_dashed(element: etree._Element) -> bool:
    """True when the ``stroke-dasharray`` an element inherits or sets is not ``none``."""
    for node in [element, *element.iterancestors()]:
        value = node.get("stroke-dasharray")
        if value is not None and value.strip() != "inherit":
            return value.strip() != "none"
    return False


def shapes_to_paths(root: etree._Element, dropped: list[str]) -> None:
    """Turn every basic shape into a ``<path>`` with the same geometry and attributes."""
    for element in list(root.iter()):
        if isinstance(element.tag, str) and local_name(element) in SHAPES:
            commands = shape_commands(element, dashed=_is_dashed(element))
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


def resolve_paint_servers(root: etree._Element, dropped: list[str]) -> None:
    """Keep readable gradient paint for flatten (:mod:`svgtok.gradient`); unreadable gradients, patterns and
    missing references fall back to the paint after the URL, or go."""
    ids = index_ids(root)
    viewport = viewport_size(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for prop in ("fill", "stroke"):
            value = element.get(prop)
            if not value or not value.strip().startswith("url("):
                continue
            ref, _, fallback = value.strip()[4:].partition(")")
            ref = ref.strip(" '\"").lstrip("#")
            target = ids.get(ref)
            if target is not None and local_name(target) in GRADIENTS:
                paint = parse_gradient(target, ids, viewport)
                if paint is not None:  # a gradient without stops paints nothing (SVG 1.1, 13.2.4)
                    element.set(prop, f"url(#{ref})" if paint.stops else "none")
                    continue
                note(dropped, f"gradient {prop} (approximated by one color)")
            else:
                note(dropped, "pattern" if target is not None else "paint reference to a missing element")
            element.set(prop, fallback.strip() or "none")


PASSES = (resolve_styles, check_clips_and_masks, drop_unsupported, expand_use, shapes_to_paths)  # then paint servers
GRADIENT_MODES = ("bands", "color")


def normalize(
    svg: str | bytes,
    grid: int = 256,
    arcs: str = "keep",
    limits: Limits = DEFAULT_LIMITS,
    active: str = "reject",
    gradients: str = "color",
    starts: str = "drawn",
) -> NormalizeResult:
    """Normalize an SVG document onto svgtok's canonical canvas and grid.

    Args:
        svg: the document text.
        grid: grid units along the canvas's longer side.
        arcs: ``"keep"`` quantizes arcs as arcs; ``"cubic"`` turns them into cubic Béziers.
        limits: parsing limits (see :class:`svgtok.parse.Limits`).
        active: what to do with scripts and external references: ``"reject"`` or ``"drop"``.
        gradients: ``"color"`` fills each path with the gradient's mean color over its area (short: what
            svglm's programs use); ``"bands"`` cuts gradient fills into bands of flat color (closer to the
            original, several times longer, and slower to encode).
        starts: ``"drawn"`` keeps the source's starts (the shipped tokenizer and model); ``"top-left"``
            starts each closed outline at its top-left vertex, one spelling per outline.

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
    if gradients not in GRADIENT_MODES:
        raise SVGError(f"gradients={gradients!r} is not one of 'bands', 'color'")
    check_starts(starts)
    parsed = parse(svg, limits, active)
    root, dropped = parsed.root, list(parsed.removed)
    for run_pass in PASSES:
        run_pass(root, dropped)
    resolve_paint_servers(root, dropped)
    width, height, canvas = resolve_canvas(root, grid)
    paths = flatten(root, canvas, keep_arcs=arcs == "keep", dropped=dropped, gradient_bands=gradients == "bands")
    doc = quantize(paths, width, height, grid, opacity=fraction(root.get("opacity"), 1.0), starts=starts)
    return NormalizeResult(doc=doc, dropped=dropped)
