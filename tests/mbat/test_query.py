"""Queries: free text to a JSON query, JSON and SVG text to documents."""

import pytest

from mbat import MBATError
from mbat.query import query_document, text_document

LICENSES = ["MIT", "Apache-2.0", "CC-BY-4.0"]


@pytest.mark.parametrize(
    ("text", "doc"),
    [
        ("arrow-left", {"name": "arrow-left"}),
        ("color palette", {"name": "color palette"}),
        ("two-color food icons under MIT", {"name": "food icons", "palette": "color", "license": "MIT"}),
        ("monochrome bell apache-2.0", {"name": "bell", "palette": "mono", "license": "Apache-2.0"}),
        ("bell set:mdi palette:mono", {"name": "bell", "set": "mdi", "palette": "mono"}),
        ("under the sea", {"name": "under the sea"}),
    ],
)
def test_text_document(text, doc):
    assert text_document(text, LICENSES) == doc


def test_unknown_fields_are_refused():
    with pytest.raises(MBATError, match="'shape' in 'shape:round' is not a field"):
        text_document("shape:round")


def test_query_document_dispatches_on_the_text():
    assert query_document({"a": 1}) == {"a": 1}
    assert query_document(' {"a": [1]} ') == {"a": [1]}
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0h24v24z"/></svg>'
    assert query_document(svg)["paths"] == 1
    assert query_document("bell") == {"name": "bell"}
    with pytest.raises(MBATError, match="malformed JSON"):
        query_document('{"a": ')
    with pytest.raises(MBATError, match="the query is empty"):
        query_document("   ")
    with pytest.raises(MBATError, match="not a int"):
        query_document(3)
