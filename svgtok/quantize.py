"""Putting flattened float geometry on svgtok's integer grid.

Every absolute point is rounded on its own, so deltas between the quantized points never drift
(HiVG's integer tokens drift when deltas come from unrounded cursors). Arcs keep their shape: their radii
are chosen so the arc stays where it was, and an arc that no integer radii keep close becomes cubics
(see ``_arc``). Segments that rounding shrinks to nothing
are dropped, unless they are all a stroked subpath has and its caps would draw a dot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from svgtok.document import Paint, PathElement, SVGDoc
from svgtok.geometry import arc_center, arc_to_cubics
from svgtok.pathdata import Command
from svgtok.starts import canonical_starts


@dataclass
class FloatPath:
    """A path after flattening: absolute float commands on the grid's scale, and resolved paint."""

    commands: list[Command]
    fill: str | None
    fill_opacity: float
    fill_rule: str
    stroke: str | None
    stroke_width: float
    stroke_opacity: float
    linecap: str
    linejoin: str
    opacity: float


def _percent(fraction: float) -> int:
    return max(0, min(100, round(fraction * 100)))


def _paint(path: FloatPath, grid: int) -> Paint | None:
    """Quantized, canonical paint; None when the path would draw nothing."""
    opacity = _percent(path.opacity)
    fill_opacity = _percent(path.fill_opacity)
    fill = path.fill if fill_opacity > 0 else None
    stroke_width = min(grid, max(1, round(path.stroke_width))) if math.isfinite(path.stroke_width) else grid
    stroke_opacity = _percent(path.stroke_opacity)
    stroke = path.stroke if path.stroke_width > 0 and stroke_opacity > 0 else None
    if opacity == 0 or (fill is None and stroke is None):
        return None
    if stroke is None:
        return Paint(
            fill=fill,
            fill_opacity=fill_opacity if fill else 100,
            fill_rule=path.fill_rule if fill else "nonzero",
            opacity=opacity,
        )
    return Paint(
        fill=fill,
        fill_opacity=fill_opacity if fill else 100,
        fill_rule=path.fill_rule if fill else "nonzero",
        stroke=stroke,
        stroke_width=stroke_width,
        stroke_opacity=stroke_opacity,
        linecap=path.linecap,
        linejoin=path.linejoin,
        opacity=opacity,
    )


ARC_TOLERANCE = 0.75  # grid units; measured in docs/RESULTS.md (arcs kept vs. cubics)


def _arc_points(x0: float, y0: float, arc: Command) -> list[tuple[float, float]]:
    """Points at a quarter, half and three quarters along an arc (on the chord for a degenerate one)."""
    center = arc_center(x0, y0, arc)
    if center is None:
        return [(x0 + (arc[-2] - x0) * t, y0 + (arc[-1] - y0) * t) for t in (0.25, 0.5, 0.75)]
    theta1, dtheta = center.theta1, center.dtheta
    return center.points((theta1 + dtheta * 0.25, theta1 + dtheta * 0.5, theta1 + dtheta * 0.75))


def _arc(x0f: float, y0f: float, x0: int, y0: int, cmd: Command, clamp, limit: int) -> Command | None:
    """One arc on the grid with the integer radii that keep its shape best; None if none is close enough.

    Near a half ellipse the bulge depends on the radii like a square root, so plain rounding can flatten
    an arc visibly. The candidates are the rounded radii, two units either side, and the largest radii
    that fit under the quantized chord; the one that stays nearest the original arc wins, if it stays
    within ``ARC_TOLERANCE`` (the caller falls back to cubics otherwise).
    """
    _, rx, ry, rotation, large, sweep, xf, yf = cmd
    x, y = clamp(xf), clamp(yf)
    rx_q, ry_q = round(rx), round(ry)
    if rx_q == 0 or ry_q == 0:
        return ("L", x, y)
    rotation_q = 0 if rx_q == ry_q else round(rotation) % 180
    target = _arc_points(x0f, y0f, cmd)
    candidates = [(min(limit, max(1, rx_q + k)), min(limit, max(1, ry_q + k))) for k in (0, -1, 1, -2, 2)]
    lam = _arc_scale(x0, y0, rx_q, ry_q, rotation_q, x, y)
    if lam < 1:
        fit = math.sqrt(lam)
        candidates.append((min(limit, max(1, math.floor(rx_q * fit))), min(limit, max(1, math.floor(ry_q * fit)))))
    best_error, best = math.inf, None
    for crx, cry in dict.fromkeys(candidates):  # in order, each pair once
        arc = ("A", crx, cry, rotation_q, int(large), int(sweep), x, y)
        a, b, c = _arc_points(x0, y0, arc)
        error = max(math.dist(a, target[0]), math.dist(b, target[1]), math.dist(c, target[2]))
        if error < best_error:
            best_error, best = error, arc
    return best if best_error <= ARC_TOLERANCE else None


def _arc_scale(x0: float, y0: float, rx: float, ry: float, rotation: float, x: float, y: float) -> float:
    """Λ of SVG 1.1 F.6.6: above 1 the radii are too small and the renderer scales them up."""
    phi = math.radians(rotation)
    dx, dy = (x0 - x) / 2, (y0 - y) / 2
    x1 = math.cos(phi) * dx + math.sin(phi) * dy
    y1 = -math.sin(phi) * dx + math.cos(phi) * dy
    return (x1 / rx) ** 2 + (y1 / ry) ** 2


def _is_empty(cmd: Command, x: int, y: int) -> bool:
    """True for a segment whose every point is the current point: it draws nothing."""
    points = cmd[-2:] if cmd[0] == "A" else cmd[1:]
    return points == (x, y) * (len(points) // 2)


def quantize_commands(commands: list[Command], grid: int, draws_dots: bool) -> list[Command]:
    """Round absolute commands onto the grid, dropping segments that rounding made empty.

    Args:
        commands: absolute float commands.
        grid: the grid size; coordinates are clamped to ``[-grid/2, 3·grid/2]`` (so every delta fits the
            scalar tokens' range ``[-2·grid, 2·grid]``) and arc radii to ``[1, 2·grid]``.
        draws_dots: keep one zero-length segment in a subpath that would otherwise vanish (a stroke
            with round or square caps draws such a subpath as a dot).
    """
    low, high = -grid // 2, 3 * grid // 2

    def clamp(v: float) -> int:
        r = round(v)
        return low if r < low else high if r > high else r

    out: list[Command] = []
    subpath: list[Command] = []
    move: Command | None = None
    had_degenerate = False
    x = y = sx = sy = 0
    xf = yf = sxf = syf = 0.0

    def flush(close: bool) -> bool:
        """Emit the pending subpath; False when it drew nothing and was left out."""
        nonlocal had_degenerate
        if not subpath and had_degenerate and draws_dots:
            subpath.append(("L", x, y))
        if subpath:
            if move is not None:
                out.append(move)
            out.extend(subpath)
            if close:
                out.append(("Z",))
        emitted = bool(subpath)
        subpath.clear()
        had_degenerate = False
        return emitted

    for cmd in commands:
        op = cmd[0]
        if op == "M":
            flush(close=False)
            x, y = sx, sy = clamp(cmd[1]), clamp(cmd[2])
            xf, yf = sxf, syf = cmd[1], cmd[2]
            move = ("M", x, y)
            continue
        if op == "Z":
            if flush(close=True):
                move = None  # a subpath after z starts where the last one did, with no move of its own
            x, y, xf, yf = sx, sy, sxf, syf
            continue
        pieces = [cmd]
        if op == "A":
            arc = _arc(xf, yf, x, y, cmd, clamp, 2 * grid)
            pieces = [arc] if arc is not None else arc_to_cubics(xf, yf, cmd)
        for piece in pieces:
            q = piece if piece[0] == "A" else (piece[0], *(clamp(v) for v in piece[1:]))
            if _is_empty(q, x, y):
                had_degenerate = True
            else:
                subpath.append(q)
            x, y = q[-2], q[-1]
        xf, yf = cmd[-2], cmd[-1]
    flush(close=False)
    return out


def quantize(
    paths: list[FloatPath], width: int, height: int, grid: int, opacity: float = 1.0, starts: str = "drawn"
) -> SVGDoc:
    """The normalized document: paths with quantized paint and geometry, invisible ones left out.

    ``starts="top-left"`` restarts closed outlines at their top-left vertex (:mod:`svgtok.starts`);
    ``"drawn"`` keeps the source's starts.
    """
    doc = SVGDoc(width=width, height=height, opacity=_percent(opacity))
    for path in paths:
        paint = _paint(path, grid)
        if paint is None:
            continue
        dots = paint.stroke is not None and paint.linecap != "butt"
        commands = quantize_commands(path.commands, grid, dots)
        if starts == "top-left":
            commands = canonical_starts(commands)
        if commands:
            doc.paths.append(PathElement(commands=commands, paint=paint))
    return doc
