"""Safe SVG parsing: the only place svgtok turns untrusted text into an XML tree.

lxml reads the document with entity resolution, DTD loading and network access switched off, and the
result is checked against size limits (bytes, nesting depth, element count, path-data length) before
anything else looks at it. Active content (scripts, event handlers, ``foreignObject``) and references to
anything outside the document are refused by default, or removed and reported when asked to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from svgtok.errors import SVGError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

ACTIVE_ELEMENTS = frozenset({"script", "foreignObject", "handler", "listener"})
_URL_REF = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_DOCTYPE_DECL = re.compile(rb"<!(ENTITY|DOCTYPE)", re.IGNORECASE)
# CSS at-keywords are case-insensitive and may be escaped (``@IMPORT``, ``@\69mport``; CSS Syntax 3, 4.3.7).
_CSS_IMPORT = re.compile(r"@(import|\\)", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what :func:`parse` accepts; raise one when a real document needs more."""

    max_bytes: int = 2_000_000
    max_depth: int = 64
    max_elements: int = 20_000
    max_path_chars: int = 500_000


DEFAULT_LIMITS = Limits()


@dataclass
class ParsedSVG:
    """An XML tree that passed the safety checks, and what was removed to make it safe."""

    root: etree._Element
    removed: list[str] = field(default_factory=list)


def local_name(element: etree._Element) -> str:
    """The tag without its namespace: ``{http://www.w3.org/2000/svg}path`` → ``path``."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def href_of(element: etree._Element) -> str | None:
    """The element's ``href`` or ``xlink:href``, whichever is set."""
    return element.get("href") or element.get(f"{{{XLINK_NS}}}href")


def _is_external(reference: str) -> bool:
    """True for any reference that is not a fragment of this document (``#id``)."""
    return bool(reference) and not reference.startswith("#")


def _active_content(element: etree._Element) -> tuple[str, str | None] | None:
    """Why this element is active or reaches outside the document, and what to strip.

    Returns None for a harmless element, else ``(reason, attribute)``: the attribute to delete, or None
    when the whole element must go.
    """
    name = local_name(element)
    if name in ACTIVE_ELEMENTS:
        return f"<{name}> element", None
    for attr, value in element.attrib.items():
        attr_name = attr.rsplit("}", 1)[-1]
        if attr_name.lower().startswith("on"):
            return f"event handler attribute {attr_name}", attr
        if attr_name == "href" and _is_external(value.strip()) and not value.startswith("data:"):
            return f"external reference {value[:80]!r}", None
        for ref in _URL_REF.findall(value):
            if _is_external(ref):
                return f"external reference url({ref[:80]})", attr
    text = "".join(element.itertext()) if name == "style" else ""
    if text and (_CSS_IMPORT.search(text) or any(_is_external(r) for r in _URL_REF.findall(text))):
        return "external reference in a style sheet", None
    return None


def _check_tree(root: etree._Element, limits: Limits, active: str, removed: list[str]) -> None:
    """Walk the tree once: enforce depth, element and path limits, and refuse or strip active content."""
    count = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > limits.max_depth:
            raise SVGError(
                f"nesting depth exceeds the limit of {limits.max_depth}; flatten the groups or raise Limits.max_depth"
            )
        count += 1
        if count > limits.max_elements:
            raise SVGError(
                f"the document has more than {limits.max_elements:,} elements; simplify it or raise Limits.max_elements"
            )
        d = element.get("d")
        if d is not None and len(d) > limits.max_path_chars:
            raise SVGError(
                f"path data of {len(d):,} characters exceeds the limit of {limits.max_path_chars:,}; "
                "simplify the path or raise Limits.max_path_chars"
            )
        while (found := _active_content(element)) is not None:
            reason, attr = found
            if active == "reject":
                raise SVGError(f"the document contains {reason}, which svgtok refuses; remove it and retry")
            removed.append(reason)
            if attr is not None:
                del element.attrib[attr]
                continue
            if element is root:
                raise SVGError(f"the root <svg> carries {reason}; remove it and retry")
            element.getparent().remove(element)
            break
        else:
            stack.extend((child, depth + 1) for child in element if isinstance(child.tag, str))


def _drawn_elements(root: etree._Element) -> int:
    """How many elements the document holds once every ``<use>`` is expanded.

    A chain of groups that each use the previous one twice is a few hundred bytes on disk and 2^depth
    elements to draw (a "use bomb"), so the element limit has to count the expansion. Each element is
    counted once, bottom up; a reference back into its own ancestry (invalid, SVG 1.1 5.6) counts as 0.
    """
    ids = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}

    def parts(element: etree._Element) -> list[etree._Element]:
        out = [child for child in element if isinstance(child.tag, str)]
        ref = (href_of(element) or "").strip() if local_name(element) == "use" else ""
        if ref.startswith("#") and ref[1:] in ids:
            out.append(ids[ref[1:]])
        return out

    size: dict[etree._Element, int] = {}
    stack = [(root, False)]
    while stack:
        element, children_done = stack.pop()
        if children_done:
            size[element] = 1 + sum(size[p] for p in parts(element))
        elif element not in size:
            size[element] = 0  # in progress: reached again before it is done only through a cycle
            stack.append((element, True))
            stack.extend((p, False) for p in parts(element) if p not in size)
    return size[root]


def parse(svg: str | bytes, limits: Limits = DEFAULT_LIMITS, active: str = "reject") -> ParsedSVG:
    """Parse untrusted SVG text into an lxml tree, safely.

    Args:
        svg: the document, as text or UTF-8 bytes.
        limits: size limits; see :class:`Limits`.
        active: ``"reject"`` raises on scripts, event handlers, ``foreignObject`` and external
            references; ``"drop"`` removes them and lists each in ``ParsedSVG.removed``.

    Returns:
        The checked tree and the list of what was removed.

    Raises:
        SVGError: the text is not well-formed XML, is not an ``<svg>`` document, declares a DTD or
            entities, breaks a limit, or (with ``active="reject"``) carries active content.

    Example:
        >>> tree = parse('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"/>')
        >>> local_name(tree.root)
        'svg'
    """
    if active not in ("reject", "drop"):
        raise SVGError(f"active={active!r} is not one of 'reject', 'drop'")
    data = svg.encode("utf-8") if isinstance(svg, str) else bytes(svg)
    if len(data) > limits.max_bytes:
        raise SVGError(
            f"the document is {len(data):,} bytes, over the limit of {limits.max_bytes:,}; "
            "simplify it or raise Limits.max_bytes"
        )
    if not data.strip():
        raise SVGError("the document is empty; paste or upload an SVG file")
    # DTDs are how XXE and "billion laughs" arrive; SVG needs neither, so refuse them outright.
    if _DOCTYPE_DECL.search(data):
        raise SVGError("the document declares a DTD or entities, which svgtok refuses; remove the <!DOCTYPE>")
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        # Text is already decoded and goes to lxml as UTF-8, whatever its XML declaration still says.
        encoding="utf-8" if isinstance(svg, str) else None,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in str(exc):  # libxml2 stops at 256 levels, well past max_depth
            raise SVGError(
                f"nesting depth exceeds the limit of {limits.max_depth}; flatten the groups or raise Limits.max_depth"
            ) from exc
        raise SVGError(f"the document is not well-formed XML ({exc}); check that it is complete") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # one the byte check missed, e.g. in UTF-16
        raise SVGError("the document declares a DTD or entities, which svgtok refuses; remove the <!DOCTYPE>")
    if local_name(root) != "svg":
        raise SVGError(f"the root element is <{local_name(root)}>, not <svg>; this is not an SVG document")
    removed: list[str] = []
    _check_tree(root, limits, active, removed)
    if _drawn_elements(root) > limits.max_elements:
        raise SVGError(
            f"the document draws more than {limits.max_elements:,} elements once its <use> references are "
            "expanded; simplify it or raise Limits.max_elements"
        )
    return ParsedSVG(root=root, removed=removed)


def index_ids(root: etree._Element) -> dict[str, etree._Element]:
    """Every element with an ``id``, by id (the targets of ``href`` and ``url(#id)``)."""
    return {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}


def url_id(value: str) -> str | None:
    """The id in a local ``url(#id)`` reference; None for anything else (CSS shapes, other documents)."""
    text = value.strip()
    if not (text.startswith("url(") and text.endswith(")")):
        return None
    ref = text[4:-1].strip(" '\"")
    return ref[1:] if ref.startswith("#") and len(ref) > 1 else None
