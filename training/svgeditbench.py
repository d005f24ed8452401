"""The SVGEditBench harness: run an editor over the official v1 folders and score it the benchmark's way.

    python -m training.svgeditbench --data DIR --editor identity|reference|svglm[:ADAPTER] [--out DIR]
        [--limit N] [--report PATH]

Editors: ``identity`` (do nothing), ``reference`` (perfect), ``svgtok-identity`` and ``svgtok-reference`` (the
same two through svgtok's normalization: what a model that writes svgtok tokens gives by copying its input, and
the best it can give), ``svglm[:ADAPTER]`` (the fine-tuned model), ``files:DIR`` (outputs written earlier,
e.g. by :mod:`training.benchedit` on a GPU machine, scored here).

Each case's query (:mod:`training.benchquery`) goes to the editor; its output and the reference answer are
rendered with cairosvg (:func:`svgtok.render.render`, every external resource refused) on white, on a
square canvas of 72 and 512 pixels, and compared by per-pixel MSE on [0, 1] RGB. An output that does not
parse or render is a failure, scored as a blank white image against the reference, so failing is never
cheaper than trying. Compression also reports output bytes over original bytes. The report is a Markdown
table; the last line printed is one JSON object of figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from svglm.errors import SVGLMError
from svgtok.errors import SVGError
from svgtok.metrics import mse
from svgtok.render import render
from svgtok.tokenizer import SVGTokenizer
from training.benchquery import TASK_FOLDERS, Case, SVGEditBenchError, read_cases

SIZES = (72, 512)
DEFAULT_BASE, DEFAULT_ADAPTER = "models/svglm-base", "models/svglm-edit"


Editor = Callable[[Case], str]


# Editors -----------------------------------------------------------------------------------------------


def _svglm_editor(adapter: str | None) -> Editor:
    """The fine-tuned model, through ``svglm.edit`` (imported only when asked for)."""
    try:
        from svglm.edit import SVGEditor
    except ImportError as exc:
        raise SVGEditBenchError(
            f"the svglm editor needs svglm.edit.SVGEditor, which is not importable here ({exc})"
        ) from exc
    model = SVGEditor.from_pretrained(DEFAULT_BASE, adapter=adapter or DEFAULT_ADAPTER)

    def edit(case: Case) -> str:
        try:
            result = model.edit(case.query.svg, case.query.instruction, n=1, temperature=0.0, seed=0)
        except SVGLMError as exc:  # a drawing too long for the context is a failed case, not a failed run
            raise SVGError(f"svglm could not edit {case.task}/{case.case_id}: {exc}") from exc
        return result.samples[0].svg

    return edit


def _files_editor(folder: str | None) -> Editor:
    """Outputs written earlier as ``FOLDER/<task folder>/<id>.svg`` (e.g. by :mod:`training.benchedit` on a GPU)."""
    if not folder or not Path(folder).is_dir():
        raise SVGEditBenchError(f"the files editor needs a folder of outputs: files:DIR (got {folder!r})")

    def read(case: Case) -> str:
        path = Path(folder) / TASK_FOLDERS[case.task] / f"{case.case_id}.svg"
        if not path.is_file():
            raise SVGError(f"no output at {path}")
        return path.read_text(encoding="utf-8")

    return read


def _through_svgtok(pick: Callable[[Case], str]) -> Editor:
    """``pick``'s document as svgtok's tokenizer normalizes it: what a model that writes tokens can at best give."""
    tokenizer = SVGTokenizer.from_pretrained()
    return lambda case: tokenizer.normalize(pick(case)).svg


def _original(case: Case) -> str:
    return case.query.svg


def _answer(case: Case) -> str:
    return case.answer


# name → factory taking the text after "name:" (None when absent).
EDITORS: dict[str, Callable[[str | None], Editor]] = {
    "identity": lambda _: _original,
    "reference": lambda _: _answer,
    "svgtok-identity": lambda _: _through_svgtok(_original),
    "svgtok-reference": lambda _: _through_svgtok(_answer),
    "svglm": _svglm_editor,
    "files": _files_editor,
}


def load_editor(spec: str) -> Editor:
    """An editor from ``name`` or ``name:argument``: one of :data:`EDITORS`, ``svglm`` taking an adapter.

    ``svgtok-identity`` and ``svgtok-reference`` pass the original or the answer through svgtok's normalization:
    the do-nothing and the perfect output of a model that writes svgtok tokens.

    Raises:
        SVGEditBenchError: an unknown name, or an argument given to an editor that takes none.
    """
    name, _, argument = spec.partition(":")
    if name not in EDITORS:
        raise SVGEditBenchError(f"unknown editor {name!r}; choose one of {', '.join(EDITORS)}")
    if argument and name not in ("svglm", "files"):
        raise SVGEditBenchError(f"the {name} editor takes no argument, got {argument!r}")
    return EDITORS[name](argument or None)


# Scoring ------------------------------------------------------------------------------------------------


def _blank(size: int) -> np.ndarray:
    return np.full((size, size, 3), 255, np.uint8)


def score_case(case: Case, output: str | None) -> dict:
    """MSE at each size of ``output`` against the reference, whether it failed, and its size ratio.

    Raises:
        SVGEditBenchError: the reference answer itself does not render (the data is broken, not the editor).
    """
    try:
        references = {size: render(case.answer, size) for size in SIZES}
    except SVGError as exc:
        raise SVGEditBenchError(f"the reference answer of {case.task}/{case.case_id} does not render: {exc}") from exc
    try:
        if output is None:
            raise SVGError("the editor gave no output")
        images = {size: render(output, size) for size in SIZES}
        failed = False
    except SVGError:
        images, failed = {size: _blank(size) for size in SIZES}, True
    return {
        **{f"mse_{size}": mse(images[size], references[size]) for size in SIZES},
        "failed": failed,
        "size_ratio": len((output or "").encode()) / len(case.query.svg.encode()),
    }


def summarize(scores: list[tuple[Case, dict]]) -> dict:
    """Per task folder: cases, mean MSE at each size, failure rate, and for Compression the mean size ratio."""
    tasks = {}
    for task, folder in TASK_FOLDERS.items():
        rows = [s for case, s in scores if case.task == task]
        if not rows:
            continue
        figures = {"cases": len(rows)}
        figures |= {f"mse_{size}": float(np.mean([r[f"mse_{size}"] for r in rows])) for size in SIZES}
        figures["failure_rate"] = sum(r["failed"] for r in rows) / len(rows)
        if task == "compression":
            figures["size_ratio"] = float(np.mean([r["size_ratio"] for r in rows]))
        tasks[folder] = figures
    return tasks


def run(data: Path, editor_spec: str, out: Path | None = None, limit: int | None = None) -> dict:
    """Run one editor over a benchmark folder and score it; with ``out``, keep each output as an SVG file.

    Args:
        data: the benchmark root (``1_ChangeColor`` … ``6_CropToHalf``).
        editor_spec: see :func:`load_editor`.
        out: a folder for ``<task folder>/<id>.svg`` outputs, or None.
        limit: at most this many ids per task.

    Returns:
        ``{"editor", "data", "tasks": {folder: figures}, "seconds"}``.

    Example:
        >>> figures = run(Path("bench"), "reference")  # doctest: +SKIP
        >>> figures["tasks"]["4_UpSideDown"]["mse_72"]  # doctest: +SKIP
        0.0
    """
    started = time.time()
    editor = load_editor(editor_spec)
    scores = []
    for case in read_cases(data, limit):
        try:
            output = editor(case)
        except SVGError:  # the editor's own verdict that it could not make valid SVG
            output = None
        if out is not None and output is not None:
            path = Path(out) / TASK_FOLDERS[case.task] / f"{case.case_id}.svg"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(output, encoding="utf-8")
        scores.append((case, score_case(case, output)))
    return {
        "editor": editor_spec,
        "data": str(data),
        "tasks": summarize(scores),
        "seconds": round(time.time() - started, 1),
    }


def markdown(figures: dict) -> str:
    """The figures as a Markdown table, one row per task."""
    lines = [
        f"Editor `{figures['editor']}` on `{figures['data']}`",
        "",
        "| task | cases | MSE @72 px | MSE @512 px | failure rate | size ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for folder, f in figures["tasks"].items():
        ratio = f"{f['size_ratio']:.3f}" if "size_ratio" in f else ""
        lines.append(
            f"| {folder} | {f['cases']} | {f['mse_72']:.5f} | {f['mse_512']:.5f} | {f['failure_rate']:.1%} | {ratio} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.svgeditbench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="benchmark root holding the six task folders")
    parser.add_argument("--editor", default="identity", help=f"{', '.join(EDITORS)}[:ADAPTER]; default identity")
    parser.add_argument("--out", type=Path, help="keep every output as OUT/<task folder>/<id>.svg")
    parser.add_argument("--limit", type=int, help="at most this many ids per task; default all")
    parser.add_argument("--report", type=Path, help="also write the table to REPORT and the figures to REPORT.json")
    args = parser.parse_args(argv)
    try:
        figures = run(args.data, args.editor, args.out, args.limit)
    except SVGEditBenchError as exc:
        sys.exit(f"svgeditbench: {exc}")
    table = markdown(figures)
    if args.report is not None:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(table + "\n", encoding="utf-8")
        args.report.with_suffix(".json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(table)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
