"""The asset document: what mbat knows about one icon, as JSON, and the encoder settings for it.

A catalog row becomes a document of metadata (name words, aliases, set, category, license, palette) and
of what its normalized SVG shows (dominant colors, counts of paths and commands, bounding box and aspect,
and the element tree). The element tree mirrors the normalized SVG: the ``<svg>`` canvas and its paths in
paint order, each path with its presentation attributes, the count of each command letter in its ``d``,
and its box. Boxes are fractions of the canvas's longer side; the box of an arc includes its quarter
points, so a circle drawn as two arcs gets its true box. The drawing as a whole is also described by the
cells of three grids (4×4, 8×8, 16×16 over the canvas) that its points fall in: a soft picture of its shape,
exact at the fine scale and forgiving at the coarse one.

An SVG query is normalized by svgtok first and becomes the structure-only part of a document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

import numpy as np

from mbat.encoder import Encoder
from mbat.errors import MBATError
from mbat.settings import NumberScale
from svgtok.errors import SVGError
from svgtok.geometry import arc_center
from svgtok.normalize import normalize
from svgtok.parse import local_name, parse
from svgtok.tokenizer import DEFAULT_GRID

TEXT_KEYS = ("name", "aliases")
# Geometry and counts get finer chains than the encoder's 8 links, so near-identical drawings stand out from
# the same set's other icons: on 50k catalog icons this raised find-by-example recall@10 from 0.024 to 0.037
# (docs/RESULTS.md, "mbat").
SCALES = {
    "paths": NumberScale(0, 1_000, log=True, levels=32),
    "commands": NumberScale(0, 10_000, log=True, levels=32),
    "bbox": NumberScale(0, 1, levels=48),
    "box": NumberScale(0, 1, levels=48),
    "aspect": NumberScale(0.1, 10, log=True),
    "width": NumberScale(0, DEFAULT_GRID),
    "height": NumberScale(0, DEFAULT_GRID),
    "stroke-width": NumberScale(0, 100, log=True),
    "opacity": NumberScale(0, 1),
    "fill-opacity": NumberScale(0, 1),
    "stroke-opacity": NumberScale(0, 1),
}
# The cells of the drawing's points at three scales (``cells4``: a 4×4 grid, ...). Weighted 5×, they let the
# drawing outweigh the style its set shares (license, palette, stroke attributes): on 86k catalog icons
# find-by-example recall@10 (exact search) went from 0.002 to 0.166 (docs/RESULTS.md, "mbat").
CELL_GRIDS = (4, 8, 16)
CELL_KEYS = tuple(f"cells{g}" for g in CELL_GRIDS)
CELL_WEIGHT = 5.0
_CELL_NAMES = {g: [f"{col},{row}" for col in range(g) for row in range(g)] for g in CELL_GRIDS}  # each divides 16
# The name carries 3× the weight of other fields: a name-only query then sits closer to its icons, which
# HNSW needs (text-query recall 0.60 → 0.86 at efSearch 512 on 50k icons; docs/RESULTS.md, "mbat").
WEIGHTS = {"name": 3.0} | dict.fromkeys(CELL_KEYS, CELL_WEIGHT)
BAG_KEYS = ("aliases", "colors", *CELL_KEYS)
# Fields a find-by-example query leaves out: only what the drawing shows remains (issue 5, task b).
IDENTITY_FIELDS = ("name", "aliases", "category", "set")
DOMINANT_COLORS = 3
_NUMERIC_ATTRIBUTES = frozenset({"stroke-width", "opacity", "fill-opacity", "stroke-opacity"})
_SEGMENT = re.compile(r"([MmLlHhVvCcSsQqTtAaZz])([^MmLlHhVvCcSsQqTtAaZz]*)")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


def asset_encoder(dim: int = 1024, seed: int = 0) -> Encoder:
    """The encoder for asset documents: names are free text with 3× weight, aliases, colors and cells are
    unordered, the cells weigh 5×, and each numeric field has its own scale.

    Example:
        >>> asset_encoder(dim=256).config.text_keys
        ('aliases', 'name')
    """
    return Encoder(dim=dim, seed=seed, text_keys=TEXT_KEYS, bag_keys=BAG_KEYS, scales=SCALES, weights=WEIGHTS)


def _arc_points(x0: float, y0: float, arc: tuple) -> list[tuple[float, float]]:
    """The end point of an arc and its quarter points, enough for an approximate box."""
    center = arc_center(x0, y0, arc)
    if center is None:
        return [(arc[-2], arc[-1])]
    return [center.point(center.theta1 + center.dtheta * f) for f in (0.25, 0.5, 0.75)] + [(arc[-2], arc[-1])]


def path_points(d: str) -> tuple[Counter, list[tuple[float, float]]]:
    """Count the command letters of normalized path data and list its points.

    Normalized data starts with an absolute ``M`` and continues in relative commands (svgtok's writer),
    which this walks without building command tuples. The points are every end and control point, and an
    arc's quarter points.

    Returns:
        ``(letters, points)``, points as ``(x, y)`` in grid units.

    Example:
        >>> path_points("M10 10h20z")
        (Counter({'M': 1, 'h': 1, 'z': 1}), [(10.0, 10.0), (30.0, 10.0)])
    """
    letters: Counter = Counter()
    points: list[tuple[float, float]] = []
    x = y = sx = sy = 0.0
    for letter, body in _SEGMENT.findall(d):
        letters[letter] += 1
        nums = [float(n) for n in _NUMBER.findall(body)]
        lower = letter.lower()
        arity = _ARITY[lower]
        if not arity:
            x, y = sx, sy
            continue
        for i in range(0, len(nums) - arity + 1, arity):
            args = nums[i : i + arity]
            ox, oy = (0.0, 0.0) if letter.isupper() else (x, y)
            if lower == "h":
                new = [(args[0] + ox, y)]
            elif lower == "v":
                new = [(x, args[0] + (0.0 if letter.isupper() else y))]
            elif lower == "a":
                new = _arc_points(x, y, ("A", *args[:5], args[5] + ox, args[6] + oy))
            else:
                new = [(args[j] + ox, args[j + 1] + oy) for j in range(0, arity, 2)]
            points += new
            x, y = new[-1]
            if lower == "m" and i == 0:
                sx, sy = x, y
    return letters, points


def points_box(points: list[tuple[float, float]]) -> list[float]:
    """The box ``[x0, y0, x1, y1]`` around points; ``[]`` for none.

    Example:
        >>> points_box(path_points("M10 10h20v20z")[1])
        [10.0, 10.0, 30.0, 30.0]
    """
    if not points:
        return []
    xs, ys = zip(*points, strict=True)
    return [min(xs), min(ys), max(xs), max(ys)]


def drawing_cells(points: list[tuple[float, float]], side: float = 1.0) -> dict[str, list[str]]:
    """The cells (``"column,row"``, sorted) of each grid of :data:`CELL_GRIDS` over a square canvas of
    ``side`` that points fall in; points off the canvas count in its edge cells.

    Example:
        >>> drawing_cells([(0.1, 0.1), (0.9, 0.6)])["cells4"]
        ['0,0', '3,2']
    """
    finest = CELL_GRIDS[-1]
    xy = np.array(points, dtype=np.float64).reshape(-1, 2) * (finest / side)  # (n, 2) in finest cells
    col, row = np.clip(xy.astype(np.intp), 0, finest - 1).T
    fine = np.unique(col * finest + row)  # each occupied finest cell once; coarser grids derive from these
    col, row = fine // finest, fine % finest
    cells = {}
    for grid, key in zip(CELL_GRIDS, CELL_KEYS, strict=True):
        step = finest // grid
        cells[key] = [_CELL_NAMES[grid][i] for i in np.unique(col // step * grid + row // step).tolist()]
    return cells


def _attribute(name: str, value: str) -> str | float:
    if name in _NUMERIC_ATTRIBUTES:
        try:
            return float(value)
        except ValueError:
            return value
    return value


def svg_fields(normalized_svg: str) -> dict:
    """The structure part of a document, from svgtok's normalized SVG.

    Returns:
        ``colors``, ``paths``, ``commands``, ``bbox``, ``aspect`` and ``svg`` (the element tree); an empty
        dict for an empty document.

    Raises:
        MBATError: the text is not a normalized SVG document.

    Example:
        >>> path = '<path d="M0 0h240v240z" fill="red"/>'
        >>> fields = svg_fields(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 240">{path}</svg>')
        >>> fields["colors"], fields["bbox"], fields["aspect"]
        (['red'], [0.0, 0.0, 0.5, 0.5], 2.0)
    """
    if not normalized_svg:
        return {}
    try:
        root = parse(normalized_svg).root
    except SVGError as exc:
        raise MBATError(f"cannot read the normalized SVG ({exc}); re-normalize it with svgtok") from exc
    view_box = [float(v) for v in (root.get("viewBox") or "0 0 1 1").split()]
    width, height = view_box[2], view_box[3]
    side = max(width, height) or 1.0
    paints: Counter = Counter()
    children = []
    commands = 0
    boxes = []
    drawn: list[tuple[float, float]] = []
    for element in root:
        if local_name(element) != "path":
            continue
        attributes = {k: _attribute(k, v) for k, v in element.attrib.items() if k != "d"}
        paints.update(v for k, v in attributes.items() if k in ("fill", "stroke") and v != "none")
        letters, points = path_points(element.get("d", ""))
        commands += sum(letters.values())
        node = {"tag": "path", **attributes, "d": dict(letters)}
        if points:
            box = points_box(points)
            boxes.append(box)
            node["box"] = [round(v / side, 4) for v in box]
            drawn += points
        children.append(node)
    corners = np.array(boxes).reshape(-1, 4)  # (paths with a box, 4)
    bbox = [*corners[:, :2].min(axis=0), *corners[:, 2:].max(axis=0)] if len(boxes) else []
    return {
        "colors": [color for color, _ in paints.most_common(DOMINANT_COLORS)],
        "paths": len(children),
        "commands": commands,
        "bbox": [round(float(v) / side, 4) for v in bbox],
        "aspect": round(width / height, 4) if height else 1.0,
        "svg": {"tag": "svg", "width": width, "height": height, "children": children},
        **drawing_cells(drawn, side),
    }


def name_document(row: Mapping) -> dict:
    """The name-only document of a catalog row: what a free-text query of its name becomes.

    Example:
        >>> name_document({"name": "bell-ring"})
        {'name': 'bell ring'}
    """
    return {"name": row["name"].replace("-", " ")}


def asset_document(row: Mapping) -> dict:
    """The document of one catalog row (a dict with the columns of :data:`mbat.catalog.COLUMNS`).

    Example:
        >>> row = {"name": "bell-ring", "aliases": [], "set_prefix": "mdi", "category": "Material",
        ...        "license": "Apache-2.0", "palette": "mono", "normalized_svg": ""}
        >>> asset_document(row)["name"]
        'bell ring'
    """
    return {
        **name_document(row),
        "aliases": [a.replace("-", " ") for a in row["aliases"]],
        "set": row["set_prefix"],
        "category": row["category"],
        "license": row["license"],
        "palette": row["palette"],
        **svg_fields(row["normalized_svg"]),
    }


def example_document(document: Mapping) -> dict:
    """A document with its identity (name, aliases, category, set) removed: the drawing and license only."""
    return {k: v for k, v in document.items() if k not in IDENTITY_FIELDS}


def svg_document(svg: str) -> dict:
    """The structure-only document of any SVG: normalized by svgtok (active content dropped), then read.

    The palette is ``"color"`` when anything is painted with a color other than ``currentColor``.

    Raises:
        MBATError: svgtok cannot parse or normalize the SVG (the message says why).

    Example:
        >>> circle = '<circle cx="12" cy="12" r="6"/>'
        >>> doc = svg_document(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">{circle}</svg>')
        >>> doc["palette"], doc["bbox"]
        ('color', [0.25, 0.25, 0.75, 0.75])
    """
    try:
        normalized = normalize(svg, grid=DEFAULT_GRID, active="drop").svg
    except SVGError as exc:
        raise MBATError(f"cannot use this SVG as a query: {exc}") from exc
    fields = svg_fields(normalized)
    palette = "color" if set(fields.get("colors", [])) - {"currentColor"} else "mono"
    return {"palette": palette, **fields}
