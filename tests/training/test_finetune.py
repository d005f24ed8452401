"""LoRA fine-tuning end to end on tiny models: svglm's own layout and a plain Hugging Face causal LM."""

import json
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

from svglm.edit import SVGEditor, edit_prefix, edit_sequence, encode_instruction
from svglm.errors import SVGLMError
from svglm.generate import SVGGenerator
from svglm.model import ModelSize, build_model, save_checkpoint
from svglm.vocab import SVGLMVocab
from svgtok.tokenizer import SVGTokenizer
from svgtok.validate import validate
from training.benchedit import write_outputs
from training.catalog import FIXTURE_CATALOG
from training.editdata import write_benchmark
from training.finetune import (
    EditCases,
    caption_from_filename,
    collate,
    edit_examples,
    load_base,
    main,
    masked_loss,
    read_edit_cases,
)
from training.svgeditbench import run as score

SOURCE = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36">'
    '<circle cx="18" cy="18" r="16" fill="#FFCC4D"/><path d="M10 10h6v6h-6z" fill="#664500"/></svg>'
)
RECOLOR = "Please generate an SVG code that changes the part of the emoji with a #FFCC4D color to red."
FLIP = "Please flip this emoji upside down."
FLIPPED = SOURCE.replace('viewBox="0 0 36 36">', 'viewBox="0 0 36 36"><g transform="translate(0,36) scale(1,-1)">')
FLIPPED = FLIPPED.replace("</svg>", "</g></svg>")


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory):
    prompt = Tokenizer.from_file(str(FIXTURE_CATALOG.parent / "shards" / "prompt_tokenizer.json"))
    vocab = SVGLMVocab(SVGTokenizer.from_pretrained(), prompt)
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("base")
    save_checkpoint(build_model(vocab.padded_size, ModelSize(32, 1, 2, 64, 512)), vocab, path)
    return path


@pytest.fixture(scope="module")
def edit_file(tmp_path_factory):
    cases = [
        {"task": "1_ChangeColor", "instruction": RECOLOR, "source": SOURCE, "target": SOURCE.replace("#FFCC4D", "red")},
        {"task": "4_UpSideDown", "instruction": FLIP, "source": SOURCE, "target": FLIPPED},
    ] * 12
    lines = [json.dumps(c) for c in cases] + [
        "{not json",
        json.dumps({"instruction": "x", "source": "<svg", "target": ""}),
    ]
    path = tmp_path_factory.mktemp("edits") / "edits.jsonl"
    path.write_text("\n".join(lines))
    return path


def run(*args: str) -> dict:
    main(["--batch-size", "4", "--rank", "4", "--eval-every", "2", "--save-every", "2", "--device", "cpu", *args])
    return json.loads((Path(args[args.index("--out") + 1]) / "metrics.json").read_text())


def test_edit_adapter_trains_resumes_and_edits(tiny_base, edit_file, tmp_path):
    out = tmp_path / "adapter"
    first = run("--task", "edit", "--data", str(edit_file), "--out", str(out), "--base", str(tiny_base), "--steps", "4")
    assert first["steps"] == 4 and first["skipped"] == 2
    assert "JSONDecodeError" in (out / "skipped.txt").read_text()
    resumed = run(
        "--task", "edit", "--data", str(edit_file), "--out", str(out), "--base", str(tiny_base), "--steps", "6"
    )
    assert resumed["steps"] == 6
    assert "step" in (out / "log.csv").read_text().splitlines()[0]
    assert [row.split(",")[0] for row in (out / "log.csv").read_text().splitlines()[1:]] == ["2", "4", "6"]
    editor = SVGEditor.from_pretrained(tiny_base, adapter=out)
    edited = editor.edit(SOURCE, FLIP, max_tokens=24).samples[0].svg
    report = validate(edited)
    assert report.parsed and report.rendered
    assert len(editor.edit_batch([(SOURCE, FLIP), (SOURCE, RECOLOR)], batch_size=2)) == 2


def test_editor_refuses_bad_requests(tiny_base, tmp_path):
    editor = SVGEditor.from_pretrained(tiny_base)
    with pytest.raises(SVGLMError, match="instruction is empty"):
        editor.edit(SOURCE, "  ")
    with pytest.raises(SVGLMError, match="no adapter"):
        SVGEditor.from_pretrained(tiny_base, adapter=tmp_path)
    huge = SOURCE.replace(
        "</svg>", "".join(f'<circle cx="{i % 30}" cy="{i % 29}" r="3"/>' for i in range(200)) + "</svg>"
    )
    with pytest.raises(SVGLMError, match="model edits drawings up to"):
        editor.edit(huge, FLIP)


def test_style_adapter_skips_unusable_files(tiny_base, tmp_path):
    icons = tmp_path / "icons"
    icons.mkdir()
    for i in range(6):
        (icons / f"rounded-bell_{i}.svg").write_text(SOURCE.replace('r="16"', f'r="{10 + i}"'))
    (icons / "broken.svg").write_text("<svg><path")
    (icons / "xxe.svg").write_text('<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>')
    out = tmp_path / "style"
    metrics = run("--task", "style", "--data", str(icons), "--out", str(out), "--base", str(tiny_base), "--steps", "2")
    skipped = (out / "skipped.txt").read_text()
    assert metrics["skipped"] == 2 and "broken.svg" in skipped and "xxe.svg" in skipped
    generator = SVGGenerator.from_pretrained(tiny_base, adapter=out)
    assert validate(generator.generate("rounded bell", n=1, max_tokens=16).samples[0].svg).rendered


def test_style_on_a_folder_with_nothing_usable_is_a_clear_error(tiny_base, tmp_path):
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "bad.svg").write_text("not svg")
    with pytest.raises(SystemExit, match="nothing to train on"):
        run(
            "--task", "style", "--data", str(tmp_path / "icons"), "--out", str(tmp_path / "o"), "--base", str(tiny_base)
        )


def test_any_hugging_face_causal_lm(edit_file, tmp_path):
    words = {w: i for i, w in enumerate(["<unk>", "<s>", "</s>", "please", "flip", "this", "emoji", "."])}
    text = Tokenizer(models.WordLevel(words, unk_token="<unk>"))
    text.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    hf = PreTrainedTokenizerFast(tokenizer_object=text, bos_token="<s>", eos_token="</s>", unk_token="<unk>")
    base = tmp_path / "hf-base"
    config = LlamaConfig(vocab_size=len(words), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=2, max_position_embeddings=512, tie_word_embeddings=True)  # fmt: skip
    LlamaForCausalLM(config).save_pretrained(base)
    hf.save_pretrained(base)
    out = tmp_path / "adapter"
    metrics = run("--task", "edit", "--data", str(edit_file), "--out", str(out), "--base", str(base), "--steps", "2")
    assert metrics["base_kind"] == "hf"
    editor = SVGEditor.from_pretrained(base, adapter=out)
    assert validate(editor.edit(SOURCE, FLIP, max_tokens=24).samples[0].svg).rendered


@pytest.mark.parametrize("name", ["cases.npz", "cases.npz.xz"])
def test_prepared_cases_round_trip(edit_file, tmp_path, name):
    tokenizer = SVGTokenizer.from_pretrained()
    cases = EditCases.from_jsonl(edit_file, tokenizer)
    main(["prepare", "--data", str(edit_file), "--out", str(tmp_path / name)])
    loaded = read_edit_cases(tmp_path / name, tokenizer)
    assert (loaded.tasks, loaded.instructions, loaded.sources, loaded.targets) == (
        cases.tasks, cases.instructions, cases.sources, cases.targets,
    )  # fmt: skip


def test_masked_loss_equals_the_loss_over_full_logits(tiny_base, edit_file):
    model, vocab, _ = load_base(str(tiny_base))
    examples = edit_examples(EditCases.from_jsonl(edit_file, vocab.svg), vocab, 10_000).items[:3]
    ids, labels = collate(examples, vocab.pad)
    lengths = torch.tensor([len(e.ids) for e in examples])
    mask = (torch.arange(ids.shape[1])[None] < lengths[:, None]).long()
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=mask).logits
        full = F.cross_entropy(
            logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100
        )
        assert masked_loss(model, ids, labels, bf16=False).item() == pytest.approx(full.item(), rel=1e-5)


def test_colors_in_instructions_are_svgtok_color_tokens(tiny_base):
    vocab = SVGEditor.from_pretrained(tiny_base).vocab
    names = [
        vocab.svg.id_to_token(i - vocab.svg_offset) for i in encode_instruction(vocab, RECOLOR) if i >= vocab.svg_offset
    ]
    assert names == ["cff", "ccc", "c4d", "cff", "c00", "c00"]
    assert encode_instruction(vocab, "#fc0 to Red")[1:] == encode_instruction(vocab, "#FFCC00 to red")[1:]
    source = vocab.svg.encode(SOURCE).ids
    sequence = edit_sequence(vocab, FLIP, source, source)
    prefix = edit_prefix(vocab, FLIP, source)
    assert sequence[: len(prefix)] == prefix and sequence[-1] == vocab.eos
    assert len(sequence) - len(prefix) == len(source)  # the target after its <svg>, plus <eos>


@pytest.mark.parametrize(
    ("name", "caption"),
    [("rounded-bell.svg", "rounded bell"), ("HomeOutline_24.svg", "home outline"), ("123.svg", "")],
)
def test_caption_from_filename(name, caption):
    assert caption_from_filename(Path(name)) == caption


def test_benchedit_writes_outputs_the_harness_can_score(tiny_base, tmp_path):
    ids = write_benchmark(FIXTURE_CATALOG, tmp_path / "bench", n=1, split="train")
    counts = write_outputs(tmp_path / "bench", SVGEditor.from_pretrained(tiny_base), tmp_path / "out")
    assert counts["cases"] == 6
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.svg"))
    refused = (tmp_path / "out" / "refused.txt").read_text().split()
    assert len(written) + len(refused) == 6 and all(p.endswith(f"{ids[0]}.svg") for p in written)
    figures = score(tmp_path / "bench", f"files:{tmp_path / 'out'}")
    assert figures["tasks"]["4_UpSideDown"]["cases"] == 1
