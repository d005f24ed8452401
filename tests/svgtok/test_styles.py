"""The reduced CSS cascade: declarations, and sheets and style attributes onto presentation attributes.

The cascade's effect on drawn paths is tested through ``normalize`` in ``test_normalize.py`` (STYLES).
"""

from __future__ import annotations

import pytest
from lxml import etree

from svgtok.styles import parse_declarations, resolve_styles


@pytest.mark.parametrize(
    ("text", "important", "expected"),
    [
        ("fill: red; stroke:none", False, {"fill": "red", "stroke": "none"}),
        ("FILL:Red;;", False, {"fill": "Red"}),
        ("fill: red; font-family: Arial; color: blue", False, {"fill": "red", "color": "blue"}),
        ("fill:; stroke", False, {}),
        ("fill: red; fill: blue", False, {"fill": "blue"}),
        ("fill: red !important; stroke: blue", False, {"stroke": "blue"}),
        ("fill: red !important; stroke: blue", True, {"fill": "red"}),
        ("fill: red!IMPORTANT", True, {"fill": "red"}),
        ("fill: url(#a)", False, {"fill": "url(#a)"}),
    ],
)
def test_parse_declarations(text: str, important: bool, expected: dict) -> None:
    assert parse_declarations(text, important=important) == expected


def test_resolve_styles_moves_everything_onto_attributes() -> None:
    root = etree.fromstring(
        '<svg xmlns="http://www.w3.org/2000/svg"><style>.a{fill:red} #b{stroke:blue !important}</style>'
        '<path id="b" class="a" fill="green" stroke="black" style="stroke:white;opacity:.5"/></svg>'
    )
    dropped: list[str] = []
    resolve_styles(root, dropped)
    (path,) = root
    assert dict(path.attrib) == {"id": "b", "fill": "red", "stroke": "blue", "opacity": ".5"}
    assert dropped == []


def test_resolve_styles_reports_selectors_it_cannot_match() -> None:
    root = etree.fromstring('<svg xmlns="http://www.w3.org/2000/svg"><style>g > path, * {fill:red}</style></svg>')
    dropped: list[str] = []
    resolve_styles(root, dropped)
    assert dropped == ["css selector g > path", "css selector *"]
