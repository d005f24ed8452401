"""Hugging Face interop: add svgtok's vocabulary to any Hugging Face tokenizer.

The svgtok tokens are added as whole added tokens named ``<|svg:NAME|>`` so they can never collide with
text the tokenizer already splits (a bare ``l`` or ``n3`` would). The returned mapping takes svgtok ids
to the tokenizer's ids, which is what a model's embedding resize and the grammar need.
"""

from __future__ import annotations

from svgtok.tokenizer import SVGTokenizer


def hf_token_name(tokenizer: SVGTokenizer, svgtok_id: int) -> str:
    return f"<|svg:{tokenizer.id_to_token(svgtok_id)}|>"


def add_svg_vocabulary(hf_tokenizer, tokenizer: SVGTokenizer) -> dict[int, int]:
    """Add every svgtok token to a Hugging Face tokenizer; return ``{svgtok id: hf id}``.

    Works with a ``transformers`` tokenizer (``add_tokens`` / ``convert_tokens_to_ids``) and with a
    ``tokenizers.Tokenizer`` (``add_tokens`` / ``token_to_id``). Tokens already present are reused, so
    calling it twice changes nothing.

    Example:
        >>> from tokenizers import Tokenizer, models
        >>> hf = Tokenizer(models.WordLevel({"[UNK]": 0}, unk_token="[UNK]"))
        >>> mapping = add_svg_vocabulary(hf, SVGTokenizer.from_pretrained())
        >>> hf.decode([mapping[0]], skip_special_tokens=False)
        '<|svg:<svg>|>'
    """
    names = [hf_token_name(tokenizer, i) for i in range(tokenizer.vocab_size)]
    hf_tokenizer.add_tokens(names)
    lookup = getattr(hf_tokenizer, "token_to_id", None) or hf_tokenizer.convert_tokens_to_ids
    return {i: lookup(name) for i, name in enumerate(names)}
