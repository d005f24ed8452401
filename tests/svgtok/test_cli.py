"""The svgtok command line, run in-process through its main()."""

import pytest

from svgtok.cli import main

SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M2 2h20v20H2z"/></svg>'


@pytest.fixture
def icon(tmp_path):
    path = tmp_path / "square.svg"
    path.write_text(SQUARE)
    return path


def test_normalize_encode_decode(icon, tmp_path, capsys):
    assert main(["normalize", str(icon)]) == 0
    normalized = capsys.readouterr().out.strip()
    assert 'viewBox="0 0 480 480"' in normalized
    assert main(["encode", str(icon)]) == 0
    ids = capsys.readouterr().out
    (tmp_path / "ids.txt").write_text(ids)
    assert main(["decode", str(tmp_path / "ids.txt")]) == 0
    assert capsys.readouterr().out.strip() == normalized
    assert main(["encode", "--tokens", str(icon)]) == 0
    assert capsys.readouterr().out.split()[:2] == ["<svg>", "<path>"]


def test_stats(icon, capsys):
    assert main(["stats", str(icon), str(icon)]) == 0
    out = capsys.readouterr().out
    assert "tokens=" in out and "files=2" in out


def test_bad_input_is_one_clear_line(tmp_path, capsys):
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg><script>alert(1)</script></svg>")
    assert main(["encode", str(bad)]) == 1
    assert "error:" in capsys.readouterr().err
    assert main(["normalize", str(tmp_path / "missing.svg")]) == 1
    assert "cannot read" in capsys.readouterr().err
    (tmp_path / "ids.txt").write_text("1 2 x")
    assert main(["decode", str(tmp_path / "ids.txt")]) == 1
    assert "integer token ids" in capsys.readouterr().err


def test_train_segments_from_a_folder(tmp_path, capsys):
    for i in range(12):
        (tmp_path / f"{i}.svg").write_text(SQUARE.replace("M2 2", f"M{i} 3"))
    out = tmp_path / "tok"
    assert main(["train-segments", "--input", str(tmp_path), "--out", str(out), "--min-count", "2"]) == 0
    assert (out / "tokenizer.json").exists()
    assert main(["--tokenizer", str(out), "encode", str(tmp_path / "3.svg")]) == 0


def test_gradients_as_one_color_or_bands(tmp_path, capsys):
    path = tmp_path / "gradient.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 4"><linearGradient id="g"><stop stop-color="red"/>'
        '<stop offset="1" stop-color="blue"/></linearGradient><rect width="8" height="4" fill="url(#g)"/></svg>'
    )
    assert main(["normalize", str(path)]) == 0
    assert capsys.readouterr().out.count("<path") == 1
    assert main(["--gradients", "bands", "normalize", str(path)]) == 0
    assert capsys.readouterr().out.count("<path") > 1
