// Reports page: the report kinds, a period picker, the HTML preview in a frame, the PDF download,
// and the recommendations of the monthly inspection report.
import { TEXT } from "./i18n.js";
import { createPage, errorHtml, esc, startPage } from "../supervisor/page.js";

const { state, t, api, client } = createPage(TEXT, { kinds: null, kind: null, period: "" });
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

function periodInput(kind) {
  if (kind.period_kind === "month") {
    return `<label>${t("month")}<input name="period" type="month" value="${esc(state.period)}" required></label>`;
  }
  const hint = kind.period_kind === "quarter" ? "2025Q4" : "2025, 2025Q4, 2025-12";
  return `<label>${t("period")}<input name="period" value="${esc(state.period)}" placeholder="${esc(hint)}" required></label>`;
}

function listHtml() {
  return `<ul class="report-list">${state.kinds.map((kind) => `
    <li data-kind="${esc(kind.name)}" class="${kind.available ? "" : "unavailable"}" aria-current="${kind.name === state.kind?.name}">
      ${kind.available ? `<button type="button" class="pick" data-kind="${esc(kind.name)}">${esc(kind.title)}</button>`
        : `<b>${esc(kind.title)}</b> <span class="badge">${esc(t("coming"))}</span>`}
      <span class="muted">${esc(t(`kind_${kind.period_kind}`))}</span>
      ${kind.available ? "" : `<p class="why muted">${esc(kind.unavailable_reason)}</p>`}
    </li>`).join("")}</ul>`;
}

function url(kind, period, html) {
  const base = `/api/v1/reports/${encodeURIComponent(kind.name)}`;
  return `${base}${html ? ".html" : ""}?period=${encodeURIComponent(period)}`;
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
    <iframe class="preview" id="preview" title="${esc(kind.title)}" hidden></iframe>`;
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
    show();
  });
  detail.querySelector("#notes-form")?.addEventListener("submit", saveNotes);
}

function choose(name) {
  state.kind = state.kinds.find((kind) => kind.name === name);
  state.period = defaultPeriod(state.kind.period_kind);
  draw();
}

/** Check the period with the server first (a bad one is the API's 422, shown here), then
 *  frame the preview and offer the download. */
async function show() {
  const { kind, period } = state;
  const error = app.querySelector("#error");
  error.innerHTML = "";
  try {
    await client.request("GET", `/api/v1/reports/${encodeURIComponent(kind.name)}/note?period=${encodeURIComponent(period)}`);
  } catch (failure) {
    error.innerHTML = errorHtml(failure);
    return;
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
