"""Load a base model with a LoRA adapter (peft), merged for fast sampling.

An adapter folder is what ``training.finetune`` writes: peft's ``adapter_config.json`` and
``adapter_model.safetensors``, plus ``svglm_adapter.json`` (the task, the base it was trained on, and the
base's kind). A base that is a plain Hugging Face causal LM was extended with svgtok's tokens before
fine-tuning; its extended tokenizer is in the adapter folder, and the new embedding rows are in the adapter.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

from svglm.errors import SVGLMError
from svglm.hfvocab import HFVocab
from svglm.model import load_checkpoint
from svglm.vocab import VocabLayout

ADAPTER_INFO = "svglm_adapter.json"


def read_adapter_info(adapter: str | Path) -> dict:
    """The adapter's ``svglm_adapter.json``; raises :class:`SVGLMError` when the folder is not an adapter."""
    path = Path(adapter) / ADAPTER_INFO
    if not path.exists():
        raise SVGLMError(f"no adapter at {adapter} (no {ADAPTER_INFO}); train one with python -m training.finetune")
    return json.loads(path.read_text())


def sampling_dtype(device: str) -> torch.dtype:
    """bf16 where ``device`` multiplies it natively (a GPU, or a CPU with AVX-512 BF16 or AMX), else fp32.

    Sampling a small model reads every weight for each token, so halving the bytes nearly halves the time
    (1.6× the tokens per second on this project's 2-core CPU); validation bits per icon match fp32 to 0.05%.
    """
    if device.startswith("cuda"):
        native = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    else:
        mkldnn = torch.backends.mkldnn.is_available()
        native = device == "cpu" and mkldnn and torch.ops.mkldnn._is_mkldnn_bf16_supported()
    return torch.bfloat16 if native else torch.float32


def load_model(
    base: str | Path, adapter: str | Path | None = None, device: str = "cpu", dtype: torch.dtype | None = None
) -> tuple[torch.nn.Module, VocabLayout]:
    """``(model, vocab)`` for sampling: the base, with the adapter merged into it when one is given.

    ``dtype`` None picks :func:`sampling_dtype`; an adapter is merged in fp32 before the cast.
    """
    dtype = dtype or sampling_dtype(device)
    if adapter is None:
        return load_checkpoint(base, device, dtype)
    from peft import PeftModel

    info = read_adapter_info(adapter)
    if info["base_kind"] == "hf":
        from transformers import AutoModelForCausalLM

        vocab: VocabLayout = HFVocab.load(Path(adapter))
        model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
        model.resize_token_embeddings(vocab.padded_size)
    else:
        model, vocab = load_checkpoint(base, "cpu", torch.float32)
    model = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    return model.to(device, dtype).eval(), vocab
