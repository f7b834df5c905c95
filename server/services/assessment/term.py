"""The contract term the assessment is scored over (config CONTRACT_START / CONTRACT_END)."""

from __future__ import annotations

from datetime import date

from flask import current_app

from server import periods


def contract_term() -> tuple[date, date]:
    config = current_app.config
    first, last = periods.CONTRACT_TERM
    return config.get("CONTRACT_START", first), config.get("CONTRACT_END", last)
