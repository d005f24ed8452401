"""Programmatic SVG edits: SVGEditBench's six reference makers and the edits people ask for.

Every edit is a small pure function ``svg text → svg text`` on a tree that :func:`svgtok.parse.parse`
checked, so they serve both as reference answers for the benchmark and as training targets. Bad input
(not SVG, no viewBox, a color that is not there) raises :class:`svgtok.SVGError`.

The six benchmark tasks follow SVGEditBench's own recipe (``shared/SVGEDITBENCH.md``), generalized from
Twemoji's ``0 0 36 36`` to any viewBox. :func:`make_edit` picks a task's parameters from the document with
a seeded RNG and words the instruction: the official sentence for a benchmark task, one of several
phrasings for the others.
"""

from __future__ import annotations

import colorsys
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from svgtok.errors import SVGError
from svgtok.flatten import NOT_RENDERED
from svgtok.normalize import normalize
from svgtok.parse import SVG_NS, local_name, parse

# The eight CSS names SVGEditBench's Change Color task draws its target from.
BENCH_COLORS = {
    "red": "#FF0000",
    "green": "#008000",
    "blue": "#0000FF",
    "yellow": "#FFFF00",
    "cyan": "#00FFFF",
    "magenta": "#FF00FF",
    "white": "#FFFFFF",
    "black": "#000000",
}
# Words people use for colors: hue ranges in degrees (upper bounds), after grays and browns are set apart.
HUE_WORDS = ((15, "red"), (40, "orange"), (70, "yellow"), (165, "green"), (255, "blue"), (290, "purple"), (340, "pink"))
# Outline thickness as a fraction of the viewBox's longer side (1/36 is Twemoji's stroke-width 1).
THICKNESS = {"thin": 1 / 48, "medium": 1 / 24, "thick": 1 / 12}
SHAPES = frozenset({"path", "rect", "circle", "ellipse", "line", "polyline", "polygon"})
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
_PAINT_ATTRIBUTES = ("fill", "stroke", "stop-color", "color")


@dataclass(frozen=True)
class Edit:
    """One edit case: the task's name, the instruction sentence and the edited document."""

    task: str
    instruction: str
    target: str


# Small helpers ----------------------------------------------------------------------------------------


def _root(svg: str) -> etree._Element:
    return parse(svg).root


def _text(root: etree._Element) -> str:
    return etree.tostring(root, encoding="unicode")


def _num(value: float) -> str:
    """A number as short as SVG allows: 36.0 → ``36``, 0.5 → ``0.5``."""
    return f"{round(value, 4):g}"


def view_box(root: etree._Element) -> tuple[float, float, float, float]:
    """The root's ``(min-x, min-y, width, height)``: its viewBox, else its plain numeric width and height.

    Raises:
        SVGError: the root has neither a usable viewBox nor numeric width and height.
    """
    text = root.get("viewBox")
    if text is None:
        try:
            return 0.0, 0.0, float(root.get("width", "")), float(root.get("height", ""))
        except ValueError as exc:
            raise SVGError(
                'the <svg> has neither a viewBox nor numeric width and height; add viewBox="0 0 W H"'
            ) from exc
    try:
        x, y, w, h = (float(v) for v in text.replace(",", " ").split())
    except ValueError as exc:
        raise SVGError(f"viewBox {text!r} must be four numbers: min-x min-y width height") from exc
    if not (w > 0 and h > 0):
        raise SVGError(f"viewBox {text!r} needs a positive width and height")
    return x, y, w, h


def _drawn(root: etree._Element) -> list[etree._Element]:
    """Elements in document order, leaving out what is never drawn where it stands (defs, clips, …)."""
    out, stack = [], [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or local_name(element) in NOT_RENDERED:
            continue
        out.append(element)
        stack.extend(reversed(element))
    return out


def _shapes(root: etree._Element) -> list[etree._Element]:
    return [e for e in _drawn(root) if local_name(e) in SHAPES]


def _rgb(hex_color: str) -> tuple[int, int, int]:
    digits = hex_color[1:] if len(hex_color) == 7 else "".join(c * 2 for c in hex_color[1:])
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def color_word(hex_color: str) -> str:
    """What a person would call a ``#RGB`` or ``#RRGGBB`` color: red, orange, …, brown, black, white or gray.

    Example:
        >>> [color_word(c) for c in ("#F4900C", "#31373D", "#AA8DD8", "#C1694F", "#F4ABBA")]
        ['orange', 'black', 'purple', 'brown', 'pink']
    """
    r, g, b = (c / 255 for c in _rgb(hex_color))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    degrees = hue * 360
    if saturation < 0.2 or lightness < 0.12 or lightness > 0.88:
        return "black" if lightness < 0.25 else "white" if lightness > 0.85 else "gray"
    if 8 <= degrees < 45 and lightness < 0.55 and saturation < 0.8:
        return "brown"
    if (degrees < 15 or degrees >= 340) and lightness > 0.75:
        return "pink"
    return next((word for bound, word in HUE_WORDS if degrees < bound), "red")


def _wrap(svg: str, transform: Callable[[float, float, float, float], str]) -> str:
    """Move the root's children into one ``<g>`` whose transform is built from the viewBox."""
    root = _root(svg)
    group = etree.Element(f"{{{SVG_NS}}}g", transform=transform(*view_box(root)))
    group.extend(list(root))
    root.append(group)
    return _text(root)


# Choosing parameters from a document --------------------------------------------------------------------


def uppercase_hex(svg: str) -> str:
    """Write hex paint attributes (``fill="#f4900c"``) in upper case, as Twemoji's files do; nothing else changes.

    Example:
        >>> uppercase_hex('<svg xmlns="http://www.w3.org/2000/svg"><path fill="#f4900c"/></svg>')
        '<svg xmlns="http://www.w3.org/2000/svg"><path fill="#F4900C"/></svg>'
    """
    root = _root(svg)
    for element in root.iter("*"):
        for name in _PAINT_ATTRIBUTES:
            value = element.get(name, "").strip()
            if _HEX.fullmatch(value):
                element.set(name, value.upper())
    return _text(root)


def fill_colors(svg: str) -> list[str]:
    """The distinct literal hex ``fill`` values of drawn elements, as written, in document order.

    Example:
        >>> fill_colors('<svg xmlns="http://www.w3.org/2000/svg"><path fill="#FFCC4D"/><g fill="#000"/></svg>')
        ['#FFCC4D', '#000']
    """
    values = (e.get("fill", "").strip() for e in _drawn(_root(svg)))
    return list(dict.fromkeys(v for v in values if _HEX.fullmatch(v)))


def _require_fill(svg: str, color: str) -> etree._Element:
    root = _root(svg)
    if not any(e.get("fill", "").strip() == color for e in _drawn(root)):
        raise SVGError(f"no drawn element has fill={color!r}; choose one of {fill_colors(svg)}")
    return root


# The six SVGEditBench tasks -----------------------------------------------------------------------------


def change_color(svg: str, old: str, new: str) -> str:
    """Task 1: every ``fill`` whose value is ``old`` (as written) becomes ``new``.

    Raises:
        SVGError: no drawn element has ``fill=old``.

    Example:
        >>> change_color('<svg xmlns="http://www.w3.org/2000/svg"><path fill="#F00"/></svg>', "#F00", "blue")
        '<svg xmlns="http://www.w3.org/2000/svg"><path fill="blue"/></svg>'
    """
    root = _require_fill(svg, old)
    for element in root.iter("*"):
        if element.get("fill", "").strip() == old:
            element.set("fill", new)
    return _text(root)


def set_contour(svg: str, color: str, stroke: str = "black", width: float = 1) -> str:
    """Task 2: ``stroke="black" stroke-width="1"`` on each drawn element whose own ``fill`` is ``color``.

    Raises:
        SVGError: no drawn element has ``fill=color``.
    """
    root = _require_fill(svg, color)
    for element in _drawn(root):
        if element.get("fill", "").strip() == color:
            element.set("stroke", stroke)
            element.set("stroke-width", _num(width))
    return _text(root)


def compression_reference(svg: str) -> str:
    """Task 3: the reference is the original itself (scored by size ratio and pixel fidelity)."""
    _root(svg)
    return svg


def upside_down(svg: str) -> str:
    """Task 4: the root gets ``transform="translate(0,H) scale(1,-1)"`` (H = 2·min-y + height of the viewBox).

    Example:
        >>> upside_down('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"/>')
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36" transform="translate(0,36) scale(1,-1)"/>'
    """
    root = _root(svg)
    _, y, _, h = view_box(root)
    flip = f"translate(0,{_num(2 * y + h)}) scale(1,-1)"
    root.set("transform", f"{flip} {root.get('transform', '')}".strip())
    return _text(root)


def half_transparent(svg: str) -> str:
    """Task 5: the root gets ``opacity="0.5"`` (times any opacity it already had)."""
    root = _root(svg)
    try:
        opacity = float(root.get("opacity", "1"))
    except ValueError as exc:
        raise SVGError(f"the root opacity {root.get('opacity')!r} is not a number") from exc
    root.set("opacity", _num(0.5 * opacity))
    return _text(root)


def crop_to_half(svg: str) -> str:
    """Task 6: the viewBox keeps its left half (``0 0 36 36`` → ``0 0 18 36``)."""
    root = _root(svg)
    x, y, w, h = view_box(root)
    root.set("viewBox", " ".join(_num(v) for v in (x, y, w / 2, h)))
    return _text(root)


# The edits people ask for -------------------------------------------------------------------------------


def recolor(svg: str, old_word: str, new_color: str) -> str:
    """Every hex ``fill`` whose :func:`color_word` is ``old_word`` becomes ``new_color``.

    Raises:
        SVGError: no fill is called ``old_word``.
    """
    root = _root(svg)
    hits = [e for e in _drawn(root) if _HEX.fullmatch(e.get("fill", "").strip())]
    hits = [e for e in hits if color_word(e.get("fill").strip()) == old_word]
    if not hits:
        raise SVGError(f"no fill is {old_word}; the document's fills are {fill_colors(svg)}")
    for element in hits:
        element.set("fill", new_color)
    return _text(root)


def outline(svg: str, color: str, width: float) -> str:
    """A stroke of ``color`` and ``width`` user units on the root, inherited by every shape without its own."""
    root = _root(svg)
    root.set("stroke", color)
    root.set("stroke-width", _num(width))
    return _text(root)


def scale(svg: str, factor: float) -> str:
    """The drawing scaled by ``factor`` about the viewBox's center."""
    if not 0 < factor <= 10:
        raise SVGError(f"scale factor {factor} is outside (0, 10]")

    def about_center(x: float, y: float, w: float, h: float) -> str:
        cx, cy = x + w / 2, y + h / 2
        return f"translate({_num(cx)},{_num(cy)}) scale({_num(factor)}) translate({_num(-cx)},{_num(-cy)})"

    return _wrap(svg, about_center)


def rotate(svg: str, degrees: float) -> str:
    """The drawing turned ``degrees`` clockwise (SVG's y axis points down) about the viewBox's center."""
    return _wrap(svg, lambda x, y, w, h: f"rotate({_num(degrees)} {_num(x + w / 2)} {_num(y + h / 2)})")


def mirror(svg: str) -> str:
    """The drawing flipped left to right within its viewBox."""
    return _wrap(svg, lambda x, y, w, h: f"translate({_num(2 * x + w)},0) scale(-1,1)")


def remove_part(svg: str, index: int) -> str:
    """The ``index``-th drawn shape (path, rect, circle, …, in document order) removed.

    Raises:
        SVGError: there is no such shape.
    """
    root = _root(svg)
    shapes = _shapes(root)
    if not 0 <= index < len(shapes):
        raise SVGError(f"shape {index} does not exist; the document draws {len(shapes)} shapes")
    shapes[index].getparent().remove(shapes[index])
    return _text(root)


def simplify(svg: str) -> str:
    """svgtok's normalized document: flat integer paths on a grid, styles resolved, nothing else."""
    return normalize(svg).svg


# Parameters and instructions -------------------------------------------------------------------------------

BENCH_INSTRUCTIONS = {
    "change_color": "Please generate an SVG code that changes the part of the emoji with a {old} color to {new}.",
    "set_contour": "Please generate an SVG code that draws a black line around the part of the emoji with a {color} "
    "color.",
    "compression": "Please generate a more compact SVG code that represents the same emoji.",
    "upside_down": "Please flip this emoji upside down.",
    "transparency": "Please make this emoji transparent by half.",
    "crop_to_half": "Please trim the right half and keep the left half.",
}
BENCH_TASKS = tuple(BENCH_INSTRUCTIONS)
USER_TEMPLATES = {
    "recolor": (
        "Make the {old} parts {new}.",
        "Change the {old} color to {new}.",
        "Recolor everything {old} in {new}.",
        "Turn the {old} areas {new}.",
    ),
    "outline": (
        "Add a {thickness} {color} outline.",
        "Outline every shape in {color} with a {thickness} stroke.",
        "Draw a {thickness} {color} border around each part.",
    ),
    "scale": (
        "Scale the drawing to {percent}% of its size, keeping it centered.",
        "Make it {percent}% as big.",
        "Resize the icon to {percent} percent around its center.",
    ),
    "rotate": (
        "Rotate it {degrees} degrees clockwise.",
        "Turn the icon {degrees}° clockwise.",
        "Give it a {degrees}-degree clockwise rotation.",
    ),
    "mirror": (
        "Mirror it horizontally.",
        "Flip the icon left to right.",
        "Make a mirror image of this, flipped horizontally.",
    ),
    "remove_part": (
        "Remove the {part} part.",
        "Delete the shape that is {part}.",
        "Take out the {part} piece.",
    ),
    "simplify": (
        "Simplify this SVG.",
        "Clean up the code and make it simpler.",
        "Rewrite this as simple paths with whole-number coordinates.",
    ),
}
USER_TASKS = tuple(USER_TEMPLATES)
TASKS = BENCH_TASKS + USER_TASKS
SCALE_PERCENTS = (50, 60, 75, 80, 90)
ROTATIONS = (45, 90, 180, 270)


def _bench(task: str, svg: str, rng: random.Random) -> Edit:
    say = BENCH_INSTRUCTIONS[task].format
    if task in ("change_color", "set_contour"):
        colors = fill_colors(svg)
        if not colors:
            raise SVGError("the document has no hex fill color to name; SVGEditBench's color tasks need one")
        color = rng.choice(colors)
        if task == "set_contour":
            return Edit(task, say(color=color), set_contour(svg, color))
        new = rng.choice([n for n, h in BENCH_COLORS.items() if _rgb(h) != _rgb(color)])
        return Edit(task, say(old=color, new=new), change_color(svg, color, new))
    make = {
        "compression": compression_reference,
        "upside_down": upside_down,
        "transparency": half_transparent,
        "crop_to_half": crop_to_half,
    }[task]
    return Edit(task, say(), make(svg))


def _part_names(svg: str) -> dict[int, str]:
    """Shapes a person could name by color alone: index → its color word, or its hex when the word is shared."""
    fills = [s.get("fill", "").strip() for s in _shapes(_root(svg))]
    hexes = [f if _HEX.fullmatch(f) else "" for f in fills]
    by_hex = Counter(hexes)
    by_word = Counter(color_word(h) for h in hexes if h)
    names = {}
    for i, h in enumerate(hexes):
        if h and by_hex[h] == 1:
            word = color_word(h)
            names[i] = word if by_word[word] == 1 else h
    return names


def _user(task: str, svg: str, rng: random.Random) -> Edit:
    template = rng.choice(USER_TEMPLATES[task])
    if task == "recolor":
        words = list(dict.fromkeys(color_word(c) for c in fill_colors(svg)))
        if not words:
            raise SVGError("the document has no hex fill color to recolor")
        old = rng.choice(words)
        new = rng.choice([w for w in BENCH_COLORS if w != old])
        return Edit(task, template.format(old=old, new=new), recolor(svg, old, new))
    if task == "outline":
        thickness, color = rng.choice(list(THICKNESS)), rng.choice(["black", "white", "red", "blue"])
        _, _, w, h = view_box(_root(svg))
        target = outline(svg, color, THICKNESS[thickness] * max(w, h))
        return Edit(task, template.format(thickness=thickness, color=color), target)
    if task == "scale":
        percent = rng.choice(SCALE_PERCENTS)
        return Edit(task, template.format(percent=percent), scale(svg, percent / 100))
    if task == "rotate":
        degrees = rng.choice(ROTATIONS)
        return Edit(task, template.format(degrees=degrees), rotate(svg, degrees))
    if task == "remove_part":
        names = _part_names(svg)
        if not names:
            raise SVGError("no shape can be named by its color alone, so none can be asked for by name")
        index = rng.choice(sorted(names))
        return Edit(task, template.format(part=names[index]), remove_part(svg, index))
    make = {"mirror": mirror, "simplify": simplify}[task]
    return Edit(task, template, make(svg))


def make_edit(task: str, svg: str, rng: random.Random) -> Edit:
    """One edit case of ``task`` on ``svg``, its parameters and phrasing drawn from ``rng``.

    Args:
        task: one of :data:`TASKS` (the six SVGEditBench tasks, then the edits people ask for).
        svg: the source document.
        rng: the seeded source of every choice.

    Returns:
        The task, the instruction sentence and the edited document.

    Raises:
        SVGError: the task is unknown, the document is bad, or it lacks what the task needs (say, a hex fill).

    Example:
        >>> svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"><path fill="#F00" d="M0 0h9v9z"/></svg>'
        >>> edit = make_edit("change_color", svg, random.Random(0))
        >>> edit.instruction
        'Please generate an SVG code that changes the part of the emoji with a #F00 color to black.'
        >>> edit.target[60:]
        '<path fill="black" d="M0 0h9v9z"/></svg>'
    """
    if task in BENCH_INSTRUCTIONS:
        return _bench(task, svg, rng)
    if task in USER_TEMPLATES:
        return _user(task, svg, rng)
    raise SVGError(f"unknown edit task {task!r}; choose one of {', '.join(TASKS)}")
