"""CSS colors to svgtok's canonical paint values.

A paint is ``None`` (no paint), the string ``"currentColor"``, or a lowercase ``"#rrggbb"``. Colors with an
alpha channel (``#rgba``, ``rgba()``, ``hsla()``) return the alpha separately so it can fold into opacity.
"""

from __future__ import annotations

import colorsys
import math
import re

# The 148 named colors of CSS Color Module Level 4, section 6.1.
_NAMED_TABLE = (
    "aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff beige:f5f5dc "
    "bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff blueviolet:8a2be2 brown:a52a2a "
    "burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 chocolate:d2691e coral:ff7f50 "
    "cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c cyan:00ffff darkblue:00008b darkcyan:008b8b "
    "darkgoldenrod:b8860b darkgray:a9a9a9 darkgreen:006400 darkgrey:a9a9a9 darkkhaki:bdb76b "
    "darkmagenta:8b008b darkolivegreen:556b2f darkorange:ff8c00 darkorchid:9932cc darkred:8b0000 "
    "darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b darkslategray:2f4f4f "
    "darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3 deeppink:ff1493 deepskyblue:00bfff "
    "dimgray:696969 dimgrey:696969 dodgerblue:1e90ff firebrick:b22222 floralwhite:fffaf0 "
    "forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc ghostwhite:f8f8ff gold:ffd700 goldenrod:daa520 "
    "gray:808080 green:008000 greenyellow:adff2f grey:808080 honeydew:f0fff0 hotpink:ff69b4 "
    "indianred:cd5c5c indigo:4b0082 ivory:fffff0 khaki:f0e68c lavender:e6e6fa lavenderblush:fff0f5 "
    "lawngreen:7cfc00 lemonchiffon:fffacd lightblue:add8e6 lightcoral:f08080 lightcyan:e0ffff "
    "lightgoldenrodyellow:fafad2 lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3 lightpink:ffb6c1 "
    "lightsalmon:ffa07a lightseagreen:20b2aa lightskyblue:87cefa lightslategray:778899 "
    "lightslategrey:778899 lightsteelblue:b0c4de lightyellow:ffffe0 lime:00ff00 limegreen:32cd32 "
    "linen:faf0e6 magenta:ff00ff maroon:800000 mediumaquamarine:66cdaa mediumblue:0000cd "
    "mediumorchid:ba55d3 mediumpurple:9370db mediumseagreen:3cb371 mediumslateblue:7b68ee "
    "mediumspringgreen:00fa9a mediumturquoise:48d1cc mediumvioletred:c71585 midnightblue:191970 "
    "mintcream:f5fffa mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead navy:000080 oldlace:fdf5e6 "
    "olive:808000 olivedrab:6b8e23 orange:ffa500 orangered:ff4500 orchid:da70d6 palegoldenrod:eee8aa "
    "palegreen:98fb98 paleturquoise:afeeee palevioletred:db7093 papayawhip:ffefd5 peachpuff:ffdab9 "
    "peru:cd853f pink:ffc0cb plum:dda0dd powderblue:b0e0e6 purple:800080 rebeccapurple:663399 "
    "red:ff0000 rosybrown:bc8f8f royalblue:4169e1 saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460 "
    "seagreen:2e8b57 seashell:fff5ee sienna:a0522d silver:c0c0c0 skyblue:87ceeb slateblue:6a5acd "
    "slategray:708090 slategrey:708090 snow:fffafa springgreen:00ff7f steelblue:4682b4 tan:d2b48c "
    "teal:008080 thistle:d8bfd8 tomato:ff6347 turquoise:40e0d0 violet:ee82ee wheat:f5deb3 white:ffffff "
    "whitesmoke:f5f5f5 yellow:ffff00 yellowgreen:9acd32"
)
NAMED_COLORS = dict(item.split(":") for item in "".join(_NAMED_TABLE).split())
_FUNCTION = re.compile(r"(rgba?|hsla?)\(\s*([^)]*)\)$")
CURRENT_COLOR = "currentColor"


def _channel(text: str, full: float) -> float:
    """One rgb()/hsl() component as a fraction of ``full``; percentages are fractions of 100.

    Raises ValueError for text that is not a finite number (``float`` alone accepts ``nan`` and ``inf``).
    """
    text = text.strip()
    value = float(text[:-1]) / 100 if text.endswith("%") else float(text.removesuffix("deg")) / full
    if not math.isfinite(value):
        raise ValueError(f"color component {text!r} is not a finite number")
    return value


def _clamp_byte(fraction: float) -> int:
    return max(0, min(255, round(fraction * 255)))


def parse_color(text: str | None) -> tuple[str | None, float] | None:
    """Parse a CSS color into ``(paint, alpha)``.

    Args:
        text: a color as written in SVG: ``#abc``, ``#aabbcc``, ``#aabbccdd``, a name, ``rgb()``,
            ``rgba()``, ``hsl()``, ``hsla()``, ``none``, ``transparent`` or ``currentColor``.

    Returns:
        ``(paint, alpha)`` with paint as described in the module docstring, or None when the text is not
        a color svgtok understands (the caller decides what that means).

    Example:
        >>> parse_color("rgb(255, 0, 0)")
        ('#ff0000', 1.0)
    """
    if text is None:
        return None
    value = text.strip().lower()
    if value in ("none", "transparent"):
        return None, 1.0
    if value == "currentcolor":
        return CURRENT_COLOR, 1.0
    if value in NAMED_COLORS:
        return "#" + NAMED_COLORS[value], 1.0
    if value.startswith("#"):
        digits = value[1:]
        if not re.fullmatch(r"[0-9a-f]{3,8}", digits) or len(digits) in (5, 7):
            return None
        if len(digits) in (3, 4):
            digits = "".join(ch * 2 for ch in digits)
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return "#" + digits[:6], alpha
    m = _FUNCTION.match(value)
    if m is None:
        return None
    parts = [p for p in re.split(r"[\s,/]+", m.group(2)) if p]
    if len(parts) not in (3, 4):
        return None
    try:
        alpha = _channel(parts[3], 1.0) if len(parts) == 4 else 1.0
        if m.group(1).startswith("rgb"):
            rgb = [_channel(p, 255.0) for p in parts[:3]]
        else:
            hue = _channel(parts[0], 360.0) % 1.0
            rgb = list(colorsys.hls_to_rgb(hue, _channel(parts[2], 1.0), _channel(parts[1], 1.0)))
    except ValueError:
        return None
    return "#{:02x}{:02x}{:02x}".format(*(_clamp_byte(c) for c in rgb)), max(0.0, min(1.0, alpha))


def mix(colors: list[tuple[str, float]]) -> str:
    """The weighted mean of ``#rrggbb`` colors, used to stand in for a gradient."""
    total = sum(w for _, w in colors) or 1.0
    channels = [sum(int(c[1 + 2 * i : 3 + 2 * i], 16) * w for c, w in colors) / total for i in range(3)]
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(255, round(v))) for v in channels))
