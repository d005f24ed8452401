"""Every page under Streamlit's AppTest: the happy path, empty input, bad, huge and hostile uploads."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import HOSTILE, ROOT, SMALL_SVG

PAGES = ROOT / "app"
TIMEOUT = 300


def page(name: str) -> AppTest:
    """The app opened at one page, with Home as its entry point (so ``st.switch_page`` works as it does live)."""
    at = AppTest.from_file(str(PAGES / "Home.py"), default_timeout=TIMEOUT)
    if name != "Home":
        at.switch_page(f"pages/{name}.py")
    return at.run()


def errors(at: AppTest) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]  # a traceback on the page
    return [e.value for e in at.error]


def test_home_lists_the_pages_and_what_is_installed():
    at = page("Home")
    assert not errors(at)
    text = " ".join(m.value for m in at.markdown)
    assert "Model: `svglm-base` ✅" in text and "Edit adapter" in text


def test_generate_shows_candidates_with_facts():
    at = page("1_Generate")
    at.text_input[0].input("bell")
    at.slider[0].set_value(2)
    at.number_input[1].set_value(24)  # max tokens: keep the test quick
    at.button[0].click().run()
    assert not errors(at)
    svgs = at.session_state["candidates"]["svgs"]
    assert len(svgs) == 2 and all(svg.startswith("<svg") for svg in svgs)
    assert len(at.get("image")) == 2  # PNG renders, one per candidate
    assert len(at.get("download_button")) == 4  # SVG and PNG for each
    assert sum("✅ parsed · ✅ rendered · ✅ sanitized" in c.value for c in at.caption) == 2
    assert sum(" tokens · " in c.value and " paths · " in c.value for c in at.caption) == 2
    assert len(at.session_state["generated"]) == 2
    assert any("<svg" in c.value for c in at.code)  # the code as text, never as markup
    assert not [m for m in at.markdown if "<svg" in m.value]


def test_generate_edit_this_carries_the_candidate_to_the_edit_page():
    at = page("1_Generate")
    at.text_input[0].input("star")
    at.slider[0].set_value(1)
    at.number_input[1].set_value(24)
    at.button[0].click().run()
    at.button(key="edit0").click().run()
    assert not errors(at)
    assert at.session_state["edit_source"] == at.session_state["candidates"]["svgs"][0]
    assert at.title[0].value == "Edit"


def test_generate_with_an_empty_prompt_says_so():
    at = page("1_Generate")
    at.button[0].click().run()
    assert any("prompt is empty" in e for e in errors(at))
    assert "candidates" not in at.session_state


def test_search_finds_icons_with_licenses():
    at = page("3_Search")
    at.text_area[0].input("arrow").run()
    assert not errors(at)
    captions = [c.value for c in at.caption]
    assert any("results in" in c for c in captions)
    assert any("MIT" in c or "Apache" in c or "CC" in c for c in captions)


def test_search_with_broken_json_is_a_readable_error_or_text():
    at = page("3_Search")
    at.text_area[0].input('{"palette": ').run()
    assert not at.exception


def test_tokenizer_shows_tokens_and_counts():
    at = page("4_Tokenizer")
    assert not errors(at)
    assert at.metric[0].value not in ("", "0")
    assert any("Tokens" in m.value for m in at.markdown)


def test_tokenizer_empty_input_says_so():
    at = page("4_Tokenizer")
    at.text_area[0].input("").run()
    assert any("there is no SVG" in e for e in errors(at))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_tokenizer_refuses_hostile_svg_readably(name):
    at = page("4_Tokenizer")
    at.text_area[0].input(HOSTILE[name]).run()
    messages = errors(at)
    assert messages and all("Could not tokenize" in m for m in messages)


def test_tokenizer_malformed_svg_is_a_readable_error():
    at = page("4_Tokenizer")
    at.text_area[0].input("<svg><path d='M0 0").run()
    assert any("Could not tokenize" in e for e in errors(at))


def test_edit_page_shows_a_pasted_svg_and_refuses_hostile_ones():
    at = page("2_Edit")
    at.radio[0].set_value("Paste").run()
    at.text_area[0].input(SMALL_SVG).run()
    assert not errors(at)
    at.text_area[0].input(HOSTILE["xxe"]).run()
    assert any("Could not show the SVG" in e for e in errors(at))


def test_edit_applies_an_instruction_and_undoes_it():
    at = page("2_Edit")
    if at.warning:  # the adapter is not installed: nothing to apply, and the page says so
        assert "not installed" in at.warning[0].value
        return
    at.radio[0].set_value("Paste").run()
    at.text_area[0].input(SMALL_SVG).run()
    at.selectbox[0].set_value("Half transparent").run()
    at.button[0].click().run()
    assert not errors(at)
    history = at.session_state["edit_history"]
    assert len(history) == 1 and history[0]["after"].startswith("<svg")
    assert any("@@" in c.value or "no change" in c.value for c in at.code)
    at.button[1].click().run()
    assert at.session_state["edit_history"] == []
