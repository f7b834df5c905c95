// Bulk actions on the registry's device list (supervisors, admins): tick devices, then move them
// to a room or set their status with one reason, or print their labels. "Check" asks the server
// what each device would do (nothing written); "Apply" changes all of them or none (the server
// checks again). Refusals are shown per device in the user's language.
import { esc, label } from "../supervisor/page.js";
import { codeText } from "../core/api.js";
import { register, t } from "../core/i18n.js";

register({
  "zh-CN": {
    bulk_title: "批量操作", bulk_selected: "已选 {count} 台", bulk_none: "先在上面的列表中勾选设备。",
    bulk_all: "全选本页", bulk_action: "操作", bulk_move: "移到机房", bulk_status: "改为状态", bulk_site: "单位",
    bulk_room: "机房", bulk_reason: "原因（记入每台设备的流转记录）", bulk_check: "检查", bulk_apply: "全部执行",
    bulk_print: "打印所选设备的标签", bulk_ok: "可以", bulk_ready: "全部 {count} 台都可以执行。",
    bulk_refused: "{count} 台不能执行，请取消勾选或先处理：", bulk_done: "已处理 {count} 台设备。",
    bulk_pick_site: "请选择单位", bulk_select: "选择", bulk_result: "结果",
  },
  en: {
    bulk_title: "Bulk actions", bulk_selected: "{count} selected", bulk_none: "Tick devices in the list above first.",
    bulk_all: "Select all on this page", bulk_action: "Action", bulk_move: "Move to a room", bulk_status: "Set the status",
    bulk_site: "Site", bulk_room: "Room", bulk_reason: "Reason (kept in every device's custody history)",
    bulk_check: "Check", bulk_apply: "Apply to all", bulk_print: "Print the selected devices' labels", bulk_ok: "OK",
    bulk_ready: "All {count} can take the change.", bulk_refused: "{count} cannot; untick them or deal with them first:",
    bulk_done: "Changed {count} devices.", bulk_pick_site: "Choose a site", bulk_select: "Select", bulk_result: "Result",
  },
});

export const STATUSES = ["in_service", "faulty", "in_repair", "spare", "retired"];
const options = (group, values) => values.map((v) => `<option value="${v}">${esc(label(group, v))}</option>`).join("");

/** The section's HTML (only for managers). */
export function bulkHtml() {
  return `<section id="bulk" aria-labelledby="bulk-title"><h3 id="bulk-title">${esc(t("bulk_title"))}</h3>
    <p><span id="bulk-count" aria-live="polite"></span> <button type="button" id="bulk-all">${esc(t("bulk_all"))}</button></p>
    <form id="bulk-form"><label>${esc(t("bulk_action"))} <select name="action">
        <option value="move">${esc(t("bulk_move"))}</option><option value="status">${esc(t("bulk_status"))}</option></select></label>
      <span data-for="move"><label>${esc(t("bulk_site"))} <select name="site"></select></label>
        <label>${esc(t("bulk_room"))} <select name="room_id"></select></label></span>
      <span data-for="status" hidden><label>${esc(t("status"))} <select name="status">${options("device_status", STATUSES)}</select></label></span>
      <label>${esc(t("bulk_reason"))} <input name="reason" required maxlength="256"></label>
      <button type="submit">${esc(t("bulk_check"))}</button>
      <button type="button" id="bulk-apply" class="primary" disabled>${esc(t("bulk_apply"))}</button></form>
    <p><a id="bulk-print" href="/labels">${esc(t("bulk_print"))}</a></p>
    <div id="bulk-result" aria-live="polite"></div></section>`;
}

/** A checkbox cell for a device row (the list calls it when managers see the page). */
export const selectCell = (tag) =>
  `<input type="checkbox" data-bulk-tag="${esc(tag)}" aria-label="${esc(t("bulk_select"))} ${esc(tag)}">`;

function resultHtml(answer) {
  const refused = answer.items.filter((i) => !i.ok);
  if (!refused.length) return `<p class="ok">${esc(t("bulk_ready", { count: answer.items.length }))}</p>`;
  return `<p class="error">${esc(t("bulk_refused", { count: refused.length }))}</p><ul id="bulk-refusals">${refused
    .map((i) => `<li data-tag="${esc(i.tag)}">${esc(i.tag)}: ${esc(codeText(i.code))}</li>`).join("")}</ul>`;
}

/** Wire the section: selection count, site → rooms, check, apply, the print link. */
export function wireBulk(app, api, { report, say, onChanged }) {
  const form = app.querySelector("#bulk-form");
  if (!form) return () => {};
  const box = app.querySelector("#bulk-result");
  const apply = app.querySelector("#bulk-apply");
  const selected = () => [...app.querySelectorAll("[data-bulk-tag]:checked")].map((c) => c.dataset.bulkTag);
  const body = () => {
    const json = { tags: selected(), action: form.action.value, reason: form.reason.value };
    if (json.action === "move" && form.room_id.value) json.room_id = Number(form.room_id.value);
    if (json.action === "status") json.status = form.status.value;
    return json;
  };
  const refresh = () => {
    const tags = selected();
    app.querySelector("#bulk-count").textContent = tags.length ? t("bulk_selected", { count: tags.length }) : t("bulk_none");
    app.querySelector("#bulk-print").href = `/labels${tags.length ? `?tags=${encodeURIComponent(tags.join(","))}` : ""}`;
    apply.disabled = true;
    box.innerHTML = "";
  };
  form.action.addEventListener("change", () => {
    for (const span of form.querySelectorAll("[data-for]")) span.hidden = span.dataset.for !== form.action.value;
    refresh();
  });
  app.querySelector("#bulk-all").addEventListener("click", () => {
    app.querySelectorAll("[data-bulk-tag]").forEach((box) => { box.checked = true; });
    refresh();
  });
  form.site.addEventListener("change", () => loadRooms(api, form).catch(report));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!selected().length) return say(t("bulk_none"));
    api("/api/v1/device-bulk/check", { method: "POST", json: body() }).then((answer) => {
      box.innerHTML = resultHtml(answer);
      apply.disabled = answer.refused > 0;
    }).catch(report);
  });
  apply.addEventListener("click", () => {
    api("/api/v1/device-bulk", { method: "POST", json: body() }).then((answer) => {
      say(t("bulk_done", { count: answer.items.length }), true);
      return onChanged();
    }).catch(report);
  });
  loadSites(api, form).catch(report);
  return refresh;
}

async function loadSites(api, form) {
  const page = await api("/api/v1/sites?per_page=500");
  form.site.innerHTML = `<option value="">${esc(t("bulk_pick_site"))}</option>${page.items
    .map((s) => `<option value="${esc(s.code)}">${esc(s.name)}</option>`).join("")}`;
}

async function loadRooms(api, form) {
  form.room_id.innerHTML = "";
  if (!form.site.value) return;
  const site = await api(`/api/v1/sites/${encodeURIComponent(form.site.value)}`);
  form.room_id.innerHTML = site.rooms.filter((r) => !r.closed_at)
    .map((r) => `<option value="${r.id}">${esc(r.name)}</option>`).join("");
}
