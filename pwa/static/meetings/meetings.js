// The meetings page (/meetings): the month's meetings as a calendar or a list with filters; one
// meeting with its warnings, due checks, timeline, history and register PDF; supervisors and admins create,
// change and cancel meetings and import a notice. Everyone else reads (the API enforces it).
import { createPage, esc, label, latestOnly, messageLine, startPage } from "../supervisor/page.js";
import { pickName } from "../core/i18n.js";
import { TEXT } from "./text.js";
import { calendarHtml, clock, listHtml, monthKey, monthTitle, shiftMonth, todayKey, when } from "./calendar.js";
import { KINDS, fillForm, formHtml, formJson, refusalHtml, setRooms, syncForm } from "./form.js";
import { historyHtml, importErrorsHtml } from "./history.js";
import { timelineHtml } from "./timeline.js";

const BUREAU_TIERS = ["province", "prefecture", "county"];
const { state, t, api, client } = createPage(TEXT, {
  bureaus: [], engineers: [], month: monthKey(todayKey()), view: "calendar", filters: {}, meetings: [], editing: null,
});
const app = document.getElementById("app");
const { say, report } = messageLine(t, () => renderLogin());
const detailLoad = latestOnly();  // a second meeting opened before the first answered: only it draws
const manager = () => ["supervisor", "admin"].includes(state.user.role);
const opts = (values, chosen) => [`<option value="">${esc(t("any"))}</option>`, ...values.map(([v, text]) =>
  `<option value="${esc(v)}"${chosen === v ? " selected" : ""}>${esc(text)}</option>`)].join("");

async function renderShell() {
  say("");
  document.querySelector("h1").textContent = t("title");
  try {
    if (!state.bureaus.length) {
      const sites = await api("/api/v1/sites?per_page=500");
      state.bureaus = sites.items.filter((s) => BUREAU_TIERS.includes(s.tier));
    }
    state.engineers = manager() ? (await api("/api/v1/meetings/engineers")).items : [];
  } catch (error) { return report(error); }
  const f = state.filters;
  app.innerHTML = `${manager() ? `<section id="editor">${formHtml(state.bureaus, state.engineers)}</section>`
    : `<p class="hint" data-testid="read-only">${esc(t("read_only"))}</p>`}
    <section id="browse"><div class="bar" role="group" aria-label="${esc(t("title"))}">
      <button type="button" id="view-calendar" aria-pressed="${state.view === "calendar"}">${esc(t("calendar"))}</button>
      <button type="button" id="view-list" aria-pressed="${state.view === "list"}">${esc(t("list"))}</button>
      <button type="button" id="prev-month">${esc(t("prev_month"))}</button>
      <h2 id="month-title" aria-live="polite">${esc(monthTitle(state.month))}</h2>
      <button type="button" id="next-month">${esc(t("next_month"))}</button></div>
      <form class="controls" id="filters"><label>${esc(t("kind"))}<select name="kind">${opts(KINDS.map((k) => [k, label("meeting_kind", k)]), f.kind)}</select></label>
        <label>${esc(t("state"))}<select name="state">${opts(["scheduled", "cancelled"].map((s) => [s, label("meeting_state", s)]), f.state)}</select></label>
        <label>${esc(t("site_filter"))}<select name="site_code">${opts(state.bureaus.map((s) => [s.code, `${pickName(s)} (${s.code})`]), f.site_code)}</select></label>
        ${manager() ? `<label>${esc(t("engineer_filter"))}<select name="engineer_id">${opts(state.engineers.map((e) => [String(e.id), e.name]), f.engineer_id)}</select></label>` : ""}
      </form><div id="meetings"></div></section>
    <section id="detail" hidden></section>`;
  const on = (id, fn) => app.querySelector(id).addEventListener("click", fn);
  on("#view-calendar", () => { state.view = "calendar"; draw(); });
  on("#view-list", () => { state.view = "list"; draw(); });
  on("#prev-month", () => { state.month = shiftMonth(state.month, -1); loadMonth(); });
  on("#next-month", () => { state.month = shiftMonth(state.month, 1); loadMonth(); });
  app.querySelector("#filters").addEventListener("change", (event) => {
    state.filters = Object.fromEntries([...new FormData(event.currentTarget)].filter(([, v]) => v));
    loadMonth();
  });
  app.querySelector("#meetings").addEventListener("click", (event) => {
    const button = event.target.closest("[data-meeting]");
    if (button) showMeeting(Number(button.dataset.meeting));
  });
  if (manager()) wireForm(app.querySelector("#meeting-form"));
  await loadMonth();
  // /meetings?meeting=<id>: the assessment's evidence links open one meeting directly
  const wanted = Number(new URLSearchParams(location.search).get("meeting"));
  if (wanted > 0) await showMeeting(wanted);
}

async function loadMonth() {
  const query = new URLSearchParams({ month: state.month, ...state.filters });
  app.setAttribute("aria-busy", "true");
  try {
    state.meetings = (await api(`/api/v1/meetings?${query}`)).items;
    draw();
  } catch (error) { report(error); } finally { app.removeAttribute("aria-busy"); }
}

function draw() {
  app.querySelector("#month-title").textContent = monthTitle(state.month);
  app.querySelector("#view-calendar").setAttribute("aria-pressed", String(state.view === "calendar"));
  app.querySelector("#view-list").setAttribute("aria-pressed", String(state.view === "list"));
  const box = app.querySelector("#meetings");
  box.innerHTML = `<div class="scroll" tabindex="0" role="region" aria-label="${esc(t(state.view))}">${state.view === "calendar" ? calendarHtml(state.month, state.meetings) : listHtml(state.meetings)}</div>`;
  box.dataset.view = state.view;
  app.dataset.loaded = String(state.meetings.length);
}

async function loadRooms(form, chosen = null) {
  const code = form.host_site_code.value;
  if (!code) return setRooms(form, []);
  try {
    const site = await api(`/api/v1/sites/${encodeURIComponent(code)}`);
    setRooms(form, site.rooms, chosen);
  } catch (error) { report(error); }
}

function wireForm(form) {
  syncForm(form);
  form.addEventListener("change", (event) => {
    if (event.target.name === "host_site_code") loadRooms(form);
    syncForm(form);
  });
  form.querySelector("#site-search").addEventListener("input", (event) => {
    const q = event.target.value.trim();
    form.querySelectorAll("[data-site-row]").forEach((row) => { row.hidden = Boolean(q) && !row.dataset.search.includes(q); });
  });
  form.querySelector("#start-new").addEventListener("click", () => startNew(form));
  form.addEventListener("submit", (event) => { event.preventDefault(); save(form); });
}

function startNew(form) {
  state.editing = null;
  form.reset();
  setRooms(form, []);
  form.querySelector("#form-title").textContent = t("new_meeting");
  form.querySelector("#start-new").hidden = true;
  form.querySelector("#form-error").innerHTML = "";
  syncForm(form);
}

async function save(form) {
  const json = formJson(form);
  const errorBox = form.querySelector("#form-error");
  try {
    const editing = state.editing;
    const meeting = editing
      ? await api(`/api/v1/meetings/${editing.id}`, { method: "PATCH", json: { ...json, version: editing.version } })
      : await api("/api/v1/meetings", { method: "POST", json });
    errorBox.innerHTML = "";
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    say(editing ? t("saved") : t("created", { id: meeting.id }), true);
    state.month = monthKey(new Date(new Date(meeting.starts_at).getTime() + 8 * 3600e3).toISOString().slice(0, 10));
    startNew(form);  // saved: the form is a new meeting's again (a change is re-read via "change")
    await loadMonth();
    await showMeeting(meeting.id, meeting);
  } catch (error) {
    if (error.status === 401) return renderLogin();
    errorBox.innerHTML = refusalHtml(error, form);
    form.querySelector("[aria-invalid]")?.focus();
  }
}

function warningText(w, meeting) {
  const engineer = meeting.engineers.find((e) => e.id === w.engineer_id)?.name ?? `#${w.engineer_id ?? ""}`;
  return t(`w_${w.code}`, { engineer, title: w.title ?? "", at: w.starts_at ? when(w.starts_at) : "" });
}

function detailHtml(m) {
  const sites = m.sites.map((s) => `${esc(s.name)}${s.speaking ? esc(t("speaking_mark")) : ""}`).join("、");
  const warnings = m.warnings.length ? `<ul id="warnings">${m.warnings.map((w) =>
    `<li data-warning="${esc(w.code)}">${esc(warningText(w, m))}</li>`).join("")}</ul>` : `<p id="warnings" class="muted">${esc(t("no_warnings"))}</p>`;
  const checks = m.due_checks.map((c) => `<tr data-check="${esc(c.key)}"><td>${esc(label("check_kind", c.kind))}</td>
    <td>${esc(c.subject)}</td><td>${esc(when(c.due_at))}</td><td class="check-${esc(c.state)}">${esc(label("check_state", c.state))}</td>
    <td>${esc(when(c.done_at))}</td></tr>`).join("");
  const open = m.state === "scheduled" && manager();
  return `<h2>${esc(t("detail"))} #${m.id} · ${esc(m.title)}</h2>
    ${m.state === "cancelled" ? `<p class="error" data-testid="cancelled">${esc(t("cancelled_note"))}</p>` : ""}
    <dl class="facts"><dt>${esc(t("kind"))}</dt><dd>${esc(label("meeting_kind", m.kind))}${m.platform ? ` · ${esc(label("meeting_platform", m.platform))}` : ""}</dd>
      <dt>${esc(t("when"))}</dt><dd>${esc(when(m.starts_at))}–${esc(clock(m.ends_at))}</dd>
      <dt>${esc(t("host"))}</dt><dd>${esc(m.host_site_name)}${m.host_room_name ? ` · ${esc(m.host_room_name)}` : ""}</dd>
      <dt>${esc(t("engineers"))}</dt><dd>${esc(m.engineers.map((e) => e.name).join("、") || "—")}</dd>
      <dt>${esc(t("f_major_event"))}</dt><dd>${esc(m.major_event ? t("major_yes") : t("major_no"))}</dd>
      <dt>${esc(t("state"))}</dt><dd data-field="state">${esc(label("meeting_state", m.state))}</dd>
      <dt>${esc(t("sites_list"))} (${m.site_count})</dt><dd class="wrap" id="detail-sites">${sites || "—"}</dd>
      ${m.notes ? `<dt>${esc(t("notes"))}</dt><dd class="wrap">${esc(m.notes)}</dd>` : ""}</dl>
    <p><a id="register-pdf" href="/api/v1/meetings/${m.id}/register.pdf">${esc(t("register_pdf"))}</a></p>
    <h3>${esc(t("warnings"))}</h3>${warnings}
    <h3>${esc(t("due_checks"))}</h3><div class="scroll" tabindex="0" role="region" aria-label="${esc(t("due_checks"))}"><table id="checks"><thead><tr><th>${esc(t("check"))}</th><th>${esc(t("subject"))}</th>
      <th>${esc(t("due_at"))}</th><th>${esc(t("state"))}</th><th>${esc(t("done_at"))}</th></tr></thead><tbody>${checks}</tbody></table></div>
    ${open ? `<p><button type="button" id="edit">${esc(t("edit"))}</button></p>
      <form id="cancel-form" class="inline"><label>${esc(t("cancel_reason"))}<input name="reason" maxlength="500"></label>
        <button type="submit">${esc(t("cancel_meeting"))}</button></form>
      <form id="import-form" class="inline"><label>${esc(t("import_title"))}<input type="file" name="file" accept=".csv,.xlsx" required></label>
        <button type="submit">${esc(t("import"))}</button></form>` : ""}
    <div class="error" id="detail-error" role="alert"></div>
    <h3 id="timeline-title">${esc(t("tl_title"))}</h3><div id="timeline"></div>
    <h3>${esc(t("history"))}</h3><div class="scroll" id="history" tabindex="0" role="region" aria-label="${esc(t("history"))}"></div>`;
}

async function showMeeting(id, known = null) {
  const box = app.querySelector("#detail");
  try {
    const current = detailLoad();
    const [meeting, history, timeline] = await Promise.all([known ?? api(`/api/v1/meetings/${id}`),
      api(`/api/v1/meetings/${id}/history`), api(`/api/v1/meetings/${id}/timeline`)]);
    if (!current()) return;
    box.innerHTML = detailHtml(meeting);
    box.querySelector("#history").innerHTML = historyHtml(history.items, state.bureaus, meeting);
    box.querySelector("#timeline").innerHTML = timelineHtml(meeting.id, timeline.items);
    box.hidden = false;
    box.dataset.meeting = String(meeting.id);
    box.querySelector("#edit")?.addEventListener("click", () => editMeeting(meeting));
    box.querySelector("#cancel-form")?.addEventListener("submit", (event) => {
      event.preventDefault();
      const reason = event.target.reason.value.trim() || null;
      act(meeting, api(`/api/v1/meetings/${meeting.id}/cancel`, { method: "POST", json: { reason, version: meeting.version } }));
    });
    box.querySelector("#import-form")?.addEventListener("submit", (event) => {
      event.preventDefault();
      act(meeting, client.request("POST", `/api/v1/meetings/${meeting.id}/import`, { body: new FormData(event.target) }), t("imported"));
    });
  } catch (error) { report(error); }
}

async function act(meeting, call, done = t("saved")) {
  try {
    await call;
    say(done, true);
    await loadMonth();
    await showMeeting(meeting.id);
  } catch (error) {
    if (error.status === 401) return renderLogin();
    const rows = error.fieldErrors?.rows;
    app.querySelector("#detail-error").innerHTML = rows ? importErrorsHtml(rows) : refusalHtml(error);
  }
}

async function editMeeting(meeting) {
  const form = app.querySelector("#meeting-form");
  state.editing = meeting;
  fillForm(form, meeting);
  await loadRooms(form, meeting.host_room_id);
  form.querySelector("#form-title").textContent = t("edit_meeting", { id: meeting.id });
  form.querySelector("#start-new").hidden = false;
  syncForm(form);
  form.title.focus();
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell, page: "meetings" });
