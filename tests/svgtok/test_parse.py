"""The safe parse entry point: limits, DTD refusal, and active content refused or removed and reported.

Hostile documents (XXE, billion laughs, bombs, garbage) have their own module, ``test_hostile.py``.
"""

from __future__ import annotations

import pytest
from lxml import etree

from svgtok import Limits, SVGError, parse
from svgtok.parse import href_of, local_name

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 24 24"'


def doc(body: str = "", attrs: str = "") -> str:
    return f"{SVG}{attrs}>{body}</svg>"


def serialized(root: etree._Element) -> str:
    return etree.tostring(root, encoding="unicode")


@pytest.mark.parametrize(
    "svg",
    [
        doc("<path d='M0 0h4'/>"),
        doc("<path d='M0 0h4'/>").encode(),
        b"\xef\xbb\xbf" + doc().encode(),  # a UTF-8 byte order mark
        '<?xml version="1.0" encoding="UTF-8"?>\n' + doc(),
        '<svg viewBox="0 0 4 4"><path d="M0 0h4"/></svg>',  # no namespace: still an <svg> document
        doc("<svg:g xmlns:svg='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_parse_accepts_plain_svg(svg: str | bytes) -> None:
    parsed = parse(svg)
    assert local_name(parsed.root) == "svg"
    assert parsed.removed == []


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16", "ISO-8859-1"])
def test_parse_reads_text_and_bytes_whatever_the_declaration(encoding: str) -> None:
    """Text is already decoded, so its XML declaration's encoding no longer applies; bytes follow it."""
    svg = f'<?xml version="1.0" encoding="{encoding}"?>' + doc("<rect id='é'/>")
    assert parse(svg).root[0].get("id") == "é"
    assert parse(svg.encode(encoding)).root[0].get("id") == "é"


def test_parse_removes_comments_and_processing_instructions() -> None:
    parsed = parse(doc("<!-- a comment --><?pi data?><path d='M0 0h4'/>"))
    assert [local_name(e) for e in parsed.root] == ["path"]


def test_local_name_and_href_of() -> None:
    root = parse(doc("<use href='#a'/><use xlink:href='#b'/><use/>")).root
    assert [local_name(e) for e in root] == ["use"] * 3
    assert [href_of(e) for e in root] == ["#a", "#b", None]


@pytest.mark.parametrize(
    ("limits", "svg", "message"),
    [
        (Limits(max_bytes=100), doc("<path d='M0 0h4'/>" * 10), r"bytes, over the limit of 100"),
        (Limits(max_depth=3), doc("<g><g><g/></g></g>"), r"nesting depth exceeds the limit of 3"),
        (Limits(max_elements=5), doc("<g/>" * 5), r"more than 5 elements"),
        (
            Limits(max_path_chars=10),
            doc("<path d='M0 0h1v1h-1z l1 1'/>"),
            r"path data of 17 characters exceeds the limit of 10",
        ),
        # <use> counts as what it draws: root, defs and path, then 3 uses each drawing one more path: 9.
        (Limits(max_elements=8), doc("<defs><path id='p'/></defs>" + "<use href='#p'/>" * 3), r"draws more than 8"),
    ],
    ids=["bytes", "depth", "elements", "path-chars", "use-expansion"],
)
def test_limits(limits: Limits, svg: str, message: str) -> None:
    with pytest.raises(SVGError, match=message):
        parse(svg, limits)


@pytest.mark.parametrize(
    ("limits", "svg"),
    [
        (Limits(max_depth=3), doc("<g><g/></g>")),
        (Limits(max_elements=5), doc("<g/>" * 4)),
        (Limits(max_elements=9), doc("<defs><path id='p'/></defs>" + "<use href='#p'/>" * 3)),
    ],
    ids=["depth", "elements", "use-expansion"],
)
def test_limits_are_inclusive(limits: Limits, svg: str) -> None:
    parse(svg, limits)


def test_use_cycles_parse() -> None:
    """A <use> that references its own ancestor is invalid (SVG 1.1, 5.6) but not a reason to hang."""
    parse(doc("<g id='a'><use href='#a'/></g><use id='b' href='#c'/><use id='c' href='#b'/>"))


@pytest.mark.parametrize(
    "svg",
    [
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + doc(),
        "<!doctype svg>" + doc(),
        '<!DOCTYPE svg [<!ENTITY a "b">]>' + doc(),
    ],
    ids=["public", "lowercase", "internal-subset"],
)
def test_any_doctype_is_refused(svg: str) -> None:
    with pytest.raises(SVGError, match="DTD"):
        parse(svg)


def test_bad_active_mode() -> None:
    with pytest.raises(SVGError, match="active='allow'"):
        parse(doc(), active="allow")


# What each piece of active content is called in the error (reject) or in ``removed`` (drop).
ACTIVE = [
    ("script", "<script>alert(1)</script>", "<script> element"),
    ("script-href", "<script href='http://example.com/x.js'/>", "<script> element"),
    (
        "foreignObject",
        "<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>x</div></foreignObject>",
        "foreignObject",
    ),
    ("handler", "<handler/>", "<handler> element"),
    ("onclick", "<path d='M0 0h4' onclick='alert(1)'/>", "event handler attribute onclick"),
    ("ONMOUSEOVER", "<path d='M0 0h4' ONMOUSEOVER='alert(1)'/>", "event handler attribute ONMOUSEOVER"),
    ("use-http", "<use href='http://example.com/a.svg#x'/>", "external reference 'http://example.com/a.svg#x'"),
    ("use-file", "<use xlink:href='file:///etc/passwd'/>", "external reference 'file:///etc/passwd'"),
    ("use-relative-file", "<use href='other.svg#x'/>", "external reference 'other.svg#x'"),
    ("image-http", "<image href='http://example.com/a.png'/>", "external reference"),
    ("a-javascript", "<a href='javascript:alert(1)'><path d='M0 0h4'/></a>", "external reference 'javascript:"),
    (
        "fill-url",
        "<path d='M0 0h4' fill='url(http://example.com/p#g)'/>",
        "external reference url(http://example.com/p#g)",
    ),
    ("quoted-url", "<path d='M0 0h4' fill='url( \"http://example.com/p\" )'/>", "external reference url(http://"),
    ("style-attribute-url", "<path style='fill:url(http://example.com/g)'/>", "external reference url(http://"),
    ("style-sheet-url", "<style>path{fill:url(http://example.com/g)}</style>", "external reference in a style sheet"),
    ("style-sheet-import", "<style>@import url(x.css);</style>", "external reference in a style sheet"),
    ("style-sheet-import-upper", "<style>@IMPORT 'x.css';</style>", "external reference in a style sheet"),
    ("style-sheet-import-escaped", "<style>@\\69mport 'x.css';</style>", "external reference in a style sheet"),
    ("style-sheet-cdata", "<style><![CDATA[path{fill:url(http://example.com/g)}]]></style>", "in a style sheet"),
    ("style-sheet-child-tail", "<style>a{}<x/>path{fill:url(http://example.com/g)}</style>", "in a style sheet"),
]


# None of these may survive in a document parsed with active="drop".
ACTIVE_MARKERS = (
    "alert",
    "<script",
    "foreignObject",
    "<handler",
    "example.com",
    "file:",
    "other.svg",
    "x.css",
    "mport",
)


@pytest.mark.parametrize(("body", "reason"), [a[1:] for a in ACTIVE], ids=[a[0] for a in ACTIVE])
def test_active_content_is_refused(body: str, reason: str) -> None:
    with pytest.raises(SVGError, match="which svgtok refuses") as info:
        parse(doc(body))
    assert reason in str(info.value)


@pytest.mark.parametrize(("body", "reason"), [a[1:] for a in ACTIVE], ids=[a[0] for a in ACTIVE])
def test_active_content_is_dropped_and_reported(body: str, reason: str) -> None:
    parsed = parse(doc(body + "<rect width='4' height='4'/>"), active="drop")
    assert len(parsed.removed) == 1 and reason in parsed.removed[0]
    text = serialized(parsed.root)
    assert not [m for m in ACTIVE_MARKERS if m in text], text
    assert "<rect" in text  # the rest of the document stays


def test_drop_removes_the_attribute_or_the_element() -> None:
    parsed = parse(doc("<path d='M0 0h4' onclick='x()' fill='url(http://e.com/g)' stroke='red'/>"), active="drop")
    (path,) = parsed.root
    assert dict(path.attrib) == {"d": "M0 0h4", "stroke": "red"}
    assert parsed.removed == ["event handler attribute onclick", "external reference url(http://e.com/g)"]


def test_drop_on_the_root() -> None:
    parsed = parse(doc(attrs=" onload='alert(1)'"), active="drop")
    assert parsed.removed == ["event handler attribute onload"]
    assert "onload" not in parsed.root.attrib
    with pytest.raises(SVGError, match="the root <svg> carries external reference"):
        parse(doc(attrs=" href='http://example.com/'"), active="drop")


def test_drop_reports_everything() -> None:
    body = (
        "<script>x()</script><path d='M0 0h4' onclick='y()'/><use href='http://example.com/a.svg#b'/>"
        "<foreignObject/><style>@import 'x.css';</style><rect width='4' height='4'/>"
    )
    parsed = parse(doc(body, " onload='z()'"), active="drop")
    assert sorted(parsed.removed) == sorted(
        [
            "event handler attribute onload",
            "<script> element",
            "event handler attribute onclick",
            "external reference 'http://example.com/a.svg#b'",
            "<foreignObject> element",
            "external reference in a style sheet",
        ]
    )
    assert [local_name(e) for e in parsed.root] == ["path", "rect"]


@pytest.mark.parametrize(
    "body",
    [
        "<use href='#p'/>",
        "<use href='  #p'/>",
        "<image href='data:image/png;base64,iVBORw0KGgo='/>",
        "<path d='M0 0h4' fill='url(#g)'/>",
        "<path d='M0 0h4' style='fill:url(\"#g\")'/>",
        "<style>.a{fill:url(#g)}</style>",
        "<a href='#top'><path d='M0 0h4'/></a>",
        "<path d='M0 0h4' offset='1' opacity='.5'/>",  # attributes that merely start with "o"
    ],
)
def test_local_references_are_not_active(body: str) -> None:
    assert parse(doc(body)).removed == []
