"""Custody reasons and swap flags are codes the shared dictionary words, in both languages."""

import re
from pathlib import Path

import pytest

from server.services.core import reason_codes

ROOT = Path(__file__).resolve().parents[2]
REASONS_JS = ROOT / "pwa/static/core/dict/reasons.js"


def _keys(language: str) -> set[str]:
    text = REASONS_JS.read_text(encoding="utf-8")
    start = text.index("\n  'zh-CN': {" if language == "zh-CN" else "\n  en: {")
    block = text[start : text.index("\n  },", start)]
    return set(re.findall(r"(\w+):", block))


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_code_has_words_in_the_shared_dictionary(language):
    keys = _keys(language)
    wanted = {f"custody_{c}" for c in reason_codes.CUSTODY_CODES}
    wanted |= {f"flag_{c}" for c in reason_codes.FLAG_CODES}
    wanted |= {"ref_place", "ref_swap", "ref_fault", "ref_rma"}
    assert wanted <= keys, sorted(wanted - keys)


def test_codes_are_checked_and_empty_parameters_left_out():
    assert reason_codes.custody("spare_installed", swap=3, fault=None).params == {"swap": 3}
    assert reason_codes.flag("faulty_moved_out", faulty_tag="GZ1", status="") == {
        "code": "faulty_moved_out",
        "params": {"faulty_tag": "GZ1"},
    }
    with pytest.raises(ValueError):
        reason_codes.custody("moved for fun")
    with pytest.raises(ValueError):
        reason_codes.flag("looks odd")


def test_typed_reasons_stay_text_and_codes_go_to_their_columns():
    assert reason_codes.event_columns("moved to 云岩区") == {"reason": "moved to 云岩区"}
    assert reason_codes.event_columns(None) == {}
    coded = reason_codes.event_columns(reason_codes.custody("rma_scrapped", rma=7))
    assert coded == {"reason_code": "rma_scrapped", "reason_params": {"rma": 7}}
