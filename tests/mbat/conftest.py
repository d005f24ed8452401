"""Shared fixtures: a catalog of real Iconify icons in a temporary folder, and an index built from it."""

import random

import pytest

from mbat.catalog import iter_rows
from mbat.index import AssetIndex
from tests.mbat.catalog_factory import sample_rows, write_catalog

CATALOG_ICONS = 600


@pytest.fixture(scope="session")
def catalog_path(tmp_path_factory):
    """A catalog of 600 icons drawn with seed 0 from the shipped Iconify sample."""
    rows = random.Random(0).sample(sample_rows(), CATALOG_ICONS)
    path = tmp_path_factory.mktemp("catalog") / "catalog.sqlite"
    write_catalog(path, rows)
    return path


@pytest.fixture(scope="session")
def catalog_rows(catalog_path):
    return [row for batch in iter_rows(catalog_path) for row in batch]


@pytest.fixture(scope="session")
def built_index(catalog_path):
    """An exact index of the whole test catalog; tests that change an index build their own."""
    return AssetIndex.build(catalog_path)
