"""Pieces every page shares: readable errors, safe uploads, and an SVG shown as a PNG with its facts."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from mbat.errors import MBATError
from svglm.errors import SVGLMError
from svgtok.errors import SVGError
from svgtok.render import render_png
from svgtok.validate import validate

MAX_UPLOAD_BYTES = 2_000_000  # svgtok's own parsing limit
PREVIEW = 256


@contextmanager
def readable_errors(action: str) -> Iterator[None]:
    """Turn a failure inside the block into one readable message on the page; the traceback goes to the log.

    The packages' own errors (whose messages are written for people) are shown as they are; anything else
    gets a short generic message, never its text or a traceback.
    """
    try:
        yield
    except (SVGError, SVGLMError, MBATError) as error:
        st.error(f"{action}: {error}")
    except Exception as error:  # never a traceback on the page
        traceback.print_exc(file=sys.stderr)
        st.error(f"{action} failed unexpectedly ({type(error).__name__}); the details are in the server log.")


def read_upload(uploaded) -> str:
    """The text of an uploaded SVG file. Raises :class:`SVGError` when it is too large or not text."""
    data = uploaded.getvalue()
    if len(data) > MAX_UPLOAD_BYTES:
        raise SVGError(f"{uploaded.name} is {len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,}. Simplify it first")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SVGError(f"{uploaded.name} is not UTF-8 text ({error}); is it an SVG file?") from error


@dataclass
class Facts:
    """What the page says about one SVG."""

    valid: bool
    badge: str
    tokens: int
    paths: int
    bytes: int


def facts(svg: str) -> Facts:
    """Validate an SVG and count what the page shows about it."""
    report = validate(svg)
    checks = {"parsed": report.parsed, "rendered": report.rendered, "sanitized": report.sanitized}
    badge = " ".join(
        f":green-badge[:material/check: {name}]" if ok else f":red-badge[:material/close: {name}]"
        for name, ok in checks.items()
    )
    return Facts(all(checks.values()), badge, report.tokens, svg.count("<path"), len(svg.encode()))


def show_svg(svg: str, caption: str = "", size: int = PREVIEW) -> bytes:
    """Show an SVG as a PNG image (never as markup); returns the PNG."""
    png = render_png(svg, size)
    st.image(png, caption=caption or None, width=size, output_format="PNG")
    return png
