"""Where closed outlines start: at their top-left vertex, so one outline has one spelling.

A closed subpath draws the same from whichever of its vertices it starts: its fill does not depend on
the start, its stroke joins every vertex including the first, and dashes (whose phase would) are already
baked into geometry by :mod:`svgtok.flatten`. Icon sources start outlines wherever their author's tool did,
which leaves a model nothing to predict the first point from; starting each closed outline at its
topmost vertex (the leftmost of those on a tie) gives it the same anchor in every icon. Open subpaths keep
their start, as do a path's subpaths their order and direction (either can change a fill).

An option (``normalize(..., starts="top-left")``, ``SVGTokenizer(starts="top-left")``), not the default: a
model trained on it drew better stars and hearts but edited worse (docs/RESULTS.md, run I).
"""

from __future__ import annotations

from svgtok.errors import SVGError
from svgtok.pathdata import Command

STARTS = ("drawn", "top-left")
Point = tuple[int, int]


def check_starts(starts: str) -> None:
    """Raise SVGError unless ``starts`` names a start rule."""
    if starts not in STARTS:
        raise SVGError(f"starts={starts!r} is not one of {', '.join(map(repr, STARTS))}")


def _end(cmd: Command) -> Point:
    return cmd[-2], cmd[-1]


def _rotated(start: Point, segments: list[Command]) -> tuple[Point, list[Command]]:
    """A closed subpath's start and segments, restarted at its top-left vertex."""
    cycle = list(segments)
    if _end(cycle[-1]) != start:
        cycle.append(("L", *start))  # the closing line z would draw, made explicit to move it
    vertices = [start, *(_end(cmd) for cmd in cycle[:-1])]
    first = min(range(len(vertices)), key=lambda i: (vertices[i][1], vertices[i][0]))
    if first == 0:
        return start, segments
    cycle = cycle[first:] + cycle[:first]
    if cycle[-1][0] == "L":
        cycle.pop()  # z draws the last line back to the new start
    return vertices[first], cycle


def canonical_starts(commands: list[Command]) -> list[Command]:
    """Quantized absolute commands (M L C Q A Z) with every closed subpath starting at its top-left vertex.

    Example:
        >>> canonical_starts([("M", 4, 8), ("L", 4, 2), ("L", 9, 2), ("Z",)])
        [('M', 4, 2), ('L', 9, 2), ('L', 4, 8), ('Z',)]
    """
    out: list[Command] = []
    drawn_start: Point = (0, 0)  # where the current subpath starts in the input
    own_move = False  # the subpath has an M (one after z may not: it starts where the last one did)
    moved = False  # the last closed subpath now starts elsewhere, so the pen is not where the input has it
    segments: list[Command] = []

    def flush(closed: bool) -> None:
        nonlocal moved
        start, body = _rotated(drawn_start, segments) if closed else (drawn_start, segments)
        if own_move or moved or start != drawn_start:
            out.append(("M", *start))
        out.extend(body)
        if closed:
            out.append(("Z",))
        moved = start != drawn_start
        segments.clear()

    for cmd in commands:
        if cmd[0] == "M":
            if segments:
                flush(closed=False)
            drawn_start, own_move = _end(cmd), True
        elif cmd[0] == "Z":
            if segments:
                flush(closed=True)
            own_move = False
        else:
            segments.append(cmd)
    if segments:
        flush(closed=False)
    return out
