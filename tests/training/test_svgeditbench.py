"""The SVGEditBench harness on a synthetic benchmark that the repo writes from the fixture catalog."""

import json
from pathlib import Path

import numpy as np
import pytest

from svgtok.metrics import mse
from svgtok.render import render
from training.benchquery import (
    TASK_FOLDERS,
    SVGEditBenchError,
    case_paths,
    emoji_name_and_id,
    format_query,
    parse_query,
)
from training.catalog import FIXTURE_CATALOG
from training.editdata import write_benchmark
from training.edits import BENCH_INSTRUCTIONS
from training.svgeditbench import Case, load_editor, main, read_cases, run, score_case

N = 4


def first_case(root: Path, task: str) -> Case:
    return next(case for case in read_cases(root, limit=1) if case.task == task)


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("svgeditbench")
    # The fixture's test split holds one emoji, so the train split stands in for it here.
    ids = write_benchmark(FIXTURE_CATALOG, root, n=N, split="train")
    return root, ids


def test_synthetic_benchmark_has_the_official_layout(bench):
    root, ids = bench
    assert len(ids) == N
    for task, folder in TASK_FOLDERS.items():
        assert sorted(p.stem for p in (root / folder / "query").glob("*.txt")) == ids
        assert sorted(p.stem for p in (root / folder / "answer").glob("*.svg")) == ids
        query = case_paths(root, task, ids[0])[0].read_text()
        assert query.startswith("The following code is the SVG code for the emoji '")
        assert query.endswith("Only return the SVG code. \n\n```svg\n<svg>...</svg>\n```")
    assert all(len(i) <= 6 or len(i) == 8 for i in ids) and all(i == i.lower() for i in ids)


def test_query_round_trips_through_the_parser(bench):
    root, ids = bench
    for task in TASK_FOLDERS:
        text = case_paths(root, task, ids[0])[0].read_text()
        query = parse_query(text)
        assert format_query(query.name, query.instruction, query.svg) == text
        if task in ("compression", "upside_down", "transparency", "crop_to_half"):
            assert query.instruction == BENCH_INSTRUCTIONS[task]
    # Compression's reference is the original, verbatim.
    compression = first_case(root, "compression")
    assert compression.answer == compression.query.svg


def test_query_format_matches_the_published_example():
    text = format_query("bomb", BENCH_INSTRUCTIONS["upside_down"], '<svg viewBox="0 0 36 36"/>')
    assert text == (
        "The following code is the SVG code for the emoji 'bomb'. Please flip this emoji upside down.\n\n"
        '```svg\n<svg viewBox="0 0 36 36"/>\n```\n\n'
        "Please respond in the following format. Only return the SVG code. \n\n```svg\n<svg>...</svg>\n```"
    )
    with pytest.raises(SVGEditBenchError, match="not an SVGEditBench query"):
        parse_query("Draw a cat.")


def test_emoji_ids_are_codepoints_when_the_name_is_one_character():
    assert emoji_name_and_id("noto-v1:bomb", "bomb") == ("bomb", "1f4a3")
    name, case_id = emoji_name_and_id("fxemoji:chartupwardstrend", "chartupwardstrend")
    assert name == "chartupwardstrend" and len(case_id) == 8


def test_reference_scores_zero_everywhere(bench):
    figures = run(bench[0], "reference")
    assert list(figures["tasks"]) == list(TASK_FOLDERS.values())
    for folder, f in figures["tasks"].items():
        assert f["cases"] == N and f["failure_rate"] == 0, folder
        assert f["mse_72"] == 0 and f["mse_512"] == 0, folder
    assert figures["tasks"]["3_Compression"]["size_ratio"] == 1.0


def test_identity_gives_the_do_nothing_figures(bench):
    tasks = run(bench[0], "identity")["tasks"]
    for folder in ("1_ChangeColor", "2_SetContour", "4_UpSideDown", "5_Transparency", "6_CropToHalf"):
        assert tasks[folder]["mse_72"] > 1e-4 and tasks[folder]["mse_512"] > 1e-4, folder
        assert tasks[folder]["failure_rate"] == 0
    assert tasks["3_Compression"]["mse_72"] == 0 and tasks["3_Compression"]["size_ratio"] == 1.0


def test_svgtok_editors_lose_little_and_compress(bench):
    perfect = run(bench[0], "svgtok-reference", limit=2)["tasks"]
    assert all(f["failure_rate"] == 0 and f["mse_72"] < 2e-3 for f in perfect.values())
    copied = run(bench[0], "svgtok-identity", limit=2)["tasks"]
    assert copied["3_Compression"]["size_ratio"] < 1.0
    assert copied["4_UpSideDown"]["mse_72"] > 10 * perfect["4_UpSideDown"]["mse_72"]


def test_broken_output_fails_and_scores_as_a_blank_image(bench):
    case = first_case(bench[0], "upside_down")
    for output in ("<svg", "not svg at all", None):
        score = score_case(case, output)
        assert score["failed"]
        blank = np.full((72, 72, 3), 255, np.uint8)
        assert score["mse_72"] == pytest.approx(mse(blank, render(case.answer, 72)))
        assert score["mse_72"] > 0


def test_cli_keeps_outputs_and_ends_with_json(bench, tmp_path, capsys):
    root, ids = bench
    out, report = tmp_path / "out", tmp_path / "report.md"
    main(["--data", str(root), "--editor", "identity", "--limit", "2", "--out", str(out), "--report", str(report)])
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["tasks"]["4_UpSideDown"]["cases"] == 2
    kept = out / "4_UpSideDown" / f"{ids[0]}.svg"
    assert kept.read_text() == parse_query(case_paths(root, "upside_down", ids[0])[0].read_text()).svg
    assert "| 4_UpSideDown | 2 |" in report.read_text()
    assert json.loads((tmp_path / "report.json").read_text()) == figures


def test_bad_editor_and_bad_folder_are_clear_errors(tmp_path):
    with pytest.raises(SVGEditBenchError, match="unknown editor 'gpt'"):
        load_editor("gpt")
    with pytest.raises(SVGEditBenchError, match="takes no argument"):
        load_editor("identity:x")
    with pytest.raises(SVGEditBenchError, match="no cases under"):
        read_cases(tmp_path)
    (tmp_path / "1_ChangeColor" / "query").mkdir(parents=True)
    (tmp_path / "1_ChangeColor" / "query" / "1f4a3.txt").write_text("x")
    with pytest.raises(SVGEditBenchError, match="has no answer"):
        read_cases(tmp_path)


def test_saved_outputs_score_the_same_through_the_files_editor(bench, tmp_path):
    root, _ = bench
    live = run(root, "identity", out=tmp_path / "out", limit=2)
    again = run(root, f"files:{tmp_path / 'out'}", limit=2)
    assert again["tasks"] == live["tasks"]
    (tmp_path / "out" / "4_UpSideDown").rename(tmp_path / "gone")  # a missing output is a failure, not a crash
    assert run(root, f"files:{tmp_path / 'out'}", limit=2)["tasks"]["4_UpSideDown"]["failure_rate"] == 1.0
    with pytest.raises(SVGEditBenchError, match="needs a folder"):
        load_editor("files:/no/such/folder")
