"""Captions a person would type, made from an icon's name, aliases, category and set.

``arrow-left-bold-24`` in a mono set becomes ``arrow left bold; arrows; Material Design Icons; mono``:
the name's words first (size suffixes gone, obvious abbreviations spelled out), then alias words, the
category, the set's title and the palette.
"""

from __future__ import annotations

import re

# Abbreviations that are unambiguous in icon names, spelled out so prompts match how people type.
ABBREVIATIONS = {
    "btn": "button",
    "img": "image",
    "pic": "picture",
    "msg": "message",
    "bg": "background",
    "fav": "favorite",
    "doc": "document",
    "docs": "documents",
    "alt": "alternative",
    "prev": "previous",
    "nav": "navigation",
    "cal": "calendar",
    "pwd": "password",
    "num": "number",
    "sm": "small",
    "lg": "large",
    "ui": "interface",
}
# Pixel sizes that sets append to names (fluent's add-24-filled); they say nothing about the picture.
SIZE_WORDS = frozenset({"10", "12", "14", "16", "20", "24", "28", "32", "36", "40", "48", "64"})
_SPLIT = re.compile(r"[-_:\s./]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def name_words(name: str) -> list[str]:
    """``fluent:arrowLeft-24-filled`` → ``["arrow", "left", "filled"]``.

    Example:
        >>> name_words("btn-add-24")
        ['button', 'add']
    """
    words = []
    for part in _SPLIT.split(_CAMEL.sub(" ", name)):
        word = part.lower()
        if not word or word in SIZE_WORDS:
            continue
        words.extend(ABBREVIATIONS.get(word, word).split())
    return words


def caption(name: str, aliases: list[str], category: str, set_title: str, palette: str) -> str:
    """The caption of one icon (see the module docstring).

    Example:
        >>> caption("home-outline", ["house"], "Buildings", "Material Design Icons", "mono")
        'home outline; house; buildings; Material Design Icons; mono'
    """
    words = name_words(name)
    seen = set(words)
    alias_words = []
    for alias in aliases:
        for word in name_words(alias):
            if word not in seen:
                seen.add(word)
                alias_words.append(word)
    parts = [" ".join(words) or name.lower(), " ".join(alias_words), category.lower(), set_title, palette]
    return "; ".join(p for p in parts if p)
