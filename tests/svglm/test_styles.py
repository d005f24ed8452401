"""Styles name an icon set in the prompt, as training captions do."""

import pytest

from svglm import SVGLMError
from svglm.styles import DEFAULT_STYLE, STYLES, styled_prompt


def test_a_style_is_appended_as_the_set_part_of_a_caption():
    assert styled_prompt(" home ", "Lucide") == "home; Lucide"
    assert styled_prompt("home", "  Tabler Icons ") == "home; Tabler Icons"


@pytest.mark.parametrize("style", [None, "", "   "])
def test_no_style_leaves_the_prompt_alone(style):
    assert styled_prompt("a house with a chimney", style) == "a house with a chimney"


@pytest.mark.parametrize("style", ["Lucide; mono", "x" * 65])
def test_a_style_that_is_not_a_set_name_is_refused(style):
    with pytest.raises(SVGLMError, match="not an icon set's name"):
        styled_prompt("home", style)


def test_the_default_style_is_listed_first_and_no_style_repeats():
    assert STYLES[0] == DEFAULT_STYLE and len(set(STYLES)) == len(STYLES)
