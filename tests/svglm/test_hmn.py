"""HMN initialization: means of parts plus scaled noise, numeric order, and extending a pretrained LM."""

import torch
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

from svglm.hmn import hmn_init, segment_sources
from svgtok.tokenizer import SVGTokenizer


def test_new_rows_start_at_the_mean_of_their_parts():
    weight = torch.randn(10, 16, generator=torch.Generator().manual_seed(0))
    hmn_init(weight, [8, 9], [[0, 1], [2, 3, 4]], noise=0.0)
    assert torch.allclose(weight[8], weight[[0, 1]].mean(0))
    assert torch.allclose(weight[9], weight[[2, 3, 4]].mean(0))


def test_noise_is_scaled_to_the_spread_and_seeded():
    base = torch.randn(50, 16, generator=torch.Generator().manual_seed(0))
    a, b, c = base.clone(), base.clone(), base.clone()
    for w, seed in ((a, 1), (b, 1), (c, 2)):
        hmn_init(w, [40, 41], [[0, 1, 2], [3, 4]], noise=0.1, generator=torch.Generator().manual_seed(seed))
    assert torch.equal(a, b) and not torch.equal(a, c)
    offset = (a[40] - base[[0, 1, 2]].mean(0)).abs().mean()
    assert 0 < offset < 0.5 * base[:40].std(0).mean()


def test_numeric_component_keeps_number_order():
    weight = torch.zeros(20, 64)
    weight[:4] = torch.randn(4, 64, generator=torch.Generator().manual_seed(0))
    hmn_init(weight, [10, 11, 12], [[0, 1]] * 3, values=[11.0, 12.0, 80.0], noise=0.0)
    near = torch.dist(weight[10], weight[11])
    far = torch.dist(weight[10], weight[12])
    assert near < far


def test_segment_sources_are_atomic_expansions():
    tok = SVGTokenizer.from_pretrained()
    targets, sources = segment_sources(tok, 100)
    assert len(targets) == len(tok.segments.expansions)
    first = min(tok.segments.expansions)
    assert targets[0] == 100 + first
    assert sources[0] == [100 + i for i in tok.segments.expansions[first]]


def test_extend_a_tiny_pretrained_model():
    from svglm.hmn import extend_pretrained

    words = {w: i for i, w in enumerate(["[UNK]", "fill", "stroke", "rgb", "12", "3", "svg", "path", "hello"])}
    core = Tokenizer(models.WordLevel(words, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    hf = PreTrainedTokenizerFast(tokenizer_object=core, unk_token="[UNK]")
    config = LlamaConfig(vocab_size=len(words), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=64)  # fmt: skip
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    old = model.get_input_embeddings().weight.detach().clone()
    svg = SVGTokenizer.from_pretrained()
    mapping = extend_pretrained(model, hf, svg)
    weight = model.get_input_embeddings().weight
    assert weight.shape[0] >= len(words) + svg.vocab_size
    assert torch.equal(weight[: len(words)], old)  # the pretrained rows are untouched
    fill = mapping[svg.atomic.id("fill:rgb")]
    assert torch.dist(weight[fill], old[[1, 3]].mean(0)) < torch.dist(weight[fill], old[[5, 8]].mean(0))
    ids = svg.encode('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><path d="M1 1h4v4z"/></svg>').ids
    logits = model(input_ids=torch.tensor([[mapping[i] for i in ids]])).logits
    assert logits.shape[-1] == weight.shape[0] and torch.isfinite(logits).all()
