"""Training shards and the GPU bundle: everything pretraining reads, in one compressed file.

For each split, four arrays (``np.save`` files, so byte-identical for the same input):
``{split}_ids`` (uint16 svgtok ids of every program, concatenated), ``{split}_offsets`` (int64, N + 1),
``{split}_prompt_ids`` / ``{split}_prompt_offsets`` (the captions in the prompt vocabulary), and
``{split}_icons.json`` (the catalog ids, in the same order). Beside them: the svgtok tokenizer, the prompt
tokenizer trained on the training captions, and ``manifest.json`` (counts, token totals, the SHA-256 of
every part, the tokenizer's hash). ``bundle.tar.xz`` packs the folder with fixed metadata.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

from svgtok.tokenizer import SVGTokenizer
from training.catalog import CatalogIcon

SPLITS = ("train", "val", "test")
PROMPT_VOCAB_SIZE = 4096
PROMPT_SPECIALS = ("<unk>",)


def train_prompt_tokenizer(captions: list[str], vocab_size: int = PROMPT_VOCAB_SIZE) -> Tokenizer:
    """A lowercase BPE over caption words, the prompt vocabulary the model reads."""
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace()])
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=2, special_tokens=list(PROMPT_SPECIALS), show_progress=False
    )
    tokenizer.train_from_iterator(captions, trainer=trainer)
    return tokenizer


def _ragged(chunks: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(chunks) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(c) for c in chunks])
    flat = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.uint16)
    return flat.astype(np.uint16), offsets


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def write_bundle(
    out: Path,
    icons: list[CatalogIcon],
    blobs: list[bytes],
    tokenizer: SVGTokenizer,
    prompt_tokenizer: Tokenizer | None = None,
) -> dict:
    """Write ``out/shards/`` and ``out/bundle.tar.xz``; returns the manifest.

    Args:
        out: the build folder.
        icons: every catalog row, in catalog order.
        blobs: each row's svgtok ids as uint16 bytes (empty when it has none), aligned with ``icons``.
        tokenizer: the svgtok tokenizer the ids are in.
        prompt_tokenizer: the prompt vocabulary to encode captions in (e.g. a trained model's, to train it
            further); None trains one on the train captions.
    """
    if tokenizer.vocab_size > np.iinfo(np.uint16).max:
        raise ValueError(f"vocab_size {tokenizer.vocab_size} does not fit uint16 shards")
    if prompt_tokenizer is None:
        prompt_tokenizer = train_prompt_tokenizer([i.caption for i in icons if i.trainable and i.split == "train"])
    parts: dict[str, bytes] = {
        "tokenizer.json": tokenizer.to_str().encode(),
        "prompt_tokenizer.json": prompt_tokenizer.to_str().encode(),
    }
    splits = {}
    for split in SPLITS:
        chosen = [
            (icon, blob) for icon, blob in zip(icons, blobs, strict=True) if icon.trainable and icon.split == split
        ]
        programs = [np.frombuffer(blob, dtype=np.uint16) for _, blob in chosen]
        encoded = prompt_tokenizer.encode_batch([icon.caption for icon, _ in chosen])
        prompts = [np.asarray(e.ids, dtype=np.uint16) for e in encoded]
        ids, offsets = _ragged(programs)
        prompt_ids, prompt_offsets = _ragged(prompts)
        parts[f"{split}_ids.npy"] = _npy(ids)
        parts[f"{split}_offsets.npy"] = _npy(offsets)
        parts[f"{split}_prompt_ids.npy"] = _npy(prompt_ids)
        parts[f"{split}_prompt_offsets.npy"] = _npy(prompt_offsets)
        parts[f"{split}_icons.json"] = json.dumps([icon.id for icon, _ in chosen]).encode()
        splits[split] = {"icons": len(chosen), "tokens": len(ids), "prompt_tokens": len(prompt_ids)}
    manifest = {
        "splits": splits,
        "vocab_size": tokenizer.vocab_size,
        "prompt_vocab_size": prompt_tokenizer.get_vocab_size(),
        "tokenizer_sha256": hashlib.sha256(parts["tokenizer.json"]).hexdigest(),
        "parts": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(parts.items())},
    }
    parts["manifest.json"] = json.dumps(manifest, indent=1, sort_keys=True).encode()

    shard_dir = out / "shards"
    shard_dir.mkdir(parents=True, exist_ok=True)
    for name, data in parts.items():
        (shard_dir / name).write_bytes(data)
    tmp = out / "bundle.tar.xz.tmp"
    with tarfile.open(tmp, "w:xz", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(parts):
            info = tarfile.TarInfo(f"shards/{name}")
            info.size, info.mtime, info.mode = len(parts[name]), 0, 0o644
            tar.addfile(info, io.BytesIO(parts[name]))
    tmp.replace(out / "bundle.tar.xz")
    return manifest


def load_split(shard_dir: Path, split: str) -> dict[str, np.ndarray]:
    """The four arrays of one split, keyed ``ids``, ``offsets``, ``prompt_ids``, ``prompt_offsets``."""
    return {
        key: np.load(shard_dir / f"{split}_{key}.npy") for key in ("ids", "offsets", "prompt_ids", "prompt_offsets")
    }
