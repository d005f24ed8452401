"""The studio's tests run against the real model, the fixture catalog and a search index built in a temp folder."""

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set before app.resources is imported (it reads them once): a fresh index of the committed fixture catalog.
os.environ["VECTORSMITH_CATALOG"] = str(ROOT / "data/fixture/catalog.sqlite")
os.environ.setdefault("VECTORSMITH_INDEX", str(Path(tempfile.mkdtemp(prefix="vectorsmith-index-")) / "mbat.index"))

HOSTILE = {
    "xxe": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    "billion laughs": '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>',
    "external reference": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<image xlink:href="http://example.com/x.png" width="10" height="10"/></svg>',
}
SMALL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="4" y="4" width="16" height="16" '
    'fill="#FFCC4D"/></svg>'
)
# Over the 2 MB upload limit, but otherwise a valid drawing (the limit is checked before parsing).
HUGE_SVG = SMALL_SVG.replace("</svg>", "<!--" + "x" * 2_100_000 + "--></svg>")
NOT_UTF8 = b"\x89PNG\r\n\x1a\n\xff\xfe not an svg"
