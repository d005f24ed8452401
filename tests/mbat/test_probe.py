"""Probing recovers fields, so the vector really holds the structure (MBAT.md: exact on a 20-field record)."""

import random

import pytest

from mbat import Encoder, MBATError, probe

ENC = Encoder(dim=1024)


def test_probe_recovers_every_field_of_a_20_field_record_from_a_large_vocabulary():
    rng = random.Random(0)
    vocabulary = [f"value-{i}" for i in range(5000)]
    record = {f"field{i}": rng.choice(vocabulary) for i in range(20)}
    vector = ENC.encode(record)
    for key, value in record.items():
        assert probe(vector, [key], vocabulary, ENC)[0][0] == value


def test_probe_follows_nested_keys_and_array_items_from_the_end():
    doc = {"svg": {"children": [{"fill": "red"}, {"fill": "blue"}, {"fill": "green"}]}, "palette": "color"}
    vector = ENC.encode(doc)
    colors = ["red", "blue", "green", "black"]
    assert probe(vector, ["svg", "children", -1, "fill"], colors, ENC)[0][0] == "green"
    assert probe(vector, ["svg", "children", -3, "fill"], colors, ENC)[0][0] == "red"
    assert probe(vector, ["palette"], ["mono", "color"], ENC)[0][0] == "color"


def test_probe_ranks_soft_numbers_by_closeness():
    vector = ENC.encode({"paths": 12, "name": "x"})
    ranked = [value for value, _ in probe(vector, ["paths"], [1, 11, 12, 500], ENC)]
    assert ranked[0] == 12 and ranked.index(500) > ranked.index(11)


def test_probe_rejects_bad_paths_and_vectors():
    vector = ENC.encode({"a": 1})
    with pytest.raises(MBATError, match="neither a key nor a negative item index"):
        probe(vector, [0], [1], ENC)
    with pytest.raises(MBATError, match="use the encoder that made it"):
        probe(vector[:10], ["a"], [1], ENC)
