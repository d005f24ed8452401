"""Image similarity: SSIM (Wang et al., 2004) and MSE, on synthetic images and on rendered icons."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from svgtok.metrics import mse, ssim
from svgtok.render import render

RNG_SEED = 0


def noise(shape: tuple[int, ...], seed: int = RNG_SEED) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


@pytest.fixture(scope="module")
def icon() -> np.ndarray:
    """A rendered ring: sharp edges in every direction."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
        '<circle cx="12" cy="12" r="8" fill="none" stroke="black" stroke-width="3"/></svg>'
    )
    return render(svg, 64)


@pytest.mark.parametrize("shape", [(32, 32), (32, 32, 3), (17, 40, 3)])
def test_ssim_of_identical_images_is_one(shape: tuple[int, ...]) -> None:
    image = noise(shape)
    assert ssim(image, image) == pytest.approx(1.0)
    assert ssim(image, image.copy()) == pytest.approx(1.0)


def test_ssim_of_identical_renders_is_one(icon: np.ndarray) -> None:
    assert ssim(icon, icon) == pytest.approx(1.0)


def test_ssim_of_flat_images() -> None:
    white = np.full((16, 16, 3), 255, np.uint8)
    assert ssim(white, white) == pytest.approx(1.0)
    assert ssim(white, np.zeros_like(white)) < 0.01


def test_ssim_drops_as_the_image_shifts(icon: np.ndarray) -> None:
    scores = [ssim(icon, np.roll(icon, shift, axis=1)) for shift in (0, 1, 2, 4, 8)]
    assert scores[0] == pytest.approx(1.0)
    assert all(a > b for a, b in itertools.pairwise(scores)), scores
    assert scores[-1] < 0.8


def test_ssim_is_symmetric(icon: np.ndarray) -> None:
    shifted = np.roll(icon, 3, axis=0)
    assert ssim(icon, shifted) == pytest.approx(ssim(shifted, icon))


def test_ssim_uses_luma() -> None:
    """A gray image and its RGB copy compare the same way."""
    a, b = noise((24, 24), 1), noise((24, 24), 2)
    assert ssim(a, b) == pytest.approx(ssim(np.stack([a] * 3, -1), np.stack([b] * 3, -1)))


def test_ssim_of_unrelated_noise_is_near_zero() -> None:
    assert abs(ssim(noise((64, 64), 1), noise((64, 64), 2))) < 0.1


def test_mse() -> None:
    black = np.zeros((8, 8, 3), np.uint8)
    white = np.full_like(black, 255)
    half = black.copy()
    half[:, :4] = 255
    assert mse(black, black) == 0.0
    assert mse(black, white) == 1.0
    assert mse(black, half) == pytest.approx(0.5)
    assert mse(black, np.full_like(black, 51)) == pytest.approx(0.04)  # (51 / 255)^2


def test_mse_grows_with_the_shift(icon: np.ndarray) -> None:
    errors = [mse(icon, np.roll(icon, shift, axis=1)) for shift in (0, 1, 4)]
    assert errors[0] == 0.0 and errors[0] < errors[1] < errors[2]


@pytest.mark.parametrize("metric", [ssim, mse])
def test_shapes_must_match(metric) -> None:
    with pytest.raises(ValueError, match="differ in shape"):
        metric(np.zeros((8, 8), np.uint8), np.zeros((8, 9), np.uint8))
