// This page's strings (Chinese first, English); enum labels and shared words are the core's (pwa/static/core/).
export const TEXT = {
  "zh-CN": {
    title: "巡检覆盖", quarter: "季度", prefecture: "市州", county: "区县代码",
    device_type: "设备类型", all: "全部", show: "查看",     bureaus: "医保局", planned: "计划", visited: "已巡检", planned_visited: "计划内已巡检",
    planned_not_visited: "计划未巡检", visited_unplanned: "计划外巡检", expected_at_visited: "应检设备",
    inspected: "已检设备", missing: "漏检设备", unexpected: "非本点设备", failed_items: "不合格项", overdue: "超期未巡检",
        code: "代码", name: "名称", engineer: "工程师", last_visit: "最近巡检", expected: "应检", state: "状态",
    devices: "设备", tag: "标签", type: "类型", room: "房间", last_inspection: "最近检查", never: "从未检查",
    click_tile: "点击地图上的方块查看该点设备及最近检查。", sites: "各点覆盖", lists: "明细",
    never_inspected: "从未检查的设备", failed: "不合格项", plan: "季度抽检计划", size: "数量", seed: "随机种子",
    replace_plan: "替换已有计划", make_plan: "生成计划", replace: "替换", reason: "原因", new_site: "新站点代码",
    reason_needed: "请填写替换原因", registered_at: "登记位置", item: "检查项", at: "时间",     in_period: "本期已检", tiles_hint: "每个方块是一个医保局，按大致位置排列，按市州分组。",
    page_info: "第 {from}–{to} 条，共 {total} 条", prev_page: "上一页", next_page: "下一页", reason_code: "入选原因",       },
  en: {
    title: "Inspection coverage", quarter: "Quarter", prefecture: "Prefecture", county: "County code",
    device_type: "Device type", all: "All", show: "Show",     bureaus: "Bureaus", planned: "Planned", visited: "Visited", planned_visited: "Planned & visited",
    planned_not_visited: "Planned, not visited", visited_unplanned: "Visited, unplanned", expected_at_visited: "Devices expected",
    inspected: "Inspected", missing: "Missing", unexpected: "Unexpected", failed_items: "Failed items", overdue: "Overdue",
        code: "Code", name: "Name", engineer: "Engineer", last_visit: "Last visit", expected: "Expected", state: "State",
    devices: "Devices", tag: "Tag", type: "Type", room: "Room", last_inspection: "Last inspection", never: "never",
    click_tile: "Click a tile to see the site's devices and their last inspections.", sites: "Sites", lists: "Details",
    never_inspected: "Never inspected", failed: "Failed items", plan: "Quarterly sample plan", size: "Size", seed: "Seed",
    replace_plan: "Replace an existing plan", make_plan: "Make plan", replace: "Replace", reason: "Reason", new_site: "New site code",
    reason_needed: "Write the reason for the replacement", registered_at: "Registered at", item: "Item", at: "When",     in_period: "In period", tiles_hint: "Each tile is one bureau, placed near its real position, grouped by prefecture.",
    page_info: "Rows {from}–{to} of {total}", prev_page: "Previous", next_page: "Next", reason_code: "Why chosen",       },
};
