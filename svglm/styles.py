"""Styles: the icon set a drawing imitates, named in the prompt the way training captions name it.

A training caption is ``name; aliases; category; set; palette``, and the set part is often present, so
``home; Tabler Icons`` asks for a house drawn as Tabler Icons draws things. A bare ``home`` asks for the
average of every set's house, which a small model draws worse (docs/RESULTS.md, svglm.bench, ninth session).
"""

from __future__ import annotations

from svglm.errors import SVGLMError

# Sets the shipped model was trained on, best first by how often svglm.recognize recognized plain drawings
# of the ten everyday prompts in that style (docs/RESULTS.md); any other set title works too.
STYLES = (
    "Tabler Icons",
    "Lucide",
    "Huge Icons",
    "Iconoir",
    "MingCute Icon",
    "Bootstrap Icons",
    "Remix Icon",
    "Material Design Icons",
    "Phosphor",
    "Google Material Icons",
)
DEFAULT_STYLE = STYLES[0]
MAX_STYLE_CHARS = 64


def names_a_set(style: str | None) -> bool:
    """Whether ``style`` names a set at all (``None``, ``""`` and blanks name none)."""
    return style is not None and bool(style.strip())


def styled_prompt(prompt: str, style: str | None) -> str:
    """``prompt`` with ``style`` appended as a caption's set part; ``None`` or ``""`` leaves it as it is.

    Example:
        >>> styled_prompt("home", "Tabler Icons")
        'home; Tabler Icons'

    Raises:
        SVGLMError: the style holds a ``;`` (it would read as more caption parts) or is too long.
    """
    if not names_a_set(style):
        return prompt
    style = style.strip()
    if ";" in style or len(style) > MAX_STYLE_CHARS:
        shown = style if len(style) <= MAX_STYLE_CHARS else style[:MAX_STYLE_CHARS] + "…"
        raise SVGLMError(f"style {shown!r} is not an icon set's name (no ';', at most {MAX_STYLE_CHARS} characters)")
    return f"{prompt.strip()}; {style}"
