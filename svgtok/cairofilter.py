"""Filtered elements drawn unfiltered, in place of cairosvg's partial filter effects.

cairosvg 2.9 reads three filter primitives out of their chain: it translates the whole element by every
``feOffset``, paints each ``feFlood`` as a rectangle over it, and makes ``feBlend``'s mode the element's
compositing operator, where SVG composites each primitive's result with the element's own drawing (SVG
1.1, 15). The drop and inner shadows that icon sets build this way (offset, blur, blend with the source)
moved whole shapes by a unit or more. Drawn unfiltered instead, the 16 filtered icons of svgtok's bench
sample come closer to headless Chromium's rendering in 15 (mean SSIM 0.904 → 0.979); blurs and shadows
are still left out, as svgtok's normalization lists them. :func:`install` switches cairosvg's filter
hooks off.
"""

from __future__ import annotations

import cairosvg.surface

HOOKS = ("prepare_filter", "apply_filter_before_painting", "apply_filter_after_painting")


def _unfiltered(surface, node, name: str) -> None:
    """Leave the element's drawing as it is."""


def install() -> None:
    """Make cairosvg draw filtered elements without their filters (idempotent)."""
    for hook in HOOKS:
        setattr(cairosvg.surface, hook, _unfiltered)
