"""Edit cases built from the fixture catalog: format, splits, licenses, determinism."""

import json
import sqlite3

import pytest

from svgtok.render import render
from training.benchquery import parse_query
from training.catalog import FIXTURE_CATALOG
from training.editdata import SPLITS, build, main, read_sources
from training.edits import BENCH_TASKS, TASKS

KEYS = ["task", "instruction", "query", "source", "target", "icon_id", "set", "split"]


def read_jsonl(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("edits")
    return out, build(FIXTURE_CATALOG, out, per_icon=3)


def test_every_case_has_the_fields_and_a_rendering_target(built):
    out, manifest = built
    cases = read_jsonl(out / "train.jsonl")
    assert len(cases) == manifest["cases"]["train"] > 0
    for case in cases:
        assert list(case) == KEYS and case["task"] in TASKS and case["split"] == "train"
        query = parse_query(case["query"])
        assert (query.svg, query.instruction) == (case["source"], case["instruction"])
    for case in cases[:20]:
        assert render(case["target"], 24).shape == (24, 24, 3)


def test_cases_follow_the_catalog_split_license_and_token_limit(built):
    out, manifest = built
    conn = sqlite3.connect(FIXTURE_CATALOG)
    for split in SPLITS:
        for case in read_jsonl(out / f"{split}.jsonl"):
            row = conn.execute(
                "SELECT split, trainable, palette, tokens FROM icons WHERE id = ?", (case["icon_id"],)
            ).fetchone()
            assert row[0] == split and row[1] == 1 and row[2] == "color" and 0 < row[3] <= 450
            assert case["set"] != "twemoji"
    assert manifest["cases"] == {s: len(read_jsonl(out / f"{s}.jsonl")) for s in SPLITS}
    assert sum(manifest["by_task"]["train"].values()) == manifest["cases"]["train"]


def test_benchmark_tasks_weigh_most_and_each_icon_gets_distinct_tasks(built):
    out, manifest = built
    by_task = manifest["by_task"]["train"]
    assert sum(by_task.get(t, 0) for t in BENCH_TASKS) > manifest["cases"]["train"] / 2
    cases = read_jsonl(out / "train.jsonl")
    per_icon: dict[str, list[str]] = {}
    for case in cases:
        per_icon.setdefault(case["icon_id"], []).append(case["task"])
    assert all(len(tasks) == len(set(tasks)) <= 3 for tasks in per_icon.values())


def test_same_seed_same_cases_and_a_mix_restricts_tasks(tmp_path, built):
    out, _ = built
    again = tmp_path / "again"
    build(FIXTURE_CATALOG, again, per_icon=3)
    assert (again / "train.jsonl").read_bytes() == (out / "train.jsonl").read_bytes()
    main(["build", "--catalog", str(FIXTURE_CATALOG), "--out", str(tmp_path / "mix"), "--mix", "upside_down=1"])
    assert {c["task"] for c in read_jsonl(tmp_path / "mix" / "train.jsonl")} == {"upside_down"}


def test_max_tokens_and_sets_filter_sources():
    assert all(s.set_prefix == "noto" for s in read_sources(FIXTURE_CATALOG, "train", sets=("noto",)))
    assert len(read_sources(FIXTURE_CATALOG, "train", max_tokens=100)) < len(read_sources(FIXTURE_CATALOG, "train"))


def test_bad_arguments_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown tasks \\['blur'\\]"):
        build(FIXTURE_CATALOG, tmp_path, mix={"blur": 1.0})
    with pytest.raises(FileNotFoundError, match="no catalog at"):
        read_sources(tmp_path / "missing.sqlite", "train")
