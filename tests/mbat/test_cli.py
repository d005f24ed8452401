"""The mbat command: build an index, search it, and report bad input as an error, not a traceback."""

import json

from mbat.cli import main


def test_build_then_search(tmp_path, catalog_path, capsys):
    out = tmp_path / "idx"
    assert main(["index", "build", "--catalog", str(catalog_path), "--out", str(out), "--limit", "100"]) == 0
    assert "100 icons" in capsys.readouterr().out
    assert main(["search", "arrow", "--index", str(out), "-k", "3", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and {"score", "asset_id", "license", "palette"} <= set(hits[0])
    svg = tmp_path / "q.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M2 2h20v20H2z"/></svg>')
    assert main(["search", str(svg), "--index", str(out), "--palette", "mono"]) == 0
    assert capsys.readouterr().out.count("\n") == 10


def test_errors_exit_2_with_a_message(tmp_path, catalog_path, capsys):
    assert main(["search", "x", "--index", str(tmp_path / "none")]) == 2
    assert "mbat: error: no readable index" in capsys.readouterr().err
    out = tmp_path / "idx"
    main(["index", "build", "--catalog", str(catalog_path), "--out", str(out), "--limit", "20"])
    assert main(["search", '{"a": ', "--index", str(out)]) == 2
    assert "malformed JSON" in capsys.readouterr().err
