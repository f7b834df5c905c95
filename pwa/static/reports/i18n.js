// This page's strings (Chinese first, English); shared words are the core's (pwa/static/core/).
export const TEXT = {
  "zh-CN": {
    title: "报告", reports: "报告列表", period: "报告期", month: "月份", quarter: "季度", year: "年度",
    preview: "预览", download: "下载 PDF", coming: "即将提供", preview_hint: "选择报告和报告期，然后点“预览”。",
    kind_month: "月报", kind_quarter: "季报", kind_any: "任意期间", notes: "建议（打印在报告中）",
    save_notes: "保存建议", saved: "已保存。", quarter_n: "第{n}季度", details: "详情",
  },
  en: {
    title: "Reports", reports: "Reports", period: "Period", month: "Month", quarter: "Quarter", year: "Year",
    preview: "Preview", download: "Download PDF", coming: "Coming", preview_hint: "Pick a report and a period, then Preview.",
    kind_month: "monthly", kind_quarter: "quarterly", kind_any: "any period", notes: "Recommendations (printed in the report)",
    save_notes: "Save recommendations", saved: "Saved.", quarter_n: "Q{n}", details: "Details",
  },
};
