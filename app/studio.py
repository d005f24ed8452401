"""What the studio's pages compute, kept out of Streamlit so it can be tested: uploads, candidate facts,
code diffs, token levels and library details. Pages only lay these out.
"""

from __future__ import annotations

import difflib
import html
import io
import re
from dataclasses import dataclass

import numpy as np
from PIL import Image

from svgtok.errors import SVGError
from svgtok.metrics import diff_image
from svgtok.parse import DEFAULT_LIMITS, local_name, parse
from svgtok.render import render, render_png
from svgtok.tokenizer import Encoding, SVGTokenizer
from svgtok.validate import ValidationReport, validate

MAX_UPLOAD_BYTES = DEFAULT_LIMITS.max_bytes
PREVIEW_SIZE = 256
LEVEL_COLORS = {"atomic": "#e0e7ff", "segment": "#fde68a"}


def read_upload(data: bytes) -> str:
    """The text of an uploaded SVG file, refused when too large or not UTF-8.

    Raises:
        SVGError: the file is over :data:`MAX_UPLOAD_BYTES` or is not UTF-8 text.

    Example:
        >>> read_upload(b"<svg/>")
        '<svg/>'
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise SVGError(
            f"the file is {len(data):,} bytes; the studio takes SVG files up to {MAX_UPLOAD_BYTES:,} bytes "
            "(simplify or minify it first)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SVGError(f"the file is not UTF-8 text ({exc.reason} at byte {exc.start}); upload an .svg file") from exc


@dataclass
class Candidate:
    """One SVG as the studio shows it: its PNG preview, its validation report and its size."""

    svg: str
    png: bytes
    report: ValidationReport
    paths: int

    @property
    def bytes(self) -> int:
        return len(self.svg.encode("utf-8"))

    @property
    def badge(self) -> str:
        """One line: which checks passed (parsed, sanitized, rendered)."""
        marks = [
            ("parsed", self.report.parsed),
            ("sanitized", self.report.sanitized),
            ("rendered", self.report.rendered),
        ]
        return " · ".join(f"{'✓' if ok else '✗'} {name}" for name, ok in marks)


def describe(svg: str, tokenizer: SVGTokenizer, size: int = PREVIEW_SIZE) -> Candidate:
    """Validate and render an SVG for display; ``paths`` counts the paths of its normalized form.

    Raises:
        SVGError: the SVG cannot be parsed safely or rendered.

    Example:
        >>> c = describe('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><path d="M0 0h4v4z"/></svg>',
        ...              SVGTokenizer.from_pretrained(), 16)
        >>> c.paths, c.report.ok
        (1, True)
    """
    png = render_png(svg, size)
    report = validate(svg, tokenizer)
    # paths of the normalized drawing, where every shape has become a path
    tree = parse(report.normalized_svg or svg, tokenizer.limits, active="drop")
    paths = sum(1 for e in tree.root.iter() if local_name(e) == "path")
    return Candidate(svg=svg, png=png, report=report, paths=paths)


def svg_lines(svg: str) -> list[str]:
    """An SVG split one tag per line, so a diff shows which element changed."""
    return [line for line in re.sub(r">\s*<", ">\n<", svg.strip()).splitlines() if line]


def code_diff(before: str, after: str) -> str:
    """A unified diff of two SVGs, one tag per line; empty when they are the same."""
    lines = difflib.unified_diff(svg_lines(before), svg_lines(after), "before.svg", "after.svg", lineterm="")
    return "\n".join(lines)


def pixel_diff(before: str, after: str, size: int = PREVIEW_SIZE) -> tuple[bytes, float]:
    """A PNG that marks changed pixels on a faded copy of the result, and the fraction of pixels changed."""
    a, b = render(before, size), render(after, size)
    image = diff_image(a, b)
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    changed = float(np.mean(np.any(a != b, axis=-1)))
    return buffer.getvalue(), changed


@dataclass
class TokenView:
    """Tokens of one SVG with their level, and the counts the Tokenizer page reports."""

    tokens: list[tuple[str, str]]
    atomic: int
    dropped: list[str]

    @property
    def segments(self) -> int:
        return sum(1 for _, level in self.tokens if level == "segment")


def token_view(encoding: Encoding, tokenizer: SVGTokenizer) -> TokenView:
    """Each token of an encoding with its level ("atomic" or "segment") and the atomic length."""
    levels = ["segment" if tokenizer.is_segment(i) else "atomic" for i in encoding.ids]
    atomic = len(tokenizer.segments.expand(encoding.ids))
    return TokenView(tokens=list(zip(encoding.tokens, levels, strict=True)), atomic=atomic, dropped=encoding.dropped)


def token_html(view: TokenView) -> str:
    """The token sequence as escaped, colored text spans (token names only; never the SVG itself)."""
    spans = "".join(
        f'<span style="background:{LEVEL_COLORS[level]};padding:1px 4px;margin:1px;border-radius:3px" '
        f'title="{level}">{html.escape(token)}</span> '
        for token, level in view.tokens
    )
    return f'<div style="line-height:1.9;font-family:monospace">{spans}</div>'
