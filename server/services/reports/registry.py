"""The report kinds: name, Chinese title, period kind, context builder and template; and
`render_report(kind, period)`, a pure function of the database (usable from a background job)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from server import periods
from server.errors import Conflict, NotFound
from server.services.reports import assessment, faults, inspection, render, sampling

PERIOD_KINDS = {  # a report's period kind -> the forms server/periods.py accepts for it
    "month": ("month",),
    "quarter": ("quarter",),
    "any": ("month", "quarter", "year", "range"),
}


def _always() -> tuple[bool, str | None]:
    return True, None


def _meetings_missing() -> tuple[bool, str | None]:
    return False, "会议记录功能尚未上线，上线后即可生成本登记表。"


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str  # Chinese, as printed and in the file name
    title_en: str
    period_kind: str  # month, quarter or any
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
            "meeting_register",
            "视频会议系统使用情况登记表",
            "Video conference usage register",
            "month",
            None,
            None,
            _meetings_missing,
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
    return periods.parse_span(period, PERIOD_KINDS[kind.period_kind], field, location)


def check_available(kind: ReportKind) -> None:
    available, reason = kind.availability()
    if not available:
        raise Conflict(
            f"The report '{kind.name}' is not available yet: {reason}", code_name="not_available"
        )


def report_html(name: str, period: str, for_pdf: bool = False) -> str:
    """The report as an HTML page (the browser preview, or with for_pdf the PDF's source)."""
    kind = get_kind(name)
    span = span_of(kind, period)
    check_available(kind)
    context = {"kind": kind.name, **kind.build(span)}
    return render.render_html(kind.template, context, for_pdf=for_pdf)


def render_report(name: str, period: str) -> bytes:
    """The report as PDF bytes; needs only an app context (no request): jobs call it too."""
    return render.render_pdf(report_html(name, period, for_pdf=True))


def filename(name: str, period: str) -> str:
    kind = get_kind(name)
    return f"{kind.title}-{span_of(kind, period).label}.pdf"


def content_disposition(name: str, period: str, disposition: str = "attachment") -> str:
    """RFC 6266 / 5987: an ASCII fallback name and the Chinese name in filename*."""
    label = span_of(get_kind(name), period).label
    chinese = filename(name, period)
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
