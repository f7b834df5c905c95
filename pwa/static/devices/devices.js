// The office device page (/devices/<tag>, where a label's URL lands for supervisors, admins and the
// client's viewer): details, status, site and room, the custody timeline, open faults, the last
// inspections, all read through /api/v1; supervisors and admins also edit, move, retire, re-tag and
// print its label (writes.js), the viewer reads only. /devices alone: find a device by its tag
// (and, for managers, register one).
import { createPage, label, getLang, messageLine, startPage } from "../supervisor/page.js";
import { pickName, presenceText, reasonText } from "../core/i18n.js";
import { drawCreate, drawWrites } from "./writes.js";

const TEXT = {
  "zh-CN": {
    title: "设备", find: "按标签查找设备", tag: "标签", open: "打开", readOnly: "只读：此页面只供查看。",
    serial: "序列号", type: "类型", status: "状态", site: "所在单位", room: "机房", installed: "安装日期",
    notes: "备注", faults: "未关闭的故障", reported: "报修时间", severity: "严重程度", state: "状态",
    description: "描述", inspections: "最近的巡检", when: "时间", kind: "类型", outcome: "结果",
    tagSource: "标签来源", presence: "到场核验",
    noFaults: "没有未关闭的故障。", noInspections: "还没有巡检记录。", notFound: "没有标签为 {tag} 的设备。",
    inStore: "不在机房（库房或在途）", fieldApp: "在手机端打开", printLabel: "打印标签", faultDesk: "故障与备件",
    custody: "流转记录", noCustody: "还没有流转记录。", registered: "登记", by: "操作人：{who}",
    edit: "修改信息", save: "保存", saved: "已保存。", move: "移到其他机房", moveIt: "移动", moved: "已移动，流转记录已更新。",
    retire: "报废", retireIt: "报废此设备", retired: "已报废。", retireHint: "有未关闭的故障时不能报废。",
    retiredNote: "此设备已报废，不能再移动或报废。", reason: "原因", pickSite: "请选择单位", pickRoom: "请选择机房",
    noRoom: "不在机房（库房或在途）", label: "标签", template: "标签模板", printPdf: "打印标签（PDF）",
    labelsPage: "到标签打印页", retagReason: "换标签的原因", retagIt: "换新标签", retagged: "已换新标签 {tag}，请打印并贴上新标签。",
    create: "登记新设备", createIt: "登记", tagAuto: "留空则自动分配",
    checkField: "请检查此项。", fieldIs: "{field}：{why}", f_serial: "序列号", f_tag: "标签", f_type_code: "类型",
    f_room_id: "机房", f_status: "状态", f_reason: "原因", f_notes: "备注", f_install_date: "安装日期", f_template: "标签模板",
  },
  en: {
    title: "Device", find: "Find a device by its tag", tag: "Tag", open: "Open", readOnly: "Read only: this page is for viewing.",
    serial: "Serial", type: "Type", status: "Status", site: "Site", room: "Room", installed: "Installed",
    notes: "Notes", faults: "Open faults", reported: "Reported", severity: "Severity", state: "State",
    description: "Description", inspections: "Last inspections", when: "When", kind: "Kind", outcome: "Outcome",
    tagSource: "Tag", presence: "Presence",
    noFaults: "No open faults.", noInspections: "No inspections yet.", notFound: "No device has the tag {tag}.",
    inStore: "Not in a room (store or in transit)", fieldApp: "Open in the field app", printLabel: "Print labels",
    faultDesk: "Faults and spares",
    custody: "Custody", noCustody: "No custody events yet.", registered: "registered", by: "by {who}",
    edit: "Edit", save: "Save", saved: "Saved.", move: "Move to another room", moveIt: "Move",
    moved: "Moved; the custody timeline is updated.", retire: "Retire", retireIt: "Retire this device",
    retired: "Retired.", retireHint: "A device with an open fault cannot be retired.",
    retiredNote: "This device is retired: it cannot be moved or retired again.", reason: "Reason",
    pickSite: "Choose a site", pickRoom: "Choose a room", noRoom: "Not in a room (store or in transit)", label: "Label",
    template: "Label template", printPdf: "Print the label (PDF)", labelsPage: "Open the labels page",
    retagReason: "Why re-tag", retagIt: "Issue a new tag", retagged: "New tag {tag}: print it and stick it on.",
    create: "Register a device", createIt: "Register", tagAuto: "empty: a tag is issued",
    checkField: "check this field.", fieldIs: "{field}: {why}", f_serial: "Serial", f_tag: "Tag", f_type_code: "Type",
    f_room_id: "Room", f_status: "Status", f_reason: "Reason", f_notes: "Notes", f_install_date: "Installed",
    f_template: "Label template",
  },
};
const FIELD_ROLES = ["engineer", "supervisor", "admin"];
const MANAGERS = ["supervisor", "admin"];
const LAST_INSPECTIONS = 10;
const { state, t, api, client } = createPage(TEXT);
const $ = (selector) => document.querySelector(selector);
const app = document.getElementById("app");
const { say, report } = messageLine(t, () => renderLogin());
const segment = location.pathname.split("/")[2];
let tag = segment ? decodeURIComponent(segment) : "";  // a re-tag changes it (and the URL)
const manager = () => MANAGERS.includes(state.user?.role);

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
  if (manager()) drawCreate({ box: $("#create-box"), t, api, signedOut: report }).catch(report);
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
  const [faults, inspections, custody] = await Promise.all([
    api(`/api/v1/faults?tag=${q}&open=true&per_page=100`),
    api(`/api/v1/inspections?tag=${q}&per_page=${LAST_INSPECTIONS}`),
    api(`/api/v1/devices/${q}/custody`),
  ]);
  drawDetails(device);
  drawTimeline(custody.events);
  drawRows("#faults", faults.items, t("noFaults"), (f) =>
    [when(f.reported_at), label("severity", f.severity), label("fault_state", f.state), f.description]);
  drawRows("#inspections", inspections.items, t("noInspections"), (i) =>
    [when(i.client_time), label("inspection_kind", i.inspection_kind), label("outcome", i.outcome),
      label("tag_source", i.tag_source || "unknown"), presenceText(i.presence), i.notes || ""], "uuid");
  if (manager()) {
    await drawWrites({ box: $("#writes"), device, t, api, client, done: afterWrite, signedOut: report });
  }
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

/** Say what was done, then reload everything (the timeline shows the move). */
function afterWrite(message, newTag = null) {
  if (newTag) {
    tag = newTag;
    history.replaceState(null, "", `/devices/${encodeURIComponent(newTag)}`);
  }
  say(message, true);
  load().catch(report);
}

const placeText = (room) => (room ? `${room.site_name} ${room.name}` : t("inStore"));

/** The chain of custody, newest first: where from and to, the status, why, who. */
function drawTimeline(events) {
  const list = $("#timeline");
  if (!events.length) { list.replaceChildren(el("li", t("noCustody"), { className: "empty" })); return; }
  list.replaceChildren(...[...events].reverse().map((e) => {
    const li = el("li");
    const status = e.from_status && e.from_status !== e.to_status
      ? `${label("device_status", e.from_status)} → ${label("device_status", e.to_status)}`
      : label("device_status", e.to_status);
    const place = e.from_status === null && !e.from_room
      ? `${t("registered")}：${placeText(e.to_room)}`
      : (e.from_room?.id ?? null) !== (e.to_room?.id ?? null) ? `${placeText(e.from_room)} → ${placeText(e.to_room)}` : placeText(e.to_room);
    const why = e.reason || reasonText("custody", e.reason_code, e.reason_params);
    li.append(el("time", when(e.at), { dateTime: e.at }), el("span", place, { className: "place" }),
      el("span", status, { className: "status" }));
    if (why) li.append(el("span", why, { className: "reason" }));
    if (e.actor) li.append(el("span", t("by", { who: e.actor.display_name || e.actor.username }), { className: "hint" }));
    return li;
  }));
}

function field(key, value) {
  const dd = el("dd", value);
  dd.dataset.field = key;
  return dd;
}

function drawRows(selector, items, empty, cells, key = null) {
  const body = $(`${selector} tbody`);
  if (!items.length) {
    body.replaceChildren(el("tr", "", {}));
    body.firstChild.append(el("td", empty, { colSpan: body.closest("table").tHead.rows[0].cells.length, className: "empty" }));
    return;
  }
  body.replaceChildren(...items.map((item) => {
    const tr = el("tr");
    if (key) tr.dataset[key] = item[key];
    tr.append(...cells(item).map((text) => el("td", text)));
    return tr;
  }));
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell, page: "devices" });
