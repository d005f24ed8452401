"""The encoder's properties (issue 5): key order does not matter, array order does, nesting is not
commutative, numbers are soft, vectors are the same in a fresh process, and bad input gets a clear error."""

import json
import random
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import mbat.encoder
from mbat import Encoder, EncoderConfig, MBATError, NumberScale, encode_json, parse_json
from mbat.program import add_by_parent
from mbat.vsa import VERSION

ENC = Encoder(dim=512)
keys = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.text(alphabet="xyz ", max_size=6))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)


def cos(a, b) -> float:
    return float(a @ b)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.dictionaries(keys, json_values, min_size=2, max_size=6))
def test_object_key_order_does_not_matter(obj):
    reordered = dict(reversed(list(obj.items())))
    assert np.allclose(ENC.encode(obj), ENC.encode(reordered), atol=1e-6)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=3), min_size=2, max_size=6, unique=True))
def test_array_order_matters(items):
    assert cos(ENC.encode(items), ENC.encode(items[::-1])) < 0.95


def test_reversed_array_is_far_but_shares_its_bag():
    forward, backward = ENC.encode(["a", "b", "c", "d"]), ENC.encode(["d", "c", "b", "a"])
    unrelated = ENC.encode(["e", "f", "g", "h"])
    assert cos(forward, unrelated) < 0.15 < cos(forward, backward) < 0.6


@settings(max_examples=30, deadline=None, derandomize=True)
@given(keys, keys, scalars)
def test_nesting_is_not_commutative(a, b, x):
    assume(a != b)
    assert cos(ENC.encode({a: {b: x}}), ENC.encode({b: {a: x}})) < 0.5


def test_similarity_falls_smoothly_with_numeric_distance():
    """On a 0–100 scale with 8 links, one link is 12.5 units: cosine falls about linearly to 0 over it."""
    enc = Encoder(dim=4096, scales={"width": NumberScale(0, 100)})
    distances = np.arange(0, 31)
    sims = np.array([cos(enc.encode({"width": 40}), enc.encode({"width": 40 + d})) for d in distances])
    expected = np.clip(1 - distances / 12.5, 0, None)
    assert np.abs(sims - expected).max() < 0.06
    assert np.all(np.diff(sims[::2][:7]) < 0)  # strictly falling, two units at a time, until orthogonal
    assert np.abs(np.diff(sims)).max() < 0.15  # no cliff anywhere


def test_field_values_resemble_across_keys_through_beta():
    """The unbound sum (β = 0.3) gives {fill: red} and {color: red} a cosine of about β² / (1 + β²)."""
    enc = Encoder(dim=4096)
    assert cos(enc.encode({"fill": "red"}), enc.encode({"color": "red"})) == pytest.approx(0.083, abs=0.04)
    assert abs(cos(enc.encode({"fill": "red"}), enc.encode({"color": "blue"}))) < 0.04


def test_free_text_shares_words():
    enc = Encoder(dim=1024, text_keys=["name"])
    bell = enc.encode({"name": "bell ring"})
    assert cos(bell, enc.encode({"name": "ring bell"})) == pytest.approx(1.0, abs=1e-5)
    assert cos(bell, enc.encode({"name": "bell off"})) > 0.4
    assert cos(enc.encode({"tag": "bell ring"}), enc.encode({"tag": "ring bell"})) < 0.2  # categorical


def test_trigrams_make_text_fuzzy():
    plain, fuzzy = Encoder(dim=1024, text_keys=["name"]), Encoder(dim=1024, text_keys=["name"], trigram_weight=0.5)
    assert cos(plain.encode({"name": "arrows"}), plain.encode({"name": "arrow"})) < 0.15
    assert cos(fuzzy.encode({"name": "arrows"}), fuzzy.encode({"name": "arrow"})) > 0.4


def test_batch_equals_one_at_a_time_and_vectors_are_unit():
    values = [{"a": [1, 2, {"b": None}]}, "x", 3.5, [], {}, [True, False], {"n": {"m": ["p", "q"]}}]
    batch = ENC.encode_batch(values)
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    for value, row in zip(values, batch, strict=True):
        assert np.allclose(Encoder(dim=512).encode(value), row, atol=1e-6)


def test_cached_bags_encode_like_fresh_ones():
    """An unordered array whose items are all cached takes a fast path; its vector must not change."""
    bag = {"tags": ["b", "a", "b", 2, True], "more": ["c", {"d": 1}]}
    warm = Encoder(dim=512, bag_keys=("tags", "more"))
    first = warm.encode(bag)
    again = warm.encode_batch([bag, {"tags": ["a", "b", "b", True, 2], "more": ["c", {"d": 1}]}])
    fresh = Encoder(dim=512, bag_keys=("tags", "more")).encode(bag)
    assert np.allclose(first, fresh, atol=1e-6) and np.allclose(again, fresh, atol=1e-6)


def test_sums_by_parent_add_repeated_edges():
    rows = np.arange(12, dtype=np.float32).reshape(4, 3)
    x = np.ones((3, 3), dtype=np.float32)
    parent, index = np.array([2, 0, 2, 2]), np.array([1, 3, 1, 0])
    add_by_parent(x, parent, rows, index)
    expected = np.ones((3, 3), dtype=np.float32)
    for p, i in zip(parent, index, strict=True):
        expected[p] += rows[i]
    assert np.array_equal(x, expected)


def test_same_document_gives_the_same_vector_in_a_fresh_process():
    doc = {"name": "bell", "svg": {"children": [{"fill": "#ff0000", "d": {"M": 1, "c": 4}}]}, "paths": 3}
    code = f"import json; from mbat import encode_json; print(json.dumps(encode_json({doc!r}).tolist()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert np.array_equal(np.array(json.loads(out), dtype=np.float32), encode_json(doc))


def test_malformed_json_gets_a_clear_error():
    with pytest.raises(MBATError, match=r"malformed JSON at line 1, column 15"):
        parse_json('{"fill": "red"')


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"a": [1, float("nan")]}, r"the number nan at \$\.a\[1\] is not finite"),
        ({"a": {"b": {1, 2}}}, r"at \$\.a\.b is a set, which is not JSON"),
        ({1: "x"}, r"the key 1 at \$ is not a string"),
    ],
)
def test_values_that_are_not_json_name_their_path(value, message):
    with pytest.raises(MBATError, match=message):
        ENC.encode(value)


def test_limits_are_enforced_with_advice():
    deep: object = "x"
    for _ in range(10):
        deep = {"a": deep}
    with pytest.raises(MBATError, match="max_depth=4"):
        Encoder(dim=64, max_depth=4).encode(deep)
    with pytest.raises(MBATError, match="over max_items=3"):
        Encoder(dim=64, max_items=3).encode([1, 2, 3, 4])
    with pytest.raises(MBATError, match="multiple of 8"):
        Encoder(dim=100)


def test_config_round_trips_and_checks_the_version():
    enc = Encoder(dim=64, text_keys=["name"], scales={"w": NumberScale(0, 10, log=True)}, weights={"name": 2.0})
    saved = json.loads(json.dumps(enc.config.to_dict()))
    assert saved["version"] == VERSION
    again = Encoder.from_config(EncoderConfig.from_dict(saved))
    doc = {"name": "bell ring", "w": 3}
    assert np.array_equal(again.encode(doc), enc.encode(doc))
    with pytest.raises(MBATError, match="rebuild the index"):
        EncoderConfig.from_dict({**saved, "version": "mbat-0"})


def test_long_arrays_encode_without_recursion():
    """An icon may hold thousands of paths: the powers of P are built iteratively."""
    long = [{"fill": "red"}] * 3000
    assert Encoder(dim=64).encode(long).shape == (64,)


def test_a_scale_can_have_a_finer_chain():
    coarse = Encoder(dim=4096, scales={"x": NumberScale(0, 1)})
    fine = Encoder(dim=4096, scales={"x": NumberScale(0, 1, levels=64)})
    for enc, expected in ((coarse, 1 - 0.05 * 8), (fine, 0.0)):
        assert cos(enc.encode({"x": 0.5}), enc.encode({"x": 0.55})) == pytest.approx(expected, abs=0.05)


def test_threads_sharing_an_encoder_get_the_vectors_of_a_fresh_one(monkeypatch):
    """The app's sessions share one encoder: its leaf cache fills, empties and refills while 8 threads encode."""
    monkeypatch.setattr(mbat.encoder, "MAX_CACHE_ROWS", 64)  # empty the cache every few documents
    rng = random.Random(0)
    batches = [
        [{"name": f"icon {rng.randrange(500)}", "w": rng.randrange(100), "tags": [str(rng.random())]} for _ in range(8)]
        for _ in range(160)
    ]
    expected = [Encoder(dim=256, text_keys=["name"]).encode_batch(b) for b in batches]
    shared = Encoder(dim=256, text_keys=["name"])
    results: dict[int, np.ndarray] = {}
    start = threading.Barrier(8)

    def work(first: int) -> None:
        start.wait()
        for i in range(first, len(batches), 8):
            results[i] = shared.encode_batch(batches[i])

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(len(batches)))
    for i, vectors in results.items():
        assert np.array_equal(vectors, expected[i]), f"batch {i} differs"
