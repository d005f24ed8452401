"""Load a base model with a LoRA adapter (peft), merged for fast sampling.

An adapter folder is what ``training.finetune`` writes: peft's ``adapter_config.json`` and
``adapter_model.safetensors``, plus ``svglm_adapter.json`` (the task, the base it was trained on, and the
base's kind). A base that is a plain Hugging Face causal LM was extended with svgtok's tokens before
fine-tuning; its extended tokenizer is in the adapter folder, and the new embedding rows are in the adapter.
"""

from __future__ import annotations

import json
import warnings
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


def packs_fp16_weights(device: str, dtype: torch.dtype) -> bool:
    """True where fp32 sampling on ``device`` runs faster with fp16 weights: a CPU whose quantized engine
    (fbgemm, AVX2 or better) has fp16-weight matrix kernels."""
    return (
        device == "cpu"
        and dtype == torch.float32
        and torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512")
        and "fbgemm" in torch.backends.quantized.supported_engines
    )


def pack_fp16_weights(model: torch.nn.Module) -> torch.nn.Module:
    """Every ``nn.Linear`` of ``model`` (in place) as fbgemm's linear with fp16 weights and fp32 arithmetic.

    On a CPU without native bf16 this is what halves the bytes read per token instead: 1.6–1.8× faster
    decoding steps on the project's AVX2 machine, and the same bits per icon as fp32 (the shipped weights
    are int8 with fp16 scales, which fp16 holds almost exactly). docs/RESULTS.md has the figures.
    """
    with warnings.catch_warnings():  # torch.ao.quantization warns that torchao will replace it
        warnings.simplefilter("ignore", DeprecationWarning)
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.float16, inplace=True)


def load_model(
    base: str | Path, adapter: str | Path | None = None, device: str = "cpu", dtype: torch.dtype | None = None
) -> tuple[torch.nn.Module, VocabLayout]:
    """``(model, vocab)`` for sampling: the base, with the adapter merged into it when one is given.

    ``dtype`` None picks :func:`sampling_dtype`, and on a CPU that leaves at fp32, fp16 weights where they
    are faster (:func:`pack_fp16_weights`); an adapter is merged in fp32 before the cast.
    """
    model, vocab = _load_merged(base, adapter, device, dtype or sampling_dtype(device))
    if dtype is None and packs_fp16_weights(device, model.dtype):
        model = pack_fp16_weights(model)
    return model, vocab


def _load_merged(
    base: str | Path, adapter: str | Path | None, device: str, dtype: torch.dtype
) -> tuple[torch.nn.Module, VocabLayout]:
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
