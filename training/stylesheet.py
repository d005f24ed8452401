"""A before/after sample sheet for a style adapter: the same prompts and seeds, the base model then base + adapter.

python -m training.stylesheet --adapter runs/my-style --out docs/style-before-after.png home cloud heart
"""

from __future__ import annotations

import argparse
from pathlib import Path

from svglm.generate import SVGGenerator
from svglm.sheet import make_sheet

DEFAULT_PROMPTS = ("home", "cloud", "heart", "star", "user", "settings", "calendar", "mail")


def before_after(base: str, adapter: str, prompts: list[str], n: int, seed: int) -> list[tuple[str, list[str]]]:
    """Sheet rows: for each prompt, the base model's ``n`` samples, then the adapted model's."""
    models = {"base": SVGGenerator.from_pretrained(base), "style": SVGGenerator.from_pretrained(base, adapter=adapter)}
    rows = []
    for prompt in prompts:
        for label, generator in models.items():
            samples = generator.generate(prompt, n=n, seed=seed).samples
            rows.append((f"{label}: {prompt}", [s.svg for s in samples]))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.stylesheet", description=__doc__.split("\n\n")[0])
    parser.add_argument("prompts", nargs="*", default=list(DEFAULT_PROMPTS))
    parser.add_argument("--base", default="models/svglm-base")
    parser.add_argument("--adapter", required=True, help="a folder written by training.finetune --task style")
    parser.add_argument("--out", type=Path, default=Path("docs/style-before-after.png"))
    parser.add_argument("-n", type=int, default=4, help="samples per prompt and model (default 4)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    make_sheet(before_after(args.base, args.adapter, args.prompts, args.n, args.seed), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
