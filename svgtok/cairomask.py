"""SVG masks drawn as the specification says, in place of cairosvg's own mask painting.

cairosvg 2.9 masks by the alpha of the mask's content, where SVG masks by its luminance times its alpha
(SVG 1.1, 14.4: a white mask shows, a black one hides), and it sizes an ``objectBoundingBox`` mask from
the masked element's ``x``/``y``/``width``/``height`` attributes instead of its bounding box; icons built
on masks (a shape with holes cut by black mask content) render wrongly. :func:`paint_mask` draws the mask's
content into a group in the masked element's user space, clipped to the mask region, turns each pixel
into luminance × alpha (or alpha, for ``mask-type: alpha``) times the element's opacity, and masks with
it. :func:`install` puts it in the place cairosvg's drawing calls.
"""

from __future__ import annotations

import threading

import cairocffi as cairo
import cairosvg.surface
import numpy as np
from cairosvg.bounding_box import calculate_bounding_box, is_non_empty_bounding_box
from cairosvg.helpers import size

from svgtok import clip
from svgtok.errors import SVGError

# svgtok.clip's luminance weights in cairo's ARGB32 byte order on little-endian machines: B, G, R.
LUMINANCE_BGR = np.array(clip.LUMINANCE[::-1], np.float32)
MAX_NESTED_MASKS = 16  # each level holds a canvas-sized group in memory
_depth = threading.local()


def install() -> None:
    """Make cairosvg draw masks with :func:`paint_mask` (idempotent)."""
    cairosvg.surface.paint_mask = paint_mask


def paint_mask(surface, node, name: str, opacity: float) -> None:
    """Paint the current source (the masked element's drawing) through the mask ``name``."""
    mask = surface.masks[name]
    region = _mask_region(surface, node, mask)
    if region is None:
        return  # an objectBoundingBox mask on an element with an empty bounding box hides it (14.4)
    depth = getattr(_depth, "value", 0)
    if depth >= MAX_NESTED_MASKS:
        raise SVGError(f"masks are nested more than {MAX_NESTED_MASKS} deep")
    context = surface.context
    context.push_group()
    _depth.value = depth + 1
    try:  # an error aborts the whole drawing, so the group is popped only on success
        context.rectangle(*region)
        context.clip()
        if mask.get("maskContentUnits") == "objectBoundingBox":
            x, y, width, height = calculate_bounding_box(surface, node)
            context.translate(x, y)
            context.scale(width, height)
        for child in mask.children:
            surface.draw(child)
    finally:
        _depth.value = depth
    pattern = context.pop_group()
    # cairosvg has already put a childless element's opacity into its fill and stroke opacities.
    _to_mask_values(pattern.get_surface(), opacity if node.children else 1.0, mask.get("mask-type") == "alpha")
    context.mask(pattern)


def _mask_region(surface, node, mask) -> tuple[float, float, float, float] | None:
    """The mask's rectangle in the masked element's user space (x, y, width, height)."""
    defaults = {"x": "-10%", "y": "-10%", "width": "120%", "height": "120%"}
    if mask.get("maskUnits") == "userSpaceOnUse":
        refs = {"x": "x", "y": "y", "width": "x", "height": "y"}
        return tuple(size(surface, mask.get(key, default), refs[key]) for key, default in defaults.items())
    box = calculate_bounding_box(surface, node)
    if box is None or not is_non_empty_bounding_box(box):
        return None
    bx, by, bw, bh = box
    fx, fy, fw, fh = (size(surface, mask.get(key, default), 1.0) for key, default in defaults.items())
    return bx + fx * bw, by + fy * bh, fw * bw, fh * bh


def _to_mask_values(image: cairo.Surface, opacity: float, by_alpha: bool) -> None:
    """Rewrite an ARGB32 group in place so that its alpha is the mask value of each pixel."""
    if not isinstance(image, cairo.ImageSurface) or image.get_format() != cairo.FORMAT_ARGB32:
        raise SVGError("the renderer drew a mask on a surface it cannot read back")
    image.flush()
    height, width, stride = image.get_height(), image.get_width(), image.get_stride()
    pixels = np.ndarray((height, width, 4), np.uint8, image.get_data(), strides=(stride, 4, 1))
    # Premultiplied channels: luminance of the premultiplied color = luminance × alpha.
    values = pixels[..., 3].astype(np.float32) if by_alpha else pixels[..., :3] @ LUMINANCE_BGR
    pixels[...] = np.clip(np.rint(values * opacity), 0, 255).astype(np.uint8)[..., None]
    image.mark_dirty()
