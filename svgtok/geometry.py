"""Affine transforms, and arcs: the geometry that normalization bakes into coordinates.

An affine transform is the 6-tuple ``(a, b, c, d, e, f)`` of SVG's ``matrix()``, mapping
``(x, y) → (a·x + c·y + e, b·x + d·y + f)``. Arcs survive a transform as arcs when it is a similarity
(rotation, uniform scale, reflection, translation); under any other transform they become cubics first.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from svgtok.errors import SVGError
from svgtok.pathdata import Command

Affine = tuple[float, float, float, float, float, float]
IDENTITY: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_TRANSFORM = re.compile(r"\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)\s*,?", re.IGNORECASE)
_ARGS = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM_ARITY = {
    "matrix": (6,),
    "translate": (1, 2),
    "scale": (1, 2),
    "rotate": (1, 3),
    "skewx": (1,),
    "skewy": (1,),
}


def multiply(m: Affine, n: Affine) -> Affine:
    """The transform that applies ``n`` first, then ``m``."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def translate(tx: float, ty: float = 0.0) -> Affine:
    return (1.0, 0.0, 0.0, 1.0, tx, ty)


def scale(sx: float, sy: float | None = None) -> Affine:
    return (sx, 0.0, 0.0, sx if sy is None else sy, 0.0, 0.0)


def rotate(degrees: float, cx: float = 0.0, cy: float = 0.0) -> Affine:
    t = math.radians(degrees)
    cos, sin = math.cos(t), math.sin(t)
    turn = (cos, sin, -sin, cos, 0.0, 0.0)
    return multiply(translate(cx, cy), multiply(turn, translate(-cx, -cy)))


def parse_transform(text: str | None) -> Affine:
    """Parse an SVG ``transform`` attribute (SVG 1.1, 7.6) into one affine matrix.

    Example:
        >>> parse_transform("translate(10 0) scale(2)")
        (2.0, 0.0, 0.0, 2.0, 10.0, 0.0)
    """
    if not text or not text.strip():
        return IDENTITY
    result = IDENTITY
    pos = 0
    while pos < len(text) and text[pos:].strip():
        m = _TRANSFORM.match(text, pos)
        if m is None:
            raise SVGError(f"cannot read the transform {text[pos:][:40]!r}; use matrix/translate/scale/rotate/skew")
        name, args = m.group(1).lower(), [float(v) for v in _ARGS.findall(m.group(2))]
        if len(args) not in _TRANSFORM_ARITY[name]:
            raise SVGError(f"transform {name}() takes {_TRANSFORM_ARITY[name]} numbers, got {len(args)}")
        if name == "matrix":
            step: Affine = tuple(args)  # type: ignore[assignment]
        elif name == "translate":
            step = translate(*args)
        elif name == "scale":
            step = scale(*args)
        elif name == "rotate":
            step = rotate(*args)
        elif name == "skewx":
            step = (1.0, 0.0, math.tan(math.radians(args[0])), 1.0, 0.0, 0.0)
        else:
            step = (1.0, math.tan(math.radians(args[0])), 0.0, 1.0, 0.0, 0.0)
        result = multiply(result, step)
        pos = m.end()
    if not all(math.isfinite(v) for v in result):
        raise SVGError(f"the transform {text[:60]!r} is not finite")
    return result


def invert(m: Affine) -> Affine | None:
    """The inverse transform; None when ``m`` flattens the plane onto a line or a point."""
    a, b, c, d, e, f = m
    det = a * d - b * c
    if det == 0 or not math.isfinite(1 / det):
        return None
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def apply(m: Affine, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def mean_scale(m: Affine) -> float:
    """How much the transform scales lengths on average: sqrt(|det|), used for stroke widths."""
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def is_similarity(m: Affine, tol: float = 1e-9) -> bool:
    """True when the transform keeps circles circular: a rotation and uniform scale, maybe reflected."""
    a, b, c, d = m[:4]
    # The tolerance is relative to the columns' length, so a tiny canvas scale cannot hide a non-uniform one.
    norm = max(a * a + b * b, c * c + d * d)
    return abs(a * a + b * b - (c * c + d * d)) <= tol * norm and abs(a * c + b * d) <= tol * norm


class ArcCenter(NamedTuple):
    """An arc in center form (SVG 1.1 F.6.5): center, radii after scaling up, rotation, start and sweep angles."""

    cx: float
    cy: float
    rx: float
    ry: float
    phi: float
    theta1: float
    dtheta: float

    def point(self, theta: float) -> tuple[float, float]:
        return self.points((theta,))[0]

    def points(self, thetas: tuple[float, ...]) -> list[tuple[float, float]]:
        """The points at several angles (the rotation's sine and cosine computed once)."""
        cos_phi, sin_phi = math.cos(self.phi), math.sin(self.phi)
        out = []
        for theta in thetas:
            px, py = self.rx * math.cos(theta), self.ry * math.sin(theta)
            out.append((cos_phi * px - sin_phi * py + self.cx, sin_phi * px + cos_phi * py + self.cy))
        return out


def arc_center(x0: float, y0: float, arc: Command) -> ArcCenter | None:
    """Convert an endpoint-parameterized arc to center form; None when it is a point or a line."""
    _, rx, ry, rotation, large, sweep, x, y = arc
    if (x0, y0) == (x, y) or rx == 0 or ry == 0:
        return None
    phi = math.radians(rotation % 360)
    cos_phi, sin_phi = math.cos(phi), math.sin(phi)
    dx, dy = (x0 - x) / 2, (y0 - y) / 2
    x1p = cos_phi * dx + sin_phi * dy
    y1p = -sin_phi * dx + cos_phi * dy
    lam = (x1p / rx) ** 2 + (y1p / ry) ** 2
    if lam > 1:  # radii too small: scale them up until the arc just fits (F.6.6)
        rx, ry = rx * math.sqrt(lam), ry * math.sqrt(lam)
    num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p
    den = rx * rx * y1p * y1p + ry * ry * x1p * x1p
    coef = math.sqrt(max(0.0, num / den)) if den else 0.0
    if large == sweep:
        coef = -coef
    cxp, cyp = coef * rx * y1p / ry, -coef * ry * x1p / rx
    cx = cos_phi * cxp - sin_phi * cyp + (x0 + x) / 2
    cy = sin_phi * cxp + cos_phi * cyp + (y0 + y) / 2
    theta1 = math.atan2((y1p - cyp) / ry, (x1p - cxp) / rx)
    dtheta = math.atan2((-y1p - cyp) / ry, (-x1p - cxp) / rx) - theta1
    if sweep and dtheta < 0:
        dtheta += 2 * math.pi
    elif not sweep and dtheta > 0:
        dtheta -= 2 * math.pi
    return ArcCenter(cx, cy, rx, ry, phi, theta1, dtheta)


def arc_to_cubics(x0: float, y0: float, arc: Command) -> list[Command]:
    """Convert one endpoint-parameterized arc to cubic Béziers (SVG 1.1 appendix F.6).

    Each cubic spans at most 90°, which keeps the radial error below 0.03% of the radius.
    """
    x, y = arc[-2], arc[-1]
    if (x0, y0) == (x, y):
        return []
    center = arc_center(x0, y0, arc)
    if center is None:
        return [("L", x, y)]
    pieces = max(1, math.ceil(abs(center.dtheta) / (math.pi / 2) - 1e-9))
    step = center.dtheta / pieces
    k = 4 / 3 * math.tan(step / 4)
    cos_phi, sin_phi = math.cos(center.phi), math.sin(center.phi)
    out: list[Command] = []
    t = center.theta1
    for _ in range(pieces):
        cos1, sin1, cos2, sin2 = math.cos(t), math.sin(t), math.cos(t + step), math.sin(t + step)
        pts = []
        for ux, uy in ((cos1 - k * sin1, sin1 + k * cos1), (cos2 + k * sin2, sin2 - k * cos2), (cos2, sin2)):
            px, py = center.rx * ux, center.ry * uy
            pts.extend((cos_phi * px - sin_phi * py + center.cx, sin_phi * px + cos_phi * py + center.cy))
        out.append(("C", *pts))
        t += step
    out[-1] = ("C", *out[-1][1:5], x, y)  # land exactly on the endpoint
    return out


def transform_commands(m: Affine, commands: list[Command], keep_arcs: bool = True) -> list[Command]:
    """Apply an affine transform to absolute commands, turning arcs into cubics where it must.

    Args:
        m: the transform.
        commands: absolute commands from :func:`svgtok.pathdata.parse_path`.
        keep_arcs: keep arcs as arcs when the transform allows it; False turns every arc into cubics.

    Raises:
        SVGError: a coordinate overflows to infinity under the transform (say ``1e308`` scaled by 10).
    """
    similar = is_similarity(m)
    s = mean_scale(m)
    flips = m[0] * m[3] - m[1] * m[2] < 0
    angle = math.degrees(math.atan2(m[1], m[0]))
    out: list[Command] = []
    x = y = start_x = start_y = 0.0
    for cmd in commands:
        op = cmd[0]
        if op == "A" and not (keep_arcs and similar):
            for piece in arc_to_cubics(x, y, cmd):
                out.append(_map_points(m, piece))
        elif op == "A":
            _, rx, ry, rotation, large, sweep, ex, ey = cmd
            nx, ny = apply(m, ex, ey)
            new_rotation = angle - rotation if flips else angle + rotation
            out.append(("A", rx * s, ry * s, new_rotation % 180, large, sweep ^ flips, nx, ny))
        else:
            out.append(_map_points(m, cmd))
        if op == "Z":
            x, y = start_x, start_y
        else:
            x, y = cmd[-2], cmd[-1]
            if op == "M":
                start_x, start_y = x, y
    if not all(math.isfinite(v) for cmd in out for v in cmd[1:]):
        raise SVGError("a path coordinate overflows to infinity under its transforms; use smaller numbers")
    return out


def _map_points(m: Affine, cmd: Command) -> Command:
    if cmd[0] == "Z":
        return cmd
    coords = cmd[1:]
    mapped: list[float] = []
    for i in range(0, len(coords), 2):
        mapped.extend(apply(m, coords[i], coords[i + 1]))
    return (cmd[0], *mapped)
