"""The CSS cascade, reduced to what icons use: ``<style>`` sheets with simple selectors and ``style``.

After :func:`resolve_styles` every element carries its own declarations as presentation attributes, so
later passes read one place. Precedence follows CSS 2.1 section 6.4.3: presentation attributes lose to
style-sheet rules (ordered by specificity, then source order), which lose to the ``style`` attribute.
"""

from __future__ import annotations

import re

from lxml import etree

from svgtok.parse import local_name

# Properties svgtok reads; anything else in a style is irrelevant to the token language.
PROPERTIES = frozenset(
    {
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-dasharray",
        "stroke-dashoffset",
        "opacity",
        "color",
        "display",
        "visibility",
        "stop-color",
        "stop-opacity",
        "clip-path",
        "clip-rule",
        "mask",
        "mask-type",
        "filter",
        "transform",
    }
)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_SIMPLE_SELECTOR = re.compile(r"^([a-zA-Z][\w-]*)?((?:[.#][\w-]+)*)$")
_IMPORTANT = re.compile(r"!\s*important\s*$", re.IGNORECASE)


def parse_declarations(text: str, important: bool = False) -> dict[str, str]:
    """``"fill: red; stroke:none"`` → ``{"fill": "red", "stroke": "none"}``, keeping known properties.

    Only the declarations marked ``!important`` are returned when ``important`` is True, only the others
    when it is False: the cascade ranks the two groups apart (CSS 2.1, 6.4.2).
    """
    out = {}
    for item in text.split(";"):
        name, sep, value = item.partition(":")
        name = name.strip().lower()
        value, marked = _IMPORTANT.subn("", value.strip())
        value = value.strip()
        if sep and name in PROPERTIES and value and bool(marked) == important:
            out[name] = value
    return out


def _selector_matcher(selector: str) -> tuple[tuple[int, int, int], str | None, set[str], str | None] | None:
    """A simple selector as (specificity, tag, classes, id), or None when it is not simple."""
    m = _SIMPLE_SELECTOR.match(selector)
    if m is None or not selector:
        return None
    tag = m.group(1)
    parts = re.findall(r"([.#])([\w-]+)", m.group(2))
    classes = {name for kind, name in parts if kind == "."}
    ids = [name for kind, name in parts if kind == "#"]
    if len(ids) > 1:
        return None
    specificity = (len(ids), len(classes), 1 if tag else 0)
    return specificity, tag, classes, ids[0] if ids else None


def _style_rules(root: etree._Element, dropped: list[str]) -> list[tuple]:
    """All rules of all ``<style>`` elements, as (specificity, order, tag, classes, id, declarations), where
    declarations are the rule's normal and important ones."""
    rules = []
    for style in [e for e in root.iter() if local_name(e) == "style"]:
        text = _COMMENT.sub("", "".join(style.itertext()))
        for selectors, body in _RULE.findall(text):
            declarations = (parse_declarations(body), parse_declarations(body, important=True))
            for selector in selectors.split(","):
                selector = selector.strip()
                matcher = _selector_matcher(selector)
                if matcher is None:
                    dropped.append(f"css selector {selector[:40]}")
                    continue
                specificity, tag, classes, ident = matcher
                rules.append((specificity, len(rules), tag, classes, ident, declarations))
        style.getparent().remove(style)
    rules.sort(key=lambda r: (r[0], r[1]))
    return rules


def resolve_styles(root: etree._Element, dropped: list[str]) -> None:
    """Apply style sheets and ``style`` attributes onto presentation attributes, in place."""
    rules = _style_rules(root, dropped)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        normal: dict[str, str] = {}
        important: dict[str, str] = {}
        if rules:
            classes = set((element.get("class") or "").split())
            name, ident = local_name(element), element.get("id")
            for _, _, tag, need_classes, need_id, (decl, important_decl) in rules:
                if (tag is None or tag == name) and need_classes <= classes and (need_id is None or need_id == ident):
                    normal.update(decl)
                    important.update(important_decl)
        inline = element.get("style")
        if inline:
            normal.update(parse_declarations(inline))
            important.update(parse_declarations(inline, important=True))
            del element.attrib["style"]
        # The style attribute outranks any sheet, but an !important declaration outranks both (CSS 2.1, 6.4.2).
        for prop, value in {**normal, **important}.items():
            element.set(prop, value)
        if "class" in element.attrib:
            del element.attrib["class"]
