"""The MBAT encoder: any JSON value → one unit float32 vector whose cosine reflects structure.

Following ``shared/MBAT.md`` (after Gallant 2022), with ``n(v) = v / ‖v‖`` and every child normalized
before it is bound into its parent:

- object ``{k: v}``: ``n( Σ w_k · R_k · enc(v) + β · Σ enc(v) )``, ``R_k`` the signed-permutation role of
  key ``k`` (orthogonal, and roles do not commute, so ``{"a":{"b":x}}`` differs from ``{"b":{"a":x}}``);
- ordered array: the recurrence ``S_j = P·S_{j−1} + enc(a_j)``, i.e. ``Σ P^{m−1−j} enc(a_j)``, plus
  ``β_seq · Σ enc(a_j)``; arrays under a key in ``bag_keys`` are unordered: ``n(Σ enc(a_j))``;
- string: ``atom("str:" + s)``, or for keys in ``text_keys`` free text: the sum of word atoms (and
  char-trigram atoms when ``trigram_weight > 0``);
- number: a level vector at the number's place on its key's :class:`NumberScale` (soft numbers);
- true, false, null, and empty objects and arrays: atoms of their own.

Batch encoding is vectorized: documents are compiled into edges (parent, child, role, weight), leaves
become rows of a cache of already-bound leaf vectors, and each tree level is evaluated for the whole batch
(:mod:`mbat.program`). The cache is shared state, so an encoder encodes one batch at a time: a lock lets
several threads (the app's sessions) share one encoder. The settings (:mod:`mbat.settings`) and
:data:`mbat.vsa.VERSION` are the encoder's stamp: an index stores them and refuses vectors made with any other.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from functools import cache
from typing import Any

import numpy as np

from mbat.errors import MBATError
from mbat.program import Program, Slot, evaluate
from mbat.settings import DEFAULT_SCALE, EncoderConfig, NumberScale
from mbat.vsa import VERSION, Role, atom, bind, level, level_chain, normalize

# Level positions are cached as leaf rows, quantized to 1/32 of a link: far finer than any field needs.
LEVEL_STEPS = 32
# The bound-leaf cache is emptied between chunks once it holds more rows (512 MiB at D=1024).
MAX_CACHE_ROWS = 131_072
# Edges evaluated at once; bounds the batch's working memory to about 4·D bytes per edge (128 MiB at D=1024).
CHUNK_EDGES = 32_768
_WORD = re.compile(r"[^\W_]+")
_SCALARS = frozenset({str, int, float, bool, type(None)})


def text_words(text: str) -> list[str]:
    """The words of a free text, as the encoder sees them: lower case, split at anything not a letter or digit.

    Example:
        >>> text_words("Arrow-Left_2")
        ['arrow', 'left', '2']
    """
    return _WORD.findall(text.lower())


class _BadValue(Exception):
    """A value the encoder refuses; ``path`` collects the keys on the way up to the root."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason, self.path = reason, []


def _json_path(parts: list) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in reversed(parts))


def parse_json(text: str) -> Any:
    """JSON text to a value, with an error a person can act on.

    Raises:
        MBATError: the text is not valid JSON.

    Example:
        >>> parse_json('{"fill": "red"}')
        {'fill': 'red'}
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MBATError(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; check quotes, commas and brackets"
        ) from exc


class Encoder:
    """MBAT encoder: JSON values to unit vectors, deterministic across processes and machines.

    Args:
        dim: dimensions D (a multiple of 8).
        seed: selects an independent family of atoms and roles.
        beta: weight of the unbound sum in an object (lets ``{fill: red}`` resemble ``{color: red}``).
        sequence_beta: weight of the unbound sum in an ordered array.
        levels: links of the level chain; two numbers ``1 / levels`` apart on their scale are orthogonal.
        trigram_weight: weight of char-trigram atoms in free text (0: words only).
        text_keys: keys whose strings are free text (words), not categories.
        bag_keys: keys whose arrays are unordered.
        weights: per-key weight ``w_k`` (default 1).
        scales: per-key :class:`NumberScale` (default: asinh over ±10,000).
        max_depth: deepest nesting accepted.
        max_items: longest array or object accepted.

    Raises:
        MBATError: a setting is out of range.

    Example:
        >>> enc = Encoder(dim=256)
        >>> x = enc.encode_batch([{"fill": "red"}, {"fill": "red", "stroke": "blue"}])
        >>> x.shape, round(float(x[0] @ x[1]), 1)
        ((2, 256), 0.7)
    """

    def __init__(
        self,
        dim: int = 1024,
        seed: int = 0,
        beta: float = 0.3,
        sequence_beta: float = 0.3,
        levels: int = 8,
        trigram_weight: float = 0.0,
        text_keys: Iterable[str] = (),
        bag_keys: Iterable[str] = (),
        weights: Mapping[str, float] | None = None,
        scales: Mapping[str, NumberScale] | None = None,
        max_depth: int = 64,
        max_items: int = 10_000,
    ):
        if dim < 8 or dim % 8:
            raise MBATError(f"dim={dim} must be a positive multiple of 8; 1024 is the default")
        if levels < 1:
            raise MBATError(f"levels={levels} must be at least 1")
        for name, value in (("beta", beta), ("sequence_beta", sequence_beta), ("trigram_weight", trigram_weight)):
            if not 0 <= value <= 10:
                raise MBATError(f"{name}={value} is outside [0, 10]; about 0.3 is usual")
        self.config = EncoderConfig(
            dim=dim,
            seed=seed,
            beta=float(beta),
            sequence_beta=float(sequence_beta),
            levels=levels,
            trigram_weight=float(trigram_weight),
            text_keys=tuple(sorted(text_keys)),
            bag_keys=tuple(sorted(bag_keys)),
            weights=dict(weights or {}),
            scales=dict(scales or {}),
            max_depth=max_depth,
            max_items=max_items,
        )
        self._text_keys = frozenset(self.config.text_keys)
        self._bag_keys = frozenset(self.config.bag_keys)
        self._chains: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._roles: list[Role] = [Role.identity(dim)]
        self._role_ids: dict[str | int, int] = {0: 0}
        self._step = Role.named("sequence", dim, seed)
        self._max_power = 0
        self._slots: list[Slot] = []
        self._slot_ids: dict[tuple, int] = {}
        self._key_slots: dict[str, int] = {}
        self._memo: dict[tuple, int] = {}
        # Room for a full cache and one more chunk's new rows; np.empty touches no page until a row is written.
        self._table = np.empty((MAX_CACHE_ROWS + CHUNK_EDGES, dim), dtype=np.float32)
        self._size = 0
        # The caches above grow, and empty themselves, while a batch compiles; one batch at a time.
        self._lock = threading.RLock()

    @classmethod
    def from_config(cls, config: EncoderConfig) -> Encoder:
        """The encoder a saved :class:`EncoderConfig` describes."""
        return cls(**{k: v for k, v in asdict(config).items() if k != "scales"}, scales=config.scales)

    def __repr__(self) -> str:
        c = self.config
        return f"Encoder(dim={c.dim}, seed={c.seed}, beta={c.beta}, levels={c.levels}, version={VERSION!r})"

    # -- roles, slots and the bound-leaf cache ----------------------------------------------------------

    def _role_id(self, key: str | int) -> int:
        """The id of a key's role, or of ``P^i`` for an integer ``i`` (position ``i`` from an array's end)."""
        rid = self._role_ids.get(key)
        if rid is not None:
            return rid
        if isinstance(key, int):
            while self._max_power < key:  # P^i = P @ P^(i-1); powers are made in order and kept
                self._max_power += 1
                self._role_ids[self._max_power] = len(self._roles)
                self._roles.append(self._step @ self._roles[self._role_ids[self._max_power - 1]])
            return self._role_ids[key]
        self._role_ids[key] = len(self._roles)
        self._roles.append(Role.named("key:" + key, self.config.dim, self.config.seed))
        return self._role_ids[key]

    def role(self, key: str | int) -> Role:
        """The role an object key binds with, or ``P^i`` for an integer ``i ≥ 0``: the role of the item
        ``i`` places before an ordered array's end.

        Example:
            >>> enc = Encoder(dim=64)
            >>> bool(np.array_equal(enc.role(2).perm, (enc.role(1) @ enc.role(1)).perm))
            True
        """
        with self._lock:
            return self._roles[self._role_id(key)]

    def _slot(self, role: int, weight: float, beta: float, key: str | None) -> int:
        """The id of a place a child can take: its role, weight and beta in the parent, and its key."""
        spec = (role, float(weight), float(beta), key)
        slot = self._slot_ids.get(spec)
        if slot is None:
            slot = self._slot_ids[spec] = len(self._slots)
            self._slots.append(spec)
        return slot

    def _child_slots(self, value: Mapping | Sequence, key: str | None) -> Iterable[tuple[Any, int, str | int]]:
        """(child, slot, path part) for each child of an object or array."""
        c = self.config
        if len(value) > c.max_items:
            raise _BadValue(f"{{path}} holds {len(value):,} items, over max_items={c.max_items:,}; split it")
        if isinstance(value, Mapping):
            for k, v in value.items():
                slot = self._key_slots.get(k)
                if slot is None:
                    if not isinstance(k, str):
                        raise _BadValue(f"the key {k!r} at {{path}} is not a string; JSON keys are strings")
                    slot = self._key_slots[k] = self._slot(self._role_id(k), c.weights.get(k, 1.0), c.beta, k)
                yield v, slot, k
        elif key in self._bag_keys:
            slot = self._slot(0, 1.0, 0.0, key)
            for j, v in enumerate(value):
                yield v, slot, j
        else:
            m = len(value)
            for j, v in enumerate(value):
                yield v, self._slot(self._role_id(m - 1 - j), 1.0, c.sequence_beta, key), j

    def _chain(self, levels: int) -> tuple[np.ndarray, np.ndarray]:
        """The level chain with ``levels`` links (see :func:`mbat.vsa.level_chain`), made on first use."""
        if levels not in self._chains:
            self._chains[levels] = level_chain(levels, self.config.dim, self.config.seed)
        return self._chains[levels]

    def _store_row(self, role: int, weight: float, beta: float, vector: np.ndarray) -> int:
        """Append ``weight · R · a + beta · a`` (``a`` the unit vector of ``vector``) to the leaf cache."""
        if self._size == len(self._table):  # only a single document with ~30k distinct new leaves gets here
            self._table = np.concatenate([self._table, np.empty_like(self._table)])
        a = normalize(vector.astype(np.float32))
        self._table[self._size] = weight * bind(self._roles[role], a) + beta * a
        self._size += 1
        return self._size - 1

    def _text_rows(self, text: str) -> list[int]:
        """Cache rows of the word atoms of a free text, then of its char trigrams (weighted)."""
        c = self.config
        words = text_words(text)
        parts = [("word", w, 1.0) for w in words]
        if c.trigram_weight:
            parts += [("tri", f"#{w}#"[i : i + 3], c.trigram_weight) for w in words for i in range(len(w))]
        rows = []
        for kind, part, weight in parts:
            row = self._memo.get((kind, part))
            if row is None:
                row = self._memo[kind, part] = self._store_row(0, weight, 0.0, atom(f"{kind}:{part}", c.dim, c.seed))
            rows.append(row)
        return rows

    def _scalar_vector(self, value: Any, key: str | None) -> np.ndarray:
        """The vector of a scalar, a one-word free text or an empty container (not yet normalized)."""
        c = self.config
        if isinstance(value, str):
            if key not in self._text_keys:
                return atom("str:" + value, c.dim, c.seed)
            words = text_words(value)
            return atom("word:" + words[0] if words else "empty:text", c.dim, c.seed)
        if isinstance(value, bool) or value is None:
            return atom(f"json:{json.dumps(value)}", c.dim, c.seed)
        if isinstance(value, int | float | np.integer | np.floating):
            number = float(value)
            if not math.isfinite(number):
                raise _BadValue(f"the number {number} at {{path}} is not finite; JSON has no NaN or infinity")
            scale = c.scales.get(key, DEFAULT_SCALE)
            levels = scale.levels or c.levels
            links, rank = self._chain(levels)
            u = round(scale.position(number) * levels * LEVEL_STEPS) / LEVEL_STEPS
            return level(np.array([u]), links, rank)[0]
        return atom("json:" + ("{}" if isinstance(value, Mapping) else "[]"), c.dim, c.seed)

    def _leaf_row(self, slot: int, value: Any) -> int:
        """The cache row holding ``w · R · a + β · a`` for a leaf ``a`` in a slot, or -1 for a node.

        Scalars are leaves: their bound vector depends only on (slot, value), so it is made once and every
        later occurrence is a row index. Objects, arrays and free text of several words (or with trigrams)
        are nodes; their words are cached one by one instead, since whole texts rarely repeat.
        """
        cls = value.__class__
        if cls is dict or cls is list or cls is tuple or isinstance(value, Mapping):
            if value:
                return -1
            memo = (slot, "empty", isinstance(value, Mapping))
        elif cls in _SCALARS or isinstance(value, np.integer | np.floating):
            memo = (slot, cls, value)
        else:
            raise _BadValue(
                f"the value at {{path}} is a {cls.__name__}, which is not JSON; "
                "use objects, arrays, strings, numbers, booleans or null"
            )
        row = self._memo.get(memo)
        if row is None:
            role, weight, beta, key = self._slots[slot]
            if cls is str and key in self._text_keys:
                words = text_words(value)
                if len(words) > 1 or (words and self.config.trigram_weight):
                    return -1
            row = self._memo[memo] = self._store_row(role, weight, beta, self._scalar_vector(value, key))
        return row

    # -- compiling JSON into edges ----------------------------------------------------------------------

    def _cached_bag_rows(self, items: list, key: str) -> list[int] | None:
        """The cache rows of an unordered array's items when every item is a scalar already cached, else None.

        The fast path for the asset documents' bags (cells, colors), which repeat the same few hundred values.
        """
        slot = self._slot(0, 1.0, 0.0, key)
        memo = self._memo
        try:
            rows = [memo.get((slot, item.__class__, item)) for item in items]
        except TypeError:  # an unhashable item: an object or array
            return None
        return None if None in rows else rows

    def _compile(self, value: Any, key: str | None, program: Program, depth: int) -> tuple[int, int]:
        """Add the node of an object, array or free text and its subtree; returns (node id, height)."""
        if depth > self.config.max_depth:
            raise _BadValue(f"{{path}} is nested deeper than max_depth={self.config.max_depth}; flatten it")
        node = len(program.heights)
        program.heights.append(1)
        if value.__class__ is str:  # free text: a node over its word atoms
            rows = self._text_rows(value)
            program.leaf_parent += [node] * len(rows)
            program.leaf_row += rows
            return node, 1
        if value.__class__ is list and key in self._bag_keys and len(value) <= self.config.max_items:
            rows = self._cached_bag_rows(value, key)
            if rows is not None:
                program.leaf_parent += [node] * len(rows)
                program.leaf_row += rows
                return node, 1
        height = 1
        memo = self._memo
        for child, slot, part in self._child_slots(value, key):
            # The common case first: a scalar already in the cache, without a call.
            row = memo.get((slot, child.__class__, child)) if child.__class__ in _SCALARS else None
            try:
                if row is None:
                    row = self._leaf_row(slot, child)
                if row < 0:
                    sub, sub_height = self._compile(child, self._slots[slot][3], program, depth + 1)
            except _BadValue as exc:
                exc.path.append(part)
                raise
            if row >= 0:
                program.leaf_parent.append(node)
                program.leaf_row.append(row)
            else:
                program.edge_parent.append(node)
                program.edge_child.append(sub)
                program.edge_slot.append(slot)
                height = max(height, sub_height + 1)
        program.heights[node] = height
        return node, height

    def _add_root(self, value: Any, key: str | None, program: Program) -> None:
        """Compile one document; a scalar gets a root node holding just that leaf."""
        try:
            row = self._leaf_row(self._slot(0, 1.0, 0.0, key), value)
            if row < 0:
                node, _ = self._compile(value, key, program, 1)
            else:
                node = len(program.heights)
                program.heights.append(1)
                program.leaf_parent.append(node)
                program.leaf_row.append(row)
        except _BadValue as exc:
            raise MBATError(exc.reason.replace("{path}", _json_path(exc.path))) from None
        program.roots.append(node)

    # -- evaluating a compiled batch ------------------------------------------------------------------

    # -- public API -----------------------------------------------------------------------------------

    def encode_batch(self, values: Iterable[Any], key: str | None = None) -> np.ndarray:
        """Encode JSON values, vectorized over the batch.

        Args:
            values: JSON values (dicts, lists, strings, numbers, booleans, None).
            key: the key the values sit under, for values of one field (text, bag and scale settings).

        Returns:
            Unit vectors, one row per value. Shapes: ``(n, D)``, float32.

        Raises:
            MBATError: a value is not JSON, holds a non-finite number, or breaks ``max_depth`` or
                ``max_items``; the message gives its JSON path.

        Example:
            >>> enc = Encoder(dim=256)
            >>> enc.encode_batch([{"a": 1}, [1, 2], "red"]).shape
            (3, 256)
        """
        with self._lock:
            chunks = []
            program = Program()
            for value in values:
                if not program.roots and self._size > MAX_CACHE_ROWS:
                    self._memo.clear()
                    self._size = 0
                self._add_root(value, key, program)
                if program.size >= CHUNK_EDGES:
                    chunks.append(evaluate(program, self._table, self._roles, self._slots))
                    program = Program()
            if program.roots or not chunks:
                chunks.append(evaluate(program, self._table, self._roles, self._slots))
            return np.concatenate(chunks)

    def encode(self, value: Any, key: str | None = None) -> np.ndarray:
        """Encode one JSON value (see :meth:`encode_batch`). Shapes: ``(D,)``.

        Example:
            >>> enc = Encoder(dim=256)
            >>> a, b = enc.encode({"a": {"b": 1}}), enc.encode({"b": {"a": 1}})
            >>> bool(a @ b < 0.5)
            True
        """
        return self.encode_batch([value], key)[0]


@cache
def default_encoder() -> Encoder:
    """The shared ``Encoder()`` with default settings, used by :func:`encode_json`."""
    return Encoder()


def encode_json(value: Any) -> np.ndarray:
    """Encode one JSON value with the default encoder (D=1024, seed 0). Shapes: ``(1024,)``.

    Raises:
        MBATError: the value is not JSON (see :meth:`Encoder.encode_batch`).

    Example:
        >>> v = encode_json({"name": "bell", "tags": ["alert", "ring"]})
        >>> v.shape, round(float(v @ v), 3)
        ((1024,), 1.0)
    """
    return default_encoder().encode(value)
