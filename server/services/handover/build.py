"""Build the handover package of a period: run every part into one ZIP (a temporary file,
renamed when complete, so a half-built package is never mistaken for one), inline or as a job."""

from __future__ import annotations

import os
from pathlib import Path

from server import periods
from server.models import Job, utcnow
from server.services import jobs
from server.services.handover import parts
from server.services.handover.writer import PackageWriter

JOB_KIND = "handover"
ACTIVE_KEY = "handover"  # one build at a time: a second start answers with the running one


def build(span: periods.Span, out: Path, report=lambda done, total: None) -> dict:
    """Write the package of `span` to `out`; returns the manifest's summary."""
    out = Path(out)
    temp = out.with_name(f".{out.name}.part")
    temp.parent.mkdir(parents=True, exist_ok=True)
    chosen = parts.all_parts()
    writer = PackageWriter(temp)
    try:
        ctx = parts.Context(span=span, writer=writer, report=report)
        ctx.total = sum(part.steps(span) for part in chosen)
        report(0, ctx.total)
        lines = []
        for part in chosen:
            lines.extend(part.write(ctx))
        writer.add_bytes("README.txt", readme(span, lines).encode("utf-8"))
        meta = {
            "period": {"label": span.label, "first": str(span.first), "last": str(_last(span))},
            "built_at": utcnow().isoformat(),
        }
        writer.close(meta)
        report(ctx.total, ctx.total)
    except BaseException:
        writer.abort()
        temp.unlink(missing_ok=True)
        raise
    os.replace(temp, out)
    return {**meta, "files": len(writer.files)}


def _last(span: periods.Span):
    from datetime import timedelta

    return span.after - timedelta(days=1)


def readme(span: periods.Span, lines: list[str]) -> str:
    body = "\n".join(f"- {line}" for line in lines)
    return f"""巡检（xunjian）移交资料包
期间：{span.first} 至 {_last(span)}（{span.label}，北京时间）
生成时间：{utcnow().astimezone(periods.CST).strftime("%Y-%m-%d %H:%M")}

内容：
{body}

说明：
- data/ 下每张表同时提供 CSV（UTF-8，可用 Excel/WPS 打开）和 XLSX 两种格式，内容相同。
- 表中时间均为北京时间（UTC+8）。以 ' 开头的单元格是为防止公式注入而加的前缀，原文不含该 '。
- manifest.json 和 manifest.csv 列出本包中每个文件（清单本身除外）的大小和 SHA-256。
  用 `xunjian handover verify 本文件.zip` 可逐一校验，任何文件被改动、缺失或多出都会指明。
"""


def run_job(job: Job, report):
    """The `handover` job kind (server/tasks/registry.py): build into the job files folder."""
    span = periods.parse_period(job.params.get("period"))
    out = jobs.files_root() / f"handover-{job.id}.zip"
    build(span, out, report)
    return out, f"xunjian-handover-{span.label}.zip"


def start(period: str | None) -> tuple[Job, bool]:
    """A new build of the period's package, or the one already queued or running."""
    span = periods.parse_period(period, "period", "json")
    return jobs.start(JOB_KIND, {"period": period or periods.TERM, "label": span.label}, ACTIVE_KEY)
