"""Run the svglm editor over an SVGEditBench folder in batches and keep its outputs, without scoring them.

    python -m training.benchedit --data data/svgeditbench-synth --adapter models/svglm-edit --out runs/edits

For a GPU machine, which has no cairosvg: the outputs land as ``OUT/<task folder>/<id>.svg`` (a refused case
writes nothing and is listed in ``OUT/refused.txt``), and ``python -m training.svgeditbench --editor
files:OUT`` scores them anywhere. Cases go through :meth:`svglm.edit.SVGEditor.edit_batch`, greedy.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from svglm.edit import SVGEditor
from training.benchquery import TASK_FOLDERS, read_cases


def write_outputs(data: Path, editor: SVGEditor, out: Path, batch_size: int = 64, limit: int | None = None) -> dict:
    """Edit every case under ``data`` (``limit`` ids per task) and write the outputs under ``out``."""
    cases = read_cases(data, limit)
    start = time.perf_counter()
    outputs = editor.edit_batch([(c.query.svg, c.query.instruction) for c in cases], batch_size=batch_size)
    refused = []
    for case, svg in zip(cases, outputs, strict=True):
        folder = TASK_FOLDERS[case.task]
        if svg is None:
            refused.append(f"{folder}/{case.case_id}")
            continue
        path = out / folder / f"{case.case_id}.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg, encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    (out / "refused.txt").write_text("".join(f"{r}\n" for r in refused))
    return {"cases": len(cases), "refused": len(refused), "seconds": round(time.perf_counter() - start, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.benchedit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="benchmark root holding the six task folders")
    parser.add_argument("--base", default="models/svglm-base")
    parser.add_argument("--adapter", default="models/svglm-edit")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--limit", type=int, help="at most this many ids per task; default all")
    args = parser.parse_args(argv)
    editor = SVGEditor.from_pretrained(args.base, adapter=args.adapter, device=args.device)
    print(json.dumps(write_outputs(args.data, editor, args.out, args.batch_size, args.limit)))


if __name__ == "__main__":
    main()
