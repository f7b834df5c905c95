"""A database value as a spreadsheet cell of the handover tables (CSV and XLSX)."""

from __future__ import annotations

from datetime import date, datetime

from server.periods import CST


def cell(value):
    """A value as a spreadsheet cell: instants in China time, lists joined by spaces."""
    if isinstance(value, datetime):
        return value.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return " ".join(str(cell(v)) for v in value)
    if isinstance(value, dict):  # a stable reason code with its parameters (core/reason_codes)
        if "code" in value:
            return _params(value["code"], value.get("params") or {})
        return _params("", value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _params(code: str, params: dict) -> str:
    inner = ",".join(f"{key}={params[key]}" for key in sorted(params))
    return f"{code}({inner})" if code else inner
