"""validate() reports instead of raising; the vocabulary joins a Hugging Face tokenizer."""

from tokenizers import Tokenizer, models, pre_tokenizers

from svgtok.hf import add_svg_vocabulary
from svgtok.validate import validate

GOOD = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="8"/><text>hi</text></svg>'
)


def test_validate_good_svg(tokenizer):
    report = validate(GOOD, tokenizer)
    assert report.ok and report.elements == 3 and report.tokens > 3
    assert report.dropped == ["text"] and report.normalized_svg.startswith("<svg")


def test_validate_sanitizes_active_content(tokenizer):
    report = validate(GOOD.replace("<text>hi</text>", "<script>alert(1)</script>"), tokenizer)
    assert report.ok and report.removed == ["<script> element"]
    assert "script" not in report.normalized_svg


def test_validate_reports_bad_input(tokenizer):
    for bad in ("", "<svg", "<html/>", '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0L nan"/></svg>'):
        report = validate(bad, tokenizer)
        assert not report.ok and report.error


def test_add_svg_vocabulary_to_a_hf_tokenizer(tokenizer):
    hf = Tokenizer(models.WordLevel({"[UNK]": 0, "hello": 1, "l": 2}, unk_token="[UNK]"))
    hf.pre_tokenizer = pre_tokenizers.Whitespace()
    mapping = add_svg_vocabulary(hf, tokenizer)
    assert len(mapping) == tokenizer.vocab_size and len(set(mapping.values())) == tokenizer.vocab_size
    assert hf.encode("hello l").ids == [1, 2]  # plain text still splits as before
    ids = tokenizer.encode(GOOD).ids
    text = "".join(hf.id_to_token(mapping[i]) for i in ids)
    assert [mapping[i] for i in ids] == hf.encode(text).ids
    assert add_svg_vocabulary(hf, tokenizer) == mapping  # a second call adds nothing
