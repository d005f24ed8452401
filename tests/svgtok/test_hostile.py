"""Hostile documents: refused with SVGError by every entry point, quickly, without touching the network.

Three kinds:

- MALFORMED: DTDs and entities (XXE, billion laughs), size and depth bombs, truncated files, garbage.
  ``parse``, ``normalize`` and ``render_png`` refuse them whatever ``active`` says.
- ACTIVE: scripts, event handlers, ``foreignObject`` and references outside the document. Refused by
  default; ``active="drop"`` removes them and lists each in ``removed`` (and ``dropped``).
- GEOMETRY: numbers that are not finite or overflow once transformed. ``parse`` cannot see them; the
  path parser and transforms refuse them, and the renderer must at least not fail in another way.

Python sockets are patched to refuse and record any connection, so a fetch would fail the test. (libxml2's
own network code is C and would not go through them; for lxml the guarantee is ``no_network=True`` plus
refusing every DTD before parsing.)
"""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Callable, Iterator
from functools import partial

import pytest

from svgtok import SVGError, normalize, parse
from svgtok.iconify import load_sample
from svgtok.render import render_png

TIME_LIMIT = 2.0  # seconds per call; a guard against blow-ups, not a benchmark
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def doc(body: str = "", attrs: str = 'viewBox="0 0 24 24"') -> str:
    return f"{SVG_OPEN} {attrs}>{body}</svg>"


def out(body: str) -> str:
    """An expected normalized document on the 24×24 canvas."""
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">{body}</svg>'


def laughs(levels: int = 9) -> str:
    """The billion laughs: each entity is ten of the previous one, 10^levels "lol"s in all."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    )
    return f"<!DOCTYPE svg [{entities}]>" + doc(f"<text>&lol{levels};</text>")


def use_bomb(levels: int = 16) -> str:
    """A few hundred bytes that draw 2^levels paths: each group uses the previous one twice.

    16 levels (65,536 paths) is enough to break the element limit, and small enough that a regression
    costs seconds, not a hung test run.
    """
    groups = "".join(f"<g id='l{k}'><use href='#l{k - 1}'/><use href='#l{k - 1}'/></g>" for k in range(1, levels + 1))
    return doc(f"<defs><path id='l0' d='M0 0h1v1z'/>{groups}</defs><use href='#l{levels}'/>")


def utf16(text: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")


XXE = '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "{}">]>' + doc("<text>&xxe;</text>")
TRUNCATED = load_sample()[0].svg
TRUNCATED = TRUNCATED[: len(TRUNCATED) // 2]

MALFORMED = [
    ("xxe-file", XXE.format("file:///etc/passwd"), "DTD"),
    ("xxe-http", XXE.format("http://example.com/secret"), "DTD"),
    ("xxe-parameter-entity", '<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://example.com/x.dtd"> %p;]>' + doc(), "DTD"),
    ("external-dtd", '<!DOCTYPE svg SYSTEM "http://example.com/svg.dtd">' + doc(), "DTD"),
    ("xxe-utf16", utf16(XXE.format("file:///etc/passwd")), "DTD"),
    ("billion-laughs", laughs(), "DTD"),
    ("billion-laughs-utf16", utf16(laughs()), "DTD|entit"),
    ("ten-megabytes", doc("<!--" + "x" * 10_000_000 + "-->"), "bytes, over the limit"),
    ("deep-nesting", doc("<g>" * 10_000 + "</g>" * 10_000), "nesting depth exceeds the limit"),
    ("wide", doc("<g/>" * 30_000), "more than 20,000 elements"),
    ("long-path", doc(f"<path d='M0 0{'h1' * 300_000}'/>"), "path data of 600,004 characters"),
    ("use-bomb", use_bomb(), "draws more than 20,000 elements"),
    ("truncated", TRUNCATED, "not well-formed"),
    ("empty", "", "empty"),
    ("blank", " \n\t ", "empty"),
    ("empty-bytes", b"", "empty"),
    ("html-root", "<html><body><svg/></body></html>", "root element is <html>, not <svg>"),
    ("xml-root", '<?xml version="1.0"?><note>hi</note>', "root element is <note>"),
    ("plain-text", "hello world", "not well-formed"),
    ("json", '{"svg": "<svg/>"}', "not well-formed"),
    ("binary-garbage", random.Random(0).randbytes(4096), "not well-formed"),
    ("png-bytes", b"\x89PNG\r\n\x1a\n" + bytes(64), "not well-formed"),
    ("nul-bytes", bytes(100), "not well-formed"),
    ("invalid-utf8", doc().encode()[:-6] + b"\xc3\x28</svg>", "not well-formed"),
]

ACTIVE = [
    ("use-http", doc("<use href='http://example.com/a.svg#x'/>"), "external reference"),
    ("use-file", doc("<use xlink:href='file:///etc/passwd#x'/>"), "external reference"),
    ("image-http", doc("<image href='http://example.com/a.png' width='4' height='4'/>"), "external reference"),
    ("image-file", doc("<image xlink:href='file:///etc/passwd'/>"), "external reference"),
    ("fill-url-http", doc("<rect width='4' height='4' fill='url(http://example.com/p.svg#g)'/>"), "external"),
    ("style-url-http", doc("<style>rect{fill:url(http://example.com/p.svg#g)}</style>"), "in a style sheet"),
    ("style-import", doc("<style>@import url(http://example.com/x.css);</style>"), "in a style sheet"),
    ("script", doc("<script>alert(1)</script>"), "<script> element"),
    ("script-cdata", doc("<script><![CDATA[fetch('http://example.com')]]></script>"), "<script> element"),
    ("onload", doc(attrs='viewBox="0 0 24 24" onload="alert(1)"'), "event handler attribute onload"),
    ("onclick", doc("<rect width='4' height='4' onclick='alert(1)'/>"), "event handler attribute onclick"),
    (
        "foreignObject",
        doc("<foreignObject><iframe xmlns='http://www.w3.org/1999/xhtml' src='http://example.com'/></foreignObject>"),
        "<foreignObject> element",
    ),
]


def _ids(table: list[tuple]) -> list[str]:
    return [row[0] for row in table]


@pytest.fixture(autouse=True)
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:
    """Refuse and record every connection or name lookup made through Python's socket module."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("svgtok's tests allow no network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], f"network access was attempted: {attempts}"


def test_the_network_guard_works(connections: list) -> None:
    with pytest.raises(OSError, match="no network access"):
        socket.create_connection(("example.com", 80))
    assert len(connections) == 1
    connections.clear()


def refuses(call: Callable[[], object], message: str) -> SVGError:
    """Run ``call``, expecting SVGError matching ``message`` within the time limit."""
    start = time.perf_counter()
    with pytest.raises(SVGError, match=message) as info:
        call()
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"
    assert "root:" not in str(info.value)  # nothing of /etc/passwd leaks into the message
    return info.value


@pytest.mark.parametrize("active", ["reject", "drop"])
@pytest.mark.parametrize(("name", "svg", "message"), MALFORMED, ids=_ids(MALFORMED))
def test_malformed_is_refused_by_parse_and_normalize(name: str, svg: str | bytes, message: str, active: str) -> None:
    refuses(lambda: parse(svg, active=active), message)
    refuses(lambda: normalize(svg, active=active), message)


@pytest.mark.parametrize(("name", "svg", "message"), MALFORMED + ACTIVE, ids=_ids(MALFORMED + ACTIVE))
def test_hostile_is_refused_by_render_png(name: str, svg: str | bytes, message: str) -> None:
    refuses(lambda: render_png(svg, 32), message)


@pytest.mark.parametrize(("name", "svg", "reason"), ACTIVE, ids=_ids(ACTIVE))
def test_active_is_refused_by_default(name: str, svg: str, reason: str) -> None:
    error = refuses(lambda: parse(svg), "which svgtok refuses; remove it and retry")
    assert reason in str(error)
    refuses(lambda: normalize(svg), reason)


@pytest.mark.parametrize(("name", "svg", "reason"), ACTIVE, ids=_ids(ACTIVE))
def test_active_is_dropped_and_listed(name: str, svg: str, reason: str) -> None:
    parsed = parse(svg, active="drop")
    assert len(parsed.removed) == 1 and reason in parsed.removed[0]
    result = normalize(svg, grid=24, active="drop")
    assert parsed.removed[0] in result.dropped
    for marker in ("example.com", "file:", "alert", "script", "onload", "onclick", "foreignObject", "iframe"):
        assert marker not in result.svg


def test_drop_mode_keeps_the_drawing_and_lists_everything() -> None:
    svg = doc(
        "<script>alert(1)</script><style>@import url(http://example.com/x.css);</style>"
        "<use href='http://example.com/a.svg#x'/><image xlink:href='file:///etc/passwd'/>"
        "<foreignObject/><rect width='12' height='12' fill='red' onclick='alert(2)'/>"
        "<rect x='12' width='12' height='12' fill='url(http://example.com/p#g)'/>",
        attrs='viewBox="0 0 24 24" onload="alert(0)"',
    )
    result = normalize(svg, grid=24, active="drop")
    # The second rect lost its external fill, so it takes the initial one, black.
    assert result.svg == out('<path d="M0 0h12v12h-12z" fill="#ff0000"/><path d="M12 0h12v12h-12z" fill="#000000"/>')
    assert sorted(result.dropped) == sorted(
        [
            "event handler attribute onload",
            "<script> element",
            "external reference in a style sheet",
            "external reference 'http://example.com/a.svg#x'",
            "external reference 'file:///etc/passwd'",
            "<foreignObject> element",
            "event handler attribute onclick",
            "external reference url(http://example.com/p#g)",
        ]
    )


def test_xxe_never_reads_the_file(tmp_path) -> None:
    """Even spelled in UTF-16, where a byte-level check cannot see the DOCTYPE, the entity is not read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("the-secret-value")
    for svg in (XXE.format(secret.as_uri()), utf16(XXE.format(secret.as_uri()))):
        for call in (partial(parse, svg, active="drop"), partial(normalize, svg), partial(render_png, svg, 16)):
            error = refuses(call, "DTD")
            assert "the-secret-value" not in str(error)


GEOMETRY = [
    ("nan-path", doc("<path d='M0 0LNaN NaN 0 5z'/>"), "unexpected"),
    ("inf-literal", doc("<path d='M0 0L1e309 0'/>"), "not a finite number"),
    ("overflow-by-canvas", doc("<path d='M0 0L1e308 1e308'/>", 'viewBox="0 0 1 1"'), "overflows to infinity"),
    ("overflow-by-transform", doc("<path d='M0 0L1e308 0' transform='scale(10)'/>"), "overflows to infinity"),
    ("overflow-by-arc", doc("<path d='M0 0A1e308 1e308 0 0 1 1e308 0' transform='scale(10 1)'/>"), "overflow"),
    ("nan-transform", doc("<path d='M0 0h4' transform='scale(NaN)'/>"), "transform scale"),
    ("inf-transform", doc("<path d='M0 0h4' transform='scale(1e300) scale(1e300)'/>"), "not finite"),
    ("nan-viewbox", doc("<path d='M0 0h4'/>", 'viewBox="0 0 NaN NaN"'), "positive, finite"),
    ("inf-viewbox", doc("<path d='M0 0h4'/>", 'viewBox="0 0 1e309 24"'), "positive, finite"),
]


@pytest.mark.parametrize(("name", "svg", "message"), GEOMETRY, ids=_ids(GEOMETRY))
def test_non_finite_geometry_is_refused_by_normalize(name: str, svg: str, message: str) -> None:
    parse(svg)  # well-formed and safe: only the geometry is wrong
    refuses(lambda: normalize(svg, grid=24), message)


@pytest.mark.parametrize(("name", "svg", "message"), GEOMETRY, ids=_ids(GEOMETRY))
def test_non_finite_geometry_renders_or_is_refused(name: str, svg: str, message: str) -> None:
    """The renderer draws what it can, like a browser, or refuses with SVGError; nothing else."""
    start = time.perf_counter()
    try:
        png = render_png(svg, 32)
    except SVGError:
        png = b"\x89PNG"
    assert png.startswith(b"\x89PNG")
    assert time.perf_counter() - start < TIME_LIMIT


def test_huge_finite_coordinates_are_clamped() -> None:
    """1e308 in a 24-unit canvas is finite: quantize clamps it to the edge of the token range, 3/2 grid."""
    result = normalize(doc("<path d='M0 0L1e308 1e308'/>"), grid=24)
    assert result.svg == out('<path d="M0 0l36 36" fill="#000000"/>')


def test_huge_scale_is_clamped() -> None:
    """scale(1e300) keeps coordinates finite but makes sqrt(det), the stroke-width factor, infinite."""
    result = normalize(doc("<path d='M0 0h4' transform='scale(1e300)'/>"), grid=24)
    assert result.svg == out('<path d="M0 0h36" fill="#000000"/>')
