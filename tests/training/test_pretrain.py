"""Pretraining data and a tiny end-to-end run on the CPU, from the committed fixture bundle."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch
from tokenizers import Tokenizer

from svglm.generate import SVGGenerator
from svglm.vocab import BOS, EOS, SVGLMVocab
from svgtok.tokenizer import SVGTokenizer
from training.catalog import FIXTURE_CATALOG
from training.lmdata import (
    Packer,
    curriculum_cap,
    drop_caption_parts,
    expansion_table,
    load_programs,
    open_bundle,
    to_atomic,
)
from training.pretrain import caption_separator, check_same_vocabulary, opening_weights
from training.pretrain import main as pretrain

BUNDLE = FIXTURE_CATALOG.parent / "bundle.tar.xz"
TINY = "--no-compile --device cpu --fp32 --hidden 32 --layers 1 --heads 2 --intermediate 64 --context 128"
TINY += " --batch-size 4 --eval-icons 4 --eval-every 50"


@pytest.fixture(scope="module")
def vocab() -> SVGLMVocab:
    shards = open_bundle(BUNDLE)
    return SVGLMVocab(SVGTokenizer.from_pretrained(shards), Tokenizer.from_file(str(shards / "prompt_tokenizer.json")))


def test_atomic_expansion_matches_the_tokenizer(vocab):
    shards = open_bundle(BUNDLE)
    ids, offsets = np.load(shards / "train_ids.npy").astype(np.int64), np.load(shards / "train_offsets.npy")
    atomic, atomic_offsets = to_atomic(ids, offsets, expansion_table(vocab.svg))
    for i in range(0, len(offsets) - 1, 17):
        expected = vocab.svg.segments.expand(ids[offsets[i] : offsets[i + 1]].tolist())
        assert atomic[atomic_offsets[i] : atomic_offsets[i + 1]].tolist() == expected


def test_packed_batches_hold_whole_sequences(vocab):
    programs = load_programs(open_bundle(BUNDLE), "train", vocab, atomic=False)
    packer = Packer(programs, batch_size=3, context=64, prompt_drop=0.0, seed=0)
    batch = packer.batch(cap=60)
    assert batch.shape == (3, 65) and batch[0, 0] == BOS
    assert (batch == EOS).sum() > 0 and (batch >= vocab.svg_offset).sum() > 0
    assert curriculum_cap(0, 100, 0.5, 48, 1000) == 48 and curriculum_cap(60, 100, 0.5, 48, 1000) == 1000


def test_caption_parts_after_the_name_are_dropped_independently(vocab):
    separator = caption_separator(vocab)
    caption = np.asarray(vocab.encode_text("home outline; house; buildings; Material Design Icons; mono"))
    parts = [p.strip() for p in vocab.prompt.decode((caption - vocab.prompt_offset).tolist()).split(";")]
    rng = np.random.default_rng(0)
    assert drop_caption_parts(caption, separator, 0.0, rng).tolist() == caption.tolist()
    assert drop_caption_parts(caption, separator, 1.0, rng).tolist() == vocab.encode_text("home outline")
    kept = np.zeros(len(parts))
    for _ in range(2000):
        text = vocab.prompt.decode((drop_caption_parts(caption, separator, 0.3, rng) - vocab.prompt_offset).tolist())
        words = [w.strip() for w in text.split(";")]
        assert words[0] == parts[0] and words == [p for p in parts if p in words]  # the name first, order kept
        kept += [p in words for p in parts]
    assert kept[0] == 2000 and np.allclose(kept[1:] / 2000, 0.7, atol=0.04)


def test_packer_drops_caption_parts_only_when_asked(vocab):
    programs = load_programs(open_bundle(BUNDLE), "train", vocab, atomic=False)
    separator = caption_separator(vocab)
    full = Packer(programs, 8, 256, 0.0, seed=0, separator=separator, part_drop=0.0).batch()
    bare = Packer(programs, 8, 256, 0.0, seed=0, separator=separator, part_drop=1.0).batch()
    assert (full == separator).sum() > 0 and (bare == separator).sum() == 0
    assert (bare == BOS).sum() >= (full == BOS).sum()  # shorter prompts: at least as many sequences per batch


def test_tiny_two_stage_run_end_to_end(tmp_path):
    args = f"--bundle {BUNDLE} --out {tmp_path} --stage1-steps 2 --stage2-steps 2 --ablation-steps 1 {TINY}"
    args += " --caption-part-drop 0.5"
    metrics = pretrain(args.split())
    assert {"atomic_val_loss", "segments_val_loss", "bits_per_icon", "caption_gap_bits"} <= metrics.keys()
    assert set(metrics["ablation_val_loss"]) == {"hmn", "random"}
    assert json.loads((tmp_path / "metrics.json").read_text()) == metrics
    log = (tmp_path / "log.csv").read_text().splitlines()
    assert log[0].startswith("stage,step") and any(line.startswith("segments,") for line in log)
    assert (tmp_path / "loss.png").stat().st_size > 0
    sample = SVGGenerator.from_pretrained(tmp_path / "model").generate("home", n=1, max_tokens=24).samples[0]
    assert sample.svg.startswith("<svg") and sample.svg.endswith("</svg>")


def test_two_processes_train_one_model_data_parallel(tmp_path):
    """torchrun with two CPU ranks (gloo): each step averages both ranks' batches; only rank 0 writes."""
    args = f"--bundle {BUNDLE} --out {tmp_path} --stage1-steps 3 --stage2-steps 3 {TINY}"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2"]
    result = subprocess.run(
        [*command, "-m", "training.pretrain", *args.split()], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["gpus"] == 2 and metrics["atomic_steps"] == 3 and metrics["segments_steps"] == 3
    assert metrics["train_tokens_seen"] == 2 * 6 * 4 * 129  # ranks × steps × rows × (context + 1)
    log = (tmp_path / "log.csv").read_text().splitlines()
    assert sum(line.startswith("stage,") for line in log) == 1
    sample = SVGGenerator.from_pretrained(tmp_path / "model").generate("home", n=1, max_tokens=24).samples[0]
    assert sample.svg.startswith("<svg") and sample.svg.endswith("</svg>")


def test_opening_weights_cover_the_first_tokens_after_each_svg():
    svg = 9
    x = torch.tensor(
        [
            [BOS, 5, svg, 20, 21, 22, EOS, BOS, 6, svg, 30, 31, 32],
            [40, 41, EOS, BOS, 7, svg, 50, 51, 52, 53, 54, 55, 56],
        ]
    )
    weights = opening_weights(x, svg, tokens=2, weight=4.0)
    assert weights.shape == (2, 12)  # one per target x[:, 1:]
    expected = torch.ones(2, 13)
    expected[0, [3, 4, 10, 11]] = 4.0  # two tokens after each <svg>, the <svg> itself not
    expected[1, [6, 7]] = 4.0  # the row's first tokens continue a program cut off above: weight 1
    assert torch.equal(weights, expected[:, 1:])


def test_a_checkpoint_trains_further_with_openings_weighted(tmp_path):
    """--init-from: stage 2 only, from the checkpoint's own weights and size; it must read the bundle's tokens."""
    first = pretrain(f"--bundle {BUNDLE} --out {tmp_path / 'a'} --stage1-steps 2 --stage2-steps 2 {TINY}".split())
    args = f"--bundle {BUNDLE} --out {tmp_path / 'b'} --init-from {tmp_path / 'a' / 'model'} --stage2-steps 2"
    args += f" {TINY} --hidden 48 --opening-tokens 16 --opening-weight 4"  # the checkpoint's size wins over --hidden
    metrics = pretrain(args.split())
    assert "atomic_steps" not in metrics and metrics["segments_steps"] == 2
    assert metrics["parameters"] == first["parameters"]
    gen = SVGGenerator.from_pretrained(tmp_path / "b" / "model")
    assert gen.generate("home", n=1, max_tokens=24).samples[0].svg.endswith("</svg>")


def test_a_checkpoint_in_another_prompt_vocabulary_is_refused(vocab):
    other = Tokenizer.from_str(vocab.prompt.to_str())
    other.add_tokens(["gearwheel"])
    with pytest.raises(ValueError, match="--prompt-vocabulary"):
        check_same_vocabulary(SVGLMVocab(vocab.svg, other), vocab)
    check_same_vocabulary(vocab, vocab)
