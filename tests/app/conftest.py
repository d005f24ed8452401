"""The app's tests use the fixture catalog and build its library in memory, whatever ``data/`` holds on this
machine (a full catalog there would make every library load take a quarter of an hour)."""

import os

from mbat.catalog import FIXTURE_CATALOG

os.environ["VECTORSMITH_CATALOG"] = str(FIXTURE_CATALOG)
os.environ["VECTORSMITH_INDEX"] = str(FIXTURE_CATALOG.parent / "no-index-for-tests")
