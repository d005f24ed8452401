"""Benchmark the shipped model on the CPU: validity, speed, bits per icon, caption gap, a sample sheet.

    python -m svglm.bench                     200 val-split captions × 4 samples, 2 threads
    python -m svglm.bench --prompts 20        a quicker look

Prompts are the captions of val-split icons (never trained on) from the catalog (the full one in data/
when built, else the fixture). Bits per icon and the caption gap are measured on val icons from the
shards. The sample sheet holds the ten everyday prompts and the first 54 captions, 4 samples each. A
second sheet draws the everyday prompts again in the app's default ``--style`` (svglm.styles), keeping the
4 surest of 4 × ``--everyday-candidates`` (``generate(candidates=...)``), and times that too;
``--everyday-rounds`` seeds of that, and of the same in no style, are judged by svglm.recognize (is the
nearest catalog icon, by rendered ink, named for the prompt?), beside the plain samples of the first loop
and the judge's own score on real held-out icons. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import numpy as np
import torch

from svglm.evaluate import EVERYDAY_PROMPTS, program_bits
from svglm.generate import SVGGenerator, default_guidance
from svglm.recognize import judge_real_icons, load_exemplars
from svglm.sheet import make_sheet
from svglm.styles import DEFAULT_STYLE, names_a_set
from svglm.vocab import EOS
from svgtok.errors import SVGError
from svgtok.render import render

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "svglm-base"
DOCS = ROOT / "docs"


def data_dir() -> Path:
    full = ROOT / "data"
    return full if (full / "catalog.sqlite").exists() else full / "fixture"


def query_catalog(sql: str, params: Sequence) -> list[tuple]:
    """The rows of one query on the catalog, opened read-only and closed again."""
    with closing(sqlite3.connect(f"file:{data_dir() / 'catalog.sqlite'}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def val_captions(n: int) -> list[str]:
    rows = query_catalog(
        "SELECT caption FROM icons WHERE split = 'val' AND trainable = 1 ORDER BY content_hash LIMIT ?", (n,)
    )
    return [r[0] for r in rows]


def val_rows(gen: SVGGenerator, n: int, shuffle: bool) -> list[tuple[list[int], list[int]]]:
    """(prefix, program) pairs of val icons in model ids; ``shuffle`` gives each another icon's prompt.

    Prompts are the icons' catalog captions in the model's own prompt tokens: a corpus built after the model
    trains its own prompt tokenizer, whose ids the model never saw. Programs come from the shards, which
    must be in the model's svgtok tokens (:func:`check_shards`).
    """
    shards = data_dir() / "shards"
    ids, offsets = np.load(shards / "val_ids.npy"), np.load(shards / "val_offsets.npy")
    names = json.loads((shards / "val_icons.json").read_text())
    count = min(n, len(offsets) - 1)
    marks = ",".join("?" * count)
    captions = dict(query_catalog(f"SELECT id, caption FROM icons WHERE id IN ({marks})", names[:count]))
    order = np.random.default_rng(0).permutation(count) if shuffle else np.arange(count)
    vocab = gen.vocab
    return [
        (
            [vocab.bos, *vocab.encode_text(captions[names[int(order[i])]])],
            [*vocab.to_model(ids[offsets[i] : offsets[i + 1]]).tolist(), EOS],
        )
        for i in range(count)
    ]


def check_shards(model: Path) -> None:
    """Exit with a readable message when the shards' svgtok tokenizer is not the model's (bits would be wrong)."""
    shards = data_dir() / "shards" / "tokenizer.json"
    if shards.read_bytes() != (model / "tokenizer.json").read_bytes():
        raise SystemExit(f"{shards} is not the model's tokenizer: its programs are not in the model's tokens")


def check_sample(gen: SVGGenerator, ids: list[int], svg: str) -> tuple[bool, bool]:
    """``(valid, drawn)``: the grammar accepts it and it renders; and its render is not blank white."""
    if not gen.vocab.svg.grammar.accepts(ids):
        return False, False
    try:
        pixels = render(svg, 64)
    except SVGError:
        return False, False
    return True, bool((pixels < 250).any())


def draw_everyday(
    gen: SVGGenerator, args: argparse.Namespace, style: str | None
) -> tuple[list[tuple[str, list[str]]], list[float], list[tuple[str, str]]]:
    """The everyday prompts drawn best of ``args.everyday_candidates`` for ``args.everyday_rounds`` seeds:
    the first round's sheet rows, seconds per kept icon, and ``(prompt, svg)`` of every kept icon."""
    rows, per_icon, kept = [], [], []
    for round_ in range(args.everyday_rounds):
        for k, prompt in enumerate(EVERYDAY_PROMPTS):
            seed = k + round_ * len(EVERYDAY_PROMPTS)
            out = gen.generate(prompt, n=args.samples, seed=seed, candidates=args.everyday_candidates, style=style)
            if round_ == 0:
                rows.append((prompt, [s.svg for s in out.samples]))
            per_icon += [s.seconds for s in out.samples]
            kept += [(prompt, s.svg) for s in out.samples]
    return rows, per_icon, kept


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=MODEL, help="checkpoint folder (default models/svglm-base)")
    parser.add_argument("--prompts", type=int, default=200, help="val captions to sample from (default 200)")
    parser.add_argument("--samples", type=int, default=4, help="samples per prompt (default 4)")
    parser.add_argument("--bits-icons", type=int, default=500, help="val icons for bits per icon (default 500)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    parser.add_argument("--sheet", type=Path, default=DOCS / "svglm-samples.png", help="sample sheet PNG")
    parser.add_argument("--everyday-candidates", type=int, default=4, help="candidates per kept everyday icon")
    parser.add_argument("--everyday-sheet", type=Path, default=DOCS / "svglm-everyday.png", help="its sheet PNG")
    parser.add_argument("--everyday-rounds", type=int, default=2, help="seeds of best-of icons judged (default 2)")
    parser.add_argument(
        "--style", default=DEFAULT_STYLE, help=f"the icon set best-of icons imitate ('' none; default {DEFAULT_STYLE})"
    )
    args = parser.parse_args(argv)
    check_shards(args.model)
    torch.set_num_threads(args.threads)
    gen = SVGGenerator.from_pretrained(args.model)
    captions = val_captions(args.prompts)
    prompts = [*EVERYDAY_PROMPTS, *captions]
    print(f"{args.model.name}: {len(prompts)} prompts × {args.samples} samples on {args.threads} CPU threads")

    per_icon, valid, drawn, tokens, seconds, records = [], [], [], 0, 0.0, []
    for k, prompt in enumerate(prompts):
        out = gen.generate(prompt, n=args.samples, seed=k)
        per_icon += [s.seconds for s in out.samples]
        checks = [check_sample(gen, s.svg_ids, s.svg) for s in out.samples]
        valid += [ok for ok, _ in checks]
        drawn += [ink for _, ink in checks]
        tokens, seconds = tokens + out.new_tokens, seconds + out.seconds
        records += [{"prompt": prompt, "svg": s.svg} for s in out.samples]
        if k % 20 == 0:
            print(f"  {k}/{len(prompts)} prompts, median {statistics.median(per_icon):.2f} s per icon")
    sheet_prompts = set(prompts[: len(EVERYDAY_PROMPTS) + 54])
    rows: dict[str, list[str]] = {}
    for record in records:
        if record["prompt"] in sheet_prompts:
            rows.setdefault(record["prompt"], []).append(record["svg"])
    make_sheet(list(rows.items()), args.sheet)
    everyday_rows, everyday_per_icon, best_of = draw_everyday(gen, args, args.style)
    _, _, best_of_any_style = draw_everyday(gen, args, None) if names_a_set(args.style) else ([], [], best_of)
    make_sheet(everyday_rows, args.everyday_sheet)
    catalog = data_dir() / "catalog.sqlite"
    exemplars = load_exemplars(catalog, EVERYDAY_PROMPTS)
    plain = [(r["prompt"], r["svg"]) for r in records if r["prompt"] in EVERYDAY_PROMPTS]
    recognized = {
        "everyday_recognized": round(exemplars.recognized_share(best_of), 3),
        "everyday_recognized_any_style": round(exemplars.recognized_share(best_of_any_style), 3),
        "everyday_recognized_plain": round(exemplars.recognized_share(plain), 3),
        "everyday_recognized_real": round(judge_real_icons(exemplars, catalog, EVERYDAY_PROMPTS), 3),
        "everyday_judged": len(best_of),
    }

    start = time.perf_counter()
    bits = program_bits(gen.model, val_rows(gen, args.bits_icons, False))
    shuffled = program_bits(gen.model, val_rows(gen, args.bits_icons, True))
    figures = {
        "prompts": len(prompts),
        "samples": len(valid),
        "validity": round(float(np.mean(valid)), 4),
        "drawn": round(float(np.mean(drawn)), 4),
        "cpu_median_s": round(statistics.median(per_icon), 3),
        "cpu_p90_s": round(float(np.percentile(per_icon, 90)), 3),
        "tokens_per_s": round(tokens / seconds, 1),
        "bits_per_icon": round(float(bits.mean()), 2),
        "caption_gap_bits": round(float(shuffled.mean() - bits.mean()), 2),
        "everyday_candidates": args.everyday_candidates,
        "everyday_style": args.style,
        "everyday_guidance": default_guidance(args.style),
        "everyday_median_s": round(statistics.median(everyday_per_icon), 3),
        **recognized,
        "bits_icons": len(bits),
        "bits_seconds": round(time.perf_counter() - start, 1),
        "data": str(data_dir().relative_to(ROOT)),
    }
    sheet = args.sheet.resolve()
    shown = sheet.relative_to(ROOT) if sheet.is_relative_to(ROOT) else sheet
    print(f"validity {figures['validity']} over {len(valid)} samples, {figures['drawn']} not blank; sheet {shown}")
    speed = f"median {figures['cpu_median_s']}, p90 {figures['cpu_p90_s']}"
    print(f"seconds per icon: {speed}; {figures['tokens_per_s']} tokens/s")
    print(f"bits per icon {figures['bits_per_icon']}, caption gap {figures['caption_gap_bits']} bits")
    best = f"{figures['everyday_recognized']} best of {args.everyday_candidates} in style {args.style!r}"
    print(
        f"everyday icons recognized: {best}, {figures['everyday_recognized_any_style']} in no style, "
        f"{figures['everyday_recognized_plain']} plain, {figures['everyday_recognized_real']} for real held-out icons"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
