"""The model: a Llama-style decoder from ``transformers``, sized to ship in the repo.

No new transformer is written here: :func:`build_model` fills a ``LlamaConfig``. Weights are saved as
fp16 safetensors shards of at most 14 MB (so each fits the repository's 15 MiB file limit), next to the
config and the vocabulary; or, half the size, with every matrix in int8 and one fp16 scale per row
(``int8=True``; ``python -m svglm.model quantize SRC DST`` converts a checkpoint). Loading dequantizes.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import LlamaConfig, LlamaForCausalLM

from svglm.errors import SVGLMError
from svglm.vocab import BOS, EOS, PAD, SVGLMVocab

MAX_SHARD_BYTES = 14_000_000
SHARD_INDEX = "svglm_shards.json"
SCALE = "#scale"  # suffix of the per-row fp16 scales of an int8 matrix


@dataclass(frozen=True)
class ModelSize:
    """Width, depth and context of the decoder. The default is the shipped model (23.7M parameters)."""

    hidden: int = 384
    layers: int = 8
    heads: int = 6
    intermediate: int = 1024
    context: int = 1024


def build_model(vocab_size: int, size: ModelSize = ModelSize(), attention_dropout: float = 0.0) -> LlamaForCausalLM:
    """A freshly initialized decoder with tied input and output embeddings (attention dropout acts only in
    training mode).

    Example:
        >>> model = build_model(128, ModelSize(hidden=32, layers=1, heads=2, intermediate=64, context=64))
        >>> model.config.vocab_size
        128
    """
    config = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=size.hidden,
        intermediate_size=size.intermediate,
        num_hidden_layers=size.layers,
        num_attention_heads=size.heads,
        num_key_value_heads=size.heads,
        max_position_embeddings=size.context,
        attention_dropout=attention_dropout,
        tie_word_embeddings=True,
        bos_token_id=BOS,
        eos_token_id=EOS,
        pad_token_id=PAD,
        attn_implementation="sdpa",
    )
    return LlamaForCausalLM(config)


def size_of(model: LlamaForCausalLM) -> ModelSize:
    c = model.config
    return ModelSize(
        c.hidden_size, c.num_hidden_layers, c.num_attention_heads, c.intermediate_size, c.max_position_embeddings
    )


def _pack(state: dict[str, torch.Tensor]) -> list[dict[str, torch.Tensor]]:
    """Split tensors larger than a shard into row blocks (``name@k``), then fill shards greedily."""
    pieces: dict[str, torch.Tensor] = {}
    for name, tensor in state.items():
        rows_per_piece = max(1, MAX_SHARD_BYTES // max(1, tensor[0].numel() * tensor.element_size()))
        if tensor.numel() * tensor.element_size() <= MAX_SHARD_BYTES or tensor.dim() == 0:
            pieces[name] = tensor
        else:
            for k, block in enumerate(torch.split(tensor, rows_per_piece)):
                pieces[f"{name}@{k}"] = block.contiguous()
    shards: list[dict[str, torch.Tensor]] = [{}]
    used = 0
    for name, tensor in pieces.items():
        size = tensor.numel() * tensor.element_size()
        if used + size > MAX_SHARD_BYTES and shards[-1]:
            shards.append({})
            used = 0
        shards[-1][name] = tensor
        used += size
    return shards


def quantize_rows(matrix: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric int8 per row: ``matrix ≈ q * scale[:, None]``, with ``scale`` in fp16."""
    scale = (matrix.float().abs().amax(dim=1) / 127).clamp(min=1e-8).to(torch.float16)
    q = torch.round(matrix.float() / scale.float()[:, None]).clamp(-127, 127).to(torch.int8)
    return q.contiguous(), scale


def _dequantize(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """int8 matrices back to floats; every other tensor as it is."""
    out = {}
    for name, tensor in state.items():
        if name.endswith(SCALE):
            continue
        scale = state.get(name + SCALE)
        out[name] = tensor if scale is None else tensor.float() * scale.float()[:, None]
    return out


def save_checkpoint(model: LlamaForCausalLM, vocab: SVGLMVocab, directory: str | Path, int8: bool = False) -> Path:
    """Write the model as safetensors shards of at most 14 MB, its config and its vocabulary: fp16, or with
    ``int8`` every matrix as int8 with per-row fp16 scales.

    A tensor larger than a shard (the embedding) is stored as row blocks and joined again on load.
    """
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in model.state_dict().items()}
    if model.config.tie_word_embeddings:
        state.pop("lm_head.weight", None)
    if int8:
        for name in [n for n, t in state.items() if t.dim() == 2]:
            state[name], state[name + SCALE] = quantize_rows(state[name])
    shards = _pack(state)
    names = []
    for i, shard in enumerate(shards, 1):
        name = f"svglm-{i:05d}-of-{len(shards):05d}.safetensors"
        save_file(shard, str(path / name), metadata={"format": "pt"})
        names.append(name)
    (path / SHARD_INDEX).write_text(json.dumps({"shards": names}, indent=1))
    model.config.save_pretrained(path)
    vocab.save(path)
    return path


def load_checkpoint(directory: str | Path, device: str = "cpu", dtype: torch.dtype = torch.float32):
    """Load ``(model, vocab)`` from a folder written by :func:`save_checkpoint`.

    A folder with a standard Hugging Face checkpoint (``from_pretrained``) and svglm's vocabulary
    files loads too.
    """
    path = Path(directory)
    if not (path / "config.json").exists():
        raise SVGLMError(f"{path} has no config.json; point to a folder made by save_checkpoint")
    vocab = SVGLMVocab.load(path)
    if not (path / SHARD_INDEX).exists():
        model = LlamaForCausalLM.from_pretrained(path, dtype=dtype)
        return model.to(device).eval(), vocab
    model = LlamaForCausalLM(LlamaConfig.from_pretrained(path))
    blocks: dict[str, dict[int, torch.Tensor]] = {}
    state: dict[str, torch.Tensor] = {}
    for name in json.loads((path / SHARD_INDEX).read_text())["shards"]:
        for key, tensor in load_file(str(path / name)).items():
            base, _, part = key.partition("@")
            if part:
                blocks.setdefault(base, {})[int(part)] = tensor
            else:
                state[key] = tensor
    for base, parts in blocks.items():
        state[base] = torch.cat([parts[k] for k in sorted(parts)])
    missing, unexpected = model.load_state_dict(_dequantize(state), strict=False)
    if unexpected or [m for m in missing if m != "lm_head.weight"]:
        raise SVGLMError(f"{path} does not match its config: missing {missing}, unexpected {unexpected}")
    model.tie_weights()
    return model.to(device, dtype).eval(), vocab


def describe(size: ModelSize) -> dict:
    return asdict(size)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Convert an svglm checkpoint.")
    sub = parser.add_subparsers(dest="command", required=True)
    quantize = sub.add_parser("quantize", help="write SRC's weights as int8 with per-row scales into DST")
    quantize.add_argument("source", type=Path)
    quantize.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    model, vocab = load_checkpoint(args.source)
    save_checkpoint(model, vocab, args.target, int8=True)
    size = sum(f.stat().st_size for f in args.target.glob("*.safetensors"))
    print(f"{args.target}: {size / 2**20:.1f} MiB of weights")


if __name__ == "__main__":
    main()
