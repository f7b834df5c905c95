"""The handover package's evidence part: the period's daily anchors (data/evidence_anchors)."""

from __future__ import annotations

from server.services.evidence import anchors

COLUMNS = ["day", "records", "seq", "hash"]


def _days(span) -> int:
    return 1


def write(ctx) -> list[str]:
    """Each day's head hash, and the period's last one in the README (docs/evidence.md)."""
    from server.services.handover.parts import write_table

    found = anchors.daily(ctx.span)
    rows = ([a["day"].isoformat(), a["records"], a["seq"], a["hash"]] for a in found)
    count = write_table(ctx, "evidence_anchors", COLUMNS, rows)
    ctx.step()
    lines = [f"data/evidence_anchors.csv / .xlsx：每天结束时存证链的末端哈希，{count} 天"]
    if found:
        last = found[-1]
        lines.append(
            f"存证链期末锚点（{last['day']}）：链序号 {last['seq']}，哈希 {last['hash']}；"
            "用 xunjian evidence verify --anchor 日期=哈希 核对数据库未被改动"
        )
    return lines


def handover_part():
    from server.services.handover.parts import Part

    return Part("evidence", _days, write)
