"""Name postings: candidates ordered by the name part of the exact score, with limits and deletes."""

import numpy as np

from mbat.document import asset_encoder
from mbat.names import NamePostings


def test_candidates_follow_the_name_part_of_the_exact_score():
    """Candidates are the icons sharing a word, in the order of q · d, for documents of several sizes."""
    enc = asset_encoder()
    names = ["arrow left", "arrow", "arrow left circle", "bell", "left hand", "arrow up"]
    extra = [{}, {"paths": 3, "palette": "mono"}, {"license": "MIT"}, {}, {"colors": ["red"]}, {"aspect": 2}]
    xb = enc.encode_batch([{"name": n, **e} for n, e in zip(names, extra, strict=True)])
    shares = np.einsum("ij,ij->i", xb, enc.encode_batch([{"name": n} for n in names]))
    postings = NamePostings()
    postings.add(np.arange(len(names)), names, shares)
    for query, sharing in (("arrow left", {0, 1, 2, 4, 5}), ("arrow", {0, 1, 2, 5}), ("left", {0, 2, 4})):
        exact = xb @ enc.encode({"name": query})
        found = postings.candidates(query, limit=10).tolist()
        assert set(found) == sharing
        # In the exact order up to near-ties: word atoms are only nearly orthogonal (a few 1/√D of noise).
        assert all(exact[a] > exact[b] - 0.08 for i, a in enumerate(found) for b in found[i + 1 :])


def test_limit_deletes_and_unknown_words():
    postings = NamePostings()
    postings.add(np.arange(4), ["star", "star filled", "star half", "moon"], np.full(4, 0.5))
    assert postings.candidates("star", limit=2).tolist() == [0, 1]
    postings.delete(np.array([0]))
    assert postings.candidates("star", limit=5).tolist() == [1, 2]
    assert postings.candidates("comet", limit=5).tolist() == []
    postings.add(np.array([7]), ["star"], np.array([0.5]))  # keys may skip ahead
    assert postings.candidates("star", limit=1).tolist() == [7]
