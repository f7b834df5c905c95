"""Example tags in the protocol documents are real tags (issue 11: docs/faults.md had nine
characters, docs/sync.md a wrong check character), so a client copying them is not refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from server import tags

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("name", ["sync.md", "faults.md"])
def test_example_tags_pass_their_check(name):
    found = re.findall(r'"(GZ[0-9A-Z]+)"', (DOCS / name).read_text(encoding="utf-8"))
    assert found
    assert [t for t in found if not tags.is_valid(t)] == []
