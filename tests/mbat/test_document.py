"""Asset documents: path summaries, the element tree, and the fields each document carries."""

import numpy as np
import pytest

from mbat import MBATError, asset_encoder
from mbat.document import (
    CELL_KEYS,
    IDENTITY_FIELDS,
    asset_document,
    drawing_cells,
    example_document,
    path_points,
    points_box,
    svg_document,
    svg_fields,
)

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}">{body}</svg>'


@pytest.mark.parametrize(
    ("d", "letters", "box"),
    [
        ("M10 10h20v20z", {"M": 1, "h": 1, "v": 1, "z": 1}, [10, 10, 30, 30]),
        ("M0 0l10 5-5 5", {"M": 1, "l": 1}, [0, 0, 10, 10]),  # implicit repeat of l
        ("M240 40a200 200 0 1 0 0 400a200 200 0 0 0 0-400z", {"M": 1, "a": 2, "z": 1}, [40, 40, 440, 440]),
        ("M0 0c0 10 10 10 10 0s10-10 20 0", {"M": 1, "c": 1, "s": 1}, [0, -10, 30, 10]),
        ("M5 5m10 0h5zm0 10v5", {"M": 1, "m": 2, "h": 1, "z": 1, "v": 1}, [5, 5, 20, 20]),
        ("", {}, []),
    ],
)
def test_path_points_count_letters_and_span_the_box(d, letters, box):
    counted, points = path_points(d)
    assert dict(counted) == letters
    assert points_box(points) == pytest.approx(box, abs=1e-6)


def test_svg_fields_reads_the_normalized_element_tree():
    body = (
        '<path d="M0 0h240v240z" fill="currentColor"/>'
        '<path d="M240 0h240v120z" fill="none" stroke="#ff0000" stroke-width="8" stroke-linecap="round"/>'
    )
    fields = svg_fields(SVG.format(w=480, h=240, body=body))
    assert fields["paths"] == 2 and fields["commands"] == 8
    assert fields["colors"] == ["currentColor", "#ff0000"]
    assert fields["aspect"] == 2.0 and fields["bbox"] == [0.0, 0.0, 1.0, 0.5]
    second = fields["svg"]["children"][1]
    assert second == {
        "tag": "path",
        "fill": "none",
        "stroke": "#ff0000",
        "stroke-width": 8.0,
        "stroke-linecap": "round",
        "d": {"M": 1, "h": 1, "v": 1, "z": 1},
        "box": [0.5, 0.0, 1.0, 0.25],
    }


def test_drawing_cells_at_three_scales():
    cells = drawing_cells([(0.0, 0.0), (0.3, 0.3), (1.0, 0.5)])
    assert cells == {
        "cells4": ["0,0", "1,1", "3,2"],
        "cells8": ["0,0", "2,2", "7,4"],
        "cells16": ["0,0", "4,4", "15,8"],
    }


def test_the_same_drawing_in_another_set_is_found_by_example(catalog_rows):
    """Find-by-example: a copy of a drawing under another set, name and license outranks the query's own set."""
    rows = [r for r in catalog_rows if r["normalized_svg"]][:200]
    original = rows[20]
    copy = {**original, "id": "copy:x", "set_prefix": "copy", "name": "x", "category": "", "license": "OFL-1.1"}
    enc = asset_encoder()
    documents = [asset_document(r) for r in [*rows, copy]]
    xb = enc.encode_batch(documents)
    query = enc.encode(example_document(documents[20]))
    ranked = np.argsort(-(xb @ query))
    assert ranked[0] == 20 and ranked[1] == len(rows)  # itself, then the copy
    assert set(CELL_KEYS) <= set(documents[20])


def test_empty_documents_have_empty_structure():
    assert svg_fields("") == {}
    assert svg_fields(SVG.format(w=480, h=480, body=""))["bbox"] == []


def test_asset_document_holds_metadata_and_structure(catalog_rows):
    row = next(r for r in catalog_rows if r["normalized_svg"])
    doc = asset_document(row)
    assert doc["name"] == row["name"].replace("-", " ") and doc["set"] == row["set_prefix"]
    assert {"license", "palette", "category", "colors", "paths", "commands", "bbox", "aspect", "svg"} <= set(doc)
    assert doc["paths"] == len(doc["svg"]["children"])
    assert not set(IDENTITY_FIELDS) & set(example_document(doc))


def test_svg_document_normalizes_any_svg_and_sets_the_palette():
    mono = svg_document(SVG.format(w=24, h=24, body='<rect width="12" height="24" fill="currentColor"/>'))
    assert mono["palette"] == "mono" and mono["bbox"] == [0.0, 0.0, 0.5, 1.0]
    color = svg_document(SVG.format(w=24, h=24, body='<circle r="4" cx="4" cy="4" fill="#e11d48"/>'))
    assert color["palette"] == "color" and color["colors"] == ["#e11d48"]


def test_svg_document_reports_unusable_svg():
    with pytest.raises(MBATError, match="cannot use this SVG as a query: the document is not well-formed XML"):
        svg_document("<svg")
