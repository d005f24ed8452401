"""``python -m app.library`` (what ``make run`` calls first): builds the default search library once."""

import os
import subprocess
import sys

from tests.app.conftest import ROOT


def test_library_is_built_when_missing_and_kept_when_present(tmp_path):
    env = {**os.environ, "VECTORSMITH_INDEX": str(tmp_path / "mbat.index"), "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-m", "app.library"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "305 / 305 icons" in first.stdout and "305 icons indexed" in first.stdout  # progress, then the total
    assert (tmp_path / "mbat.index" / "manifest.json").exists()
    again = subprocess.run([sys.executable, "-m", "app.library"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert again.returncode == 0 and "(exists)" in again.stdout
