"""A tiny random svglm (the real vocabulary, a toy decoder) shared by the svglm tests."""

import pytest
import torch
from tokenizers import Tokenizer

from svglm.generate import SVGGenerator
from svglm.model import ModelSize, build_model
from svglm.vocab import SVGLMVocab
from svgtok.tokenizer import SVGTokenizer
from training.catalog import FIXTURE_CATALOG

TINY = ModelSize(hidden=32, layers=1, heads=2, intermediate=64, context=256)


@pytest.fixture(scope="session")
def vocab() -> SVGLMVocab:
    prompt = Tokenizer.from_file(str(FIXTURE_CATALOG.parent / "shards" / "prompt_tokenizer.json"))
    return SVGLMVocab(SVGTokenizer.from_pretrained(), prompt)


@pytest.fixture(scope="session")
def generator(vocab) -> SVGGenerator:
    torch.manual_seed(0)
    return SVGGenerator(build_model(vocab.padded_size, TINY).eval(), vocab)
