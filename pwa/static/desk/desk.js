// Fault desk (supervisors, admins): log a phone-reported fault, the open faults with their SLA clocks
// (the states the server's SLA rules compute: breached and about to breach highlighted), filters by
// prefecture, state and breached, one fault's steps, assign an engineer (GET /users/engineers),
// add a step, comment with photos or PDFs, escalate (level, tier, reason), close with a resolution;
// the clocks are drawn as on /faults (faults/clocks.js).
import { createPage, errorHtml, esc, getLang, label, startPage } from "../supervisor/page.js";
import { pickName, presenceText } from "../core/i18n.js";
import { clockBadge } from "../faults/clocks.js";
import { FileRefused, TIMELINE_TEXT, commentFormHtml, escalateFormHtml, postComment, postEscalation, timelineHtml } from "./timeline.js";

const TEXT = {
  "zh-CN": {
    title: "故障受理", log: "登记电话报修", tag: "设备标签", description: "故障描述", severity: "级别", reported_at: "报修时间",
    caller: "来电人", save: "登记", open: "未关闭的故障", prefecture: "市（州）", state: "状态", breached_only: "只看超时/即将超时",
    any: "全部", site: "地点", clocks: "时钟", detail: "故障详情", steps: "进展", add_step: "记录进展", step: "进展",
    note: "说明", resolution: "解决办法", close: "关闭故障", when: "时间", by: "操作人", saved: "已保存。", due: "到期",
    assignee: "指派给", nobody: "未指派", assign: "指派", assign_note: "指派说明",
    presence: "到场核验", tag_source: "标签来源",
  },
  en: {
    title: "Fault desk", log: "Log a phone-reported fault", tag: "Device tag", description: "Description", severity: "Severity",
    reported_at: "Reported at", caller: "Caller", save: "Log it", open: "Open faults", prefecture: "Prefecture", state: "State",
    breached_only: "Breached or about to breach only", any: "Any", site: "Site", clocks: "Clocks", detail: "Fault", steps: "Steps",
    add_step: "Add a step", step: "Step", note: "Note", resolution: "Resolution", close: "Close the fault", when: "When", by: "By",
    saved: "Saved.", due: "due", assignee: "Assigned to", nobody: "Nobody", assign: "Assign", assign_note: "Note to the engineer",
    presence: "Presence", tag_source: "Tag",
  },
};
const CLOCKS = ["response", "work", "spare", "handling"];
const STATES = ["reported", "responded", "diagnosing", "spare_installed", "resolved"];
const STEPS = ["responded", "diagnosing", "spare_installed", "resolved"];
const HOT = ["breached", "about_to_breach"];
for (const lang of Object.keys(TEXT)) Object.assign(TEXT[lang], TIMELINE_TEXT[lang]);
const { state, t, api, client } = createPage(TEXT, { sites: new Map(), engineers: null, faults: [], filters: {}, selected: null });
const app = document.getElementById("app");
const when = (iso) => (iso ? new Date(iso).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN", { timeZone: "Asia/Shanghai" }) : "");
const site = (id) => state.sites.get(id);
const siteText = (id) => (site(id) ? `${pickName(site(id))} (${site(id).code})` : "");
const hot = (fault) => CLOCKS.some((name) => HOT.includes(fault.clocks[name]?.state));

const opts = (values, chosen, text) => [`<option value="">${esc(t("any"))}</option>`,
  ...values.map(([v, words]) => `<option value="${esc(v)}"${chosen === v ? " selected" : ""}>${esc(words ?? text(v))}</option>`)].join("");

function renderShell() {
  const prefectures = [...state.sites.values()].filter((s) => s.tier === "prefecture" || s.tier === "province");
  app.innerHTML = `<section><h2>${t("log")}</h2><form class="inline" id="log">
      <label>${t("tag")}<input name="tag" required autocapitalize="characters"></label>
      <label>${t("caller")}<input name="caller" maxlength="100"></label>
      <label>${t("description")}<input name="description" required maxlength="4000"></label>
      <label>${t("severity")}<select name="severity">${["minor", "major", "critical"].map((v) =>
        `<option value="${v}"${v === "major" ? " selected" : ""}>${esc(label("severity", v))}</option>`).join("")}</select></label>
      <label>${t("reported_at")}<input name="reported_at" type="datetime-local"></label>
      <button class="primary">${t("save")}</button></form><p class="error" id="log-error" role="alert"></p></section>
    <section><h2>${t("open")}</h2><form class="controls" id="filters">
      <label>${t("prefecture")}<select name="prefecture">${opts(prefectures.map((s) => [s.prefecture_code, pickName(s)]), state.filters.prefecture)}</select></label>
      <label>${t("state")}<select name="state">${opts(STATES.map((v) => [v]), state.filters.state, (v) => label("fault_state", v))}</select></label>
      <label><span>${t("breached_only")}</span><input type="checkbox" name="breached"${state.filters.breached ? " checked" : ""}></label></form>
      <p class="error" id="error" role="alert"></p><div class="scroll" id="faults"></div></section>
    <section id="detail" hidden></section>`;
  document.getElementById("filters").addEventListener("change", (event) => {
    const form = event.currentTarget;
    state.filters = { prefecture: form.prefecture.value, state: form.state.value, breached: form.breached.checked };
    drawList();
  });
  document.getElementById("log").addEventListener("submit", logFault);
  document.getElementById("faults").addEventListener("click", (event) => {
    const row = event.target.closest("[data-fault]");
    if (row) showFault(row.dataset.fault);
  });
  load();
}

async function load() {
  app.setAttribute("aria-busy", "true");
  try {
    if (!state.sites.size) {
      const sites = await api("/api/v1/sites?per_page=500");
      state.sites = new Map(sites.items.map((s) => [s.id, s]));
      renderShell();
      return;
    }
    state.faults = (await api("/api/v1/faults?open=true&per_page=500")).items;
    drawList();
  } catch (error) {
    if (error.status === 401) return renderLogin();
    document.getElementById("error").innerHTML = errorHtml(error);
  } finally {
    app.removeAttribute("aria-busy");
  }
}

/** How the phone got the tag and its presence flags; nothing for a fault logged at the desk. */
function presenceLine(fault) {
  if (!fault.presence) return "";
  return `<p id="presence">${t("tag_source")}: ${esc(label("tag_source", fault.tag_source || "unknown"))}
    · ${t("presence")}: ${esc(presenceText(fault.presence))}</p>`;
}

function drawList() {
  const f = state.filters;
  const shown = state.faults.filter((fault) => (!f.state || fault.state === f.state)
    && (!f.prefecture || site(fault.site_id)?.prefecture_code === f.prefecture) && (!f.breached || hot(fault)));
  const rows = shown.map((fault) => `<tr data-fault="${fault.id}" class="${hot(fault) ? "linked" : ""}" tabindex="0">
    <td><button type="button" class="link">#${fault.id}</button></td><td>${esc(fault.tag)}</td><td>${esc(siteText(fault.site_id))}</td>
    <td>${esc(label("severity", fault.severity))}</td><td>${esc(label("fault_state", fault.state))}</td><td>${esc(when(fault.reported_at))}</td>
    <td data-assignee="${fault.assignee?.id ?? ""}">${esc(fault.assignee?.display_name ?? t("nobody"))}</td>
    <td class="wrap">${CLOCKS.map((name) => clockBadge(name, fault.clocks[name], true)).join(" ")}</td>
    <td class="wrap" data-presence>${esc(presenceText(fault.presence))}</td></tr>`).join("");
  document.getElementById("faults").innerHTML = rows ? `<table><thead><tr><th>#</th><th>${t("tag")}</th><th>${t("site")}</th>
    <th>${t("severity")}</th><th>${t("state")}</th><th>${t("reported_at")}</th><th>${t("assignee")}</th><th>${t("clocks")}</th><th>${t("presence")}</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p class="muted">${t("none")}</p>`;
  app.dataset.loaded = String(shown.length);
}

async function logFault(event) {
  event.preventDefault();
  const form = event.target;
  const caller = form.caller.value.trim();
  const json = { tag: form.tag.value.trim(), severity: form.severity.value, source: "phone",
    description: caller ? `${form.description.value.trim()} (${t("caller")}: ${caller})` : form.description.value.trim() };
  if (form.reported_at.value) json.reported_at = new Date(`${form.reported_at.value}:00+08:00`).toISOString();
  try {
    const fault = await api("/api/v1/faults", { method: "POST", json });
    form.reset();
    document.getElementById("log-error").textContent = "";
    await load();
    showFault(fault.id);
  } catch (error) {
    if (error.status === 401) return renderLogin();
    document.getElementById("log-error").innerHTML = errorHtml(error);
  }
}

async function showFault(id) {
  const box = document.getElementById("detail");
  try {
    const fault = await api(`/api/v1/faults/${id}`);
    state.engineers ??= (await api("/api/v1/users/engineers")).items;  // once, when first needed
    box.innerHTML = `<h2>${t("detail")} #${fault.id} · ${esc(fault.tag)} · ${esc(label("fault_state", fault.state))}</h2>
      <p>${esc(siteText(fault.site_id))} · ${esc(label("severity", fault.severity))} · ${esc(when(fault.reported_at))}</p>
      ${presenceLine(fault)}<p class="wrap">${esc(fault.description)}</p>${fault.resolution ? `<p>${t("resolution")}: ${esc(fault.resolution)}</p>` : ""}
      <p id="assignee">${t("assignee")}: ${esc(fault.assignee?.display_name ?? t("nobody"))}</p>
      <p>${CLOCKS.map((name) => clockBadge(name, fault.clocks[name], true)).join(" ")}</p>
      ${fault.state === "closed" ? "" : assignForm(fault)}
      ${fault.state === "closed" ? `<p id="escalation">${esc(t("level"))}: ${esc(fault.level ? t(`level_${fault.level}`) : t("ungraded"))}</p>` : escalateFormHtml(fault, t)}
      ${timelineHtml(fault, t, when)}
      ${commentFormHtml(t)}
      <form class="inline" id="step-form"><label>${t("step")}<select name="step">${STEPS.map((v) => `<option value="${v}">${esc(label("fault_step", v))}</option>`).join("")}</select></label>
        <label>${t("note")}<input name="note" maxlength="4000"></label><label>${t("resolution")}<input name="resolution" maxlength="4000"></label>
        <button class="primary">${t("add_step")}</button></form>
      <form class="inline" id="close-form"><label>${t("resolution")}<input name="resolution" maxlength="4000" value="${esc(fault.resolution || "")}"></label>
        <button>${t("close")}</button></form><p class="error" id="detail-error" role="alert"></p>`;
    box.hidden = false;
    box.dataset.fault = String(fault.id);
    box.querySelector("#step-form").addEventListener("submit", (event) => act(event, fault.id, "steps"));
    box.querySelector("#assign-form")?.addEventListener("submit", (event) => assign(event, fault.id));
    box.querySelector("#close-form").addEventListener("submit", (event) => act(event, fault.id, "close"));
    box.querySelector("#escalate-form")?.addEventListener("submit", (event) => send(event, fault.id, postEscalation));
    box.querySelector("#comment-form").addEventListener("submit", (event) => send(event, fault.id, postComment));
  } catch (error) {
    if (error.status === 401) return renderLogin();
    document.getElementById("error").innerHTML = errorHtml(error);
  }
}

/** The engineers to pick from (and whoever has it now, should they no longer be one). */
function assignForm(fault) {
  const people = state.engineers.map((u) => [String(u.id), u.display_name]);
  if (fault.assignee && !people.some(([id]) => id === String(fault.assignee.id))) people.push([String(fault.assignee.id), fault.assignee.display_name]);
  const chosen = String(fault.assignee?.id ?? "");
  return `<form class="inline" id="assign-form"><label>${t("assignee")}<select name="user_id">
      <option value="">${esc(t("nobody"))}</option>${people.map(([id, name]) => `<option value="${esc(id)}"${id === chosen ? " selected" : ""}>${esc(name)}</option>`).join("")}</select></label>
      <label>${t("assign_note")}<input name="note" maxlength="4000"></label><button>${t("assign")}</button></form>`;
}

async function assign(event, id) {
  event.preventDefault();
  const form = event.target;
  const json = { user_id: form.user_id.value ? Number(form.user_id.value) : null };
  if (form.note.value.trim()) json.note = form.note.value.trim();
  try {
    await api(`/api/v1/faults/${id}/assign`, { method: "POST", json });
    await load();
    await showFault(id);
  } catch (error) {
    if (error.status === 401) return renderLogin();
    document.getElementById("detail-error").innerHTML = errorHtml(error);
  }
}

/** Post a comment or an escalation, then draw the fault again; a file the page refuses is worded here. */
async function send(event, id, post) {
  event.preventDefault();
  const form = event.target;
  const error = document.getElementById("detail-error");
  form.querySelector("button").disabled = true;
  try {
    error.textContent = form.files?.files.length ? t("uploading") : "";
    await post(form, id, { api, client, t });
    await load();
    await showFault(id);
  } catch (failure) {
    form.querySelector("button").disabled = false;
    if (failure.status === 401) return renderLogin();
    error.innerHTML = failure instanceof FileRefused ? esc(failure.message) : errorHtml(failure);
  }
}

async function act(event, id, what) {
  event.preventDefault();
  const form = event.target;
  const json = Object.fromEntries([...new FormData(form)].filter(([, v]) => String(v).trim()));
  try {
    await api(`/api/v1/faults/${id}/${what}`, { method: "POST", json });
    await load();
    await showFault(id);
  } catch (error) {
    if (error.status === 401) return renderLogin();
    document.getElementById("detail-error").innerHTML = errorHtml(error);
  }
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell });
