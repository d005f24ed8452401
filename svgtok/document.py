"""The normalized document: what svgtok's token language can say, and its one SVG serialization.

A normalized document is a canvas of ``width × height`` grid units (the longer side is the tokenizer's
grid) holding a flat list of paths. Each path has absolute integer commands on the grid and a resolved
paint; nothing else survives normalization. :func:`to_svg` is the only writer, so ``normalize`` and
``decode`` produce byte-identical text for the same document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from svgtok.pathdata import Command

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg"'


@dataclass(frozen=True)
class Paint:
    """Resolved presentation of one path. Opacities are whole percents; widths are grid units."""

    fill: str | None = "#000000"
    fill_opacity: int = 100
    fill_rule: str = "nonzero"
    stroke: str | None = None
    stroke_width: int = 0
    stroke_opacity: int = 100
    linecap: str = "butt"
    linejoin: str = "miter"
    opacity: int = 100


@dataclass
class PathElement:
    """One path: absolute commands (``M L C Q A Z``; see :mod:`svgtok.pathdata`) and its paint."""

    commands: list[Command]
    paint: Paint = Paint()


@dataclass
class SVGDoc:
    """A normalized document: canvas size in grid units, document opacity, and paths in paint order."""

    width: int
    height: int
    paths: list[PathElement] = field(default_factory=list)
    opacity: int = 100


def _fmt(value: float) -> str:
    """Integers print without a decimal point; other numbers with up to three decimals."""
    if value == int(value):
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _join(numbers: list[float]) -> str:
    """Numbers separated as tightly as SVG allows: a minus sign is its own separator."""
    out = []
    for i, n in enumerate(numbers):
        text = _fmt(n)
        if i and not text.startswith("-"):
            out.append(" ")
        out.append(text)
    return "".join(out)


def path_data(commands: list[Command]) -> str:
    """Write absolute commands as compact relative SVG path data, with h/v/s/t where they apply.

    Example:
        >>> path_data([("M", 1, 2), ("L", 4, 2), ("L", 4, 6), ("Z",)])
        'M1 2h3v4z'
    """
    parts: list[str] = []
    x = y = sx = sy = 0
    prev_op = ""
    prev_ctrl: tuple[float, float] | None = None
    for cmd in commands:
        op = cmd[0]
        ctrl = None
        if op == "M":
            letter, nums = ("M", [cmd[1], cmd[2]]) if not parts else ("m", [cmd[1] - x, cmd[2] - y])
            sx, sy = cmd[1], cmd[2]
        elif op == "L":
            dx, dy = cmd[1] - x, cmd[2] - y
            letter, nums = ("h", [dx]) if dy == 0 else ("v", [dy]) if dx == 0 else ("l", [dx, dy])
        elif op == "C":
            _, x1, y1, x2, y2, ex, ey = cmd
            ctrl = (x2, y2)
            if prev_op == "C" and prev_ctrl is not None and (x1, y1) == (2 * x - prev_ctrl[0], 2 * y - prev_ctrl[1]):
                letter, nums = "s", [x2 - x, y2 - y, ex - x, ey - y]
            else:
                letter, nums = "c", [x1 - x, y1 - y, x2 - x, y2 - y, ex - x, ey - y]
        elif op == "Q":
            _, x1, y1, ex, ey = cmd
            ctrl = (x1, y1)
            if prev_op == "Q" and prev_ctrl is not None and (x1, y1) == (2 * x - prev_ctrl[0], 2 * y - prev_ctrl[1]):
                letter, nums = "t", [ex - x, ey - y]
            else:
                letter, nums = "q", [x1 - x, y1 - y, ex - x, ey - y]
        elif op == "A":
            _, rx, ry, rot, large, sweep, ex, ey = cmd
            letter = "a"
            nums = [rx, ry, rot, large, sweep, ex - x, ey - y]
        else:
            parts.append("z")
            x, y = sx, sy
            prev_op, prev_ctrl = "Z", None
            continue
        parts.append(letter + _join(nums))
        x, y = cmd[-2], cmd[-1]
        prev_op, prev_ctrl = op, ctrl
    return "".join(parts)


def _paint_attributes(paint: Paint) -> str:
    """The path's presentation attributes, defaults left out (fill is always written)."""
    attrs = [f'fill="{paint.fill or "none"}"']
    if paint.fill_opacity != 100:
        attrs.append(f'fill-opacity="{paint.fill_opacity / 100:g}"')
    if paint.fill_rule != "nonzero":
        attrs.append(f'fill-rule="{paint.fill_rule}"')
    if paint.stroke is not None:
        attrs.append(f'stroke="{paint.stroke}" stroke-width="{paint.stroke_width}"')
        if paint.stroke_opacity != 100:
            attrs.append(f'stroke-opacity="{paint.stroke_opacity / 100:g}"')
        if paint.linecap != "butt":
            attrs.append(f'stroke-linecap="{paint.linecap}"')
        if paint.linejoin != "miter":
            attrs.append(f'stroke-linejoin="{paint.linejoin}"')
    if paint.opacity != 100:
        attrs.append(f'opacity="{paint.opacity / 100:g}"')
    return " ".join(attrs)


def to_svg(doc: SVGDoc) -> str:
    """Serialize a normalized document; the one text form shared by normalize and decode.

    Example:
        >>> to_svg(SVGDoc(4, 4, [PathElement([("M", 0, 0), ("L", 4, 4)])]))
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><path d="M0 0l4 4" fill="#000000"/></svg>'
    """
    opacity = f' opacity="{doc.opacity / 100:g}"' if doc.opacity != 100 else ""
    body = "".join(f'<path d="{path_data(p.commands)}" {_paint_attributes(p.paint)}/>' for p in doc.paths)
    return f'{SVG_OPEN} viewBox="0 0 {doc.width} {doc.height}"{opacity}>{body}</svg>'
