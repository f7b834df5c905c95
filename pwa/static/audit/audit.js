// Audit log viewer (supervisors, admins; the client's auditors read it too, as everyone does here:
// it has no write buttons): filter by who, what, when and channel, paged, each change's old and new values.
import { createPage, errorHtml, esc, getLang, label, startPage } from "../supervisor/page.js";
import { hasLabel, register } from "../core/index.js";
import { AUDIT, VALUE_ENUMS } from "../core/dict/audit.js";

register(AUDIT);

const TEXT = {
  "zh-CN": {
    title: "审计日志", who: "操作人（用户名）", entity: "对象", entity_id: "编号", from: "从（日期）", to: "到（日期）",
    channel: "渠道", action: "操作", any: "全部", show: "查询", at: "时间", changes: "改动", prev: "上一页", next: "下一页",
    page_of: "第 {page} 页，共 {total} 条", api: "网页/手机", cli: "命令行", create: "新建", update: "修改", delete: "删除",
  },
  en: {
    title: "Audit log", who: "Who (username)", entity: "What", entity_id: "Id", from: "From (day)", to: "To (day)",
    channel: "Channel", action: "Action", any: "Any", show: "Show", at: "When", changes: "Changes", prev: "Previous", next: "Next",
    page_of: "Page {page}, {total} entries", api: "web / phone", cli: "command line", create: "created", update: "changed", delete: "deleted",
  },
};
const PER_PAGE = 50;
const { state, t, api, client } = createPage(TEXT, { page: 1, filters: {} });
const app = document.getElementById("app");
const when = (iso) => (iso ? new Date(iso).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN", { timeZone: "Asia/Shanghai" }) : "");

// Identifiers, not words: shown as code (a username, a tag, a site code, a file kind).
const CODE_COLUMNS = new Set(["username", "actor_label", "tag", "code", "region_code", "parent_code", "uuid", "output",
  "selection", "template", "key", "item_key", "content_hash", "fault_uuid", "visit_uuid", "serial", "old_serial", "new_serial"]);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A table or column in words; one the dictionary lacks shows as code, never as prose. */
function named(prefix, name) {
  const key = `${prefix}_${name}`;
  return t(key) !== key ? esc(t(key)) : `<code>${esc(name)}</code>`;
}

/** One value of a change: an enum as its label, yes/no, an instant in
 *  local time; anything else (names, notes, numbers) as stored; structures as code. */
function valueHtml(entity, column, value) {
  if (value == null) return "—";
  if (value === "***") return esc(t("secret"));
  if (typeof value === "boolean") return esc(t(value ? "yes" : "no"));
  if (typeof value === "object") return `<code>${esc(JSON.stringify(value))}</code>`;
  if (column === "channel") return esc(t(value));
  // print_job.description: the label register's own line (English, codes kept), beside its selection.
  if (CODE_COLUMNS.has(column) || `${entity}.${column}` === "print_job.description") return `<code>${esc(value)}</code>`;
  const domain = VALUE_ENUMS[`${entity}.${column}`] || VALUE_ENUMS[column];
  if (domain) return hasLabel(domain, value) ? esc(label(domain, value)) : `<code>${esc(value)}</code>`;
  if (typeof value === "string" && ISO_INSTANT.test(value)) return esc(when(value));
  return esc(String(value));
}

/** An id that points at a user, site, room or device type: its name (the server's `names`), the id beside it. */
function refHtml(row, column, value) {
  const name = value == null ? null : row.names?.[column]?.[String(value)];
  if (name == null) return valueHtml(row.entity, column, value);
  // A name with no Chinese in it (a username, a room called "A101") is an identifier: shown as code.
  const shown = /^[\x20-\x7e]+$/.test(name) ? `<code>${esc(name)}</code>` : esc(name);
  return `${shown} <span class="muted">#${esc(value)}</span>`;
}

function changesHtml(row) {
  return Object.entries(row.changes || {}).map(([column, value]) => {
    const html = row.action === "update" && Array.isArray(value)
      ? `${refHtml(row, column, value[0])} → ${refHtml(row, column, value[1])}`
      : refHtml(row, column, value);
    return `<div><b>${named("column", column)}</b>: ${html}</div>`;
  }).join("");
}

const actorHtml = (row) => (row.actor_id == null && row.actor_label === "system"
  ? esc(t("system")) : `<code>${esc(row.actor_label)}</code>`);

function option(name, value) {
  return `<option value="${value}"${state.filters[name] === value ? " selected" : ""}>${esc(value ? t(value) : t("any"))}</option>`;
}

function renderShell() {
  const f = state.filters;
  app.innerHTML = `<form class="controls" id="filters">
      <label>${t("who")}<input name="actor" value="${esc(f.actor || "")}"></label>
      <label>${t("entity")}<input name="entity" value="${esc(f.entity || "")}"></label>
      <label>${t("entity_id")}<input name="entity_id" value="${esc(f.entity_id || "")}"></label>
      <label>${t("from")}<input name="from" type="date" value="${esc(f.from || "")}"></label>
      <label>${t("to")}<input name="to" type="date" value="${esc(f.to || "")}"></label>
      <label>${t("channel")}<select name="channel">${["", "api", "cli"].map((v) => option("channel", v)).join("")}</select></label>
      <label>${t("action")}<select name="action">${["", "create", "update", "delete"].map((v) => option("action", v)).join("")}</select></label>
      <button class="primary">${t("show")}</button></form>
    <p class="error" id="error" role="alert"></p>
    <section><div class="scroll" id="rows"></div>
      <p><button type="button" id="prev">${t("prev")}</button> <span id="pager"></span> <button type="button" id="next">${t("next")}</button></p></section>`;
  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    state.filters = Object.fromEntries([...data].filter(([, v]) => String(v).trim()));
    state.page = 1;
    load();
  });
  document.getElementById("prev").addEventListener("click", () => { state.page -= 1; load(); });
  document.getElementById("next").addEventListener("click", () => { state.page += 1; load(); });
  load();
}

async function load() {
  const query = new URLSearchParams({ ...state.filters, page: state.page, per_page: PER_PAGE });
  document.getElementById("error").innerHTML = "";
  app.setAttribute("aria-busy", "true");
  try {
    const result = await api(`/api/v1/audit?${query}`);
    const rows = result.items.map((r) => `<tr data-audit="${r.id}"><td>${esc(when(r.at))}</td><td>${actorHtml(r)}</td>
      <td>${esc(t(r.channel))}</td><td>${esc(t(r.action))}</td><td>${named("entity", r.entity)} #${esc(r.entity_id)}</td>
      <td class="wrap">${changesHtml(r)}</td></tr>`).join("");
    document.getElementById("rows").innerHTML = rows ? `<table><thead><tr><th>${t("at")}</th><th>${t("who")}</th>
      <th>${t("channel")}</th><th>${t("action")}</th><th>${t("entity")}</th><th>${t("changes")}</th></tr></thead>
      <tbody>${rows}</tbody></table>` : `<p class="muted">${t("none")}</p>`;
    document.getElementById("pager").textContent = t("page_of", { page: result.page, total: result.total });
    document.getElementById("prev").disabled = state.page <= 1;
    document.getElementById("next").disabled = state.page * PER_PAGE >= result.total;
  } catch (error) {
    if (error.status === 401) return renderLogin();
    document.getElementById("error").innerHTML = errorHtml(error);
  } finally {
    app.removeAttribute("aria-busy");
    app.dataset.loaded = "1";
  }
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell });
