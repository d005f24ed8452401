"""Closed outlines restart at their top-left vertex; the drawing does not change."""

import numpy as np
import pytest

from svgtok import SVGError
from svgtok.normalize import normalize
from svgtok.parse import Limits
from svgtok.render import render
from svgtok.starts import canonical_starts
from svgtok.tokenizer import SVGTokenizer


def test_a_closed_outline_restarts_at_its_topmost_then_leftmost_vertex():
    square = [("M", 6, 6), ("L", 6, 2), ("L", 2, 2), ("L", 2, 6), ("Z",)]
    assert canonical_starts(square) == [("M", 2, 2), ("L", 2, 6), ("L", 6, 6), ("L", 6, 2), ("Z",)]


def test_the_closing_line_is_made_explicit_and_the_new_last_line_left_to_z():
    explicit = [("M", 4, 8), ("L", 4, 2), ("L", 9, 2), ("L", 4, 8), ("Z",)]
    implicit = [("M", 4, 8), ("L", 4, 2), ("L", 9, 2), ("Z",)]
    assert canonical_starts(explicit) == canonical_starts(implicit) == [("M", 4, 2), ("L", 9, 2), ("L", 4, 8), ("Z",)]


def test_curves_and_arcs_move_whole():
    commands = [("M", 8, 4), ("C", 8, 0, 0, 0, 0, 4), ("A", 4, 4, 0, 0, 0, 8, 4), ("Z",)]
    assert canonical_starts(commands) == [("M", 0, 4), ("A", 4, 4, 0, 0, 0, 8, 4), ("C", 8, 0, 0, 0, 0, 4), ("Z",)]


def test_open_subpaths_and_outlines_already_at_their_corner_are_left_as_they_are():
    commands = [("M", 2, 2), ("L", 9, 2), ("L", 9, 9), ("Z",), ("M", 5, 5), ("C", 1, 1, 2, 2, 3, 0), ("L", 9, 9)]
    assert canonical_starts(commands) == commands


def test_a_subpath_after_z_without_a_move_keeps_its_start_when_the_last_one_moved():
    commands = [("M", 4, 8), ("L", 4, 2), ("L", 9, 2), ("Z",), ("L", 1, 9), ("L", 2, 9), ("Z",)]
    assert canonical_starts(commands) == [
        ("M", 4, 2), ("L", 9, 2), ("L", 4, 8), ("Z",),
        ("M", 4, 8), ("L", 1, 9), ("L", 2, 9), ("Z",),
    ]  # fmt: skip


def test_restarting_is_idempotent(sample_icons):
    for icon in sample_icons[:40]:
        once = normalize(icon.svg, grid=480, active="drop", starts="top-left")
        for path in once.doc.paths:
            assert canonical_starts(path.commands) == path.commands


def test_restarted_outlines_render_exactly_as_drawn(sample_icons):
    """On the grid's own pixels (integer corners) both spellings rasterize to the same image."""
    changed = 0
    for icon in sample_icons[:60]:
        drawn = normalize(icon.svg, grid=480, active="drop", starts="drawn").svg
        restarted = normalize(icon.svg, grid=480, active="drop", starts="top-left").svg
        if drawn != restarted:
            changed += 1
            assert np.array_equal(render(drawn, 480), render(restarted, 480)), icon.id
    assert changed >= 20  # most icons have a closed outline drawn from elsewhere


def test_the_start_rule_is_saved_and_files_without_it_keep_the_drawn_starts(tmp_path, tokenizer):
    assert tokenizer.starts == "drawn" and "starts" not in tokenizer.to_dict()  # the shipped file, unchanged
    restarting = tokenizer.with_starts("top-left")
    restarting.save_pretrained(tmp_path)
    assert SVGTokenizer.from_pretrained(tmp_path).starts == "top-left"
    circle = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="4"/></svg>'
    assert tokenizer.normalize(circle).doc.paths[0].commands[0] == ("M", 320, 240)
    assert restarting.normalize(circle).doc.paths[0].commands[0] == ("M", 160, 240)


def test_changing_the_rule_keeps_the_vocabulary_and_limits():
    strict = SVGTokenizer.from_str(SVGTokenizer.from_pretrained().to_str())
    strict.limits = Limits(max_bytes=100)
    restarting = strict.with_starts("top-left")
    assert restarting.token_names == strict.token_names and restarting.limits == strict.limits
    with pytest.raises(SVGError, match="over the limit of 100"):
        restarting.encode("<svg xmlns='http://www.w3.org/2000/svg'>" + " " * 200 + "</svg>")


def test_an_unknown_start_rule_is_refused():
    with pytest.raises(SVGError, match="starts='first'"):
        SVGTokenizer(starts="first")
    with pytest.raises(SVGError, match="starts='first'"):
        normalize('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', starts="first")
