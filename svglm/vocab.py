"""The language model's vocabulary: special tokens, then the prompt vocabulary, then svgtok's tokens.

    ids [0, 3)             <pad> <bos> <eos>
    ids [3, 3 + P)         the prompt tokenizer's tokens (a BPE over captions, trained with the corpus)
    ids [3 + P, 3 + P + S) svgtok's tokens, atomic then segments, in svgtok's own order

A training sequence is ``<bos> prompt… <svg> program… </svg> <eos>``; svgtok's ``<svg>`` token ends the
prompt, so an empty prompt is just ``<bos> <svg> …`` (what classifier-free guidance conditions on).
The table is saved beside the model as ``vocab.json`` and both tokenizers ride along in the same folder.
:class:`VocabLayout` is what generation needs from any layout; ``svglm.hfvocab`` gives the same for a
Hugging Face tokenizer extended with svgtok's tokens.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from svglm.errors import SVGLMError
from svgtok.tokenizer import SVGTokenizer

SPECIALS = ("<pad>", "<bos>", "<eos>")
PAD, BOS, EOS = 0, 1, 2
PAD_TO = 64  # embedding rows are padded to a multiple of 64 for faster matrix products
MAX_PROMPT_TOKENS = 48


class VocabLayout(ABC):
    """Where text, svgtok's tokens and the special tokens sit among a model's ids.

    svgtok's ids occupy one contiguous block ``[svg_offset, size)``; ``padded_size`` is the model's row count.
    """

    svg: SVGTokenizer
    bos, eos, pad = BOS, EOS, PAD

    @property
    @abstractmethod
    def svg_offset(self) -> int: ...

    @property
    @abstractmethod
    def padded_size(self) -> int: ...

    @abstractmethod
    def encode_text(self, text: str) -> list[int]:
        """Model ids of plain text (no special tokens)."""

    @property
    def size(self) -> int:
        return self.svg_offset + self.svg.vocab_size

    @property
    def svg_start(self) -> int:
        return self.svg_offset + self.svg.atomic.id("<svg>")

    def encode_prompt(self, prompt: str, limit: int = MAX_PROMPT_TOKENS) -> list[int]:
        """``<bos>`` and the prompt's tokens (at most ``limit``), without ``<svg>``."""
        return [self.bos, *self.encode_text(prompt)[:limit]]

    def to_model(self, svg_ids: np.ndarray | list[int]) -> np.ndarray:
        return np.asarray(svg_ids, dtype=np.int64) + self.svg_offset

    def to_svg(self, model_ids: list[int]) -> list[int]:
        """svgtok ids from model ids; raises for ids outside svgtok's range."""
        out = []
        for i in model_ids:
            if not self.svg_offset <= i < self.size:
                raise SVGLMError(f"model id {i} is not an svgtok token (range {self.svg_offset}..{self.size - 1})")
            out.append(i - self.svg_offset)
        return out


@dataclass
class SVGLMVocab(VocabLayout):
    """svglm's own layout: three special tokens, the prompt BPE, then svgtok's tokens."""

    svg: SVGTokenizer
    prompt: Tokenizer

    @property
    def prompt_offset(self) -> int:
        return len(SPECIALS)

    @property
    def svg_offset(self) -> int:
        return len(SPECIALS) + self.prompt.get_vocab_size()

    @property
    def padded_size(self) -> int:
        return -(-self.size // PAD_TO) * PAD_TO

    def encode_text(self, text: str) -> list[int]:
        return [i + self.prompt_offset for i in self.prompt.encode(text).ids]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.svg.save_pretrained(directory)
        self.prompt.save(str(directory / "prompt_tokenizer.json"))
        table = {"specials": list(SPECIALS), "prompt_offset": self.prompt_offset, "svg_offset": self.svg_offset}
        (directory / "vocab.json").write_text(json.dumps(table, indent=1))

    @classmethod
    def load(cls, directory: Path) -> SVGLMVocab:
        if not (directory / "vocab.json").exists():
            raise SVGLMError(f"{directory} has no vocab.json; it is not an svglm checkpoint")
        vocab = cls(
            SVGTokenizer.from_pretrained(directory), Tokenizer.from_file(str(directory / "prompt_tokenizer.json"))
        )
        table = json.loads((directory / "vocab.json").read_text())
        if table["svg_offset"] != vocab.svg_offset:
            raise SVGLMError(f"{directory}/vocab.json disagrees with its tokenizers; rebuild the checkpoint")
        return vocab
