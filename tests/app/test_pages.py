"""Every page under Streamlit's AppTest: the happy path, empty input, bad, huge and hostile uploads."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import HOSTILE, HUGE_SVG, NOT_UTF8, ROOT, SMALL_SVG

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
    assert "Model: `svglm-base` :green[:material/check_circle:]" in text and "Edit adapter" in text


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
    badge = " ".join(f":green-badge[:material/check: {check}]" for check in ("parsed", "rendered", "sanitized"))
    assert sum(c.value == badge for c in at.caption) == 2
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


def test_search_finds_icons_with_licenses_and_attribution():
    at = page("3_Search")
    at.text_area[0].input("arrow").run()
    assert not errors(at)
    captions = [c.value for c in at.caption]
    assert any(" results in " in c and " ms from 305 icons" in c for c in captions)
    assert any("MIT" in c or "Apache" in c or "CC" in c for c in captions)
    assert at.get("image")


def test_search_with_nothing_typed_explains_what_to_type():
    at = page("3_Search")
    assert not errors(at)
    assert "Type words" in at.info[0].value


def test_search_license_filter_keeps_only_that_license():
    at = page("3_Search")
    license_ = at.multiselect[0].options[0]
    at.multiselect[0].select(license_)
    at.text_area[0].input("icon").run()
    assert not errors(at)
    rows = [c.value for c in at.caption if c.value.count(" · ") == 2]
    assert rows and all(f" · {license_} · " in c for c in rows)


def test_search_similar_searches_by_that_icon():
    at = page("3_Search")
    at.text_area[0].input("arrow").run()
    first = next(b for b in at.button if b.key and b.key.startswith("similar-"))
    first.click().run()
    assert not errors(at)
    assert at.text_area[0].value == first.key.removeprefix("similar-")
    assert any(" results in " in c.value for c in at.caption)


def test_search_with_broken_json_is_a_readable_error():
    at = page("3_Search")
    at.text_area[0].input('{"palette": ').run()
    assert any(e.startswith("Could not search: ") for e in errors(at))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_search_refuses_hostile_svg_queries_readably(name):
    at = page("3_Search")
    at.text_area[0].input(HOSTILE[name]).run()
    messages = errors(at)
    assert messages and all(m.startswith("Could not search: ") for m in messages)


def test_tokenizer_shows_tokens_and_counts():
    at = page("4_Tokenizer")
    assert not errors(at)
    assert int(at.metric[0].value) > 0 and int(at.metric[1].value) >= int(at.metric[0].value)
    assert any("Tokens" in m.value for m in at.markdown)
    assert len(at.get("image")) == 2  # original and normalized, side by side
    assert any("viewBox" in c.value for c in at.code)


def test_tokenizer_reads_an_upload_and_lists_dropped_features():
    at = page("4_Tokenizer")
    svg = SMALL_SVG.replace("</svg>", '<text x="2" y="20">hi</text></svg>')
    at.file_uploader[0].set_value(("icon.svg", svg.encode(), "image/svg+xml")).run()
    assert not errors(at)
    assert "text" in at.warning[0].value


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


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_tokenizer_refuses_hostile_uploads_readably(name):
    at = page("4_Tokenizer")
    at.file_uploader[0].set_value(("hostile.svg", HOSTILE[name].encode(), "image/svg+xml")).run()
    messages = errors(at)
    assert messages and all("Could not tokenize" in m for m in messages)
    assert not at.get("image")


def test_tokenizer_refuses_huge_and_binary_uploads():
    at = page("4_Tokenizer")
    at.file_uploader[0].set_value(("huge.svg", HUGE_SVG.encode(), "image/svg+xml")).run()
    assert any("the limit is 2,000,000" in e for e in errors(at))
    at.file_uploader[0].set_value(("fake.svg", NOT_UTF8, "image/svg+xml")).run()
    assert any("is not UTF-8 text" in e for e in errors(at))


def test_tokenizer_malformed_svg_is_a_readable_error():
    at = page("4_Tokenizer")
    at.text_area[0].input("<svg><path d='M0 0").run()
    assert any("Could not tokenize" in e for e in errors(at))


def edit_page_with(svg: str) -> AppTest:
    at = page("2_Edit")
    at.radio[0].set_value("Paste").run()
    at.text_area[0].input(svg).run()
    return at


def test_edit_page_shows_a_pasted_svg():
    at = edit_page_with(SMALL_SVG)
    assert not errors(at)
    assert len(at.get("image")) == 1


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_edit_page_refuses_hostile_uploads_readably(name):
    at = page("2_Edit")
    at.file_uploader[0].set_value(("hostile.svg", HOSTILE[name].encode(), "image/svg+xml")).run()
    messages = errors(at)
    assert messages and all(m.startswith("Could not show the SVG: ") for m in messages)
    assert not at.get("image")


def test_edit_page_refuses_huge_and_binary_uploads():
    at = page("2_Edit")
    at.file_uploader[0].set_value(("huge.svg", HUGE_SVG.encode(), "image/svg+xml")).run()
    assert any("the limit is 2,000,000" in e for e in errors(at))
    at.file_uploader[0].set_value(("fake.svg", NOT_UTF8, "image/svg+xml")).run()
    assert any("is not UTF-8 text" in e for e in errors(at))


def test_edit_picks_a_library_icon_by_id():
    at = page("2_Edit")
    at.radio[0].set_value("Library icon").run()
    at.text_input[0].input("no-such:icon").run()
    assert any("no icon 'no-such:icon'" in e for e in errors(at))


def test_edit_with_nothing_to_edit_or_no_instruction_says_so():
    at = page("2_Edit")
    at.button(key="apply").click().run()
    assert any("there is no SVG to edit" in e for e in errors(at))
    at = edit_page_with(SMALL_SVG)
    at.button(key="apply").click().run()
    assert any(e.startswith("Could not edit: ") for e in errors(at))
    assert at.session_state["edit_history"] == []


def test_edit_applies_an_instruction_and_undoes_it():
    at = edit_page_with(SMALL_SVG)
    at.selectbox[0].set_value("Half transparent").run()
    at.button(key="apply").click().run()
    assert not errors(at)
    history = at.session_state["edit_history"]
    assert len(history) == 1 and history[0]["after"].startswith("<svg")
    assert len(at.get("image")) == 3  # before, after, pixel difference
    assert any(c.value.startswith("--- before.svg") or c.value == "(no change)" for c in at.code)
    at.button(key="undo").click().run()
    assert at.session_state["edit_history"] == []


def test_generate_find_similar_searches_by_the_drawing():
    at = page("1_Generate")
    at.text_input[0].input("arrow")
    at.slider[0].set_value(1)
    at.number_input[1].set_value(24)
    at.button[0].click().run()
    at.button(key="similar0").click().run()
    assert not errors(at)
    assert at.title[0].value == "Search"
    assert at.text_area[0].value == at.session_state["candidates"]["svgs"][0]
    assert any(" results in " in c.value for c in at.caption)
