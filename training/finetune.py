"""LoRA fine-tuning (peft) of svglm or of any Hugging Face causal LM, for a style or for instruction editing.

    python -m training.finetune --task style --data my-icons/ --out adapters/my-style
    python -m training.finetune --task edit --data data/edits/train.jsonl --out models/svglm-edit
    python -m training.finetune prepare --data data/edits/train.jsonl --out data/edits/train.npz.xz

``--task style`` adapts the model to a folder of SVGs: each file is a training icon, captioned by its file
name (``rounded-bell.svg`` → "rounded bell"); files that cannot be used are skipped and listed. ``--task
edit`` trains on edit cases (``training.editdata``): ``instruction``, ``source`` and ``target`` SVGs, as
JSONL or pre-tokenized by ``prepare`` (``.npz``, or ``.npz.xz``, the smallest to carry to a GPU). Loss is on
the program the model must write, never on the prompt or the source.

The base is ``models/svglm-base`` by default; a plain Hugging Face checkpoint is first extended with
svgtok's tokens (``svglm.hmn.extend_pretrained``, HMN init) and the new embedding rows train with the
adapter. The adapter is saved every ``--save-every`` steps and at the end; run the same command again to
resume an interrupted run. ``svglm`` loads base + adapter (``SVGGenerator.from_pretrained(base,
adapter=...)``, ``SVGEditor``), and ``--merge-to`` also writes a merged svglm checkpoint.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import itertools
import json
import lzma
import math
import os
import random
import re
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from svglm.adapter import ADAPTER_INFO
from svglm.edit import edit_sequence
from svglm.errors import SVGLMError
from svglm.hfvocab import HFVocab
from svglm.model import load_checkpoint, save_checkpoint
from svglm.vocab import VocabLayout
from svgtok.errors import SVGError
from svgtok.tokenizer import SVGTokenizer
from training.schedule import warmup_cosine

STATE_FILE = "trainer_state.pt"
PROMPT_DROP = 0.1
LR_FLOOR = 0.1  # the cosine ends at this share of the peak rate


@dataclass
class FinetuneConfig:
    task: str = "edit"
    data: str = ""
    out: str = ""
    base: str = "models/svglm-base"
    steps: int = 1000
    max_minutes: float = 0.0  # stop early (and save) after this many minutes; 0 = no limit
    batch_size: int = 32
    lr: float = 1e-3
    warmup_steps: int = 50
    rank: int = 32
    alpha: int = 64
    dropout: float = 0.05
    val_fraction: float = 0.02
    eval_every: int = 200
    save_every: int = 200
    max_cases: int = 0  # use at most this many training cases (0 = all)
    merge_to: str = ""
    device: str = "auto"
    seed: int = 0


@dataclass
class Example:
    """One training sequence; the loss covers ``ids[start:]``."""

    ids: list[int]
    start: int
    kind: str = ""


@dataclass
class Examples:
    items: list[Example] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# ---- data ----------------------------------------------------------------------------------------------


def caption_from_filename(path: Path) -> str:
    """``rounded-bell.svg`` → ``rounded bell``; ``HomeOutline_24.svg`` → ``home outline``."""
    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", path.stem)
    words = re.sub(r"[\W_]+|\d+", " ", words)
    return " ".join(words.lower().split())


def style_examples(folder: Path, vocab: VocabLayout, context: int, seed: int) -> Examples:
    """One example per usable ``*.svg`` under ``folder``; every unusable file is listed with the reason."""
    if not folder.is_dir():
        raise SVGLMError(f"{folder} is not a folder of SVG files")
    files = sorted(folder.rglob("*.svg"))
    if not files:
        raise SVGLMError(f"{folder} holds no .svg files")
    rng = random.Random(seed)
    out = Examples()
    for path in files:
        try:
            ids = vocab.svg.encode(path.read_bytes()).ids
        except (SVGError, OSError) as error:
            out.skipped.append(f"{path}: {error}")
            continue
        program = [*vocab.to_model(ids).tolist(), vocab.eos]
        prompt = vocab.encode_prompt(caption_from_filename(path))
        if len(prompt) + len(program) > context:
            out.skipped.append(f"{path}: {len(ids)} tokens, longer than the model's context ({context})")
            continue
        out.items.append(Example([*prompt, *program], len(prompt) + 1, "style"))
        if rng.random() < PROMPT_DROP:  # some unconditional copies, so classifier-free guidance still works
            out.items.append(Example([vocab.bos, *program], 2, "style"))
    return out


@dataclass
class EditCases:
    """Edit cases with both drawings as svgtok ids (model-independent, so one file serves any base)."""

    tasks: list[str]
    instructions: list[str]
    sources: list[list[int]]
    targets: list[list[int]]
    skipped: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.tasks)

    @classmethod
    def from_jsonl(cls, path: Path, tokenizer: SVGTokenizer) -> EditCases:
        cases = cls([], [], [], [])
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    case = json.loads(line)
                    source = tokenizer.encode(case["source"]).ids
                    target = tokenizer.encode(case["target"]).ids
                except (json.JSONDecodeError, KeyError, TypeError, SVGError) as error:
                    cases.skipped.append(f"{path}:{number}: {type(error).__name__}: {error}")
                    continue
                cases.tasks.append(case.get("task", "edit"))
                cases.instructions.append(case["instruction"])
                cases.sources.append(source)
                cases.targets.append(target)
        return cases

    def save(self, path: Path) -> None:
        """An ``.npz`` of ids as uint16, each source followed by its target (so they compress together):
        zip-compressed, or for a name ending ``.xz`` stored whole under xz (about a third smaller)."""
        flat, lengths = [], []
        for source, target in zip(self.sources, self.targets, strict=True):
            flat += source + target
            lengths += [len(source), len(target)]
        meta = json.dumps({"tasks": self.tasks, "instructions": self.instructions})
        arrays = {"ids": np.asarray(flat, np.uint16), "lengths": np.asarray(lengths, np.int32), "meta": np.array(meta)}
        if path.name.endswith(".xz"):
            buffer = io.BytesIO()
            np.savez(buffer, **arrays)
            path.write_bytes(lzma.compress(buffer.getvalue(), preset=9 | lzma.PRESET_EXTREME))
        else:
            np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> EditCases:
        source = io.BytesIO(lzma.decompress(path.read_bytes())) if path.name.endswith(".xz") else path
        with np.load(source) as data:  # each data[key] reads and inflates the array again: read each once
            ids, lengths, meta = data["ids"], data["lengths"], json.loads(str(data["meta"]))
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        pieces = [ids[a:b].tolist() for a, b in itertools.pairwise(bounds)]
        return cls(meta["tasks"], meta["instructions"], pieces[0::2], pieces[1::2])


def read_edit_cases(path: Path, tokenizer: SVGTokenizer) -> EditCases:
    if not path.exists():
        raise SVGLMError(f"no edit data at {path}; make it with python -m training.editdata build")
    if path.name.endswith((".npz", ".npz.xz")):
        return EditCases.load(path)
    return EditCases.from_jsonl(path, tokenizer)


def edit_examples(cases: EditCases, vocab: VocabLayout, context: int) -> Examples:
    out = Examples(skipped=list(cases.skipped))
    for i in range(len(cases)):
        sequence = edit_sequence(vocab, cases.instructions[i], cases.sources[i], cases.targets[i])
        if len(sequence) > context:
            out.skipped.append(f"case {i} ({cases.tasks[i]}): {len(sequence)} tokens, over the context ({context})")
            continue
        start = len(sequence) - len(cases.targets[i])  # the target's tokens after <svg>, then <eos>
        out.items.append(Example(sequence, start, cases.tasks[i]))
    return out


def batches(examples: list[Example], batch_size: int, rng: random.Random) -> list[list[Example]]:
    """An epoch of batches of similar lengths (little padding), in random order."""
    order = examples[:]
    rng.shuffle(order)
    window = batch_size * 32
    out = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda e: len(e.ids))
        out += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return out


def collate(batch: list[Example], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded ids and labels (−100 where no loss is taken).

    No attention mask: under causal attention a token never sees the padding to its right, so the mask would
    change nothing the loss reads, and leaving it out lets SDPA use its fused causal kernels.
    """
    width = max(len(e.ids) for e in batch)
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    labels = torch.full_like(ids, -100)
    for row, example in enumerate(batch):
        n = len(example.ids)
        ids[row, :n] = torch.tensor(example.ids)
        labels[row, example.start : n] = ids[row, example.start : n]
    return ids, labels


# ---- model ---------------------------------------------------------------------------------------------


def load_base(base: str) -> tuple[torch.nn.Module, VocabLayout, str]:
    """``(model, vocab, kind)``: an svglm checkpoint, or any HF causal LM extended with svgtok's tokens."""
    path = Path(base)
    if (path / "vocab.json").exists():
        model, vocab = load_checkpoint(path)
        return model, vocab, "svglm"
    if not (path / "config.json").exists():
        raise SVGLMError(f"{base} is not a model folder (no config.json)")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from svglm.hmn import extend_pretrained

    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    text = AutoTokenizer.from_pretrained(path)
    svg = SVGTokenizer.from_pretrained()
    mapping = extend_pretrained(model, text, svg)
    return model, HFVocab(svg, text, mapping, model.get_input_embeddings().weight.shape[0]), "hf"


def attach_lora(model, vocab: VocabLayout, kind: str, cfg: FinetuneConfig):
    from peft import LoraConfig, get_peft_model

    extra = {"trainable_token_indices": list(range(vocab.svg_offset, vocab.size))} if kind == "hf" else {}
    config = LoraConfig(
        r=cfg.rank,
        lora_alpha=cfg.alpha,
        lora_dropout=cfg.dropout,
        target_modules="all-linear",
        task_type="CAUSAL_LM",
        **extra,
    )
    return get_peft_model(model, config)


def masked_loss(model, ids: torch.Tensor, labels: torch.Tensor, bf16: bool) -> torch.Tensor:
    """Mean cross-entropy over the labelled tokens. Logits are computed only from the first position that
    predicts a label onwards (``logits_to_keep``): the prompt and source, often half the sequence, cost no
    vocabulary projection."""
    first = int((labels != -100).int().argmax(dim=1).min()) - 1  # every row has a label
    keep = ids.shape[1] - first
    with torch.autocast(ids.device.type, dtype=torch.bfloat16, enabled=bf16):
        logits = model(input_ids=ids, logits_to_keep=keep).logits
    targets = labels[:, first + 1 :]
    return F.cross_entropy(logits[:, :-1].float().reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100)


@torch.no_grad()
def evaluate(model, val: list[Example], pad: int, device: str, bf16: bool) -> float:
    model.eval()
    losses = [
        masked_loss(model, *(t.to(device) for t in collate(val[i : i + 16], pad)), bf16).item()
        for i in range(0, len(val), 16)
    ]
    model.train()
    return float(np.mean(losses)) if losses else float("nan")


def finite(value: float) -> float | None:
    """``value`` rounded for a JSON report, or None when there was nothing to measure (NaN)."""
    return None if math.isnan(value) else round(value, 4)


def lr_at(step: int, seconds: float, cfg: FinetuneConfig) -> float:
    """Warmup, then cosine to 10% over the run: its steps, or its minutes when those run out first."""
    progress = (step - cfg.warmup_steps) / max(1, cfg.steps - cfg.warmup_steps)
    if cfg.max_minutes:
        progress = max(progress, seconds / (cfg.max_minutes * 60))
    return warmup_cosine(step, cfg.warmup_steps, progress, cfg.lr, LR_FLOOR)


def save_adapter(
    model, vocab: VocabLayout, kind: str, cfg: FinetuneConfig, directory: Path, summary: dict, state: dict | None = None
) -> None:
    """Write the adapter (an HF base's extended tokenizer too, and the trainer state when given) into
    ``directory``: everything is written aside first, then moved in file by file, so a kill mid-save leaves
    the previous files whole."""
    staging = directory / ".saving"
    shutil.rmtree(staging, ignore_errors=True)
    model.save_pretrained(staging)
    if isinstance(vocab, HFVocab):
        vocab.save(staging)
    info = {"task": cfg.task, "base": cfg.base, "base_kind": kind, "config": asdict(cfg), **summary}
    (staging / ADAPTER_INFO).write_text(json.dumps(info, indent=1))
    if state is not None:
        torch.save(state, staging / STATE_FILE)
    for path in staging.iterdir():
        os.replace(path, directory / path.name)
    staging.rmdir()


# ---- the run -------------------------------------------------------------------------------------------


def load_examples(cfg: FinetuneConfig, vocab: VocabLayout, context: int) -> Examples:
    if cfg.task == "style":
        return style_examples(Path(cfg.data), vocab, context, cfg.seed)
    return edit_examples(read_edit_cases(Path(cfg.data), vocab.svg), vocab, context)


def split_val(examples: list[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    order = examples[:]
    random.Random(seed).shuffle(order)
    n_val = min(256, int(len(order) * fraction)) if len(order) >= 20 else 0
    return order[n_val:], order[:n_val]


def finetune(cfg: FinetuneConfig) -> dict:
    device = ("cuda" if torch.cuda.is_available() else "cpu") if cfg.device == "auto" else cfg.device
    bf16 = device.startswith("cuda")
    torch.manual_seed(cfg.seed)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    model, vocab, kind = load_base(cfg.base)
    context = model.config.max_position_embeddings
    examples = load_examples(cfg, vocab, context)
    if examples.skipped:
        (out / "skipped.txt").write_text("\n".join(examples.skipped) + "\n")
        print(f"skipped {len(examples.skipped)} unusable inputs (listed in {out / 'skipped.txt'})")
    if not examples.items:
        raise SVGLMError(f"nothing to train on in {cfg.data}: every input was skipped (see {out / 'skipped.txt'})")
    train, val = split_val(examples.items, cfg.val_fraction, cfg.seed)
    if cfg.max_cases:
        train = train[: cfg.max_cases]
    print(f"{kind} base {cfg.base}: {len(train)} training and {len(val)} validation sequences, device {device}")
    model = attach_lora(model, vocab, kind, cfg).to(device)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=cfg.lr, weight_decay=0.0)
    rng = random.Random(cfg.seed)
    step = 0
    checkpoint = out / "checkpoint"
    if (checkpoint / STATE_FILE).exists():
        from peft import set_peft_model_state_dict
        from safetensors.torch import load_file

        set_peft_model_state_dict(model, load_file(str(checkpoint / "adapter_model.safetensors"), device=device))
        state = torch.load(checkpoint / STATE_FILE, weights_only=False)
        opt.load_state_dict(state["optimizer"])
        step, rng = state["step"], state["rng"]
        print(f"resuming from step {step} ({checkpoint})")
    log_path = out / "log.csv"
    new_log = not log_path.exists() or step == 0
    log = log_path.open("w" if new_log else "a", newline="")
    writer = csv.writer(log)
    if new_log:
        writer.writerow(["step", "lr", "train_loss", "val_loss", "seconds"])
    start = time.perf_counter()
    queue: list[list[Example]] = []
    losses: list[float] = []
    val_loss = float("nan")
    bar = tqdm(
        total=cfg.steps, initial=step, desc=f"finetune {cfg.task}", unit="step", disable=None
    )  # off without a terminal

    def save(directory: Path, state: dict | None = None) -> None:
        summary = {"step": step, "val_loss": finite(val_loss), "train_sequences": len(train), "val_sequences": len(val)}
        save_adapter(model, vocab, kind, cfg, directory, summary, state)

    while step < cfg.steps:
        if not queue:
            queue = batches(train, cfg.batch_size, rng)
        ids, labels = (t.to(device) for t in collate(queue.pop(), vocab.pad))
        lr = lr_at(step, time.perf_counter() - start, cfg)
        for group in opt.param_groups:
            group["lr"] = lr
        loss = masked_loss(model, ids, labels, bf16)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
        step += 1
        bar.update(1)
        bar.set_postfix(loss=f"{np.mean(losses[-20:]):.3f}")
        out_of_time = cfg.max_minutes and time.perf_counter() - start > cfg.max_minutes * 60
        if step % cfg.eval_every == 0 or step == cfg.steps or out_of_time:
            val_loss = evaluate(model, val, vocab.pad, device, bf16)
            seconds = time.perf_counter() - start
            writer.writerow([step, f"{lr:.6f}", f"{np.mean(losses[-50:]):.4f}", f"{val_loss:.4f}", f"{seconds:.1f}"])
            log.flush()
            tqdm.write(f"step {step} train {np.mean(losses[-50:]):.4f} val {val_loss:.4f} {seconds:.0f}s")
        if step % cfg.save_every == 0 or out_of_time:
            save(checkpoint, {"optimizer": opt.state_dict(), "step": step, "rng": rng})
        if out_of_time:
            print(f"stopping after {cfg.max_minutes} minutes at step {step}")
            break
    bar.close()
    log.close()
    save(out)
    metrics = {
        "task": cfg.task,
        "base_kind": kind,
        "steps": step,
        "train_sequences": len(train),
        "val_sequences": len(val),
        "skipped": len(examples.skipped),
        "val_loss": finite(val_loss),
        "seconds": round(time.perf_counter() - start, 1),
        "trainable_parameters": sum(p.numel() for p in trainable),
    }
    if cfg.merge_to:
        if kind != "svglm":
            raise SVGLMError("--merge-to writes svglm checkpoints; load an HF base with its adapter instead")
        save_checkpoint(model.merge_and_unload().float(), vocab, cfg.merge_to)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    print(json.dumps(metrics))
    return metrics


def prepare(data: Path, out: Path) -> None:
    """Tokenize edit cases once (``.jsonl`` → ``.npz`` or ``.npz.xz``), e.g. before carrying them to a GPU."""
    cases = read_edit_cases(data, SVGTokenizer.from_pretrained())
    cases.save(out)
    print(f"{len(cases)} cases ({len(cases.skipped)} skipped) → {out}: {out.stat().st_size:,} bytes")


def parse_args(argv: list[str] | None = None) -> FinetuneConfig | tuple[Path, Path]:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["prepare"]:
        p = argparse.ArgumentParser(prog="python -m training.finetune prepare", description=prepare.__doc__)
        p.add_argument("--data", type=Path, required=True, help="edit cases (.jsonl or .jsonl.gz)")
        p.add_argument("--out", type=Path, required=True, help="the .npz (or smaller .npz.xz) to write")
        args = p.parse_args(argv[1:])
        return args.data, args.out
    defaults = FinetuneConfig()
    p = argparse.ArgumentParser(prog="python -m training.finetune", description=__doc__.split("\n\n")[0])
    p.add_argument("--task", choices=["style", "edit"], required=True)
    p.add_argument(
        "--data", required=True, help="style: a folder of SVGs; edit: edit cases (.jsonl[.gz], .npz or .npz.xz)"
    )
    p.add_argument("--out", required=True, help="the adapter folder to write (and resume from)")
    for name, value in asdict(defaults).items():
        if name not in ("task", "data", "out"):
            p.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value, help=f"(default {value})")
    return FinetuneConfig(**vars(p.parse_args(argv)))


def main(argv: list[str] | None = None) -> None:
    parsed = parse_args(argv)
    try:
        if isinstance(parsed, tuple):
            prepare(*parsed)
        else:
            finetune(parsed)
    except SVGLMError as error:
        raise SystemExit(f"error: {error}") from None


if __name__ == "__main__":
    main()
