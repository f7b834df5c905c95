"""The assessment as plain dicts: the API's answer, the CLI's table and the report's context
(docs/assessment.md describes the shape key by key)."""

from __future__ import annotations

from server.services.assessment import forms, rules
from server.services.assessment.records import Finding
from server.services.assessment.scorer import Assessment, FormScore, Line
from server.services.assessment.term import contract_term


def rule_dict(rule: rules.Rule) -> dict:
    # Only an entered event has a range; computed points come from the records.
    low, high = rule.range if rule.source == "event" else (None, None)
    return {
        "code": rule.code,
        "name_zh": rule.zh,
        "name_en": rule.en,
        "points": rule.points,
        "source": rule.source,
        "evidence": rule.evidence,
        "low": low,
        "high": high,
        "choices": list(rule.choices),
        "zero_item": rule.zero_item,
    }


def finding_dict(finding: Finding) -> dict:
    rule = forms.find_rule(finding.form, finding.item, finding.rule)[2]
    return {
        "rule": finding.rule,
        "rule_zh": rule.zh if rule else finding.rule,
        "rule_en": rule.en if rule else finding.rule,
        "points": finding.points,
        "on": finding.on,
        "what": finding.what,
        "what_zh": finding.what_zh or finding.what,
        "links": finding.links,
        "detail": finding.detail,
    }


def line_dict(form_code: str, line: Line) -> dict:
    item = forms.FORMS[form_code].item(line.code)
    return {
        "code": line.code,
        "name_zh": line.zh,
        "name_en": line.en,
        "max_points": line.max_points,
        "deducted": sum(f.points for f in line.deductions),
        "added": sum(f.points for f in line.bonuses),
        "score": line.score,
        "zeroed": line.zeroed,
        "rules": [rule_dict(r) for r in item.rules],
        "deductions": [finding_dict(f) for f in line.deductions],
        "bonuses": [finding_dict(f) for f in line.bonuses],
        "evidence": [finding_dict(f) for f in line.evidence],
    }


def form_dict(form: FormScore) -> dict:
    return {
        "code": form.code,
        "name_zh": form.zh,
        "name_en": form.en,
        "pass_mark": form.pass_mark,
        "max_points": sum(line.max_points for line in form.lines),
        "total": form.total,
        "passed": form.passed,
        "lines": [line_dict(form.code, line) for line in form.lines],
    }


def to_dict(result: Assessment) -> dict:
    first, last = contract_term()
    return {
        "period": {
            "label": result.label,
            "first": result.first,
            "last": result.last,
            "contract_first": first,
            "contract_last": last,
        },
        "as_of": result.as_of,
        "total": result.total,
        "passed": result.passed,
        "money": dict(result.money),
        "forms": [form_dict(form) for form in result.forms],
        "projection": result.projection,
        "at_risk": result.at_risk,
    }
