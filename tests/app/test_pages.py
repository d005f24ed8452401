"""Every studio page through Streamlit's AppTest: real model, tokenizer and library, no mocks."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import resources, state
from svglm.styles import DEFAULT_STYLE
from tests.svgtok.test_hostile import XXE, doc, laughs

HOME = str(Path(__file__).parents[2] / "app" / "Home.py")
TIMEOUT = 300
PAGES = ["pages/generate.py", "pages/edit.py", "pages/search.py", "pages/tokenizer.py"]
SQUARE = doc('<rect x="4" y="4" width="16" height="16" fill="#2563eb"/>')
HOSTILE = {
    "xxe": XXE.format("file:///etc/passwd"),
    "billion-laughs": laughs(),
    "external-ref": doc("<image href='http://example.com/a.png' width='4' height='4'/>"),
}


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(HOME, default_timeout=TIMEOUT).run()
    return at.switch_page(page).run()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_without_an_error(page):
    at = open_page(page)
    assert not at.exception and not errors(at)
    assert at.title[0].value == page.split("/")[1].removesuffix(".py").capitalize()


def test_generate_shows_candidates_as_images():
    at = open_page("pages/generate.py")
    at.text_input[0].set_value("a house")
    at.number_input[0].set_value(1)
    at.number_input[4].set_value(16)
    at.number_input[5].set_value(1)
    at.button[0].click().run()
    assert not at.exception and not errors(at)
    assert len(at.image) == 1 and "tokens" in at.caption[-1].value
    assert [b.label for b in at.get("download_button")] == ["SVG", "PNG"]


def test_generate_best_of_shows_as_many_icons_as_asked():
    at = open_page("pages/generate.py")
    at.text_input[0].set_value("a star")
    at.number_input[0].set_value(2)
    at.number_input[4].set_value(16)
    assert at.number_input[5].label == "Best of" and at.number_input[5].value == 2
    at.button[0].click().run()
    assert not at.exception and not errors(at)
    assert len(at.image) == 2


def test_generate_with_an_empty_prompt_says_what_to_do():
    at = open_page("pages/generate.py")
    at.button[0].click().run()
    assert not at.exception
    assert "the prompt is empty" in errors(at)[0]


def upload(at: AppTest, data: bytes) -> AppTest:
    at.file_uploader[0].set_value(("icon.svg", data, "image/svg+xml"))
    return at.run()


@pytest.mark.parametrize("page", ["pages/tokenizer.py", "pages/edit.py"])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg", "not well-formed"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b" " * 2_000_001, "up to 2,000,000 bytes"),
        *[(svg.encode("utf-8") if isinstance(svg, str) else svg, "") for svg in HOSTILE.values()],
    ],
    ids=["malformed", "binary", "huge", *HOSTILE],
)
def test_bad_and_hostile_uploads_get_a_readable_message(page, data, message):
    at = upload(open_page(page), data)
    assert not at.exception and not at.image
    assert errors(at) and message in errors(at)[0]


def test_tokenizer_shows_renders_tokens_and_counts():
    at = upload(open_page("pages/tokenizer.py"), SQUARE.encode())
    assert not at.exception and not errors(at)
    assert len(at.image) == 2
    assert int(at.metric[0].value) > 0 and "&lt;svg&gt;" in at.html[0].value


def test_tokenizer_cuts_gradients_into_bands_when_asked():
    gradient = doc(
        "<linearGradient id='g'><stop stop-color='red'/><stop offset='1' stop-color='blue'/></linearGradient>"
        "<rect width='4' height='4' fill='url(#g)'/>"
    )
    at = upload(open_page("pages/tokenizer.py"), gradient.encode())
    one_color = int(at.metric[0].value)
    at.toggle[0].set_value(True).run()
    assert not at.exception and not errors(at)
    assert int(at.metric[0].value) > one_color and "bands of flat color" in at.warning[0].value


def test_edit_without_the_adapter_still_picks_and_compares(monkeypatch, tmp_path):
    monkeypatch.setenv("VECTORSMITH_EDIT_ADAPTER", str(tmp_path / "missing"))
    at = AppTest.from_file(HOME, default_timeout=TIMEOUT)
    at.run().switch_page("pages/edit.py").run()
    assert "not installed" in at.warning[0].value
    upload(at, SQUARE.encode())
    at.button[0].click().run()
    assert len(at.image) == 3 and not errors(at)


def test_search_finds_icons_and_opens_details():
    at = open_page("pages/search.py")
    at.text_input[0].set_value("bell").run()
    assert not at.exception and not errors(at)
    assert len(at.image) == 12 and "results in" in at.caption[1].value
    at.button[0].click().run()
    assert at.subheader[0].value.startswith(at.session_state["search_detail"])
    assert any("Similar icons" in m.value for m in at.markdown) and len(at.image) > 12


def test_search_reports_bad_json():
    at = open_page("pages/search.py")
    at.text_input[0].set_value("{not json").run()
    assert not at.exception and errors(at)


def picked_square() -> AppTest:
    at = upload(open_page("pages/edit.py"), SQUARE.encode())
    at.button[0].click().run()
    return at


def test_edit_applies_an_instruction_and_undoes_it():
    at = picked_square()
    at.text_input[0].set_value("make it red")
    next(b for b in at.button if b.label == "Apply").click().run()
    assert not at.exception and not errors(at)
    assert "Version 2" in at.caption[-1].value and len(at.image) == 3
    next(b for b in at.button if b.label == "Undo").click().run()
    assert "Version 1" in at.caption[-1].value


def test_edit_with_an_empty_instruction_says_so():
    at = picked_square()
    next(b for b in at.button if b.label == "Apply").click().run()
    assert not at.exception and errors(at)


def test_edit_quick_pick_fills_the_instruction_and_applies_it():
    at = picked_square()
    at.selectbox(key="edit_quick_pick").set_value("Half transparent").run()
    assert at.text_input(key="edit_instruction").value == "Please make this emoji transparent by half."
    next(b for b in at.button if b.label == "Apply").click().run()
    assert not at.exception and not errors(at)
    assert "Version 2" in at.caption[-1].value


def generated_one() -> AppTest:
    at = open_page("pages/generate.py")
    at.text_input[0].set_value("a bell")
    at.number_input[0].set_value(1)
    at.number_input[4].set_value(16)
    return at.button[0].click().run()


def test_generate_edit_this_opens_the_edit_page_with_the_candidate():
    at = generated_one()
    svg = at.session_state["candidates"][0]
    at.button(key="edit0").click().run()
    assert not at.exception and not errors(at)
    assert at.title[0].value == "Edit" and at.session_state["edit_history"] == [svg]
    assert len(at.image) == 3  # before, difference, after


def test_generate_find_similar_searches_by_the_drawing():
    at = generated_one()
    at.button(key="similar0").click().run()
    assert not at.exception and not errors(at)
    assert at.title[0].value == "Search" and at.text_input[0].value.startswith("<svg")
    assert any("results in" in c.value for c in at.caption) and at.image


@pytest.mark.parametrize("name", ["xxe", "billion-laughs"])
def test_search_refuses_entity_attacks_in_svg_queries_readably(name):
    at = open_page("pages/search.py")
    at.text_input[0].set_value(HOSTILE[name]).run()
    assert not at.exception and errors(at) and not at.image


def test_search_by_an_svg_with_an_external_reference_uses_its_shapes_only():
    at = open_page("pages/search.py")  # the query is read as structure; nothing is fetched or drawn from it
    at.text_input[0].set_value(HOSTILE["external-ref"]).run()
    assert not at.exception and not errors(at)
    assert any("results in" in c.value for c in at.caption)


def test_search_license_filter_keeps_only_that_license():
    at = open_page("pages/search.py")
    license_ = at.multiselect[1].options[0]
    at.multiselect[1].select(license_)
    at.text_input[0].set_value("arrow").run()
    assert not at.exception and not errors(at)
    rows = [c.value for c in at.caption if " · score " in c.value]
    assert rows and all(f" · {license_} · " in row for row in rows)


@pytest.mark.parametrize("style", [DEFAULT_STYLE, "Lucide", None])
def test_generate_draws_in_the_chosen_style(style):
    """None picks the last option, which names no set."""
    at = open_page("pages/generate.py")
    box = at.selectbox[0]
    assert box.label == "Style" and box.value == DEFAULT_STYLE and box.options[-1].startswith("Any")
    at.text_input[0].set_value("a house")
    box.set_value(style or box.options[-1])
    at.number_input[0].set_value(1)
    at.number_input[4].set_value(16)
    at.number_input[5].set_value(1)
    at.button[0].click().run()
    assert not at.exception and not errors(at)
    expected = resources.generator().generate("a house", n=1, max_tokens=16, style=style)
    assert at.session_state[state.CANDIDATES] == [expected.samples[0].svg]


def test_generate_passes_a_guidance_typed_in_and_leaves_an_empty_one_to_the_style():
    at = open_page("pages/generate.py")
    box = at.number_input[2]
    assert box.label == "Guidance" and box.value is None  # empty: the library picks by style
    at.text_input[0].set_value("a house")
    box.set_value(3.0)
    at.number_input[0].set_value(1)
    at.number_input[4].set_value(16)
    at.number_input[5].set_value(1)
    at.button[0].click().run()
    assert not at.exception and not errors(at)
    expected = resources.generator().generate("a house", n=1, max_tokens=16, style=DEFAULT_STYLE, guidance=3.0)
    default = resources.generator().generate("a house", n=1, max_tokens=16, style=DEFAULT_STYLE)
    assert at.session_state[state.CANDIDATES] == [expected.samples[0].svg] != [default.samples[0].svg]
