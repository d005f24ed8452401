"""Reading the catalog with plain sqlite3, by the schema contract of training/catalog.py."""

import sqlite3

import pytest

from mbat import MBATError
from mbat.catalog import COLUMNS, count_icons, default_catalog, iter_rows
from training.catalog import CatalogIcon


def test_rows_come_in_id_order_with_the_contract_columns(catalog_path):
    batches = list(iter_rows(catalog_path, batch=100))
    rows = [r for b in batches for r in b]
    assert len(rows) == count_icons(catalog_path) and max(len(b) for b in batches) == 100
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert set(COLUMNS) <= {f for f in CatalogIcon.__dataclass_fields__}
    assert all(isinstance(r["aliases"], list) for r in rows)
    assert len(next(iter_rows(catalog_path, limit=7))) == 7


def test_missing_or_foreign_files_are_refused(tmp_path):
    with pytest.raises(MBATError, match="no catalog at"):
        count_icons(tmp_path / "nope.sqlite")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(MBATError, match="is not an icon catalog"):
        count_icons(other)
    newer = tmp_path / "newer.sqlite"
    conn = sqlite3.connect(newer)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    conn.commit()
    with pytest.raises(MBATError, match="has catalog schema '2'"):
        count_icons(newer)


def test_default_catalog_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("VECTORSMITH_CATALOG", str(tmp_path / "c.sqlite"))
    assert default_catalog() == tmp_path / "c.sqlite"
    monkeypatch.delenv("VECTORSMITH_CATALOG")
    monkeypatch.chdir(tmp_path)
    assert str(default_catalog()) == "data/fixture/catalog.sqlite"
