"""The atomic token language: a normalized document as a flat sequence of token ids.

A program reads, for a document of two paths::

    <svg> n512 n300                                  canvas width and height in grid units
    <path> fill:rgb cff c80 c00 evenodd              paint: fill color, then optional attributes
      n40 n80  l p12,-3  h n100  c p5,0 p0,-5 p20,-20  o01 n16 p16,16  a00 n20 n8 r30 p0,16  z
    <path> fill:current stroke:rgb c00 c00 c00 stroke-width n8 cap:round  n10 n10 ...
    </svg>

The canvas size is left out when it is the full ``grid × grid`` square (most icons). A path's start
point follows its paint as two absolute scalars; a path ends where the next ``<path>`` or ``</svg>``
begins.

* ``nV`` — a scalar: a coordinate, a delta, a radius or a width, ``V`` in ``[-2·grid, 2·grid]``.
* ``pDX,DY`` — a pair: one token for a delta whose parts both lie within ``±pair_radius``; a larger
  delta is spelled as two scalars.
* ``cHH`` — a color channel byte; ``%P`` — a whole percent; ``rD`` — an arc rotation in degrees.
* ``aLS`` / ``oLS`` — an elliptical / circular arc with its large-arc and sweep flags.

The first move of a path is absolute; every later point is relative to the previous *quantized* point,
so rounding never drifts. Cubic handles are relative to the anchor they leave from
(``c h1 h2 end``: p1−p0, p2−p3, p3−p0), which keeps them small. ``h``/``v``/``s``/``t`` are used
exactly where they apply, so each document has one spelling.

Each path's commands after its first move are *units* (a command with its arguments); the segment
layer (:mod:`svgtok.segments`) merges units, never anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from svgtok.document import Paint, PathElement, SVGDoc
from svgtok.errors import SVGError
from svgtok.pathdata import Command

STRUCTURE = ("<svg>", "</svg>", "<path>")
PAINT = (
    "opacity",
    "fill:none",
    "fill:current",
    "fill:rgb",
    "fill-opacity",
    "evenodd",
    "stroke:current",
    "stroke:rgb",
    "stroke-width",
    "stroke-opacity",
    "cap:round",
    "cap:square",
    "join:round",
    "join:bevel",
)
# Arcs carry their large-arc and sweep flags in the command: ``aLS rx ry rotation end`` for an
# ellipse, ``oLS r end`` for a circle (its rotation cannot matter), which is most arcs in icons.
ARCS = tuple(f"{kind}{large}{sweep}" for kind in "ao" for large in "01" for sweep in "01")
COMMANDS = ("m", "l", "h", "v", "c", "s", "q", "t", "z", *ARCS)


@dataclass(frozen=True)
class Piece:
    """A run of atomic ids; ``unit`` marks a command with its arguments, the only thing segments merge."""

    ids: tuple[int, ...]
    unit: bool


class AtomicVocab:
    """The atomic vocabulary for one grid and pair radius; ids are positions in :attr:`tokens`.

    Example:
        >>> vocab = AtomicVocab(grid=16, pair_radius=2)
        >>> vocab.tokens[vocab.scalar(-3)], vocab.tokens[vocab.pair(1, -2)]
        ('n-3', 'p1,-2')
    """

    def __init__(self, grid: int, pair_radius: int):
        if grid < 8 or pair_radius < 0 or pair_radius > grid:
            raise SVGError(f"grid={grid}, pair_radius={pair_radius}: need grid ≥ 8 and 0 ≤ pair_radius ≤ grid")
        self.grid, self.pair_radius = grid, pair_radius
        self.scalar_bound = 2 * grid
        tokens: list[str] = [*STRUCTURE, *PAINT, *COMMANDS]
        self.channel0 = len(tokens)
        tokens += [f"c{v:02x}" for v in range(256)]
        self.percent0 = len(tokens)
        tokens += [f"%{v}" for v in range(101)]
        self.rotation0 = len(tokens)
        tokens += [f"r{v}" for v in range(180)]
        self.scalar0 = len(tokens)
        tokens += [f"n{v}" for v in range(-self.scalar_bound, self.scalar_bound + 1)]
        self.pair0 = len(tokens)
        side = 2 * pair_radius + 1
        tokens += [
            f"p{dx},{dy}" for dx in range(-pair_radius, pair_radius + 1) for dy in range(-pair_radius, pair_radius + 1)
        ]
        self.pair_end = len(tokens)
        self._side = side
        self.tokens = tokens
        self.ids = {t: i for i, t in enumerate(tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def id(self, token: str) -> int:
        return self.ids[token]

    def scalar(self, value: int) -> int:
        if not -self.scalar_bound <= value <= self.scalar_bound:
            raise SVGError(f"value {value} is outside the scalar range ±{self.scalar_bound}")
        return self.scalar0 + value + self.scalar_bound

    def pair(self, dx: int, dy: int) -> int:
        r = self.pair_radius
        return self.pair0 + (dx + r) * self._side + dy + r

    def scalar_value(self, token_id: int) -> int:
        return token_id - self.scalar0 - self.scalar_bound

    def pair_value(self, token_id: int) -> tuple[int, int]:
        dx, dy = divmod(token_id - self.pair0, self._side)
        return dx - self.pair_radius, dy - self.pair_radius

    def is_scalar(self, token_id: int) -> bool:
        return self.scalar0 <= token_id < self.pair0

    def is_pair(self, token_id: int) -> bool:
        return self.pair0 <= token_id < self.pair_end

    def delta(self, dx: int, dy: int) -> tuple[int, ...]:
        """A delta as one pair token when it fits, else as two scalars."""
        r = self.pair_radius
        if -r <= dx <= r and -r <= dy <= r:
            return (self.pair(dx, dy),)
        return (self.scalar(dx), self.scalar(dy))

    def percent(self, value: int) -> int:
        return self.percent0 + value

    def color(self, hex_color: str) -> tuple[int, int, int]:
        return tuple(self.channel0 + int(hex_color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _paint_ids(vocab: AtomicVocab, paint: Paint) -> list[int]:
    """Paint tokens in their fixed order: fill, fill-opacity, evenodd, stroke block, opacity."""
    v = vocab.id
    out: list[int] = []
    if paint.fill is None:
        out.append(v("fill:none"))
    elif paint.fill == "currentColor":
        out.append(v("fill:current"))
    else:
        out += [v("fill:rgb"), *vocab.color(paint.fill)]
    if paint.fill_opacity != 100:
        out += [v("fill-opacity"), vocab.percent(paint.fill_opacity)]
    if paint.fill_rule == "evenodd":
        out.append(v("evenodd"))
    if paint.stroke is not None:
        if paint.stroke == "currentColor":
            out.append(v("stroke:current"))
        else:
            out += [v("stroke:rgb"), *vocab.color(paint.stroke)]
        out += [v("stroke-width"), vocab.scalar(paint.stroke_width)]
        if paint.stroke_opacity != 100:
            out += [v("stroke-opacity"), vocab.percent(paint.stroke_opacity)]
        if paint.linecap != "butt":
            out.append(v(f"cap:{paint.linecap}"))
        if paint.linejoin != "miter":
            out.append(v(f"join:{paint.linejoin}"))
    if paint.opacity != 100:
        out += [v("opacity"), vocab.percent(paint.opacity)]
    return out


def _units(vocab: AtomicVocab, commands: list[Command]) -> list[tuple[int, ...]]:
    """The commands after a path's first move, as units relative to the quantized cursor."""
    v = vocab.id
    units: list[tuple[int, ...]] = []
    x, y = commands[0][1], commands[0][2]
    sx, sy = x, y
    prev_op, prev_ctrl = "M", None
    for cmd in commands[1:]:
        op = cmd[0]
        ctrl = None
        if op == "Z":
            units.append((v("z"),))
            x, y = sx, sy
            prev_op = "Z"
            continue
        ex, ey = cmd[-2], cmd[-1]
        if op == "M":
            unit = (v("m"), *vocab.delta(ex - x, ey - y))
            sx, sy = ex, ey
        elif op == "L":
            if ey == y:
                unit = (v("h"), vocab.scalar(ex - x))
            elif ex == x:
                unit = (v("v"), vocab.scalar(ey - y))
            else:
                unit = (v("l"), *vocab.delta(ex - x, ey - y))
        elif op == "C":
            _, x1, y1, x2, y2, _, _ = cmd
            ctrl = (x2, y2)
            tail = (*vocab.delta(x2 - ex, y2 - ey), *vocab.delta(ex - x, ey - y))
            if prev_op == "C" and (x1, y1) == (2 * x - prev_ctrl[0], 2 * y - prev_ctrl[1]):
                unit = (v("s"), *tail)
            else:
                unit = (v("c"), *vocab.delta(x1 - x, y1 - y), *tail)
        elif op == "Q":
            _, x1, y1, _, _ = cmd
            ctrl = (x1, y1)
            if prev_op == "Q" and (x1, y1) == (2 * x - prev_ctrl[0], 2 * y - prev_ctrl[1]):
                unit = (v("t"), *vocab.delta(ex - x, ey - y))
            else:
                unit = (v("q"), *vocab.delta(x1 - x, y1 - y), *vocab.delta(ex - x, ey - y))
        else:
            _, rx, ry, rotation, large, sweep, _, _ = cmd
            end = vocab.delta(ex - x, ey - y)
            if rx == ry:
                unit = (v(f"o{large}{sweep}"), vocab.scalar(rx), *end)
            else:
                unit = (v(f"a{large}{sweep}"), vocab.scalar(rx), vocab.scalar(ry), vocab.rotation0 + rotation, *end)
        units.append(unit)
        x, y = ex, ey
        prev_op, prev_ctrl = op, ctrl
    return units


def to_pieces(vocab: AtomicVocab, doc: SVGDoc) -> list[Piece]:
    """A normalized document as atomic pieces: fixed tokens, and the units of each path."""
    v = vocab.id
    head = [v("<svg>")]
    if (doc.width, doc.height) != (vocab.grid, vocab.grid):
        head += [vocab.scalar(doc.width), vocab.scalar(doc.height)]
    if doc.opacity != 100:
        head += [v("opacity"), vocab.percent(doc.opacity)]
    pieces = [Piece(tuple(head), False)]
    for path in doc.paths:
        first = path.commands[0]
        start = (vocab.scalar(first[1]), vocab.scalar(first[2]))
        pieces.append(Piece((v("<path>"), *_paint_ids(vocab, path.paint), *start), False))
        pieces.extend(Piece(unit, True) for unit in _units(vocab, path.commands))
    pieces.append(Piece((v("</svg>"),), False))
    return pieces


def to_ids(vocab: AtomicVocab, doc: SVGDoc) -> list[int]:
    """A normalized document as a flat list of atomic ids."""
    return [i for piece in to_pieces(vocab, doc) for i in piece.ids]


class _Reader:
    """Walks atomic ids, raising SVGError at the first token that breaks the language."""

    def __init__(self, vocab: AtomicVocab, ids: list[int]):
        self.vocab, self.ids, self.pos = vocab, ids, 0

    def peek(self) -> str | None:
        if self.pos >= len(self.ids):
            return None
        token_id = self.ids[self.pos]
        return self.vocab.tokens[token_id] if 0 <= token_id < len(self.vocab) else f"<id {token_id}>"

    def fail(self, wanted: str):
        found = self.peek()
        where = "the end of the sequence" if found is None else f"{found!r}"
        raise SVGError(f"token {self.pos}: expected {wanted}, found {where}")

    def take(self, token: str) -> bool:
        if self.peek() == token:
            self.pos += 1
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.take(token):
            self.fail(repr(token))

    def _next_in(self, start: int, stop: int, wanted: str) -> int:
        if self.pos < len(self.ids) and start <= self.ids[self.pos] < stop:
            self.pos += 1
            return self.ids[self.pos - 1] - start
        self.fail(wanted)

    def scalar(self, low: int | None = None, high: int | None = None) -> int:
        v = self.vocab
        value = self._next_in(v.scalar0, v.pair0, "a scalar") - v.scalar_bound
        if (low is not None and value < low) or (high is not None and value > high):
            self.pos -= 1
            self.fail(f"a scalar in [{low}, {high}]")
        return value

    def delta(self) -> tuple[int, int]:
        v = self.vocab
        if self.pos < len(self.ids) and v.is_pair(self.ids[self.pos]):
            self.pos += 1
            return v.pair_value(self.ids[self.pos - 1])
        return self.scalar(), self.scalar()

    def percent(self) -> int:
        return self._next_in(self.vocab.percent0, self.vocab.percent0 + 101, "a percent")

    def color(self) -> str:
        channels = [self._next_in(self.vocab.channel0, self.vocab.channel0 + 256, "a color channel") for _ in range(3)]
        return "#{:02x}{:02x}{:02x}".format(*channels)


def _read_paint(r: _Reader, grid: int) -> Paint:
    if r.take("fill:none"):
        fill = None
    elif r.take("fill:current"):
        fill = "currentColor"
    else:
        r.expect("fill:rgb")
        fill = r.color()
    fill_opacity = r.percent() if r.take("fill-opacity") else 100
    fill_rule = "evenodd" if r.take("evenodd") else "nonzero"
    stroke, width, stroke_opacity, cap, join = None, 0, 100, "butt", "miter"
    if r.take("stroke:current") or r.peek() == "stroke:rgb":
        stroke = r.color() if r.take("stroke:rgb") else "currentColor"
        r.expect("stroke-width")
        width = r.scalar(1, grid)
        stroke_opacity = r.percent() if r.take("stroke-opacity") else 100
        cap = "round" if r.take("cap:round") else "square" if r.take("cap:square") else "butt"
        join = "round" if r.take("join:round") else "bevel" if r.take("join:bevel") else "miter"
    opacity = r.percent() if r.take("opacity") else 100
    return Paint(fill, fill_opacity, fill_rule, stroke, width, stroke_opacity, cap, join, opacity)


def _read_commands(r: _Reader) -> list[Command]:
    x, y = r.scalar(), r.scalar()
    sx, sy = x, y
    commands: list[Command] = [("M", x, y)]
    prev_ctrl: tuple[int, int] | None = None
    prev_op = "M"
    while (op := r.peek()) not in ("<path>", "</svg>"):
        if op not in COMMANDS:
            r.fail("a path command, '<path>' or '</svg>'")
        r.pos += 1
        ctrl = None
        if op == "z":
            commands.append(("Z",))
            x, y = sx, sy
            prev_op = "Z"
            continue
        if op in "hv":
            d = r.scalar()
            ex, ey = (x + d, y) if op == "h" else (x, y + d)
            commands.append(("L", ex, ey))
        elif op in "mlt":
            dx, dy = r.delta()
            ex, ey = x + dx, y + dy
            if op == "t":
                reflected = prev_op == "Q" and prev_ctrl is not None
                ctrl = (2 * x - prev_ctrl[0], 2 * y - prev_ctrl[1]) if reflected else (x, y)
                commands.append(("Q", *ctrl, ex, ey))
            else:
                commands.append(("M" if op == "m" else "L", ex, ey))
                if op == "m":
                    sx, sy = ex, ey
        elif op in "cs":
            if op == "c":
                hx, hy = r.delta()
                p1 = (x + hx, y + hy)
            else:
                reflected = prev_op == "C" and prev_ctrl is not None
                p1 = (2 * x - prev_ctrl[0], 2 * y - prev_ctrl[1]) if reflected else (x, y)
            h2x, h2y = r.delta()
            dx, dy = r.delta()
            ex, ey = x + dx, y + dy
            ctrl = (ex + h2x, ey + h2y)
            commands.append(("C", *p1, *ctrl, ex, ey))
        elif op == "q":
            cx, cy = r.delta()
            dx, dy = r.delta()
            ctrl, (ex, ey) = (x + cx, y + cy), (x + dx, y + dy)
            commands.append(("Q", *ctrl, ex, ey))
        else:
            rx = r.scalar(0)
            if op[0] == "a":
                ry, rotation = r.scalar(0), r._next_in(r.vocab.rotation0, r.vocab.scalar0, "an arc rotation")
            else:
                ry, rotation = rx, 0
            dx, dy = r.delta()
            ex, ey = x + dx, y + dy
            commands.append(("A", rx, ry, rotation, int(op[1]), int(op[2]), ex, ey))
        x, y = ex, ey
        prev_op = commands[-1][0]
        prev_ctrl = ctrl
    return commands


def from_ids(vocab: AtomicVocab, ids: list[int]) -> SVGDoc:
    """Read atomic ids back into a normalized document.

    Raises:
        SVGError: naming the first token that breaks the language, and what was expected there.
    """
    r = _Reader(vocab, ids)
    r.expect("<svg>")
    doc = SVGDoc(width=vocab.grid, height=vocab.grid)
    if r.peek() is not None and r.peek().startswith("n"):
        doc.width, doc.height = r.scalar(1, vocab.grid), r.scalar(1, vocab.grid)
    if r.take("opacity"):
        doc.opacity = r.percent()
    while r.take("<path>"):
        paint = _read_paint(r, vocab.grid)
        doc.paths.append(PathElement(commands=_read_commands(r), paint=paint))
    r.expect("</svg>")
    if r.pos != len(ids):
        r.fail("nothing after '</svg>'")
    return doc
