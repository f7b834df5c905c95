// Reports page: the report kinds, a period picker (or, for a per-meeting report, a month and one
// of its meetings), the HTML preview in a frame, the PDF download, and the recommendations of the
// monthly inspection report.
import { TEXT } from "./i18n.js";
import { createPage, errorHtml, esc, label, startPage } from "../supervisor/page.js";

const { state, t, api, client } = createPage(TEXT, { kinds: null, kind: null, period: "", meeting: "", meetings: [] });
const app = document.getElementById("app");
const NOTES_KIND = "inspection_monthly";  // the report that prints typed recommendations

function chinaNow() {
  return new Date(Date.now() + 8 * 3600 * 1000);  // periods are cut in China Standard Time
}

/** The default period of a kind: last month, or the current quarter, or the current year. */
function defaultPeriod(periodKind) {
  const now = chinaNow();
  if (periodKind === "quarter") return `${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  if (periodKind === "any") return String(now.getUTCFullYear());
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return last.toISOString().slice(0, 7);
}

const perMeeting = (kind) => kind.period_kind === "meeting";
const kindTitle = (kind) => label("report_kind", kind.name) || kind.title;

function meetingInputs() {
  const options = state.meetings.map((m) => `<option value="${m.id}" ${String(m.id) === state.meeting ? "selected" : ""}>
    ${esc(m.starts_at.slice(0, 10))} ${esc(m.title)}${m.state === "cancelled" ? `（${esc(label("meeting_state", m.state))}）` : ""}</option>`);
  return `<label>${esc(t("report_meeting_month"))}<input name="period" type="month" value="${esc(state.period)}" required></label>
    <label>${esc(t("report_meeting_pick"))}<select name="meeting">${options.join("")}</select></label>
    ${state.meetings.length ? "" : `<span class="muted" id="no-meetings">${esc(t("report_meeting_none"))}</span>`}`;
}

function periodInput(kind) {
  if (perMeeting(kind)) return meetingInputs();
  if (kind.period_kind === "month") {
    return `<label>${t("month")}<input name="period" type="month" value="${esc(state.period)}" required></label>`;
  }
  const hint = kind.period_kind === "quarter" ? "2025Q4" : "2025, 2025Q4, 2025-12";
  return `<label>${t("period")}<input name="period" value="${esc(state.period)}" placeholder="${esc(hint)}" required></label>`;
}

function listHtml() {
  return `<ul class="report-list">${state.kinds.map((kind) => `
    <li data-kind="${esc(kind.name)}" class="${kind.available ? "" : "unavailable"}" aria-current="${kind.name === state.kind?.name}">
      ${kind.available ? `<button type="button" class="pick" data-kind="${esc(kind.name)}">${esc(kindTitle(kind))}</button>`
        : `<b>${esc(kindTitle(kind))}</b> <span class="badge">${esc(t("coming"))}</span>`}
      <span class="muted">${esc(perMeeting(kind) ? t("report_per_meeting") : t(`kind_${kind.period_kind}`))}</span>
      ${kind.available ? "" : `<p class="why muted">${esc(kind.unavailable_reason)}</p>`}
    </li>`).join("")}</ul>`;
}

function url(kind, period, html) {
  const base = `/api/v1/reports/${encodeURIComponent(kind.name)}${html ? ".html" : ""}`;
  if (perMeeting(kind)) return `${base}?meeting=${encodeURIComponent(state.meeting)}`;
  return `${base}?period=${encodeURIComponent(period)}`;
}

function detailHtml() {
  const kind = state.kind;
  if (!kind) return `<p class="muted">${esc(t("preview_hint"))}</p>`;
  const notes = kind.name === NOTES_KIND ? `<form id="notes-form"><label>${esc(t("notes"))}
      <textarea name="notes"></textarea></label><button class="primary">${esc(t("save_notes"))}</button>
      <span id="notes-state" role="status"></span></form>` : "";
  return `<form class="report-controls" id="period-form">${periodInput(kind)}
      <button class="primary" type="submit">${esc(t("preview"))}</button>
      <a class="button" id="download" href="#" hidden>${esc(t("download"))}</a></form>
    <p class="error" id="error" role="alert"></p>${notes}
    <iframe class="preview" id="preview" title="${esc(kindTitle(kind))}" hidden></iframe>`;
}

function renderShell() {
  app.innerHTML = `<div class="reports-layout"><section><h2>${esc(t("reports"))}</h2><div id="list"></div></section>
    <section id="detail"></section></div>`;
  app.querySelector("#list").addEventListener("click", (event) => {
    const button = event.target.closest("button.pick");
    if (button) choose(button.dataset.kind);
  });
  load();
}

async function load() {
  try {
    state.kinds = state.kinds || await api("/api/v1/reports");
  } catch (error) {
    app.querySelector("#list").innerHTML = `<p class="error">${errorHtml(error)}</p>`;
    return;
  }
  draw();
}

function draw() {
  app.querySelector("#list").innerHTML = listHtml();
  const detail = app.querySelector("#detail");
  detail.innerHTML = detailHtml();
  detail.querySelector("#period-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    state.period = event.target.period.value.trim();
    state.meeting = event.target.meeting?.value || "";
    show();
  });
  // A per-meeting report: a new month lists that month's meetings to pick from.
  detail.querySelector("#period-form input[type=month]")?.addEventListener("change", (event) => {
    if (!perMeeting(state.kind)) return;
    state.period = event.target.value;
    loadMeetings();
  });
  detail.querySelector("#notes-form")?.addEventListener("submit", saveNotes);
}

function choose(name) {
  state.kind = state.kinds.find((kind) => kind.name === name);
  state.period = defaultPeriod(perMeeting(state.kind) ? "month" : state.kind.period_kind);
  if (perMeeting(state.kind)) loadMeetings();
  else draw();
}

/** The meetings of the chosen month (every role that reads reports may list them). */
async function loadMeetings() {
  try {
    state.meetings = (await api(`/api/v1/meetings?month=${encodeURIComponent(state.period)}`)).items;
  } catch (error) {
    state.meetings = [];
    draw();
    app.querySelector("#error").innerHTML = errorHtml(error);
    return;
  }
  state.meeting = state.meetings.length ? String(state.meetings[0].id) : "";
  draw();
}

/** Check the period with the server first (a bad one is the API's 422, shown here), then
 *  frame the preview and offer the download. */
async function show() {
  const { kind, period } = state;
  const error = app.querySelector("#error");
  error.innerHTML = "";
  if (perMeeting(kind)) {
    if (!state.meeting) {
      error.textContent = t("report_meeting_none");
      return;
    }
  } else {
    try {
      await client.request("GET", `/api/v1/reports/${encodeURIComponent(kind.name)}/note?period=${encodeURIComponent(period)}`);
    } catch (failure) {
      error.innerHTML = errorHtml(failure);
      return;
    }
  }
  const frame = app.querySelector("#preview");
  frame.src = url(kind, period, true);
  frame.hidden = false;
  const link = app.querySelector("#download");
  link.href = url(kind, period, false);
  link.hidden = false;
  if (kind.name === NOTES_KIND) loadNotes();
}

async function loadNotes() {
  const note = await api(`/api/v1/reports/${NOTES_KIND}/note?period=${encodeURIComponent(state.period)}`);
  const area = app.querySelector("textarea[name=notes]");
  if (area) area.value = note.text;
}

async function saveNotes(event) {
  event.preventDefault();
  const status = app.querySelector("#notes-state");
  try {
    await api(`/api/v1/reports/${NOTES_KIND}/note`, { method: "PUT",
      json: { period: state.period, text: event.target.notes.value } });
    status.textContent = t("saved");
    app.querySelector("#preview").src = url(state.kind, state.period, true);  // show the new text
  } catch (error) {
    status.innerHTML = errorHtml(error);
  }
}

startPage({ state, t, api, client, app, renderShell });
