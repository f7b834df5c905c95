"""The report kinds: name, Chinese title, period kind, context builder and template; and
`render_report(kind, period)`, a pure function of the database (usable from a background job)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from server import periods
from server.errors import Conflict, Invalid, NotFound
from server.services.reports import (
    assessment,
    faults,
    inspection,
    meeting_register,
    meetings_monthly,
    render,
    sampling,
)

PERIOD_KINDS = {  # a report's period kind -> the forms server/periods.py accepts for it
    "month": ("month",),
    "quarter": ("quarter",),
    "any": ("month", "quarter", "year", "range"),
}
MEETING = "meeting"  # a report of one meeting (?meeting=<id>), not of a period


def _always() -> tuple[bool, str | None]:
    return True, None


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str  # Chinese, as printed and in the file name
    title_en: str
    period_kind: str  # month, quarter, any, or meeting (one meeting's document)
    template: str | None
    build: Callable[[periods.Span], dict] | None
    availability: Callable[[], tuple[bool, str | None]] = _always

    def status(self) -> dict:
        available, reason = self.availability()
        return {"available": available, "unavailable_reason": reason}


KINDS: dict[str, ReportKind] = {
    kind.name: kind
    for kind in (
        ReportKind(
            inspection.KIND,
            inspection.TITLE,
            "Monthly device inspection technical report",
            "month",
            "inspection_monthly.html",
            inspection.context,
        ),
        ReportKind(
            faults.KIND,
            faults.TITLE,
            "Monthly fault and SLA report",
            "month",
            "faults_monthly.html",
            faults.context,
        ),
        ReportKind(
            sampling.KIND,
            sampling.TITLE,
            "Quarterly sampling inspection report",
            "quarter",
            "sampling_quarterly.html",
            sampling.context,
        ),
        ReportKind(
            assessment.KIND,
            assessment.TITLE,
            "Service assessment form (attachment 4)",
            "any",
            "assessment.html",
            assessment.context,
            assessment.available,
        ),
        ReportKind(
            meetings_monthly.KIND,
            meetings_monthly.TITLE,
            "Monthly meeting support report",
            "month",
            "meetings_monthly.html",
            meetings_monthly.context,
        ),
        ReportKind(
            "meeting_register",
            meeting_register.TITLE,
            "Video conference usage register (one meeting)",
            MEETING,
            "meeting_register.html",
            None,  # built from a meeting, not a period: meeting_register.context
        ),
    )
}


def get_kind(name: str) -> ReportKind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound(f"There is no report '{name}'; the kinds are {', '.join(KINDS)}.")
    return kind


def span_of(kind: ReportKind, period: str, field: str = "period", location: str = "query"):
    """The period of a report, parsed by server/periods.py; a 422 naming the field if not."""
    if kind.period_kind == MEETING:
        reason = "is made per meeting, not per period: use meeting=<id>"
        raise Invalid(f"The report '{kind.name}' {reason}.", errors={location: {field: [reason]}})
    return periods.parse_span(period, PERIOD_KINDS[kind.period_kind], field, location)


def meeting_of(meeting_id: int | None):
    """The meeting of a per-meeting report: a 422 naming `meeting` if none, 404 if unknown."""
    from server.services.meetings import meetings

    if meeting_id is None:
        reason = "is missing; this report is made per meeting, e.g. meeting=12"
        raise Invalid(f"meeting {reason}.", errors={"query": {"meeting": [reason]}})
    return meetings.get(meeting_id)


def check_available(kind: ReportKind) -> None:
    available, reason = kind.availability()
    if not available:
        raise Conflict(
            f"The report '{kind.name}' is not available yet: {reason}", code_name="not_available"
        )


def report_html(name: str, period: str, for_pdf: bool = False, meeting: int | None = None) -> str:
    """The report as an HTML page (the browser preview, or with for_pdf the PDF's source);
    a per-meeting kind takes `meeting` (an id) instead of the period."""
    kind = get_kind(name)
    if kind.period_kind == MEETING:
        return meeting_register.html(meeting_of(meeting), for_pdf=for_pdf)
    span = span_of(kind, period)
    check_available(kind)
    context = {"kind": kind.name, **kind.build(span)}
    return render.render_html(kind.template, context, for_pdf=for_pdf)


def render_report(name: str, period: str, meeting: int | None = None) -> bytes:
    """The report as PDF bytes; needs only an app context (no request): jobs call it too."""
    return render.render_pdf(report_html(name, period, for_pdf=True, meeting=meeting))


def _label(kind: ReportKind, period: str, meeting: int | None) -> str:
    if kind.period_kind == MEETING:
        return str(meeting_of(meeting).id)
    return span_of(kind, period).label


def filename(name: str, period: str, meeting: int | None = None) -> str:
    kind = get_kind(name)
    if kind.period_kind == MEETING:
        return meeting_register.filename(meeting_of(meeting))
    return f"{kind.title}-{span_of(kind, period).label}.pdf"


def content_disposition(
    name: str, period: str, disposition: str = "attachment", meeting: int | None = None
) -> str:
    """RFC 6266 / 5987: an ASCII fallback name and the Chinese name in filename*."""
    label = _label(get_kind(name), period, meeting)
    chinese = filename(name, period, meeting)
    return f"{disposition}; filename=\"{name}-{label}.pdf\"; filename*=UTF-8''{quote(chinese)}"


def listing() -> list[dict]:
    return [
        {
            "name": k.name,
            "title": k.title,
            "title_en": k.title_en,
            "period_kind": k.period_kind,
            **k.status(),
        }
        for k in KINDS.values()
    ]
