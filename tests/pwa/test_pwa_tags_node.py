"""Run the exhaustive asset-tag tests (tests/pwa/tags.test.mjs) under node, so pytest covers them too."""
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_tag_check_character_in_node():
    run = subprocess.run(["node", "--test", str(HERE / "tags.test.mjs")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
