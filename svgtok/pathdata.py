"""SVG path data (the ``d`` attribute) to absolute commands, and back.

Parsing follows the SVG 1.1 path grammar (section 8.3.9, including arc flags written without separators,
``a2 2 0 012 2``). Every command comes out absolute, with H/V turned into L and S/T into C/Q with their
reflected control points, so later passes see only five drawing commands:

    ("M", x, y)  ("L", x, y)  ("C", x1, y1, x2, y2, x, y)  ("Q", x1, y1, x, y)
    ("A", rx, ry, rotation, large_arc, sweep, x, y)        ("Z",)
"""

from __future__ import annotations

import math
import re

from svgtok.errors import SVGError

Command = tuple
_COMMAND = re.compile(r"([MmZzLlHhVvCcSsQqTtAa])")
_NUMBER = re.compile(r"[\s,]*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
_FLAG = re.compile(r"[\s,]*([01])")
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}


def _read_args(letter: str, text: str, where: int) -> list[float]:
    """All numbers after one command letter; arcs read their two flags as single digits."""
    args: list[float] = []
    pos = 0
    is_arc = letter in "Aa"
    while True:
        slot = len(args) % 7 if is_arc else -1
        pattern = _FLAG if slot in (3, 4) else _NUMBER
        m = pattern.match(text, pos)
        if m is None:
            break
        args.append(float(m.group(1)))
        pos = m.end()
    if text[pos:].strip(" \t\r\n,"):
        raise SVGError(
            f"path data has an unexpected {text[pos:].strip()[:20]!r} after command {letter!r} "
            f"at character {where}; numbers must be plain decimals"
        )
    return args


def parse_path(d: str) -> list[Command]:
    """Parse path data into absolute commands (see the module docstring).

    Args:
        d: the ``d`` attribute.

    Returns:
        The commands; an empty list for empty path data.

    Raises:
        SVGError: for data that does not start with a move, has the wrong number of arguments, or holds
            a value that is not a finite number.

    Example:
        >>> parse_path("M1 2h3v4z")
        [('M', 1.0, 2.0), ('L', 4.0, 2.0), ('L', 4.0, 6.0), ('Z',)]
    """
    parts = _COMMAND.split(d)
    if parts[0].strip(" \t\r\n,"):
        raise SVGError(f"path data must start with a command letter, not {parts[0].strip()[:20]!r}")
    out: list[Command] = []
    x = y = start_x = start_y = 0.0
    last_control: tuple[float, float] | None = None
    last_letter = ""
    where = len(parts[0])
    for i in range(1, len(parts), 2):
        letter, text = parts[i], parts[i + 1]
        upper = letter.upper()
        args = _read_args(letter, text, where)
        where += 1 + len(text)
        arity = _ARITY[upper]
        if not out and upper != "M":
            raise SVGError(f"path data must start with M or m, not {letter!r}")
        if arity == 0:
            if args:
                raise SVGError(f"command {letter!r} takes no numbers but got {len(args)}")
            out.append(("Z",))
            x, y = start_x, start_y
            last_control, last_letter = None, "Z"
            continue
        if not args or len(args) % arity:
            raise SVGError(
                f"command {letter!r} needs a multiple of {arity} numbers but got {len(args)} at character {where}"
            )
        if not all(math.isfinite(a) for a in args):
            raise SVGError(f"command {letter!r} has a coordinate that is not a finite number")
        relative = letter.islower()
        for k in range(0, len(args), arity):
            a = args[k : k + arity]
            ox, oy = (x, y) if relative else (0.0, 0.0)
            control = None
            if upper == "M":
                x, y = a[0] + ox, a[1] + oy
                if k == 0:
                    out.append(("M", x, y))
                    start_x, start_y = x, y
                else:  # extra pairs after a move are implicit line-tos (SVG 1.1, 8.3.2)
                    out.append(("L", x, y))
            elif upper == "L":
                x, y = a[0] + ox, a[1] + oy
                out.append(("L", x, y))
            elif upper == "H":
                x = a[0] + ox
                out.append(("L", x, y))
            elif upper == "V":
                y = a[0] + (y if relative else 0.0)
                out.append(("L", x, y))
            elif upper in "CS":
                if upper == "C":
                    x1, y1 = a[0] + ox, a[1] + oy
                    x2, y2, ex, ey = a[2] + ox, a[3] + oy, a[4] + ox, a[5] + oy
                else:
                    x1, y1 = _reflect(x, y, last_control if last_letter in "CS" else None)
                    x2, y2, ex, ey = a[0] + ox, a[1] + oy, a[2] + ox, a[3] + oy
                out.append(("C", x1, y1, x2, y2, ex, ey))
                control, (x, y) = (x2, y2), (ex, ey)
            elif upper in "QT":
                if upper == "Q":
                    x1, y1, ex, ey = a[0] + ox, a[1] + oy, a[2] + ox, a[3] + oy
                else:
                    x1, y1 = _reflect(x, y, last_control if last_letter in "QT" else None)
                    ex, ey = a[0] + ox, a[1] + oy
                out.append(("Q", x1, y1, ex, ey))
                control, (x, y) = (x1, y1), (ex, ey)
            else:  # arc
                rx, ry, rotation = abs(a[0]), abs(a[1]), a[2]
                x, y = a[5] + ox, a[6] + oy
                out.append(("A", rx, ry, rotation, int(a[3]), int(a[4]), x, y))
            last_control = control
            last_letter = upper
    return out


def _reflect(x: float, y: float, control: tuple[float, float] | None) -> tuple[float, float]:
    """The reflection of the previous control point about the current point (SVG 1.1, 8.3.6)."""
    if control is None:
        return x, y
    return 2 * x - control[0], 2 * y - control[1]
