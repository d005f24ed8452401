"""Rendering with cairosvg, the one renderer svgtok, the app and every metric share.

Input is checked by :func:`svgtok.parse.parse` first (limits, no DTDs, no active content), and cairosvg
gets a URL fetcher that refuses every resource, so rendering never reads a file or touches the network.
Images are square: a non-square canvas is centered on a white (or transparent) square. Masks are drawn
by :mod:`svgtok.cairomask` (luminance × alpha, as SVG says), in place of cairosvg's alpha masks, and
filtered elements unfiltered (:mod:`svgtok.cairofilter`), in place of cairosvg's partial filter effects.
"""

from __future__ import annotations

import io

import numpy as np
from cairosvg.surface import PNGSurface
from lxml import etree
from PIL import Image

from svgtok import cairofilter, cairomask
from svgtok.errors import SVGError
from svgtok.parse import DEFAULT_LIMITS, Limits, parse

MAX_SIZE = 4096
cairomask.install()
cairofilter.install()


def _refuse(url: str, *args, **kwargs):
    raise SVGError(f"svgtok renders nothing outside the document, and refused {url[:80]!r}")


def render_png(
    svg: str | bytes, size: int = 256, background: str | None = "white", limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """Render SVG to a square PNG of ``size`` pixels.

    Args:
        svg: the document.
        size: width and height of the image in pixels, 1 to 4096.
        background: a CSS color behind the drawing, or None for transparency.
        limits: the parsing limits applied before rendering.

    Returns:
        PNG bytes.

    Raises:
        SVGError: the document is unsafe or malformed, or the renderer fails on it.

    Example:
        >>> png = render_png('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"/>', 16)
        >>> png[:4]
        b'\\x89PNG'
    """
    if not 1 <= size <= MAX_SIZE:
        raise SVGError(f"render size {size} is outside 1..{MAX_SIZE} pixels")
    # cairosvg draws the very tree that passed the checks, re-serialized as UTF-8: no second parse of the
    # input can disagree with the first (a str whose XML declaration names another encoding, for one).
    text = etree.tostring(parse(svg, limits).root, encoding="utf-8")
    try:
        return PNGSurface.convert(
            bytestring=text,
            output_width=size,
            output_height=size,
            background_color=background,
            url_fetcher=_refuse,
            unsafe=False,
        )
    except SVGError:
        raise
    except Exception as exc:  # cairosvg raises many types; the caller needs one
        raise SVGError(f"the renderer could not draw this document ({type(exc).__name__}: {exc})") from exc


def render(svg: str | bytes, size: int = 256, limits: Limits = DEFAULT_LIMITS) -> np.ndarray:
    """Render SVG on white to an RGB array.

    Returns:
        ``uint8`` array of shape ``(size, size, 3)``.

    Example:
        >>> render('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"/>', 8).shape
        (8, 8, 3)
    """
    png = render_png(svg, size, "white", limits)
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB"))
