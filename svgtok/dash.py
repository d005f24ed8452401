"""Dashing: ``stroke-dasharray`` and ``stroke-dashoffset`` baked into geometry (SVG 1.1, 11.4; SVG 2, "Stroke shape").

:func:`svgtok.flatten.flatten` calls :func:`dash` on a stroked path's absolute commands in the element's own
user space, before any transform is baked, so dash lengths are measured where SVG measures them and a
non-uniform transform needs no special case. The dashes come out as open subpaths of the same path, so they
keep its stroke paint, width, caps and joins and the token language needs nothing new.

Each subpath starts the pattern afresh (as cairo does). On a closed subpath the pattern runs on across the
closing segment, and a dash that runs through the start point joins the last piece to the first; a dash that
covers a whole closed subpath leaves it closed. Curves are cut exactly at arc-length positions: lengths come
from Gauss–Legendre quadrature on adaptively halved parameter intervals, positions from Newton steps kept
inside a bisection bracket, and Béziers are cut by de Casteljau subdivision; arcs stay arcs. A zero-length
dash is ``M x y L x y``, which round and square caps draw as a dot.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from dataclasses import dataclass, field

import numpy as np

from svgtok.errors import SVGError
from svgtok.geometry import ArcCenter, arc_center
from svgtok.pathdata import Command

Point = tuple[float, float]

_NODES, _WEIGHTS = (tuple(float(v) for v in a) for a in np.polynomial.legendre.leggauss(8))
TOLERANCE = 1e-10  # relative error of a curve's measured length, and of each position found on it
MAX_DEPTH = 24  # halvings of a parameter interval while measuring (a cusp converges slowly)
_LENGTH = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(px|pt|pc|mm|cm|in|%)?")
UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}  # CSS px


def _split(points: tuple[Point, ...], t: float) -> tuple[tuple[Point, ...], tuple[Point, ...]]:
    """De Casteljau: a Bézier's control points cut at ``t`` into the part before and the part after."""
    left, right, row = [points[0]], [points[-1]], list(points)
    while len(row) > 1:
        row = [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for a, b in itertools.pairwise(row)]
        left.append(row[0])
        right.append(row[-1])
    return tuple(left), tuple(reversed(right))


@dataclass(frozen=True)
class _Bezier:
    """A line (two points), quadratic (three) or cubic (four) on t in [0, 1]."""

    points: tuple[Point, ...]

    def point(self, t: float) -> Point:
        return _split(self.points, t)[0][-1] if 0 < t < 1 else self.points[-1 if t >= 1 else 0]

    @functools.cached_property
    def hodograph(self) -> tuple[Point, ...]:
        """The derivative's control points."""
        n = len(self.points) - 1
        return tuple((n * (b[0] - a[0]), n * (b[1] - a[1])) for a, b in itertools.pairwise(self.points))

    def speed(self, t: float) -> float:
        h, u = self.hodograph, 1 - t
        if len(h) == 3:  # a cubic's derivative is a quadratic in Bernstein form
            (ax, ay), (bx, by), (cx, cy) = h
            return math.hypot(u * u * ax + 2 * u * t * bx + t * t * cx, u * u * ay + 2 * u * t * by + t * t * cy)
        if len(h) == 2:
            (ax, ay), (bx, by) = h
            return math.hypot(u * ax + t * bx, u * ay + t * by)
        return math.hypot(*h[0])

    def piece(self, t0: float, t1: float) -> Command:
        points = self.points
        if t1 < 1:
            points = _split(points, t1)[0]
        if t0 > 0:
            points = _split(points, t0 / t1)[1]
        return ("LQC"[len(points) - 2], *(v for p in points[1:] for v in p))


@dataclass(frozen=True)
class _Arc:
    """An elliptical arc in center form, with t in [0, 1] running from its start angle to its end."""

    center: ArcCenter

    def point(self, t: float) -> Point:
        return self.center.point(self.center.theta1 + t * self.center.dtheta)

    def speed(self, t: float) -> float:
        theta = self.center.theta1 + t * self.center.dtheta
        return math.hypot(self.center.rx * math.sin(theta), self.center.ry * math.cos(theta)) * abs(self.center.dtheta)

    def piece(self, t0: float, t1: float) -> Command:
        c, sweep = self.center, (t1 - t0) * self.center.dtheta
        return ("A", c.rx, c.ry, math.degrees(c.phi), int(abs(sweep) > math.pi), int(sweep > 0), *self.point(t1))


Curve = _Bezier | _Arc


def _integral(curve: Curve, a: float, b: float) -> float:
    """The length of ``curve`` between parameters ``a`` and ``b`` by 8-point Gauss–Legendre quadrature."""
    half, mid = (b - a) / 2, (a + b) / 2
    return half * sum(w * curve.speed(mid + half * x) for x, w in zip(_NODES, _WEIGHTS, strict=True))


@dataclass
class _Measured:
    """A curve with its cumulative length at parameters ``ts``, where quadrature is accurate in between."""

    curve: Curve
    ts: list[float] = field(default_factory=lambda: [0.0])
    lengths: list[float] = field(default_factory=lambda: [0.0])

    @property
    def length(self) -> float:
        return self.lengths[-1]

    def at(self, s: float) -> float:
        """The parameter ``s`` along the curve from its start."""
        i = min(max(bisect.bisect_right(self.lengths, s) - 1, 0), len(self.ts) - 2)
        lo, hi, target = self.ts[i], self.ts[i + 1], s - self.lengths[i]
        span = self.lengths[i + 1] - self.lengths[i]
        if target <= 0 or span <= 0:
            return lo if target <= 0 else hi
        if target >= span:
            return hi
        a, t = lo, lo + (hi - lo) * target / span
        for _ in range(60):
            error = _integral(self.curve, a, t) - target
            if abs(error) <= TOLERANCE * self.length:
                break
            lo, hi = (lo, t) if error > 0 else (t, hi)
            speed = self.curve.speed(t)
            t = t - error / speed if speed > 0 else (lo + hi) / 2
            if not lo < t < hi:
                t = (lo + hi) / 2
        return t


def _measure(curve: Curve) -> _Measured:
    """Halve parameter intervals until 8-point quadrature agrees with the sum over the two halves."""
    measured = _Measured(curve)
    if isinstance(curve, _Bezier) and len(curve.points) == 2:  # a line: exact, and linear in t
        measured.ts.append(1.0)
        measured.lengths.append(math.dist(*curve.points))
        return measured
    total = _integral(curve, 0.0, 1.0)
    stack = [(0.0, 1.0, total, 0)]
    while stack:
        a, b, whole, depth = stack.pop()
        m = (a + b) / 2
        left, right = _integral(curve, a, m), _integral(curve, m, b)
        if depth < MAX_DEPTH and abs(left + right - whole) > TOLERANCE * total * (b - a):
            stack.extend([(m, b, right, depth + 1), (a, m, left, depth + 1)])  # left is measured first
            continue
        measured.ts.extend([m, b])
        measured.lengths.extend([measured.length + left, measured.length + left + right])
    return measured


def _curve(x: float, y: float, cmd: Command) -> Curve | None:
    """One drawing command from ``(x, y)``; None when it draws nothing (an arc to its own start)."""
    if cmd[0] == "A":
        center = arc_center(x, y, cmd)
        if center is not None:
            return _Arc(center)
        return None if (x, y) == (cmd[-2], cmd[-1]) else _Bezier(((x, y), (cmd[-2], cmd[-1])))
    coords = cmd[1:]
    return _Bezier(((x, y), *((coords[i], coords[i + 1]) for i in range(0, len(coords), 2))))


@dataclass
class _Subpath:
    start: Point
    curves: list[_Measured] = field(default_factory=list)  # those of positive length
    closed: bool = False
    drawn: bool = False  # a drawing command follows the move (a lone move draws nothing, not even a dot)

    @property
    def length(self) -> float:
        return sum(c.length for c in self.curves)


def _subpaths(commands: list[Command]) -> list[_Subpath]:
    """Absolute commands as measured subpaths; ``Z`` adds the closing line (SVG 1.1, 8.3.3)."""
    out: list[_Subpath] = []
    x = y = 0.0
    for cmd in commands:
        op = cmd[0]
        if op == "M":
            out.append(_Subpath((cmd[1], cmd[2])))
            x, y = cmd[1], cmd[2]
            continue
        if out[-1].closed:  # a subpath after z starts where the last one did
            out.append(_Subpath(out[-1].start))
        sub = out[-1]
        sub.drawn = True
        if op == "Z":
            cmd = ("L", *sub.start)
            sub.closed = True
        curve = _curve(x, y, cmd)
        if curve is not None:
            measured = _measure(curve)
            if measured.length > 0:
                sub.curves.append(measured)
        x, y = cmd[-2], cmd[-1]
    return out


def _chords(commands: list[Command]) -> list[float]:
    """Each subpath's summed chords, a lower bound on its length that costs no measuring."""
    out: list[float] = []
    x = y = sx = sy = 0.0
    for cmd in commands:
        if cmd[0] == "M":
            out.append(0.0)
            x, y = sx, sy = cmd[1], cmd[2]
            continue
        end = (sx, sy) if cmd[0] == "Z" else (cmd[-2], cmd[-1])
        out[-1] += math.dist((x, y), end)
        x, y = end
    return out


def _intervals(
    length: float, closed: bool, array: list[float], offset: float, limit: int
) -> list[tuple[float, float]] | None:
    """The dashes on ``[0, length]`` as (start, end) distances, touching ones merged; None past ``limit``."""
    out: list[tuple[float, float]] = []
    position = -(offset % sum(array))
    steps, i = 0, 0
    while position < length or (position == length and not closed):
        steps += 1
        if steps > 4 * limit + len(array):  # entries so short that the position no longer moves
            return None
        end = position + array[i]
        if i % 2 == 0 and (0 <= position == end or (end > 0 and position < length)):
            start, end = max(position, 0.0), min(end, length)
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(end, out[-1][1]))
            elif len(out) == limit:
                return None
            else:
                out.append((start, end))
        position, i = position + array[i], (i + 1) % len(array)
    return out


def _locate(sub: _Subpath, starts: list[float], s: float, after: bool) -> tuple[int, float]:
    """The curve and parameter at distance ``s``; at a joint, the curve ``after`` it or the one before."""
    i = (bisect.bisect_right(starts, s) if after else bisect.bisect_left(starts, s)) - 1
    i = min(max(i, 0), len(sub.curves) - 1)
    return i, sub.curves[i].at(s - starts[i])


def _piece(sub: _Subpath, starts: list[float], a: float, b: float) -> list[Command]:
    """The subpath between distances ``a`` and ``b``, as a move and drawing commands."""
    if not sub.curves:
        return [("M", *sub.start), ("L", *sub.start)]
    i, t0 = _locate(sub, starts, a, after=True)
    j, t1 = _locate(sub, starts, b, after=False)
    out: list[Command] = [("M", *sub.curves[i].curve.point(t0))]
    j, t1 = (i, t0) if j < i else (j, t1)
    for k in range(i, j + 1):
        lo, hi = t0 if k == i else 0.0, t1 if k == j else 1.0
        if lo < hi:
            out.append(sub.curves[k].curve.piece(lo, hi))
    if len(out) == 1:
        out.append(("L", *out[0][1:]))
    return out


def _length(text: str, percent_of: float) -> float | None:
    """One length in user units; None when it is not a number with an absolute CSS unit or a percentage."""
    m = _LENGTH.fullmatch(text)
    if m is None:
        return None
    unit = m.group(2) or ""
    value = float(m.group(1)) * (percent_of / 100 if unit == "%" else UNITS[unit])
    return value if math.isfinite(value) else None


def dash_array(value: str, percent_of: float) -> list[float] | None:
    """Read ``stroke-dasharray``; None when the stroke is solid.

    Args:
        value: the property's value, lengths (numbers, absolute CSS units or percentages) apart by commas
            or spaces.
        percent_of: the user-space length that 100% stands for (the viewport's diagonal over √2).

    Returns:
        The dash and gap lengths in user units, an odd list repeated to even (SVG 1.1, 11.4); None for
        ``none``, a value that is not such a list, a negative length or all zeros (SVG 2 draws those solid).

    Example:
        >>> dash_array("4, 2 1", 24)
        [4.0, 2.0, 1.0, 4.0, 2.0, 1.0]
    """
    array = [_length(item, percent_of) for item in value.replace(",", " ").split()]
    if not array or not all(v is not None and v >= 0 for v in array) or not sum(array) > 0:
        return None
    return array * 2 if len(array) % 2 else array


def dash_offset(value: str, percent_of: float) -> float:
    """Read ``stroke-dashoffset`` in user units (0, its initial value, when it is not a length)."""
    offset = _length(value.strip(), percent_of)
    return 0.0 if offset is None else offset


def path_length(commands: list[Command]) -> float:
    """The length of the path drawn by absolute commands, arcs and closing segments included."""
    return sum(sub.length for sub in _subpaths(commands))


def dash(
    commands: list[Command], array: list[float], offset: float, limit: int, scale: float = 1.0
) -> list[Command] | None:
    """Cut a path into its dashes.

    Args:
        commands: absolute commands from :func:`svgtok.pathdata.parse_path`, in the user space that the
            dash lengths are measured in.
        array: dash and gap lengths from :func:`dash_array` (an even number, none negative, some positive).
        offset: the distance into the pattern at the start of each subpath (``stroke-dashoffset``).
        limit: the most dashes to cut; past it the answer is None.
        scale: user units per unit of ``array`` and ``offset`` (the path's length over its ``pathLength``).

    Returns:
        Absolute commands: each dash an open subpath (a closed subpath that one dash covers stays closed),
        or None when there would be more than ``limit`` dashes.

    Raises:
        SVGError: ``array`` is not a dash pattern.

    Example:
        >>> dash([("M", 0.0, 0.0), ("L", 10.0, 0.0)], [4.0, 2.0], 0.0, 100)
        [('M', 0.0, 0.0), ('L', 4.0, 0.0), ('M', 6.0, 0.0), ('L', 10.0, 0.0)]
    """
    if len(array) % 2 or not all(v >= 0 for v in array) or not sum(array) > 0:
        raise SVGError(f"the dash pattern {array[:8]} needs an even number of lengths ≥ 0, not all 0")
    array = [v * scale for v in array]
    if any(array[1::2]) and sum(max(0.0, c / sum(array) - 2) for c in _chords(commands)) > limit:
        return None  # too many dashes even along the chords: say so before measuring a long path's curves
    out: list[Command] = []
    for sub in _subpaths(commands):
        if not sub.drawn:
            continue
        length = sub.length
        intervals = _intervals(length, sub.closed and length > 0, array, offset * scale, limit)
        if intervals is None:
            return None
        limit -= len(intervals)
        starts = list(itertools.accumulate((c.length for c in sub.curves[:-1]), initial=0.0))
        if sub.closed and intervals == [(0.0, length)] and length > 0:
            out.extend([*_piece(sub, starts, 0.0, length), ("Z",)])
            continue
        if sub.closed and len(intervals) > 1 and intervals[0][0] == 0 and intervals[-1][1] == length:
            first, last = intervals.pop(0), intervals.pop()  # the dash through the start point
            out.extend(_piece(sub, starts, last[0], length) + _piece(sub, starts, 0.0, first[1])[1:])
        for a, b in intervals:
            out.extend(_piece(sub, starts, a, b))
    return out
