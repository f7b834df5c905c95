// This page's strings (Chinese first, English); enum labels and shared words are the core's (pwa/static/core/).
export const TEXT = {
  "zh-CN": {
    title: "故障与备件", month: "月份", show: "查看",     stats: "本月概况", reported: "报障数", resolved: "已解决", rate: "解决率", target: "目标 >{n}",
    target_met: "达标", target_missed: "未达标", no_rate: "无故障", deduction: "响应扣分估计", breaches: "超时",
    about_to_breach: "即将超时", fault: "故障", site: "地点", clock: "时钟", over_by: "超出",
    left: "剩余", faults: "故障列表", tag: "设备标签", severity: "级别", urgent: "紧急会议", state: "状态",
    reported_at: "报障时间", response: "响应", work: "处理", spare: "备件", handling: "总处理",
    running: "计时中", breached: "已超时",                 pool: "备件池", type: "类型", place: "存放点", count: "数量", min: "最低", low_stock: "备件不足",
    unplaced: "不在存放点的备件", total: "备件总数", flagged: "待处理的冲突换件", faulty: "故障设备",
    spare_unit: "备件", note: "处理说明", apply: "按扫描执行", dismiss: "驳回",
    swapped_at: "换件时间", custody: "设备去向", custody_hint: "输入设备标签查看它到过的地方。",
    lookup: "查询", at: "时间", from: "从", to: "到", by: "操作人", why: "原因", status: "状态",
    repairs: "维修记录", flag_review: "换件与登记不一致，请核实后处理。", unit_faults: "故障记录",
    presence: "到场核验", tag_source: "标签来源",   },
  en: {
    title: "Faults and spares", month: "Month", show: "Show",     stats: "This month", reported: "Reported", resolved: "Resolved",
    rate: "Resolution rate", target: "target >{n}", target_met: "met", target_missed: "missed", no_rate: "no faults",
    deduction: "Response deductions (est.)", breaches: "Breaches", about_to_breach: "About to breach",     fault: "Fault", site: "Site", clock: "Clock", over_by: "Over by", left: "Left", faults: "Faults",
    tag: "Device tag", severity: "Severity", urgent: "Urgent meeting", state: "State", reported_at: "Reported",
    response: "Response", work: "Work", spare: "Spare", handling: "Handling",
    running: "running", breached: "breached",                 pool: "Spare pool", type: "Type", place: "Place", count: "Count", min: "Min", low_stock: "Low stock",
    unplaced: "Spares outside a holding place", total: "Spares in all", flagged: "Flagged swaps",
    faulty: "Faulty unit", spare_unit: "Spare", note: "Note", apply: "Apply as scanned",
    dismiss: "Dismiss", swapped_at: "Swapped", custody: "Where has this unit been",
    custody_hint: "Type a device tag to see everywhere it has been.", lookup: "Look up", at: "When",
    from: "From", to: "To", by: "By", why: "Reason", status: "Status", repairs: "Repairs", flag_review: "The swap disagrees with the register; check it, then decide.",     unit_faults: "Faults",
    presence: "Presence", tag_source: "Tag",   },
};
