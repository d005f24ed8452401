"""Benchmark: token lengths against GPT-2, render fidelity, and speed, on the shipped Iconify sample.

    python -m svgtok.bench                  the figures the README and docs/RESULTS.md quote
    python -m svgtok.bench --grid-study     also atomic length and fidelity per grid and arc mode

The sample is 2,014 icons drawn with seed 0 across all 243 sets of @iconify/json 2.2.535 (rebuild it
with ``--from-npm``). Fidelity compares the original and the decoded SVG rendered at 256 px on white:
an icon matches when SSIM ≥ 0.98. Encoding uses svgtok's default, gradients as one color;
``fidelity_frac_gradient_bands`` is the fidelity with ``gradients="bands"``. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from svgtok.atomic import AtomicVocab, to_ids
from svgtok.errors import SVGError
from svgtok.gpt2 import load_gpt2
from svgtok.iconify import (
    GPT2_ENCODER,
    ICONIFY,
    SAMPLE_PATH,
    Icon,
    fetch_package,
    load_sample,
    save_sample,
    stratified_sample,
)
from svgtok.metrics import ssim
from svgtok.normalize import normalize
from svgtok.render import render
from svgtok.tokenizer import SVGTokenizer

RENDER_SIZE = 256
MATCH_SSIM = 0.98


def gpt2_lengths(icons: list[Icon]) -> list[int] | None:
    try:
        tokenizer = load_gpt2(fetch_package(GPT2_ENCODER))
    except SVGError as exc:
        print(f"GPT-2 baseline unavailable: {exc}")
        return None
    return [len(e.ids) for e in tokenizer.encode_batch([icon.svg for icon in icons])]


def fidelity(originals: dict[str, object], decoded: dict[str, str]) -> list[float]:
    return [ssim(originals[k], render(svg, RENDER_SIZE)) for k, svg in decoded.items()]


def matches(scores: list[float]) -> int:
    return sum(s >= MATCH_SSIM for s in scores)


def grid_study(icons: list[Icon], originals: dict) -> None:
    """Atomic median and fidelity for each candidate grid and arc mode (the grid choice's evidence)."""
    for grid in (128, 256, 480, 512):
        vocab = AtomicVocab(grid, 32)
        for arcs in ("keep", "cubic"):
            lengths, decoded = [], {}
            for icon in icons:
                result = normalize(icon.svg, grid=grid, arcs=arcs, active="drop")
                lengths.append(len(to_ids(vocab, result.doc)))
                decoded[icon.id] = result.svg
            scores = fidelity(originals, decoded)
            print(
                f"grid {grid:4d} arcs={arcs:5s}  atomic median {statistics.median(lengths):6.1f}  "
                f"fidelity {matches(scores) / len(scores):.4f}  "
                f"mean SSIM {statistics.mean(scores):.4f}"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from-npm", action="store_true", help="rebuild the sample from the pinned npm package")
    parser.add_argument("--grid-study", action="store_true", help="also measure every candidate grid")
    parser.add_argument("--tokenizer", default=None, help="tokenizer folder (default: bundled)")
    args = parser.parse_args(argv)

    if args.from_npm:
        save_sample(stratified_sample(fetch_package(ICONIFY), 2000, seed=0), SAMPLE_PATH)
    icons = load_sample()
    tok = SVGTokenizer.from_pretrained(args.tokenizer) if args.tokenizer else SVGTokenizer.from_pretrained()
    print(f"{tok!r} on {len(icons):,} icons from {ICONIFY.name}@{ICONIFY.version}")

    # Speed first, while the process holds nothing else (the renders below take 400 MB).
    start = time.perf_counter()
    encodings = {icon.id: tok.encode(icon.svg, active="drop") for icon in icons}
    encode_s = time.perf_counter() - start
    start = time.perf_counter()
    decoded = {k: tok.decode(e.ids) for k, e in encodings.items()}
    decode_s = time.perf_counter() - start

    gpt2 = gpt2_lengths(icons)
    originals = {icon.id: render(icon.svg, RENDER_SIZE) for icon in icons}

    banded = {icon.id: tok.decode(tok.encode(icon.svg, active="drop", gradients="bands").ids) for icon in icons}
    atomic = [len(to_ids(tok.atomic, tok.normalize(icon.svg, active="drop").doc)) for icon in icons]
    hier = [len(e.ids) for e in encodings.values()]
    scores = fidelity(originals, decoded)
    clean = [s for s, e in zip(scores, encodings.values(), strict=True) if not e.dropped]
    figures = {
        "n": len(icons),
        "gpt2_median": statistics.median(gpt2) if gpt2 else None,
        "gpt2_mean": round(statistics.mean(gpt2), 1) if gpt2 else None,
        "atomic_median": statistics.median(atomic),
        "atomic_mean": round(statistics.mean(atomic), 1),
        "hier_median": statistics.median(hier),
        "hier_mean": round(statistics.mean(hier), 1),
        "ratio_vs_gpt2": round(statistics.median(gpt2) / statistics.median(hier), 3) if gpt2 else None,
        "fidelity_frac": round(matches(scores) / len(scores), 4),
        "fidelity_frac_nothing_dropped": round(matches(clean) / len(clean), 4),
        "fidelity_frac_gradient_bands": round(matches(fidelity(originals, banded)) / len(icons), 4),
        "n_nothing_dropped": len(clean),
        "mean_ssim": round(statistics.mean(scores), 4),
        "encode_per_s": round(len(icons) / encode_s, 1),
        "decode_per_s": round(len(icons) / decode_s, 1),
        "vocab_size": tok.vocab_size,
    }
    print(f"GPT-2 BPE       median {figures['gpt2_median']}  mean {figures['gpt2_mean']}")
    print(f"svgtok atomic   median {figures['atomic_median']}  mean {figures['atomic_mean']}")
    print(
        f"svgtok segments median {figures['hier_median']}  mean {figures['hier_mean']}  "
        f"({figures['ratio_vs_gpt2']}× fewer than GPT-2)"
    )
    print(
        f"fidelity (SSIM ≥ {MATCH_SSIM} at {RENDER_SIZE} px): {figures['fidelity_frac']} of all icons, "
        f"{figures['fidelity_frac_nothing_dropped']} of the {len(clean)} with nothing dropped; "
        f"mean SSIM {figures['mean_ssim']}; {figures['fidelity_frac_gradient_bands']} with gradients as bands"
    )
    print(f"encode {figures['encode_per_s']} icons/s, decode {figures['decode_per_s']} icons/s (one process)")
    if args.grid_study:
        grid_study(icons, originals)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
