"""The report PDFs of the handover package: each month's inspection and fault reports, each
quarter's sampling report and the assessment form of the whole period (handover/parts.py)."""

from __future__ import annotations

from datetime import timedelta

from server import periods


def _reports(span: periods.Span) -> list[tuple[str, str]]:
    """(kind, period) of every report the period holds, months and quarters clipped to it."""
    found, day = [], span.first.replace(day=1)
    while day < span.after:
        month = f"{day:%Y-%m}"
        found += [("inspection_monthly", month), ("faults_monthly", month)]
        if day.month in (3, 6, 9, 12):
            found.append(("sampling_quarterly", f"{day.year}Q{(day.month - 1) // 3 + 1}"))
        day = (day + timedelta(days=32)).replace(day=1)
    last = span.after - timedelta(days=1)
    found.append(("assessment", f"{span.first}..{last}"))
    return found


def _steps(span: periods.Span) -> int:
    return len(_reports(span))


def _write(ctx) -> list[str]:
    from server.errors import Invalid
    from server.services.reports import registry

    count, skipped = 0, []
    for kind, period in _reports(ctx.span):
        ctx.step()
        if not registry.get_kind(kind).status()["available"]:
            continue
        try:
            pdf = registry.render_report(kind, period)
        except Invalid:  # e.g. the assessment of a period outside the contract term
            skipped.append(
                f"{registry.get_kind(kind).title} {period}：未生成（该期间不在合同期内）"
            )
            continue
        ctx.writer.add_bytes(f"reports/{registry.filename(kind, period)}", pdf, False)
        count += 1
    lines = [
        f"reports/：{count} 份报告 PDF（月度设备巡检技术报告、故障处理与SLA月报、"
        "季度抽样巡检报告、服务考核表），中文，字体已嵌入"
    ]
    return lines + skipped


def handover_part():
    from server.services.handover.parts import Part

    return Part("reports", _steps, _write)
