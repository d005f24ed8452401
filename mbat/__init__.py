"""mbat: JSON to one vector (MBAT, Gallant 2022), and a searchable index of the icon library.

An :class:`Encoder` turns any JSON value into a unit vector whose cosine reflects structure; an
:class:`AssetIndex` holds one vector per catalog icon (FAISS) with its metadata and filters (SQLite).
"""

from mbat.document import asset_document, asset_encoder
from mbat.encoder import Encoder, encode_json, parse_json
from mbat.errors import MBATError
from mbat.index import AssetIndex
from mbat.probe import probe
from mbat.settings import EncoderConfig, NumberScale
from mbat.store import FaissStore, VectorStore
from mbat.vsa import Role, atom, bind, bundle, unbind

__all__ = [
    "AssetIndex",
    "Encoder",
    "EncoderConfig",
    "FaissStore",
    "MBATError",
    "NumberScale",
    "Role",
    "VectorStore",
    "asset_document",
    "asset_encoder",
    "atom",
    "bind",
    "bundle",
    "encode_json",
    "parse_json",
    "probe",
    "unbind",
]
