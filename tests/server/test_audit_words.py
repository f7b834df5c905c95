"""Every table and column the audit log records has words in both languages on the audit page
(pwa/static/core/dict/audit.js), so a Chinese auditor never reads a raw column name."""

from __future__ import annotations

import re
from pathlib import Path

from server.models import Base
from server.services.core import audit

AUDIT_JS = Path(__file__).resolve().parents[2] / "pwa/static/core/dict/audit.js"


def _words(block: str) -> set[str]:
    """The keys of one `const NAME = {...};` block of audit.js."""
    text = AUDIT_JS.read_text(encoding="utf-8")
    body = re.search(rf"const {block} = \{{(.*?)\n\}};", text, re.S).group(1)
    return set(re.findall(r"(\w+): '", body))


def _audited_tables():
    return [t for t in Base.metadata.tables.values() if t.name not in audit._SKIP_TABLES]


def test_every_audited_table_has_words():
    names = {t.name for t in _audited_tables()}
    for block in ("ENTITIES_ZH", "ENTITIES_EN"):
        assert names - _words(block) == set(), block


def test_every_audited_column_has_words():
    columns = {c.name for t in _audited_tables() for c in t.columns}
    for block in ("COLUMNS_ZH", "COLUMNS_EN"):
        assert columns - _words(block) == set(), block
