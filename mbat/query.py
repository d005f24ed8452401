"""Turning a query into a document: JSON as it is, free text into a JSON query, SVG into its structure.

Free text such as ``"two-color food icons under MIT"`` becomes ``{"name": "food icons", "palette": "color",
"license": "MIT"}``: ``field:value`` tokens (``set:mdi``) set that field, palette adjectives ("colored",
"monochrome"; not the bare nouns "color" or "mono", which are common in icon names) set the palette, a
known license id (any case, with an optional "under" before it) sets the license, and every other word is
part of the name. Nothing else is guessed, so an icon name typed as a query stays a name query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mbat.document import svg_document
from mbat.encoder import parse_json
from mbat.errors import MBATError

PALETTE_WORDS = {
    "monochrome": "mono",
    "single-color": "mono",
    "one-color": "mono",
    "colored": "color",
    "coloured": "color",
    "colorful": "color",
    "multicolor": "color",
    "multicolored": "color",
    "two-color": "color",
    "full-color": "color",
}
FIELD_NAMES = ("name", "set", "category", "license", "palette")


def text_document(text: str, licenses: Iterable[str] = ()) -> dict:
    """A JSON query from free text.

    Args:
        text: what a person typed.
        licenses: license ids the library holds (matched case-insensitively).

    Returns:
        A document with ``name`` and any of ``set``, ``category``, ``license``, ``palette``.

    Raises:
        MBATError: a ``field:value`` token names an unknown field.

    Example:
        >>> text_document("two-color food icons under mit", licenses=["MIT", "Apache-2.0"])
        {'name': 'food icons', 'palette': 'color', 'license': 'MIT'}
    """
    by_lower = {lic.lower(): lic for lic in licenses}
    words = text.split()
    doc: dict[str, str] = {}
    name = []
    for i, word in enumerate(words):
        lower = word.lower()
        field, sep, value = word.partition(":")
        if sep and value and field.lower() in FIELD_NAMES:
            doc[field.lower()] = value
        elif sep and value and field.isalpha():
            raise MBATError(f"{field!r} in {word!r} is not a field; use one of {', '.join(FIELD_NAMES)}")
        elif lower in PALETTE_WORDS and "palette" not in doc:
            doc["palette"] = PALETTE_WORDS[lower]
        elif lower in by_lower:
            doc["license"] = by_lower[lower]
        elif lower == "under" and i + 1 < len(words) and words[i + 1].lower() in by_lower:
            continue
        else:
            name.append(word)
    return {"name": " ".join(name), **doc} if name else doc


def query_document(query: Any, licenses: Iterable[str] = ()) -> Any:
    """The document of a JSON value, JSON text, SVG text or free text (asset ids are the index's job).

    Raises:
        MBATError: malformed JSON, an unusable SVG, or an empty query.

    Example:
        >>> query_document('{"palette": "mono"}')
        {'palette': 'mono'}
    """
    if isinstance(query, Mapping | list):
        return query
    if not isinstance(query, str):
        raise MBATError(f"a query is JSON, text or SVG, not a {type(query).__name__}")
    text = query.strip()
    if not text:
        raise MBATError("the query is empty; type some words, paste JSON or SVG, or give an asset id")
    if text[0] in "{[":
        return parse_json(text)
    if text[0] == "<":
        return svg_document(text)
    return text_document(text, licenses)
