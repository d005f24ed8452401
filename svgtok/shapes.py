"""Basic shapes (SVG 1.1 chapter 9) as absolute path commands, and the attribute values they are read from."""

from __future__ import annotations

import math
import re

from lxml import etree

from svgtok.parse import local_name
from svgtok.pathdata import Command

SHAPES = frozenset({"rect", "circle", "ellipse", "line", "polyline", "polygon"})
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def length(element: etree._Element, name: str, default: float = 0.0) -> float:
    """A length attribute as a number; units are read as user units, and bad values fall back."""
    value = element.get(name)
    if value is None:
        return default
    m = _NUMBER.match(value.strip())
    return float(m.group(0)) if m else default


def _rect(e: etree._Element) -> list[Command]:
    x, y, w, h = length(e, "x"), length(e, "y"), length(e, "width"), length(e, "height")
    if w <= 0 or h <= 0:
        return []
    rx, ry = e.get("rx"), e.get("ry")
    # SVG 1.1, 9.2: a missing radius takes the other's value; both are capped at half the side.
    rx_v = length(e, "rx") if rx is not None else (length(e, "ry") if ry is not None else 0.0)
    ry_v = length(e, "ry") if ry is not None else rx_v
    rx_v, ry_v = min(max(rx_v, 0.0), w / 2), min(max(ry_v, 0.0), h / 2)
    if rx_v == 0 or ry_v == 0:
        return [("M", x, y), ("L", x + w, y), ("L", x + w, y + h), ("L", x, y + h), ("Z",)]
    arc = ("A", rx_v, ry_v, 0.0, 0, 1)
    return [
        ("M", x + rx_v, y),
        ("L", x + w - rx_v, y),
        (*arc, x + w, y + ry_v),
        ("L", x + w, y + h - ry_v),
        (*arc, x + w - rx_v, y + h),
        ("L", x + rx_v, y + h),
        (*arc, x, y + h - ry_v),
        ("L", x, y + ry_v),
        (*arc, x + rx_v, y),
        ("Z",),
    ]


def _ellipse(cx: float, cy: float, rx: float, ry: float, sweep: int) -> list[Command]:
    if rx <= 0 or ry <= 0:
        return []
    arc = ("A", rx, ry, 0.0, 1, sweep)
    return [("M", cx + rx, cy), (*arc, cx - rx, cy), (*arc, cx + rx, cy), ("Z",)]


def _points(e: etree._Element, close: bool) -> list[Command]:
    numbers = [float(v) for v in _NUMBER.findall(e.get("points") or "")]
    pairs = list(zip(numbers[0::2], numbers[1::2], strict=False))
    if len(pairs) < 2:
        return []
    commands: list[Command] = [("M", *pairs[0])] + [("L", *p) for p in pairs[1:]]
    return [*commands, ("Z",)] if close else commands


def shape_commands(element: etree._Element, dashed: bool = False) -> list[Command]:
    """The path equivalent of a basic shape element; empty when the shape draws nothing.

    A circle or ellipse runs clockwise from its rightmost point when ``dashed``, as SVG 2's circle and
    ellipse sections lay out its dashes; else counter-clockwise, which draws the same and is what the
    token vocabulary learned.

    Example:
        >>> from lxml import etree
        >>> shape_commands(etree.fromstring('<line x1="0" y1="0" x2="4" y2="0"/>'))
        [('M', 0.0, 0.0), ('L', 4.0, 0.0)]
    """
    name = local_name(element)
    if name == "rect":
        return _rect(element)
    if name == "circle":
        r = length(element, "r")
        return _ellipse(length(element, "cx"), length(element, "cy"), r, r, int(dashed))
    if name == "ellipse":
        rx, ry = length(element, "rx"), length(element, "ry")
        return _ellipse(length(element, "cx"), length(element, "cy"), rx, ry, int(dashed))
    if name == "line":
        x1, y1 = length(element, "x1"), length(element, "y1")
        return [("M", x1, y1), ("L", length(element, "x2"), length(element, "y2"))]
    return _points(element, close=name == "polygon")


def fraction(value: str | None, default: float) -> float:
    """An opacity-like value (``0.5`` or ``50%``) clamped to [0, 1]."""
    if value is None:
        return default
    text = value.strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return default
    return max(0.0, min(1.0, number)) if math.isfinite(number) else default
