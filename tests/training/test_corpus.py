"""The corpus build on a small synthetic @iconify/json tarball made here."""

import hashlib
import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest

from svgtok.tokenizer import SVGTokenizer
from training.catalog import FIXTURE_CATALOG, connect, read_icons
from training.corpus import EVERYDAY, CorpusError, _collect, build, license_allows_training, split_of

SQUARE = '<path fill="currentColor" d="M2 2h{0}v{0}H2z"/>'


def icon_set(prefix: str, spdx: str, icons: dict[str, str], palette: bool = False) -> dict:
    return {
        "prefix": prefix,
        "info": {"name": prefix.title(), "license": {"spdx": spdx, "title": spdx}, "palette": palette},
        "icons": {name: {"body": body} for name, body in icons.items()},
        "aliases": {"home-alias": {"parent": "home"}},
        "categories": {"Buildings": ["home"]},
        "width": 24,
        "height": 24,
    }


SETS = [
    icon_set("alpha", "MIT", {"home": SQUARE.format(10), "star": SQUARE.format(12), "blank": "<g/>"}),
    icon_set("beta", "CC-BY-4.0", {"house": SQUARE.format(10), "broken": '<path d="M0 0L nan"/>'}),
    icon_set("gpl", "GPL-3.0-or-later", {"gear": SQUARE.format(14)}),
    icon_set("nc", "CC-BY-NC-4.0", {"bolt": SQUARE.format(16)}),
    icon_set("twemoji", "CC-BY-4.0", {"1f4a3": '<circle cx="12" cy="12" r="9" fill="#31373d"/>'}, palette=True),
] + [
    icon_set(f"set{i}", "Apache-2.0", {f"shape-{j}": f'<path d="M{1 + i} {1 + j}h5v7z"/>' for j in range(8)})
    for i in range(6)
]


def make_tarball(path: Path, sets: list[dict] = SETS) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for data in sets:
            raw = json.dumps(data).encode()
            info = tarfile.TarInfo(f"package/json/{data['prefix']}.json")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    return path


@pytest.fixture(scope="module")
def tokenizer() -> SVGTokenizer:
    return SVGTokenizer.from_pretrained()


@pytest.fixture(scope="module")
def built(tmp_path_factory, tokenizer):
    root = tmp_path_factory.mktemp("corpus")
    tarball = make_tarball(root / "json.tgz")
    report = build(tarball, root / "out", tokenizer, expected_sha256=None, workers=1)
    return root, tarball, report


def test_license_policy():
    for spdx in ("MIT", "Apache-2.0", "CC-BY-4.0", "CC0-1.0", "OFL-1.1", "ISC", "MPL-2.0", "BSD-3-Clause"):
        assert license_allows_training(spdx), spdx
    for spdx in ("GPL-3.0-or-later", "CC-BY-NC-4.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "unknown"):
        assert not license_allows_training(spdx), spdx


def test_split_is_a_function_of_content():
    splits = [split_of(hashlib.sha256(str(i).encode()).hexdigest()) for i in range(4000)]
    assert 0.01 < splits.count("val") / 4000 < 0.03 and 0.01 < splits.count("test") / 4000 < 0.03


def test_catalog_rows_and_policy(built):
    root, _, report = built
    conn = connect(root / "out" / "catalog.sqlite")
    icons = {i.id: i for i in read_icons(conn)}
    assert report["icons_total"] == len(icons) == 3 + 2 + 1 + 1 + 1 + 48
    assert not icons["gpl:gear"].trainable and not icons["nc:bolt"].trainable
    assert icons["twemoji:1f4a3"].split == "heldout" and not icons["twemoji:1f4a3"].trainable
    assert report["twemoji_in_train"] == 0
    assert icons["alpha:blank"].normalized_svg == "" and not icons["alpha:blank"].trainable
    assert icons["beta:broken"].tokens == 0 and not icons["beta:broken"].trainable
    # One glyph in two sets is one training example, and its caption carries both names.
    assert icons["alpha:home"].trainable and icons["beta:house"].duplicate_of == "alpha:home"
    assert icons["alpha:home"].caption == "home; alias; buildings; Alpha; mono; also house"
    assert icons["alpha:home"].aliases == ["home-alias"]
    assert report["dropped_by_reason"]["duplicate glyph"] == 1


def test_no_held_out_or_unlicensed_icon_in_any_shard(built):
    root, _, _ = built
    conn = connect(root / "out" / "catalog.sqlite")
    allowed = {i.id for i in read_icons(conn, "trainable = 1")}
    for split in ("train", "val", "test"):
        ids = json.loads((root / "out" / "shards" / f"{split}_icons.json").read_text())
        assert set(ids) <= allowed
        assert not any(i.startswith(("twemoji:", "gpl:", "nc:")) for i in ids)


def test_shards_decode_to_the_catalog(built, tokenizer):
    import numpy as np

    root, _, _ = built
    shards = root / "out" / "shards"
    ids, offsets = np.load(shards / "train_ids.npy"), np.load(shards / "train_offsets.npy")
    names = json.loads((shards / "train_icons.json").read_text())
    conn = connect(root / "out" / "catalog.sqlite")
    by_id = {i.id: i for i in read_icons(conn)}
    for k, name in enumerate(names):
        program = ids[offsets[k] : offsets[k + 1]].tolist()
        assert tokenizer.decode(program) == by_id[name].normalized_svg


def test_same_input_gives_byte_identical_shards(built, tokenizer, tmp_path):
    root, tarball, _ = built
    build(tarball, tmp_path, tokenizer, expected_sha256=None, workers=2)
    first, second = root / "out" / "shards", tmp_path / "shards"
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (root / "out" / "bundle.tar.xz").read_bytes() == (tmp_path / "bundle.tar.xz").read_bytes()
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["parts"]["train_ids.npy"] == hashlib.sha256((first / "train_ids.npy").read_bytes()).hexdigest()


def test_corrupted_or_truncated_tarball_leaves_no_catalog(built, tokenizer, tmp_path):
    _, tarball, _ = built
    truncated = tmp_path / "truncated.tgz"
    truncated.write_bytes(tarball.read_bytes()[: len(tarball.read_bytes()) // 2])
    garbage = tmp_path / "garbage.tgz"
    garbage.write_bytes(b"not a tarball at all" * 100)
    for bad in (truncated, garbage):
        out = tmp_path / bad.stem
        with pytest.raises(CorpusError, match="not a readable npm tarball"):
            build(bad, out, tokenizer, expected_sha256=None, workers=1)
        assert not (out / "catalog.sqlite").exists()


def test_checksum_mismatch_is_refused(built, tokenizer, tmp_path):
    _, tarball, _ = built
    with pytest.raises(CorpusError, match="not the pinned"):
        build(tarball, tmp_path, tokenizer, expected_sha256="0" * 64, workers=1)
    assert not (tmp_path / "catalog.sqlite").exists()


def test_an_interrupted_build_resumes_from_finished_sets(built, tokenizer, tmp_path):
    _, tarball, _ = built
    work = tmp_path / "work"
    first = _collect(tarball, work, tokenizer, 1, None)
    stamps = {p: p.stat().st_mtime_ns for p in first}
    first[0].unlink()  # as if the build died before this set finished
    second = _collect(tarball, work, tokenizer, 1, None)
    assert second == first
    assert all(p.stat().st_mtime_ns == stamps[p] for p in first[1:])


def test_the_committed_fixture():
    assert FIXTURE_CATALOG.exists()
    size = sum(p.stat().st_size for p in FIXTURE_CATALOG.parent.rglob("*") if p.is_file())
    assert size <= 2 * 1024 * 1024
    conn = sqlite3.connect(FIXTURE_CATALOG)
    rows = conn.execute("SELECT set_prefix, license, author FROM icons").fetchall()
    assert len(rows) >= 300 and len({r[0] for r in rows}) >= 10
    assert all(license_allows_training(r[1]) for r in rows)
    names = {r[0] for r in conn.execute("SELECT name FROM icons")}
    assert set(EVERYDAY) <= names


def test_a_license_can_be_let_in_on_purpose(built, tokenizer, tmp_path):
    _, tarball, _ = built
    build(tarball, tmp_path, tokenizer, expected_sha256=None, workers=1, also_licenses=("GPL-3.0-or-later",))
    icons = {i.id: i for i in read_icons(connect(tmp_path / "catalog.sqlite"))}
    assert icons["gpl:gear"].trainable and not icons["nc:bolt"].trainable


def test_captions_can_be_encoded_in_a_given_prompt_vocabulary(built, tokenizer, tmp_path):
    """A model's own prompt vocabulary, so that a rebuilt corpus can train that model further."""
    import numpy as np
    from tokenizers import Tokenizer

    _, tarball, _ = built
    given = Tokenizer.from_file(str(FIXTURE_CATALOG.parent / "shards" / "prompt_tokenizer.json"))
    build(tarball, tmp_path, tokenizer, expected_sha256=None, workers=1, prompt_tokenizer=given)
    shards = tmp_path / "shards"
    assert (shards / "prompt_tokenizer.json").read_text() == given.to_str()
    ids, offsets = np.load(shards / "train_prompt_ids.npy"), np.load(shards / "train_prompt_offsets.npy")
    by_id = {i.id: i for i in read_icons(connect(tmp_path / "catalog.sqlite"))}
    for k, name in enumerate(json.loads((shards / "train_icons.json").read_text())):
        assert ids[offsets[k] : offsets[k + 1]].tolist() == given.encode(by_id[name].caption).ids
