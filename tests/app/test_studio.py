"""The studio's helpers (app.studio) and the library pieces it added: uploads, diffs, token levels, details."""

import numpy as np
import pytest

from app.studio import MAX_UPLOAD_BYTES, code_diff, describe, pixel_diff, read_upload, token_html, token_view
from mbat.catalog import FIXTURE_CATALOG, icon_details, set_prefixes
from svgtok.errors import SVGError
from svgtok.metrics import diff_image
from svgtok.tokenizer import SVGTokenizer
from tests.app.test_pages import SQUARE

RED = SQUARE.replace("#2563eb", "#dc2626")


@pytest.fixture(scope="module")
def tokenizer():
    return SVGTokenizer.from_pretrained()


def test_uploads_are_size_and_encoding_checked():
    assert read_upload(SQUARE.encode()) == SQUARE
    with pytest.raises(SVGError, match="up to 2,000,000 bytes"):
        read_upload(b" " * (MAX_UPLOAD_BYTES + 1))
    with pytest.raises(SVGError, match="not UTF-8"):
        read_upload(b"\xff\xfe")


def test_describe_reports_badge_and_counts(tokenizer):
    c = describe(SQUARE, tokenizer, 32)
    assert c.png[:4] == b"\x89PNG" and c.paths == 1 and c.report.tokens > 0
    assert c.badge == "✓ parsed · ✓ sanitized · ✓ rendered" and c.bytes == len(SQUARE)


def test_code_diff_names_the_changed_tag():
    assert code_diff(SQUARE, SQUARE) == ""
    changed = [line for line in code_diff(SQUARE, RED).splitlines() if line[:1] in "+-" and line[:3] not in "---+++"]
    assert changed == ['-<rect x="4" y="4" width="16" height="16" fill="#2563eb"/>', changed[1]]
    assert "#dc2626" in changed[1]


def test_pixel_diff_marks_only_changed_pixels():
    png, changed = pixel_diff(SQUARE, SQUARE, 32)
    assert png[:4] == b"\x89PNG" and changed == 0.0
    assert pixel_diff(SQUARE, RED, 32)[1] == pytest.approx((16 / 24) ** 2, abs=0.05)
    a = np.full((4, 4, 3), 255, np.uint8)
    b = a.copy()
    b[1, 2] = 0
    out = diff_image(a, b)
    assert out[1, 2].tolist() == [220, 38, 38] and (out[0, 0] == 255).all()


def test_token_view_levels_and_escaped_html(tokenizer):
    enc = tokenizer.encode(SQUARE)
    view = token_view(enc, tokenizer)
    assert [t for t, _ in view.tokens] == enc.tokens and view.atomic >= len(enc.ids)
    assert view.segments == sum(tokenizer.is_segment(i) for i in enc.ids)
    html = token_html(view)
    assert "&lt;svg&gt;" in html and "<svg>" not in html


def test_catalog_details_and_sets():
    details = icon_details(FIXTURE_CATALOG, ["bi:android", "no:such"])
    assert list(details) == ["bi:android"] and details["bi:android"]["author"] == "The Bootstrap Authors"
    assert details["bi:android"]["svg"].startswith("<svg")
    assert "mdi" in set_prefixes(FIXTURE_CATALOG) and len(set_prefixes(FIXTURE_CATALOG)) == 11
