"""Image similarity for rendered SVG: SSIM (Wang et al., 2004) and per-pixel MSE."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter

# Wang et al. 2004, section III-C: a Gaussian window with σ = 1.5, K1 = 0.01, K2 = 0.03, on [0, 1] data.
_SIGMA, _C1, _C2 = 1.5, 0.01**2, 0.03**2
_LUMA = np.array([0.299, 0.587, 0.114])


def _gray(image: np.ndarray) -> np.ndarray:
    data = image.astype(np.float64) / 255.0
    return data @ _LUMA if data.ndim == 3 else data


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean structural similarity of two images on their luma channel.

    Args:
        a, b: ``uint8`` images of the same shape, ``(H, W)`` or ``(H, W, 3)``.

    Returns:
        SSIM in [-1, 1]; 1.0 for identical images.

    Example:
        >>> img = np.zeros((16, 16), np.uint8)
        >>> ssim(img, img)
        1.0
    """
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} vs {b.shape}")
    x, y = _gray(a), _gray(b)
    mu_x, mu_y = gaussian_filter(x, _SIGMA), gaussian_filter(y, _SIGMA)
    var_x = gaussian_filter(x * x, _SIGMA) - mu_x**2
    var_y = gaussian_filter(y * y, _SIGMA) - mu_y**2
    cov = gaussian_filter(x * y, _SIGMA) - mu_x * mu_y
    num = (2 * mu_x * mu_y + _C1) * (2 * cov + _C2)
    den = (mu_x**2 + mu_y**2 + _C1) * (var_x + var_y + _C2)
    return float(np.mean(num / den))


def mse(a: np.ndarray, b: np.ndarray) -> float:
    """Mean squared error of two RGB ``uint8`` images on [0, 1]."""
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} vs {b.shape}")
    diff = a.astype(np.float64) / 255.0 - b.astype(np.float64) / 255.0
    return float(np.mean(diff * diff))


def diff_image(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``b`` faded to a quarter of its contrast, with every pixel that differs from ``a`` in red.

    Args:
        a, b: RGB ``uint8`` images of the same shape ``(H, W, 3)``.

    Returns:
        An RGB ``uint8`` image of shape ``(H, W, 3)``.

    Example:
        >>> a = np.full((2, 2, 3), 255, np.uint8); b = a.copy(); b[0, 0] = 0
        >>> diff_image(a, b)[:, :, 1].tolist()
        [[38, 255], [255, 255]]
    """
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} vs {b.shape}")
    out = (255 - (255 - b.astype(np.float64)) * 0.25).astype(np.uint8)
    out[np.any(a != b, axis=-1)] = (220, 38, 38)
    return out
