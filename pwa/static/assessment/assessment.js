// Assessment page: a period, both scorecards with each point opening to its records, the money
// at stake, and (supervisors) an assessment event with its evidence files.
import { TEXT } from "./i18n.js";
import { createPage, errorHtml, esc, getLang, label, latestOnly, startPage } from "../supervisor/page.js";
import { drawBackups } from "./backups.js";
import { drawEvents } from "./events.js";

const { state, t, api, client } = createPage(TEXT, { kind: "term", body: null, correcting: null });
const app = document.getElementById("app");
const WRITERS = ["supervisor", "admin"];
const name = (thing) => (getLang() === "en" ? thing.name_en : thing.name_zh);
const yuan = (n) => `¥${Number(n).toLocaleString("en-US")}`;
const signed = (n) => (n > 0 ? `+${n}` : String(n));

function periodControls() {
  const quarters = [1, 2, 3, 4].map((q) => `<option value="2025Q${q}">2025Q${q}</option>`).join("");
  const kinds = ["term", "year", "quarter", "month", "range"]
    .map((k) => `<option value="${k}"${k === state.kind ? " selected" : ""}>${t(`kind_${k}`)}</option>`).join("");
  return `<form class="controls" id="period">
    <label>${t("kind")}<select name="kind">${kinds}</select></label>
    <label data-for="year">${t("kind_year")}<input name="year" value="2025" inputmode="numeric" size="5"></label>
    <label data-for="quarter">${t("kind_quarter")}<select name="quarter">${quarters}</select></label>
    <label data-for="month">${t("kind_month")}<input name="month" type="month" value="2025-12"></label>
    <label data-for="range">${t("from")}<input name="from" type="date" value="2025-01-01"></label>
    <label data-for="range">${t("to")}<input name="to" type="date" value="2025-12-31"></label>
    <button class="primary">${t("show")}</button></form>`;
}

function showKind(form) {
  form.querySelectorAll("[data-for]").forEach((el) => el.classList.toggle("hidden", el.dataset.for !== form.kind.value));
}

function query(form) {
  const kind = form.kind.value;
  if (kind === "range") return `from=${encodeURIComponent(form.from.value)}&to=${encodeURIComponent(form.to.value)}`;
  const value = { term: "term", year: form.year.value, quarter: form.quarter.value, month: form.month.value }[kind];
  return `period=${encodeURIComponent(value)}`;
}

function renderShell() {
  const writer = WRITERS.includes(state.user?.role);
  app.innerHTML = `${periodControls()}<p class="error" id="error"></p>
    <div class="cards" id="money"></div><div class="forms" id="forms"></div>
    <section id="event-list"><h2>${t("events")}</h2><div id="events"></div></section>
    <section id="backup-list"><h2>${t("backups")}</h2><div id="backups"></div></section>
    <section id="event-section"><h2>${t("add_event")}</h2>${writer ? eventForm() : `<p class="muted">${t("read_only")}</p>`}</section>`;
  const form = document.getElementById("period");
  showKind(form);
  form.kind.addEventListener("change", () => { state.kind = form.kind.value; showKind(form); });
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  if (writer) wireEventForm();
  load();
}

function moneyHtml(body) {
  const m = body.money;
  const card = (key, value, cls = "") => `<div class="card ${cls}" data-key="${key}"><span>${esc(t(key))}</span><b>${esc(value)}</b></div>`;
  const cards = [
    card("score", `${body.total} ${t(body.passed ? "passed" : "failed")}`, body.passed ? "ok" : "bad"),
    card("deposit", `${t("returned")} ${yuan(m.deposit_returned)} / ${t("forfeited")} ${yuan(m.deposit_forfeited)}`, m.deposit_forfeited ? "bad" : "ok"),
    card("final_payment", `${yuan(m.final_payment)} ${t(m.final_payment_due ? "due" : "withheld")}`, m.final_payment_due ? "ok" : "bad"),
  ];
  if (body.projection) cards.push(card("projection", String(body.projection.total)));
  if (body.at_risk) cards.push(card("at_risk", `${body.at_risk.points} ${t("points")}`));
  return cards.join("");
}

function pointHtml(point) {
  const links = point.links.map((l) => `<a href="${esc(l.url)}" data-kind="${esc(l.kind)}">${esc(l.label)}</a>`).join("");
  const what = getLang() === "en" ? point.what : point.what_zh;
  return `<div class="point" data-rule="${esc(point.rule)}"><span class="pts${point.points > 0 ? " plus" : ""}">${esc(signed(point.points))}</span>
    <span>${esc(getLang() === "en" ? point.rule_en : point.rule_zh)} · ${esc(point.on || "")} · ${esc(what)}</span>
    <span class="links">${links}</span></div>`;
}

/** A guarantee meeting or an in-meeting incident, in words from core/dict/meetings.js. */
function evidenceText(point) {
  const d = point.detail;
  const incident = (i) => [t("ev_incident", { kind: label("incident_kind", i.kind), site: i.site, min: i.duration_min ?? "—" }),
    i.fault_id ? t("ev_fault", { id: i.fault_id }) : ""].filter(Boolean).join("，");
  if (point.rule === "meeting_incident") return t("ev_incident_at", { day: point.on, title: d.title, incident: incident(d) });
  const parts = Object.entries(d.checks).filter(([, n]) => n).map(([k, n]) => t("ev_count", { timing: label("check_timing", k), n })).join("，");
  const lapses = d.lapses.map((l) => t("ev_lapse", { check: label("check_kind", l.kind), subject: l.subject, timing: label("check_timing", l.timing) }));
  return [t("ev_meeting", { day: point.on, kind: label("meeting_kind", d.meeting_kind), title: d.title, sites: d.sites }),
    t("ev_checks", { parts }), ...lapses, t("ev_incidents", { n: d.incidents.length }), ...d.incidents.map(incident),
    d.register ? t("ev_register", { n: d.register.recordings }) : t("ev_no_register")].join("；");
}

function evidenceHtml(point) {
  const links = point.links.map((l) => `<a href="${esc(l.url)}" data-kind="${esc(l.kind)}">${esc(l.label)}</a>`).join("");
  return `<div class="point evidence" data-rule="${esc(point.rule)}"><span class="pts">${esc(t("records"))}</span>
    <span>${esc(evidenceText(point))}</span><span class="links">${links}</span></div>`;
}

function lineHtml(line) {
  const points = [...line.deductions, ...line.bonuses];
  const evidence = line.evidence || [];
  const inner = (points.length ? points.map(pointHtml).join("") : `<p class="muted">${t("no_points")}</p>`)
    + (evidence.length ? `<h4>${esc(t("ev_records"))}</h4>${evidence.map(evidenceHtml).join("")}` : "");
  return `<details class="line${line.score === 0 ? " zero" : ""}" data-line="${esc(line.code)}">
    <summary><span class="name">${esc(name(line))}</span><span class="muted">${points.length}</span>
    <span class="score">${line.score} / ${line.max_points}</span></summary>${inner}</details>`;
}

function formHtml(form) {
  return `<section data-form="${esc(form.code)}"><h2>${esc(name(form))}</h2>${form.lines.map(lineHtml).join("")}
    <p class="total">${t("total")} <b data-total>${form.total}</b> / ${form.max_points} · ${t(form.passed ? "passed" : "failed")}</p></section>`;
}

/** An event's form, item and rule in the user's language, from the scorecard's rules. */
function ruleName(event) {
  const form = state.body.forms.find((f) => f.code === event.form);
  const line = form?.lines.find((l) => l.code === event.item);
  const rule = line?.rules.find((r) => r.code === event.rule);
  return rule ? `${name(form)} · ${name(line)} · ${name(rule)}` : `${event.form}/${event.item}/${event.rule}`;
}

const startLoad = latestOnly();

async function load() {
  const current = startLoad();
  const q = query(document.getElementById("period"));
  document.getElementById("error").innerHTML = "";
  app.setAttribute("aria-busy", "true");
  try {
    const body = await api(`/api/v1/assessment?${q}`);
    if (!current()) return;
    state.body = body;
    document.getElementById("money").innerHTML = moneyHtml(body);
    document.getElementById("forms").innerHTML = body.forms.map(formHtml).join("");
    fillRules();
    const events = await api(`/api/v1/assessment/events?${q}&history=true`);
    if (!current()) return;
    drawEvents({ items: events.items, writer: WRITERS.includes(state.user?.role), api, ruleName,
      onCorrect: startCorrection, onChanged: load, onSignedOut: () => renderLogin() });
    await drawBackups(api);
    app.dataset.period = body.period.label;
  } catch (error) {
    if (!current()) return;
    if (error.status === 401) return renderLogin();
    document.getElementById("error").innerHTML = errorHtml(error);
  } finally {
    if (current()) app.removeAttribute("aria-busy");
  }
}

function eventForm() {
  return `<form class="event" id="event">
    <label>${t("form")}<select name="form"></select></label>
    <label>${t("item")}<select name="item"></select></label>
    <label>${t("rule")}<select name="rule"></select></label>
    <label>${t("points")}<input name="points" type="number" step="1"></label>
    <label>${t("occurred_on")}<input name="occurred_on" type="date" value="2025-12-31" required></label>
    <label class="hidden" data-fault>${t("fault_id")}<input name="fault_id" type="number" min="1"></label>
    <label class="wide">${t("what_happened")}<textarea name="description" required></textarea></label>
    <label class="wide">${t("evidence")}<input name="files" type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf"></label>
    <button class="primary">${t("save")}</button><button type="button" class="hidden" data-action="stop">${t("cancel")}</button>
    <p class="error" id="event-error"></p><p class="muted" id="event-done"></p></form>`;
}

const enterable = (item) => item.rules.filter((r) => r.source !== "records");

/** The form, item and rule choices from the scorecard's own rules tables. */
function fillRules() {
  const form = document.getElementById("event");
  if (!form || !state.body) return;
  const pick = (select, options, keep) => {
    select.innerHTML = options.map((o) => `<option value="${esc(o.code)}">${esc(name(o))}</option>`).join("");
    if (options.some((o) => o.code === keep)) select.value = keep;
  };
  const forms = state.body.forms;
  pick(form.form, forms, form.form.value);
  const chosen = forms.find((f) => f.code === form.form.value);
  const items = chosen.lines.filter((line) => enterable(line).length);
  pick(form.item, items, form.item.value);
  const rules = enterable(items.find((i) => i.code === form.item.value));
  pick(form.rule, rules, form.rule.value);
  const rule = rules.find((r) => r.code === form.rule.value);
  form.points.value = rule.points ?? "";
  form.points.disabled = rule.source === "event_fault";
  form.points.min = rule.low ?? "";
  form.points.max = rule.high ?? "";
  form.querySelector("[data-fault]").classList.toggle("hidden", rule.source !== "event_fault");
}

async function sha256(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Open the form prefilled with an event: saving it supersedes that event. */
function startCorrection(old) {
  const form = document.getElementById("event");
  state.correcting = old;
  for (const key of ["form", "item", "rule"]) {
    form[key].value = old[key];
    fillRules();
  }
  if (!form.points.disabled) form.points.value = old.points;
  form.occurred_on.value = old.occurred_on;
  form.fault_id.value = old.fault_id ?? "";
  form.description.value = old.description;
  showCorrection(form);
  form.scrollIntoView();
  form.description.focus();
}

function showCorrection(form) {
  const old = state.correcting;
  form.form.disabled = Boolean(old);  // a correction keeps its form (the API does not move it)
  form.querySelector("[data-action=stop]").classList.toggle("hidden", !old);
  document.querySelector("#event-section h2").textContent = old ? t("correcting", { id: old.id }) : t("add_event");
}

async function saveEvent(form, attachments) {
  const json = { item: form.item.value, rule: form.rule.value,
    occurred_on: form.occurred_on.value, description: form.description.value };
  if (!form.points.disabled && form.points.value !== "") json.points = Number(form.points.value);
  if (form.fault_id.value) json.fault_id = Number(form.fault_id.value);
  const old = state.correcting;
  if (!old) return api("/api/v1/assessment/events", { method: "POST", json: { form: form.form.value, ...json, attachments } });
  if (attachments.length) json.attachments = attachments;  // none chosen: the old evidence is kept
  return api(`/api/v1/assessment/events/${old.id}/supersede`, { method: "POST", json });
}

function wireEventForm() {
  const form = document.getElementById("event");
  ["form", "item", "rule"].forEach((key) => form[key].addEventListener("change", fillRules));
  form.querySelector("[data-action=stop]").addEventListener("click", () => { state.correcting = null; showCorrection(form); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("event-error");
    const done = document.getElementById("event-done");
    error.innerHTML = done.textContent = "";
    form.querySelector("button.primary").disabled = true;
    try {
      const attachments = [];
      for (const file of form.files.files) {
        const bytes = await file.arrayBuffer();
        const sha = await sha256(bytes);
        await client.putBytes(`/api/v1/assessment/attachments/${sha}`, bytes, file.type || "application/octet-stream");
        attachments.push({ sha256: sha, name: file.name });
      }
      const made = await saveEvent(form, attachments);
      done.textContent = t("saved", { id: made.id });
      state.correcting = null;
      showCorrection(form);
      form.description.value = "";
      form.files.value = "";
      await load();
    } catch (err) {
      if (err.status === 401) return renderLogin();
      error.innerHTML = errorHtml(err);
    } finally {
      form.querySelector("button.primary").disabled = false;
    }
  });
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell });
