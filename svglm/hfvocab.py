"""svgtok's tokens inside any Hugging Face causal LM: the layout of a model extended by ``extend_pretrained``.

``svgtok.hf.add_svg_vocabulary`` appends svgtok's tokens to the model's tokenizer as one contiguous block,
so the layout is that tokenizer, the block's first id, and the model's row count. The extended tokenizer
and svgtok's own tokenizer (in a ``svgtok/`` subfolder: both are called ``tokenizer.json``) are saved
together; an adapter folder holds both.
"""

from __future__ import annotations

import json
from pathlib import Path

from svglm.errors import SVGLMError
from svglm.vocab import VocabLayout
from svgtok.tokenizer import SVGTokenizer

LAYOUT_FILE = "svglm_hf_vocab.json"
SVGTOK_FOLDER = "svgtok"


class HFVocab(VocabLayout):
    """A Hugging Face tokenizer with svgtok's tokens appended.

    Args:
        svg: svgtok's tokenizer.
        text: the extended ``transformers`` tokenizer.
        mapping: ``{svgtok id: model id}`` as returned by ``add_svg_vocabulary``; must be one contiguous block.
        rows: the model's embedding rows (at least the tokenizer's length).
    """

    def __init__(self, svg: SVGTokenizer, text, mapping: dict[int, int], rows: int):
        offset = mapping[0]
        if any(mapping[i] != offset + i for i in range(svg.vocab_size)):
            raise SVGLMError("svgtok's tokens are not one contiguous block in this tokenizer; extend a fresh copy")
        self.svg, self.text, self._offset, self._rows = svg, text, offset, rows
        eos = text.eos_token_id
        if eos is None:
            raise SVGLMError("the tokenizer has no end-of-sequence token; set eos_token before fine-tuning")
        self.eos = eos
        self.bos = text.bos_token_id if text.bos_token_id is not None else eos
        self.pad = text.pad_token_id if text.pad_token_id is not None else eos

    @property
    def svg_offset(self) -> int:
        return self._offset

    @property
    def padded_size(self) -> int:
        return self._rows

    def encode_text(self, text: str) -> list[int]:
        return list(self.text.encode(text, add_special_tokens=False))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.text.save_pretrained(directory)
        self.svg.save_pretrained(directory / SVGTOK_FOLDER)
        (directory / LAYOUT_FILE).write_text(json.dumps({"svg_offset": self._offset, "rows": self._rows}))

    @classmethod
    def load(cls, directory: Path) -> HFVocab:
        from transformers import AutoTokenizer

        layout = json.loads((directory / LAYOUT_FILE).read_text())
        svg = SVGTokenizer.from_pretrained(directory / SVGTOK_FOLDER)
        mapping = {i: layout["svg_offset"] + i for i in range(svg.vocab_size)}
        return cls(svg, AutoTokenizer.from_pretrained(directory), mapping, layout["rows"])
