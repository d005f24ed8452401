"""svgtok: a hierarchical SVG tokenizer (after HiVG, 2025).

SVG is parsed safely, normalized onto a quantized grid, written as atomic tokens (structure, paint,
commands, coordinates) and then as learned segment tokens that merge whole command groups; any token
sequence the grammar accepts decodes back to valid SVG.
"""

from svgtok.errors import SVGError
from svgtok.normalize import NormalizeResult, normalize
from svgtok.parse import Limits, parse

__all__ = ["Limits", "NormalizeResult", "SVGError", "normalize", "parse"]
