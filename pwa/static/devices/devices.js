// The office device page (/devices/<tag>, where a label's URL lands for supervisors, admins and the
// client's viewer): details, status, site and room, open faults, the last inspections, all read
// through /api/v1; read-only for the viewer. /devices alone: find a device by its tag. The
// registry's device page grows from here.
import { createPage, label, getLang, messageLine, startPage } from "../supervisor/page.js";
import { pickName } from "../core/i18n.js";

const TEXT = {
  "zh-CN": {
    title: "设备", find: "按标签查找设备", tag: "标签", open: "打开", readOnly: "只读：此页面只供查看。",
    serial: "序列号", type: "类型", status: "状态", site: "所在单位", room: "机房", installed: "安装日期",
    notes: "备注", faults: "未关闭的故障", reported: "报修时间", severity: "严重程度", state: "状态",
    description: "描述", inspections: "最近的巡检", when: "时间", kind: "类型", outcome: "结果",
    noFaults: "没有未关闭的故障。", noInspections: "还没有巡检记录。", notFound: "没有标签为 {tag} 的设备。",
    inStore: "不在机房（库房或在途）", fieldApp: "在手机端打开", printLabel: "打印标签", faultDesk: "故障与备件",
  },
  en: {
    title: "Device", find: "Find a device by its tag", tag: "Tag", open: "Open", readOnly: "Read only: this page is for viewing.",
    serial: "Serial", type: "Type", status: "Status", site: "Site", room: "Room", installed: "Installed",
    notes: "Notes", faults: "Open faults", reported: "Reported", severity: "Severity", state: "State",
    description: "Description", inspections: "Last inspections", when: "When", kind: "Kind", outcome: "Outcome",
    noFaults: "No open faults.", noInspections: "No inspections yet.", notFound: "No device has the tag {tag}.",
    inStore: "Not in a room (store or in transit)", fieldApp: "Open in the field app", printLabel: "Print labels",
    faultDesk: "Faults and spares",
  },
};
const FIELD_ROLES = ["engineer", "supervisor", "admin"];
const LAST_INSPECTIONS = 10;
const { state, t, api, client } = createPage(TEXT);
const $ = (selector) => document.querySelector(selector);
const app = document.getElementById("app");
const { say, report } = messageLine(t, () => renderLogin());
const segment = location.pathname.split("/")[2];
const tag = segment ? decodeURIComponent(segment) : "";

const when = (iso) => (iso ? new Date(iso).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN") : "");
const el = (name, text = "", props = {}) => Object.assign(document.createElement(name), { textContent: text, ...props });

function renderShell() {
  say("");
  if (!tag) return renderFind();
  app.replaceChildren($("#device-main").content.cloneNode(true));
  app.querySelectorAll("[data-t]").forEach((node) => { node.textContent = t(node.dataset.t); });
  load().catch(report);
}

function renderFind() {
  app.replaceChildren($("#find-main").content.cloneNode(true));
  app.querySelectorAll("[data-t]").forEach((node) => { node.textContent = t(node.dataset.t); });
  $("#find").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = event.target.tag.value.trim().toUpperCase();
    if (value) location.assign(`/devices/${encodeURIComponent(value)}`);
  });
}

async function load() {
  const q = encodeURIComponent(tag);
  let device;
  try {
    device = await api(`/api/v1/devices/${q}`);
  } catch (error) {
    if (error.status === 404) { app.replaceChildren(el("p", t("notFound", { tag }), { className: "error" })); return; }
    throw error;
  }
  const [faults, inspections] = await Promise.all([
    api(`/api/v1/faults?tag=${q}&open=true&per_page=100`),
    api(`/api/v1/inspections?tag=${q}&per_page=${LAST_INSPECTIONS}`),
  ]);
  drawDetails(device);
  drawRows("#faults", faults.items, t("noFaults"), (f) =>
    [when(f.reported_at), label("severity", f.severity), label("fault_state", f.state), f.description]);
  drawRows("#inspections", inspections.items, t("noInspections"), (i) =>
    [when(i.client_time), label("inspection_kind", i.inspection_kind), label("outcome", i.outcome), i.notes || ""]);
}

function drawDetails(device) {
  $("#device-title").textContent = `${device.tag} · ${pickName(device.type)}`;
  const place = device.site ? `${device.site.name}（${device.site.code}）` : t("inStore");
  const rows = [
    ["serial", device.serial || "—"], ["type", `${pickName(device.type)} ${device.type.model || ""}`.trim()],
    ["status", label("device_status", device.status)], ["site", place], ["room", device.room?.name || "—"],
    ["installed", device.install_date || "—"], ["notes", device.notes || "—"],
  ];
  $("#details").replaceChildren(...rows.flatMap(([key, value]) => [el("dt", t(key)), field(key, value)]));
  // The viewer reads; field roles get the ways on to their work (links, no writes on this page).
  const works = FIELD_ROLES.includes(state.user.role);
  $("#read-only").hidden = works;
  const actions = $("#actions");
  actions.hidden = !works;
  if (works) {
    actions.replaceChildren(
      el("a", t("fieldApp"), { href: `/d/${encodeURIComponent(device.tag)}?field=1`, className: "button" }),
      el("a", t("faultDesk"), { href: "/faults", className: "button" }),
      ...(state.user.role === "engineer" ? [] : [el("a", t("printLabel"), { href: "/labels", className: "button" })]),
    );
  }
}

function field(key, value) {
  const dd = el("dd", value);
  dd.dataset.field = key;
  return dd;
}

function drawRows(selector, items, empty, cells) {
  const body = $(`${selector} tbody`);
  if (!items.length) {
    body.replaceChildren(el("tr", "", {}));
    body.firstChild.append(el("td", empty, { colSpan: 4, className: "empty" }));
    return;
  }
  body.replaceChildren(...items.map((item) => {
    const tr = el("tr");
    tr.append(...cells(item).map((text) => el("td", text)));
    return tr;
  }));
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell, page: "devices" });
