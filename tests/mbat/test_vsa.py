"""Atoms, roles and level vectors: deterministic, orthogonal, non-commutative, and soft."""

import numpy as np
import pytest

from mbat.vsa import Role, atom, bind, bundle, level, level_chain, normalize, unbind

D = 1024


def test_atoms_are_deterministic_sign_vectors_and_nearly_orthogonal():
    a, b = atom("str:red", D), atom("str:red", D)
    assert np.array_equal(a, b)
    assert set(np.unique(a)) == {-1.0, 1.0}
    assert abs(float(a @ atom("str:blue", D))) / D < 0.15
    assert not np.array_equal(atom("str:red", D, seed=1), a)


def test_roles_are_orthogonal_and_unbind_inverts_bind():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((2, D)).astype(np.float32)
    r = Role.named("key:fill", D)
    assert float(bind(r, x) @ bind(r, y)) == pytest.approx(float(x @ y), rel=1e-5)
    assert np.allclose(unbind(r, bind(r, x)), x)


def test_roles_do_not_commute():
    a, b = Role.named("key:a", D), Role.named("key:b", D)
    x = atom("str:x", D)
    ab, ba = bind(a, bind(b, x)), bind(b, bind(a, x))
    assert abs(float(ab @ ba)) / D < 0.15


def test_repeated_binding_stays_stable():
    """Orthogonal roles keep unrelated vectors unrelated after 50 bindings (MBAT.md)."""
    p = Role.named("sequence", D)
    x, y = normalize(atom("str:x", D)), normalize(atom("str:y", D))
    for _ in range(50):
        x = bind(p, x)
    assert float(np.linalg.norm(x)) == pytest.approx(1.0, rel=1e-5)
    assert abs(float(x @ y)) < 0.15


def test_bundle_is_a_unit_superposition():
    a, b = atom("str:a", D), atom("str:b", D)
    v = bundle(np.stack([a, b]))
    assert float(np.linalg.norm(v)) == pytest.approx(1.0, rel=1e-5)
    assert float(v @ normalize(a)) > 0.6


def test_level_cosine_falls_linearly_then_stays_near_zero():
    links, rank = level_chain(8, D)
    u = np.linspace(2.0, 4.0, 9)
    v = level(u, links, rank)
    cos = v @ v[0] / D
    assert np.all(np.diff(cos[:5]) < 0)
    assert cos[4] == pytest.approx(0.0, abs=0.1)
    assert np.allclose(cos[:5], 1 - (u[:5] - 2.0), atol=0.08)
