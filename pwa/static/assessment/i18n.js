// The assessment page's strings (Chinese first, English); shared words are the core's.
export const TEXT = {
  "zh-CN": {
    title: "服务考核", period: "考核期", kind: "类型", kind_term: "合同期", kind_year: "年度",
    kind_quarter: "季度", kind_month: "月份", kind_range: "自定义", from: "起", to: "止", show: "查看",
    score: "考核得分", lower_form: "两表取低", passed: "合格", failed: "不合格", deposit: "履约保证金",
    returned: "退还", forfeited: "扣除", final_payment: "尾款（20%）", due: "可支付", withheld: "暂缓",
    projection: "期末预计", at_risk: "本月尚有风险", points: "分", max: "满分", no_points: "无扣分或加分",
    records: "依据", add_event: "录入考核事件", form: "考核表", item: "考核项", rule: "考核规则",
    occurred_on: "发生日期", what_happened: "事件经过", evidence: "证明材料（照片或PDF）",
    fault_id: "故障编号", save: "保存", saved: "已保存考核事件 #{id}。", evidence_needed: "该规则需要证明材料。",
    read_only: "只读：考核事件由主管录入。", period_days: "{first} 至 {last}", total: "合计",
  },
  en: {
    title: "Assessment", period: "Period", kind: "Kind", kind_term: "Contract term", kind_year: "Year",
    kind_quarter: "Quarter", kind_month: "Month", kind_range: "Dates", from: "From", to: "To", show: "Show",
    score: "Score", lower_form: "lower of the two forms", passed: "passed", failed: "failed", deposit: "Performance deposit",
    returned: "returned", forfeited: "forfeited", final_payment: "Final payment (20 %)", due: "due", withheld: "withheld",
    projection: "Projected", at_risk: "Still at risk this month", points: "points", max: "max", no_points: "No deductions or bonuses",
    records: "Records", add_event: "Enter an assessment event", form: "Form", item: "Item", rule: "Rule",
    occurred_on: "Date", what_happened: "What happened", evidence: "Evidence (photo or PDF)",
    fault_id: "Fault id", save: "Save", saved: "Assessment event #{id} saved.", evidence_needed: "This rule needs evidence.",
    read_only: "Read only: supervisors enter assessment events.", period_days: "{first} to {last}", total: "Total",
  },
};
