"""Checkpoints on disk: fp16 shards, and int8 matrices with per-row scales."""

import pytest
import torch

from svglm.adapter import pack_fp16_weights, packs_fp16_weights, sampling_dtype
from svglm.generate import SVGGenerator
from svglm.model import load_checkpoint, main, quantize_rows, save_checkpoint


def test_int8_rows_round_trip_within_half_a_step() -> None:
    matrix = torch.randn(64, 48) * torch.logspace(-3, 1, 64)[:, None]  # rows of very different ranges
    q, scale = quantize_rows(matrix)
    assert q.dtype == torch.int8 and scale.dtype == torch.float16 and q.abs().max() <= 127
    error = (q.float() * scale.float()[:, None] - matrix).abs()
    step = matrix.abs().amax(dim=1, keepdim=True) / 127
    assert (error <= step * 0.51 + 1e-3 * step).all()  # rounding, plus the fp16 scale's own rounding


@pytest.mark.parametrize("int8", [False, True])
def test_a_saved_checkpoint_loads_the_same_model(generator, vocab, tmp_path, int8) -> None:
    save_checkpoint(generator.model, vocab, tmp_path, int8=int8)
    loaded, loaded_vocab = load_checkpoint(tmp_path)
    assert loaded_vocab.svg_offset == vocab.svg_offset
    ids = torch.tensor([[1, *range(10, 40)]])
    with torch.no_grad():
        expected = torch.log_softmax(generator.model(ids).logits, -1)
        got = torch.log_softmax(loaded(ids).logits, -1)
    tolerance = 0.05 if int8 else 0.01  # nats per token
    assert (got - expected).abs().max() < tolerance
    assert loaded.get_output_embeddings().weight is loaded.get_input_embeddings().weight


def test_int8_checkpoints_are_about_half_the_size(generator, vocab, tmp_path) -> None:
    save_checkpoint(generator.model, vocab, tmp_path / "fp16")
    main(["quantize", str(tmp_path / "fp16"), str(tmp_path / "int8")])
    sizes = {k: sum(f.stat().st_size for f in (tmp_path / k).glob("*.safetensors")) for k in ("fp16", "int8")}
    assert 0.45 < sizes["int8"] / sizes["fp16"] < 0.6


def test_sampling_loads_bf16_where_the_cpu_does_it_natively(generator, vocab, tmp_path) -> None:
    save_checkpoint(generator.model, vocab, tmp_path)
    native = torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()
    assert sampling_dtype("cpu") == (torch.bfloat16 if native else torch.float32)
    auto = SVGGenerator.from_pretrained(tmp_path)
    full = SVGGenerator.from_pretrained(tmp_path, dtype=torch.float32)
    assert next(auto.model.parameters()).dtype == sampling_dtype("cpu")
    assert next(full.model.parameters()).dtype == torch.float32
    ids = torch.tensor([[1, *range(10, 40)]])
    with torch.no_grad():
        expected = torch.log_softmax(full.model(ids).logits, -1)
        got = torch.log_softmax(auto.model(ids).logits.float(), -1)
    assert (got - expected).abs().max() < 0.05  # nats per token
    sample = auto.generate("a house", n=1, seed=0, max_tokens=32).samples[0]
    assert sample.svg.startswith("<svg") and vocab.svg.grammar.accepts(sample.svg_ids)


def linears(model: torch.nn.Module) -> int:
    return sum(isinstance(module, torch.nn.Linear) for module in model.modules())


def test_fp32_sampling_reads_fp16_weights_where_the_cpu_has_kernels_for_them(generator, vocab, tmp_path) -> None:
    save_checkpoint(generator.model, vocab, tmp_path)
    auto = SVGGenerator.from_pretrained(tmp_path)
    full = SVGGenerator.from_pretrained(tmp_path, dtype=torch.float32)
    packed = packs_fp16_weights("cpu", sampling_dtype("cpu"))
    assert linears(full.model) > 0
    assert linears(auto.model) == (0 if packed else linears(full.model))
    if not packs_fp16_weights("cpu", torch.float32):
        pytest.skip("this CPU's quantized engine has no fp16-weight kernels")
    fp16 = SVGGenerator(pack_fp16_weights(load_checkpoint(tmp_path)[0]), vocab)
    assert linears(fp16.model) == 0
    ids = torch.tensor([[1, *range(10, 40)]])
    with torch.no_grad():
        expected = torch.log_softmax(full.model(ids).logits, -1)
        got = torch.log_softmax(fp16.model(ids).logits, -1)
    assert (got - expected).abs().max() < 0.01  # nats per token
    sample = fp16.generate("a house", n=2, seed=0, max_tokens=48).samples[0]
    assert vocab.svg.grammar.accepts(sample.svg_ids)
