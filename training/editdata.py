"""Edit cases for instruction fine-tuning, and a synthetic SVGEditBench, made from the icon catalog.

    python -m training.editdata build --catalog data/catalog.sqlite --out data/edits
    python -m training.editdata benchmark --catalog data/catalog.sqlite --out data/svgeditbench-synth --n 100

``build`` writes ``<split>.jsonl`` (one case a line: ``task``, ``instruction``, ``query``, ``source``,
``target``, ``icon_id``, ``set``, ``split``) and ``manifest.json`` with the counts. Every ``query`` is the official
SVGEditBench prompt around the source and the instruction, the user edits' too; targets are plain SVG, to be
normalized by whoever tokenizes them. ``benchmark`` writes held-out
emoji in SVGEditBench's own layout (:mod:`training.benchquery`) for :mod:`training.svgeditbench`.

Sources are colored icons the catalog lets us train on (its ``trainable`` column: license policy, no
duplicates, never ``twemoji``), short enough that instruction, source and target fit the model's 1,024-token
context; each case keeps its icon's ``split``. Hex fills are written in upper case first, as in Twemoji, so
a color named in an instruction is a literal of the source. Every choice comes from a RNG seeded by the seed
and the icon id, so a case does not change when other icons come or go.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from svgtok.errors import SVGError
from training.benchquery import TASK_FOLDERS, emoji_name_and_id, format_query, write_case
from training.corpus import HELD_OUT_SETS
from training.edits import TASKS, fill_colors, make_edit, uppercase_hex

# The mix of the shipped adapter: the edits that rewrite every coordinate or must find paths by color weigh
# most (flip, contour, recolor); the one-token edits (opacity, crop) are learned from a few thousand cases.
DEFAULT_MIX = {
    "change_color": 4.0, "set_contour": 6.0, "compression": 2.0, "upside_down": 6.0, "transparency": 1.0,
    "crop_to_half": 1.0, "recolor": 2.0, "outline": 2.0, "scale": 1.0, "rotate": 1.0, "mirror": 2.0,
    "remove_part": 1.0, "simplify": 1.0,
}  # fmt: skip
PER_ICON = 2
EMOJI_SETS = ("fluent-emoji-flat", "noto", "noto-v1", "emojione", "fxemoji", "streamline-emojis")
SPLITS = ("train", "val", "test")
MAX_TOKENS = 450  # svgtok tokens of the source: source, target and instruction must share 1,024


@dataclass(frozen=True)
class Source:
    """A catalog icon an edit starts from; ``svg`` already has its hex fills in upper case."""

    icon_id: str
    set_prefix: str
    name: str
    split: str
    svg: str


def read_sources(
    catalog: Path, split: str, max_tokens: int = MAX_TOKENS, sets: tuple[str, ...] | None = None
) -> list[Source]:
    """Colored, trainable icons of one split with at most ``max_tokens`` svgtok tokens, in id order.

    Args:
        catalog: the catalog SQLite file (schema in :mod:`training.catalog`).
        split: ``train``, ``val`` or ``test``.
        max_tokens: the largest source, in svgtok tokens.
        sets: set prefixes to draw from; None for every colored set (``twemoji`` is never included).

    Raises:
        FileNotFoundError: the catalog does not exist.
    """
    if not Path(catalog).is_file():
        raise FileNotFoundError(f"no catalog at {catalog}; build one with `python -m training.corpus build`")
    where = "palette = 'color' AND trainable = 1 AND split = ? AND tokens BETWEEN 1 AND ?"
    params: list = [split, max_tokens]
    if sets is not None:
        where += f" AND set_prefix IN ({', '.join('?' for _ in sets)})"
        params += list(sets)
    with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True) as conn:
        rows = conn.execute(f"SELECT id, set_prefix, name, split, svg FROM icons WHERE {where} ORDER BY id", params)
        return [Source(r[0], r[1], r[2], r[3], uppercase_hex(r[4])) for r in rows if r[1] not in HELD_OUT_SETS]


def _rng(seed: int, *keys: str) -> random.Random:
    return random.Random(":".join([str(seed), *keys]))


def make_cases(source: Source, mix: dict[str, float], per_icon: int, seed: int) -> list[dict]:
    """Up to ``per_icon`` cases of distinct tasks for one icon, tasks drawn by weight from ``mix``.

    A task the icon cannot serve (say, a color task on an icon without a hex fill) gives way to the next draw.
    """
    rng = _rng(seed, source.icon_id)
    tasks = [t for t in mix if mix[t] > 0]
    # Weighted order without replacement (Efraimidis & Spirakis): key u^(1/w), largest first.
    order = sorted(tasks, key=lambda t: rng.random() ** (1 / mix[t]), reverse=True)
    name = emoji_name_and_id(source.icon_id, source.name)[0]
    cases = []
    for task in order:
        if len(cases) == per_icon:
            break
        try:
            edit = make_edit(task, source.svg, rng)
        except SVGError:
            continue
        cases.append(
            {
                "task": task,
                "instruction": edit.instruction,
                "query": format_query(name, edit.instruction, source.svg),
                "source": source.svg,
                "target": edit.target,
                "icon_id": source.icon_id,
                "set": source.set_prefix,
                "split": source.split,
            }
        )
    return cases


def build(
    catalog: Path,
    out: Path,
    mix: dict[str, float] = DEFAULT_MIX,
    per_icon: int = PER_ICON,
    max_tokens: int = MAX_TOKENS,
    sets: tuple[str, ...] | None = None,
    seed: int = 0,
) -> dict:
    """Write ``<split>.jsonl`` for train, val and test and a ``manifest.json``; returns the manifest.

    Args:
        catalog: the catalog SQLite file.
        out: the output folder (created).
        mix: task → relative weight; tasks are names of :data:`training.edits.TASKS`.
        per_icon: cases per source icon, each of a different task.
        max_tokens: the largest source, in svgtok tokens.
        sets: set prefixes to draw from, or None for every colored set but ``twemoji``.
        seed: the seed of every choice.

    Raises:
        ValueError: an unknown task in ``mix``, or ``per_icon`` below 1.
    """
    unknown = sorted(set(mix) - set(TASKS))
    if unknown:
        raise ValueError(f"unknown tasks {unknown} in the mix; choose from {', '.join(TASKS)}")
    if per_icon < 1:
        raise ValueError(f"per_icon={per_icon} must be at least 1")
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, Counter] = {}
    icons = {}
    for split in SPLITS:
        sources = read_sources(catalog, split, max_tokens, sets)
        counts[split] = Counter()
        icons[split] = len(sources)
        with open(out / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for source in tqdm(sources, desc=split, unit="icon"):
                for case in make_cases(source, mix, per_icon, seed):
                    f.write(json.dumps(case, ensure_ascii=False) + "\n")
                    counts[split][case["task"]] += 1
    manifest = {
        "catalog": str(catalog),
        "seed": seed,
        "per_icon": per_icon,
        "max_tokens": max_tokens,
        "sets": list(sets) if sets else "all colored sets but twemoji",
        "mix": mix,
        "icons": icons,
        "cases": {split: sum(c.values()) for split, c in counts.items()},
        "by_task": {split: dict(sorted(c.items())) for split, c in counts.items()},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def write_benchmark(
    catalog: Path,
    out: Path,
    n: int = 100,
    split: str = "test",
    sets: tuple[str, ...] = EMOJI_SETS,
    max_tokens: int = MAX_TOKENS,
    seed: int = 0,
) -> list[str]:
    """A synthetic SVGEditBench in the official layout: ``n`` emoji, each in all six tasks.

    Emoji come from ``split`` of ``sets`` (never ``twemoji``), must have a hex fill (tasks 1 and 2 name one)
    and a case id no other chosen emoji has; ``n`` of them are drawn with the seed. Ids are code points where
    the icon's name is one Unicode character (:func:`training.benchquery.emoji_name_and_id`).

    Returns:
        The case ids written, sorted; fewer than ``n`` when the catalog has fewer such emoji.
    """
    chosen: dict[str, tuple[str, Source]] = {}
    for source in read_sources(catalog, split, max_tokens, sets):
        name, case_id = emoji_name_and_id(source.icon_id, source.name)
        if case_id not in chosen and fill_colors(source.svg):
            chosen[case_id] = (name, source)
    ids = sorted(chosen)
    _rng(seed, "benchmark").shuffle(ids)
    written = []
    for case_id in ids:
        if len(written) == n:
            break
        name, source = chosen[case_id]
        try:
            edits = [make_edit(task, source.svg, _rng(seed, case_id, task)) for task in TASK_FOLDERS]
        except SVGError:
            continue
        for edit in edits:
            write_case(out, edit.task, case_id, format_query(name, edit.instruction, source.svg), edit.target)
        written.append(case_id)
    return sorted(written)


def _mix(text: str) -> dict[str, float]:
    """``change_color=3,mirror=1`` → weights; tasks left out get 0."""
    try:
        pairs = [item.split("=") for item in text.split(",") if item.strip()]
        return {task.strip(): float(weight) for task, weight in pairs}
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--mix {text!r} must look like change_color=3,mirror=1") from exc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.editdata", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for command in ("build", "benchmark"):
        sub = commands.add_parser(command)
        sub.add_argument("--catalog", type=Path, required=True, help="the catalog SQLite file")
        sub.add_argument("--out", type=Path, required=True, help="the output folder (created)")
        sub.add_argument("--max-tokens", type=int, default=MAX_TOKENS, help=f"source tokens at most; {MAX_TOKENS}")
        sub.add_argument("--seed", type=int, default=0, help="seed of every choice; default 0")
    build_args, bench_args = commands.choices["build"], commands.choices["benchmark"]
    default_mix = ",".join(f"{t}={w:g}" for t, w in DEFAULT_MIX.items())
    build_args.add_argument("--mix", type=_mix, default=DEFAULT_MIX, help=f"task weights; default {default_mix}")
    build_args.add_argument(
        "--per-icon", type=int, default=PER_ICON, help=f"cases per icon, distinct tasks; default {PER_ICON}"
    )
    build_args.add_argument("--sets", help="comma-separated set prefixes; default every colored set but twemoji")
    bench_args.add_argument("--n", type=int, default=100, help="emoji, each in all six tasks; default 100")
    bench_args.add_argument("--split", default="test", choices=SPLITS, help="catalog split; default test")
    bench_args.add_argument("--sets", default=",".join(EMOJI_SETS), help=f"default {','.join(EMOJI_SETS)}")
    args = parser.parse_args(argv)
    sets = tuple(s.strip() for s in args.sets.split(",")) if args.sets else None
    if args.command == "build":
        manifest = build(args.catalog, args.out, args.mix, args.per_icon, args.max_tokens, sets, args.seed)
        print(json.dumps({"cases": manifest["cases"], "by_task": manifest["by_task"]}))
    else:
        ids = write_benchmark(args.catalog, args.out, args.n, args.split, sets, args.max_tokens, args.seed)
        print(json.dumps({"out": str(args.out), "ids": len(ids)}))


if __name__ == "__main__":
    main()
