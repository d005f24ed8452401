"""Gradients as flat paint (the token language has no gradients): one mean paint, or bands of flat color.

:func:`svgtok.normalize.resolve_paint_servers` keeps a ``url(#id)`` fill or stroke that :func:`parse_gradient`
can read. By default :func:`svgtok.flatten.flatten` gives each path it paints one paint, the gradient's mean
over what it paints (:func:`mean_paint`, sampled on a grid over the fill's area or the stroke's outline).
With ``gradients="bands"`` it cuts each fill into bands along the gradient with :func:`bands` and gives each
band the gradient's color and opacity at its middle:

- a linear gradient's bands are strips perpendicular to its vector (SVG 1.1, 13.2.2);
- a radial gradient's bands are rings between the circles that run from the focal point to the end circle
  (13.2.3), ellipses once the transform is applied.

Colors are interpolated per channel in sRGB, as SVG 1.1 specifies. Bands are placed at equal steps of color
change, so that neighbours differ by at most ``COLOR_STEP`` in any channel (alpha counted on the same scale)
unless ``MAX_BANDS`` caps them; equal neighbours merge. Gradients beyond the caps, and paint whose mean
cannot be sampled, take the stops' mean (:func:`mean_color`).
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass

from lxml import etree

from svgtok import clip
from svgtok.color import CURRENT_COLOR, mix, parse_color
from svgtok.errors import SVGError
from svgtok.geometry import Affine, apply, mean_scale, parse_transform
from svgtok.parse import href_of, local_name
from svgtok.shapes import fraction

# Measured on the sample's 51 gradient icons and the round trips in tests/svgtok/test_gradient.py (steps 4–24 of
# 255, caps 12–48, widths 2–8): coarser steps lose smooth ramps, finer ones add seams and tokens, not fidelity.
COLOR_STEP = 10.0
MAX_BANDS = 20  # bands per painted path
MEAN_SAMPLES = 8  # points per side of the grid that measures a gradient's mean paint over a path
MIN_BAND_WIDTH = 4.0  # grid units (2 px at 256 px on the 480 grid): narrower bands cost tokens, not fidelity
MAX_PERIODS = 64  # repeats of a reflected or repeated gradient across one path
MAX_STOPS = 256  # stops of a gradient cut into bands; more take the stops' mean color
MAX_HREF_CHAIN = 8
KAPPA = 0.5522847498  # cubic control distance of a quarter circle of radius 1
GRADIENTS = ("linearGradient", "radialGradient")
# Coordinates, their initial values (13.2.2–3) and the viewport side their percentages refer to.
COORDINATES = {
    "x1": ("0", "x"),
    "y1": ("0", "y"),
    "x2": ("100%", "x"),
    "y2": ("0", "y"),
    "cx": ("50%", "x"),
    "cy": ("50%", "y"),
    "r": ("50%", "r"),
    "fx": (None, "x"),  # fx and fy default to cx and cy
    "fy": (None, "y"),
    "fr": ("0", "r"),
}
Color = tuple[float, float, float, float]  # red, green, blue and alpha, each on 0..255


@dataclass(frozen=True)
class Gradient:
    """A parsed gradient: its geometry in gradient space and its stops, offsets ascending in [0, 1]."""

    radial: bool
    stops: tuple[tuple[float, Color], ...]
    box_units: bool  # objectBoundingBox: gradient space is the painted path's bounding box
    transform: Affine
    start: tuple[float, float]  # linear: (x1, y1); radial: the focal point (fx, fy)
    end: tuple[float, float]  # linear: (x2, y2); radial: the center (cx, cy)
    radius: float  # radial: r
    focal_radius: float  # radial: fr (SVG 2)
    spread: str


@dataclass(frozen=True)
class Band:
    """One band: the area of the painted path it covers, and its paint."""

    area: clip.Area
    color: str
    alpha: float
    flat: bool = False  # the gradient has this one color all over the painted area


def _chain(element: etree._Element, ids: dict[str, etree._Element]) -> list[etree._Element]:
    """The gradient and the gradients its ``href`` inherits from, nearest first (SVG 1.1, 13.2.4)."""
    chain = [element]
    while len(chain) <= MAX_HREF_CHAIN:
        ref = (href_of(chain[-1]) or "").strip()
        target = ids.get(ref[1:]) if ref.startswith("#") else None
        if target is None or local_name(target) not in GRADIENTS or any(target is e for e in chain):
            break
        chain.append(target)
    return chain


def _hex(color: Color) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(255, round(c))) for c in color[:3]))


def _stop_color(stop: etree._Element) -> Color:
    """A stop's color and opacity; an unknown color, or currentColor, is black (its initial value)."""
    parsed = parse_color(stop.get("stop-color", "black"))
    hex_color, alpha = parsed if parsed is not None and parsed[0] not in (None, CURRENT_COLOR) else ("#000000", 1.0)
    if parsed is not None and parsed[0] is None:  # none and transparent
        alpha = 0.0
    rgb = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return (*rgb, 255.0 * alpha * fraction(stop.get("stop-opacity"), 1.0))


def _stops(chain: list[etree._Element]) -> tuple[tuple[float, Color], ...]:
    """The stops of the first gradient in the chain that has any (13.2.4)."""
    for element in chain:
        elements = [s for s in element if local_name(s) == "stop"]
        if not elements:
            continue
        stops, last = [], 0.0
        for stop in elements:
            color = _stop_color(stop)
            last = max(last, fraction(stop.get("offset"), 0.0))  # offsets never go back (13.2.4)
            stops.append((last, color))
        return tuple(stops)
    return ()


def _length(text: str, reference: float, box_units: bool) -> float | None:
    """A gradient coordinate: a fraction of the box, or user units, with percentages of ``reference``."""
    text = text.strip()
    scale = (1.0 if box_units else reference) / 100 if text.endswith("%") else 1.0
    try:
        value = float(text.removesuffix("%")) * scale
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_gradient(
    element: etree._Element, ids: dict[str, etree._Element], viewport: tuple[float, float]
) -> Gradient | None:
    """Read a ``<linearGradient>`` or ``<radialGradient>`` with what it inherits through ``href``.

    Args:
        element: the gradient element.
        ids: the document's elements by id.
        viewport: the user-space size that userSpaceOnUse percentages refer to.

    Returns:
        The gradient, or None when a coordinate or the gradientTransform cannot be read. A gradient without stops
        has ``stops == ()`` and paints nothing (SVG 1.1, 13.2.4).

    Example:
        >>> from svgtok.parse import parse
        >>> root = parse('<svg xmlns="http://www.w3.org/2000/svg"><linearGradient><stop/></linearGradient></svg>').root
        >>> parse_gradient(root[0], {}, (24, 24)).stops
        ((0.0, (0, 0, 0, 255.0)),)
    """
    chain = _chain(element, ids)

    def inherited(name: str) -> str | None:
        return next((e.get(name) for e in chain if e.get(name) is not None), None)

    box_units = (inherited("gradientUnits") or "").strip() != "userSpaceOnUse"
    width, height = viewport
    references = {"x": width, "y": height, "r": math.hypot(width, height) / math.sqrt(2)}
    values: dict[str, float] = {}
    for name, (default, side) in COORDINATES.items():
        text = inherited(name) or default or inherited("c" + name[1]) or COORDINATES["c" + name[1]][0]  # fx → cx
        value = _length(text, references[side], box_units)
        if value is None:
            return None
        values[name] = value
    radial = local_name(element) == "radialGradient"
    if radial:
        start, end = (values["fx"], values["fy"]), (values["cx"], values["cy"])
        if math.dist(start, end) > values["r"]:  # a focal point outside the end circle moves onto it (SVG 1.1, 13.2.3)
            k = values["r"] * 0.999 / math.dist(start, end)
            start = (end[0] + (start[0] - end[0]) * k, end[1] + (start[1] - end[1]) * k)
    else:
        start, end = (values["x1"], values["y1"]), (values["x2"], values["y2"])
    spread = next((e.get("spreadMethod") for e in chain if e.get("spreadMethod")), "pad").strip()
    try:
        transform = parse_transform(inherited("gradientTransform"))
    except SVGError:
        return None
    return Gradient(
        radial=radial,
        stops=_stops(chain),
        box_units=box_units,
        transform=transform,
        start=start,
        end=end,
        radius=max(values["r"], 0.0),
        focal_radius=max(values["fr"], 0.0),
        spread=spread if spread in ("reflect", "repeat") else "pad",
    )


def mean_color(gradient: Gradient) -> str | None:
    """The stops' mean color, weighted by their opacity: what stands in for a gradient whose mean over a path
    cannot be sampled or that is beyond the caps."""
    colors = [(_hex(rgba), max(rgba[3], 0.255)) for _, rgba in gradient.stops]
    return mix(colors) if colors else None


def _interpolate(stops: tuple[tuple[float, Color], ...], u: float, mid: float) -> Color:
    """The color at ``u`` on the line through the two stops around ``mid`` (both in [0, 1])."""
    if mid <= stops[0][0]:
        return stops[0][1]
    if mid >= stops[-1][0]:
        return stops[-1][1]
    i = bisect.bisect_right(stops, mid, key=lambda stop: stop[0])
    (o0, c0), (o1, c1) = stops[i - 1], stops[i]
    k = (u - o0) / (o1 - o0)
    return tuple(a + (b - a) * k for a, b in zip(c0, c1, strict=True))


def _spread(t: float, method: str) -> float:
    if method == "repeat":
        return t - math.floor(t)
    if method == "reflect":
        m = t % 2.0
        return m if m <= 1 else 2.0 - m
    return min(1.0, max(0.0, t))


def _nodes(gradient: Gradient, lo: float, hi: float) -> list[tuple[float, Color]]:
    """The color along t in [lo, hi] as a polyline: (t, color) nodes, two at one t where the color jumps."""
    offsets = {0.0, 1.0, *(o for o, _ in gradient.stops)}
    periods = range(math.floor(lo) - 1, math.ceil(hi) + 2) if gradient.spread != "pad" else (0,)
    cuts = sorted({lo, hi} | {k + s * o for k in periods for o in offsets for s in (1, -1) if lo < k + s * o < hi})
    nodes = []
    for a, b in itertools.pairwise(cuts):
        mid = _spread((a + b) / 2, gradient.spread)
        nodes.append((a, _interpolate(gradient.stops, _spread(a, gradient.spread), mid)))
        nodes.append((b, _interpolate(gradient.stops, _spread(b, gradient.spread), mid)))
    return nodes or [(lo, _interpolate(gradient.stops, _spread(lo, gradient.spread), _spread(lo, gradient.spread)))]


def _at(nodes: list[tuple[float, Color]], cumulative: list[float], value: float) -> tuple[float, Color]:
    """The node polyline's t and color where its accumulated color change reaches ``value``."""
    for i in range(1, len(nodes)):
        if cumulative[i] >= value and cumulative[i] > cumulative[i - 1]:
            k = (value - cumulative[i - 1]) / (cumulative[i] - cumulative[i - 1])
            (t0, c0), (t1, c1) = nodes[i - 1], nodes[i]
            return t0 + (t1 - t0) * k, tuple(a + (b - a) * k for a, b in zip(c0, c1, strict=True))
    return nodes[-1]


def _paint(color: Color) -> tuple[str, float]:
    return _hex(color), round(max(0.0, min(1.0, color[3] / 255)), 2)


def color_bands(
    gradient: Gradient, lo: float, hi: float, most: int = MAX_BANDS
) -> list[tuple[float, float, str, float]]:
    """Split t in [lo, hi] into at most ``most`` bands of flat color, ``(t_start, t_end, color, alpha)``, at
    equal steps of color change; neighbours differ.

    Example:
        >>> from svgtok.parse import parse
        >>> root = parse('<svg xmlns="http://www.w3.org/2000/svg"><linearGradient><stop/><stop offset="1" '
        ...              'stop-color="#fff"/></linearGradient></svg>').root
        >>> [(a, b, c) for a, b, c, _ in color_bands(parse_gradient(root[0], {}, (24, 24)), 0, 1)][:2]
        [(0, 0.05, '#060606'), (0.05, 0.1, '#131313')]
    """
    nodes = _nodes(gradient, lo, hi)
    cumulative = [0.0]
    for (_, c0), (_, c1) in itertools.pairwise(nodes):
        cumulative.append(cumulative[-1] + max(abs(a - b) for a, b in zip(c0, c1, strict=True)))
    total = cumulative[-1]
    count = max(1, min(most, math.ceil(total / COLOR_STEP)))
    step = total / count
    out: list[tuple[float, float, str, float]] = []
    start = lo
    for k in range(count):
        end = hi if k == count - 1 else _at(nodes, cumulative, (k + 1) * step)[0]
        paint = _paint(_at(nodes, cumulative, (k + 0.5) * step)[1] if total else nodes[0][1])
        if out and out[-1][2:] == paint:
            out[-1] = (out[-1][0], end, *paint)
        elif end > start or k == count - 1:
            out.append((start, end, *paint))
        start = max(start, end)
    return out


def _disk(gradient: Gradient, t: float, matrix: Affine) -> clip.Area:
    """The circle of radial gradient value t (centre from focal point to centre, radius fr to r), on the canvas."""
    (fx, fy), (cx, cy) = gradient.start, gradient.end
    x, y = fx + (cx - fx) * t, fy + (cy - fy) * t
    r = max(0.0, gradient.focal_radius + (gradient.radius - gradient.focal_radius) * t)
    k = r * KAPPA
    points = [(x + r, y), (x + r, y + k), (x + k, y + r), (x, y + r), (x - k, y + r), (x - r, y + k), (x - r, y)]
    points += [(x - r, y - k), (x - k, y - r), (x, y - r), (x + k, y - r), (x + r, y - k), (x + r, y)]
    mapped = [apply(matrix, px, py) for px, py in points]
    commands = [("M", *mapped[0])] + [("C", *mapped[i], *mapped[i + 1], *mapped[i + 2]) for i in (1, 4, 7, 10)]
    return clip.area_of([*commands, ("Z",)])


def _radial_t(gradient: Gradient, x: float, y: float) -> float:
    """The gradient value at a point of gradient space: the t whose circle passes through it."""
    (fx, fy), (cx, cy) = gradient.start, gradient.end
    dx, dy, fr, dr = cx - fx, cy - fy, gradient.focal_radius, gradient.radius - gradient.focal_radius
    px, py = x - fx, y - fy
    # |p − t·d| = fr + t·dr, a quadratic a·t² − 2b·t + c = 0; the largest root with a circle is the outermost.
    a, b, c = dx * dx + dy * dy - dr * dr, px * dx + py * dy + fr * dr, px * px + py * py - fr * fr
    if abs(a) < 1e-12:
        return c / (2 * b) if b else 0.0
    root = math.sqrt(max(0.0, b * b - a * c))
    return max((t for t in ((b + root) / a, (b - root) / a) if fr + t * dr >= 0), default=0.0)


def _degenerate(gradient: Gradient) -> bool:
    """True for a gradient that paints its last stop's color everywhere: a radial one of radius 0, a linear one
    whose vector has no length (SVG 1.1, 13.2.2–3)."""
    return gradient.radius == 0 if gradient.radial else gradient.start == gradient.end


def mean_paint(gradient: Gradient, inverse: Affine, area: clip.Area) -> tuple[str, float, bool] | None:
    """The one paint closest to the gradient over ``area``: its mean color, weighted by alpha, and its mean
    alpha, from a ``MEAN_SAMPLES`` × ``MEAN_SAMPLES`` grid of points over the area's bounds that fall inside
    it; and whether every sample had the same paint. None when no sample falls inside (a thin area), or when a
    repeating gradient repeats more than ``MAX_PERIODS`` times across the samples (a grid would alias it).

    Drawn over any background, this paint leaves the same mean as the gradient does.
    """
    if _degenerate(gradient):
        return *_paint(gradient.stops[-1][1]), True
    x0, y0, x1, y1 = area.bounds
    ts = []
    for i in range(MEAN_SAMPLES):
        for j in range(MEAN_SAMPLES):
            x, y = x0 + (x1 - x0) * (i + 0.5) / MEAN_SAMPLES, y0 + (y1 - y0) * (j + 0.5) / MEAN_SAMPLES
            if not area.contains((x, y)):
                continue
            if gradient.radial:
                t = _radial_t(gradient, *apply(inverse, x, y))
            else:
                t = _linear_coordinates(gradient, inverse, x, y)[0]
            if math.isfinite(t):
                ts.append(t)
    if not ts or (gradient.spread != "pad" and max(ts) - min(ts) > MAX_PERIODS):
        return None
    colors = [_interpolate(gradient.stops, u, u) for u in (_spread(t, gradient.spread) for t in ts)]
    weight = sum(color[3] for color in colors)
    mean = [sum(color[k] * (color[3] if weight else 1) for color in colors) / (weight or len(colors)) for k in range(3)]
    return *_paint((*mean, weight / len(colors))), len(set(colors)) == 1


def _strip(gradient: Gradient, a: float, b: float, sides: tuple[float, float], matrix: Affine) -> clip.Area:
    """The part of a linear gradient's plane between values a and b, on the canvas (``sides`` bound it along
    the gradient's normal, in the same units)."""
    (sx, sy), (ex, ey) = gradient.start, gradient.end
    vx, vy = ex - sx, ey - sy
    corners = [(sx + t * vx - s * vy, sy + t * vy + s * vx) for t, s in ((a, sides[0]), (b, sides[0]), (b, sides[1]))]
    corners.append((sx + a * vx - sides[1] * vy, sy + a * vy + sides[1] * vx))
    mapped = [apply(matrix, x, y) for x, y in corners]
    return clip.area_of([("M", *mapped[0]), *(("L", *p) for p in mapped[1:]), ("Z",)])


def _linear_coordinates(gradient: Gradient, inverse: Affine, x: float, y: float) -> tuple[float, float]:
    """A canvas point's value t along a linear gradient and its offset along the normal, in the same units."""
    (sx, sy), (ex, ey) = gradient.start, gradient.end
    vx, vy = ex - sx, ey - sy
    gx, gy = apply(inverse, x, y)
    length = vx * vx + vy * vy
    return ((gx - sx) * vx + (gy - sy) * vy) / length, ((gx - sx) * -vy + (gy - sy) * vx) / length


def bands(
    gradient: Gradient, matrix: Affine, inverse: Affine, area: clip.Area, limit: int, overlap: float
) -> list[Band] | None:
    """Cut a painted area into bands of the gradient's color.

    Args:
        gradient: the gradient, with at least one stop.
        matrix: gradient space to canvas; ``inverse`` maps the canvas back.
        area: the painted area on the canvas (non-empty).
        limit: the most bands to cut.
        overlap: canvas units by which an opaque band reaches under the next one, so that no seam of
            background shows between them where the renderer antialiases both edges (0 for translucent paths).

    Returns:
        Bands in painting order, empty ones left out; one band holding ``area`` itself when the gradient has
        one color over it (``flat``) or the area is too narrow for two. None when it would take more than
        ``limit`` bands, when the gradient has more than ``MAX_STOPS`` stops or repeats more than
        ``MAX_PERIODS`` times across the area, or when its values are not finite.

    Raises:
        SVGError: when boolean path operations cannot resolve the geometry.
    """
    x0, y0, x1, y1 = area.bounds
    corners = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    if _degenerate(gradient):
        return [Band(area, *_paint(gradient.stops[-1][1]), flat=True)]
    if gradient.radial:
        lo, hi = 0.0, max(_radial_t(gradient, *apply(inverse, x, y)) for x, y in corners)
        rate = 1 / (mean_scale(matrix) * abs(gradient.radius - gradient.focal_radius))
    else:
        ts, ss = zip(*(_linear_coordinates(gradient, inverse, x, y) for x, y in corners), strict=True)
        lo, hi = min(ts), max(ts)
        (t0, _), (tx, _), (ty, _) = (_linear_coordinates(gradient, inverse, x, y) for x, y in ((0, 0), (1, 0), (0, 1)))
        rate = math.hypot(tx - t0, ty - t0)
    too_many = len(gradient.stops) > MAX_STOPS or (gradient.spread != "pad" and hi - lo > MAX_PERIODS)
    if too_many or not all(math.isfinite(v) for v in (lo, hi, rate)):
        return None
    reach = overlap * rate  # rate: t per canvas unit
    width = (hi - lo) / rate if rate else math.inf
    spans = color_bands(gradient, lo, hi, max(1, math.floor(min(MAX_BANDS, width / MIN_BAND_WIDTH + 1e-9))))
    if len(spans) > limit:
        return None
    if len(spans) == 1:  # one color, or a path too narrow for two bands
        return [Band(area, *spans[0][2:], flat=len(color_bands(gradient, lo, hi)) == 1)]
    out = []
    for i, (a, b, color, alpha) in enumerate(spans):
        last = i == len(spans) - 1
        b += reach if alpha == 1 and not last else 0.0
        if gradient.radial:
            if last:
                piece = clip.subtract(area, _disk(gradient, a, matrix))
            else:
                region = _disk(gradient, b, matrix)
                piece = clip.intersect(area, clip.subtract(region, _disk(gradient, a, matrix)) if i else region)
        else:
            margin = 1 + hi - lo  # the first and last strips reach past the area
            a, b = (a - margin if i == 0 else a), (b + margin if last else b)
            sides = (min(ss) - margin, max(ss) + margin)
            piece = clip.intersect(area, _strip(gradient, a, b, sides, matrix))
        if not clip.is_empty(piece):
            out.append(Band(piece, color, alpha))
    return out
