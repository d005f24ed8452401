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


def load_model(
    base: str | Path, adapter: str | Path | None = None, device: str = "cpu", dtype: torch.dtype = torch.float32
) -> tuple[torch.nn.Module, VocabLayout]:
    """``(model, vocab)`` for sampling: the base, with the adapter merged into it when one is given."""
    if adapter is None:
        return load_checkpoint(base, device, dtype)
    from peft import PeftModel

    info = read_adapter_info(adapter)
    if info["base_kind"] == "hf":
        from transformers import AutoModelForCausalLM

        vocab: VocabLayout = HFVocab.load(Path(adapter))
        model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype)
        model.resize_token_embeddings(vocab.padded_size)
    else:
        model, vocab = load_checkpoint(base, "cpu", dtype)
    model = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    return model.to(device).eval(), vocab
