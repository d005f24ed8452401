"""Sample sheets: one row per prompt, its samples rendered side by side, for docs/.

    python -m svglm.sheet samples.json sheet.png     # a JSON list of {"prompt", "svg"} records

An SVG that does not parse or render shows as a red cross, so a sheet never hides a failure.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from svgtok.errors import SVGError
from svgtok.render import render

CELL = 96
LABEL = 220


def _cell(svg: str) -> Image.Image:
    try:
        return Image.fromarray(render(svg, CELL))
    except SVGError:
        cell = Image.new("RGB", (CELL, CELL), "white")
        draw = ImageDraw.Draw(cell)
        draw.line((8, 8, CELL - 8, CELL - 8), fill="red", width=4)
        draw.line((8, CELL - 8, CELL - 8, 8), fill="red", width=4)
        return cell


def make_sheet(rows: list[tuple[str, list[str]]], path: Path) -> Path:
    """Write a PNG with a prompt label and the rendered samples on each row."""
    columns = max((len(svgs) for _, svgs in rows), default=1)
    sheet = Image.new("RGB", (LABEL + columns * (CELL + 4), len(rows) * (CELL + 4)), "white")
    draw = ImageDraw.Draw(sheet)
    for r, (prompt, svgs) in enumerate(rows):
        y = r * (CELL + 4)
        draw.text((6, y + CELL // 2 - 6), prompt[:34], fill="black")
        for c, svg in enumerate(svgs):
            sheet.paste(_cell(svg), (LABEL + c * (CELL + 4), y))
    sheet.save(path, optimize=True)
    return path


def group_by_prompt(records: list[dict]) -> list[tuple[str, list[str]]]:
    rows: dict[str, list[str]] = {}
    for record in records:
        rows.setdefault(record["prompt"], []).append(record["svg"])
    return list(rows.items())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("samples", type=Path, help="JSON list of {prompt, svg} records")
    parser.add_argument("out", type=Path, help="PNG to write")
    args = parser.parse_args(argv)
    records = json.loads(args.samples.read_text())
    print(make_sheet(group_by_prompt(records), args.out), f"{len(records)} samples")
    print("rendered:", np.mean([_renders(r["svg"]) for r in records]))


def _renders(svg: str) -> bool:
    try:
        render(svg, 16)
    except SVGError:
        return False
    return True


if __name__ == "__main__":
    main()
