"""Import a meeting notice: a CSV/XLSX list of sites (code or name, speaking or not) that
replaces a meeting's participating sites; every row checked first, all written or none."""

from __future__ import annotations

from pathlib import Path

from server.errors import Invalid
from server.models import Meeting
from server.services.core.importer import RowError, read_rows, row_problems
from server.services.meetings import inputs, meetings

COLUMNS = ["site", "speaking"]
YES = {"1", "y", "yes", "true", "是", "发言", "√"}
NO = {"", "0", "n", "no", "false", "否"}


def _lookup() -> dict[str, object]:
    """Bureaus by code and by name (names are unique among the bureaus)."""
    found = {}
    for site in inputs.bureaus():
        found[site.code] = site
        found[site.name] = site
    return found


def check_rows(rows: list[dict]) -> tuple[list[str], list[str], list[RowError]]:
    """(site codes, speaking codes, errors) of a notice's rows."""
    sites, codes, talking, errors = _lookup(), [], [], []
    for number, row in enumerate(rows, start=2):
        key, word = row.get("site", ""), row.get("speaking", "").lower()
        site = sites.get(key)
        if site is None:
            reason = f"unknown site '{key}' (give a code or name)"
            errors.append(RowError(number, "site", reason, "site_unknown", {"value": key}))
        elif site.code in codes:
            reason = f"{site.name} is listed twice"
            errors.append(RowError(number, "site", reason, "site_twice", {"value": site.name}))
        if word not in YES | NO:
            reason = f"'{word}' is not yes/no (是/否)"
            errors.append(RowError(number, "speaking", reason, "speaking_word", {"value": word}))
        if site is not None and site.code not in codes:
            codes.append(site.code)
            if word in YES:
                talking.append(site.code)
    return codes, talking, errors


def import_notice(meeting: Meeting, path: Path, name: str, user) -> Meeting:
    """Replace the meeting's sites with the notice's, or raise Invalid listing every problem."""
    try:
        rows = read_rows(path, required=["site"], columns=COLUMNS)
    except Invalid as exc:
        message = exc.message.replace(path.name, name)
        raise Invalid(message, errors={"file": [message]}, code_name=exc.code_name) from None
    if not rows:
        message = f"{name} has a header but no rows."
        raise Invalid(message, errors={"file": [message]}, code_name="file_no_rows")
    codes, talking, errors = check_rows(rows)
    if errors:
        raise row_problems(name, errors)
    change = {"site_scope": "list", "site_codes": codes, "speaking_codes": talking}
    return meetings.update(meeting, change, user)
