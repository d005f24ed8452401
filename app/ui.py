"""Small Streamlit pieces every page shares: readable errors and an SVG shown as a PNG."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from mbat import MBATError
from svglm.errors import SVGLMError
from svgtok.errors import SVGError

log = logging.getLogger("vectorsmith.app")


@contextmanager
def readable_errors() -> Iterator[None]:
    """Show a library's error message with ``st.error``; anything else gets a short message and the log."""
    try:
        yield
    except (SVGError, SVGLMError, MBATError) as exc:
        st.error(str(exc))
    except Exception:
        log.exception("unexpected error in the studio")
        st.error("Something went wrong on our side; the details are in the server log. Try again.")
