"""One call that says whether an SVG is usable: parsed, sanitized, rendered, and what it costs in tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from svgtok.errors import SVGError
from svgtok.parse import parse
from svgtok.render import render_png
from svgtok.tokenizer import SVGTokenizer


@dataclass
class ValidationReport:
    """What :func:`validate` found.

    ``parsed``: the text is well-formed SVG within the limits (after removing active content).
    ``sanitized``: the SVG svgtok hands back carries no scripts, handlers or external references;
    ``removed`` lists what had to go to get there. ``rendered``: the normalized SVG rendered.
    ``elements``: elements in the input. ``tokens``: svgtok tokens of the normalized document.
    ``dropped``: features normalization could not keep. ``error``: why a step failed, if one did.
    """

    parsed: bool = False
    sanitized: bool = False
    rendered: bool = False
    elements: int = 0
    tokens: int = 0
    removed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    error: str | None = None
    normalized_svg: str | None = None

    @property
    def ok(self) -> bool:
        return self.parsed and self.sanitized and self.rendered


def validate(svg: str | bytes, tokenizer: SVGTokenizer | None = None) -> ValidationReport:
    """Check an SVG end to end without raising: parse safely, normalize, tokenize, render.

    Args:
        svg: the document.
        tokenizer: the tokenizer to count tokens with (default: the bundled one).

    Returns:
        A report; for bad input its ``error`` says what went wrong and where it stopped.

    Example:
        >>> square = '<rect width="4" height="4"/>'
        >>> report = validate(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">{square}</svg>')
        >>> report.ok, report.elements, report.tokens > 0
        (True, 2, True)
    """
    tok = tokenizer or SVGTokenizer.from_pretrained()
    report = ValidationReport()
    try:
        tree = parse(svg, tok.limits, active="drop")
        report.parsed, report.removed = True, tree.removed
        report.elements = sum(1 for e in tree.root.iter() if isinstance(e.tag, str))
        result = tok.normalize(svg, active="drop")
        report.sanitized = True
        report.dropped = result.dropped
        report.normalized_svg = result.svg
        report.tokens = len(tok.encode_doc(result.doc))
        render_png(result.svg, 64)
        report.rendered = True
    except SVGError as exc:
        report.error = str(exc)
    return report
