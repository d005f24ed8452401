"""Shared fixtures: the bundled tokenizer and a seeded slice of the shipped Iconify sample."""

import random

import pytest

from svgtok.iconify import load_sample
from svgtok.tokenizer import SVGTokenizer


@pytest.fixture(scope="session")
def tokenizer() -> SVGTokenizer:
    return SVGTokenizer.from_pretrained()


@pytest.fixture(scope="session")
def sample_icons():
    icons = load_sample()
    return random.Random(0).sample(icons, 200)
