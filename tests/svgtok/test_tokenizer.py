"""SVGTokenizer: exact round trips, serialization, and the segment layer's bookkeeping."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svgtok import SVGError
from svgtok.atomic import to_ids
from svgtok.tokenizer import FORMAT_VERSION, SVGTokenizer

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">{}</svg>'


def test_round_trip_on_the_shipped_sample(tokenizer, sample_icons):
    for icon in sample_icons:
        normalized = tokenizer.normalize(icon.svg, active="drop")
        ids = tokenizer.encode_doc(normalized.doc)
        assert tokenizer.decode(ids) == normalized.svg, icon.id


def test_segments_shorten_and_expand_to_the_atomic_program(tokenizer, sample_icons):
    shorter = 0
    for icon in sample_icons:
        doc = tokenizer.normalize(icon.svg, active="drop").doc
        ids = tokenizer.encode_doc(doc)
        atomic = to_ids(tokenizer.atomic, doc)
        assert tokenizer.segments.expand(ids) == atomic
        shorter += len(ids) < len(atomic)
    assert shorter > 0.9 * len(sample_icons)


def test_encoding_names_match_ids(tokenizer):
    enc = tokenizer.encode(SVG.format('<path fill="red" d="M2 2h20v20H2z"/>'))
    assert enc.tokens == [tokenizer.id_to_token(i) for i in enc.ids]
    assert enc.tokens[:5] == ["<svg>", "<path>", "fill:rgb", "cff", "c00"]
    assert all(tokenizer.token_to_id(t) == i for t, i in zip(enc.tokens, enc.ids, strict=True))


def test_save_and_load_round_trip(tokenizer, tmp_path, sample_icons):
    path = tokenizer.save_pretrained(tmp_path)
    assert json.loads(path.read_text())["version"] == FORMAT_VERSION
    loaded = SVGTokenizer.from_pretrained(tmp_path)
    assert repr(loaded) == repr(tokenizer)
    for icon in sample_icons[:50]:
        assert loaded.encode(icon.svg, active="drop").ids == tokenizer.encode(icon.svg, active="drop").ids


def test_wrong_format_version_is_refused(tmp_path):
    (tmp_path / "tokenizer.json").write_text(json.dumps({"version": 999}))
    with pytest.raises(SVGError, match="format version 999"):
        SVGTokenizer.from_pretrained(tmp_path)


def test_missing_and_broken_files_are_refused(tmp_path):
    with pytest.raises(SVGError, match=r"no tokenizer\.json"):
        SVGTokenizer.from_pretrained(tmp_path)
    (tmp_path / "tokenizer.json").write_text("{not json")
    with pytest.raises(SVGError, match="not valid JSON"):
        SVGTokenizer.from_pretrained(tmp_path)


def test_train_learns_segments_from_documents():
    base = SVGTokenizer(grid=48, pair_radius=4)
    svgs = [SVG.format(f'<path d="M{i} 2h4v4h-4zm0 8h4v4h-4z"/>') for i in range(2, 12)]
    docs = [base.normalize(s).doc for s in svgs]
    trained = SVGTokenizer.train(docs, grid=48, pair_radius=4, min_count=2)
    assert trained.segments.units and trained.segments.merges
    for svg, doc in zip(svgs, docs, strict=True):
        ids = trained.encode(svg).ids
        assert len(ids) < len(to_ids(base.atomic, doc))
        assert trained.decode(ids) == base.normalize(svg).svg


def test_decode_names_the_bad_token(tokenizer):
    svg_id, close_id = tokenizer.token_to_id("<svg>"), tokenizer.token_to_id("</svg>")
    assert tokenizer.decode([svg_id, close_id]).endswith("></svg>")
    with pytest.raises(SVGError, match="token 1: expected"):
        tokenizer.decode([svg_id, tokenizer.token_to_id("z"), close_id])
    with pytest.raises(SVGError, match="outside the vocabulary"):
        tokenizer.decode([svg_id, 10**9])
    with pytest.raises(SVGError, match="end of the sequence"):
        tokenizer.decode([svg_id, tokenizer.token_to_id("<path>")])


coordinate = st.floats(min_value=-4, max_value=28, allow_nan=False).map(lambda v: f"{v:.3f}")
point = st.tuples(coordinate, coordinate).map(" ".join)
segment = st.one_of(
    point.map(lambda p: "L" + p),
    coordinate.map(lambda v: "H" + v),
    coordinate.map(lambda v: "v" + v),
    st.tuples(point, point, point).map(lambda t: "C" + " ".join(t)),
    st.tuples(point, point).map(lambda t: "S" + " ".join(t)),
    st.tuples(point, point).map(lambda t: "Q" + " ".join(t)),
    point.map(lambda p: "T" + p),
    st.tuples(
        st.floats(0.1, 12).map(lambda v: f"{v:.2f}"),
        st.floats(0.1, 12).map(lambda v: f"{v:.2f}"),
        st.integers(0, 90),
        st.integers(0, 1),
        st.integers(0, 1),
        point,
    ).map(lambda t: f"A{t[0]} {t[1]} {t[2]} {t[3]} {t[4]} {t[5]}"),
    st.just("Z"),
    point.map(lambda p: "M" + p),
)
paint = st.sampled_from(
    ['fill="currentColor"', 'fill="#e34c26"', 'fill="none" stroke="blue" stroke-width="1.5"', 'fill-rule="evenodd"']
)
path = st.tuples(point, st.lists(segment, min_size=1, max_size=12), paint).map(
    lambda t: f'<path {t[2]} d="M{t[0]} {" ".join(t[1])}"/>'
)


@settings(max_examples=150, deadline=None)
@given(st.lists(path, min_size=1, max_size=4))
def test_round_trip_property(tokenizer, paths):
    """decode(encode(x)) is normalize(x), and normalizing again changes nothing."""
    svg = SVG.format("".join(paths))
    normalized = tokenizer.normalize(svg)
    assert tokenizer.decode(tokenizer.encode(svg).ids) == normalized.svg
    assert tokenizer.normalize(normalized.svg).svg == normalized.svg
